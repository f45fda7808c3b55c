import { EditOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Descriptions, Form, Input, Select, Skeleton, Space } from "antd";
import { useState } from "react";
import { api } from "../../api/client";
import { useApiError } from "../../api/errors";
import type { Company } from "../../api/types";
import { useAuth } from "../../auth/AuthProvider";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/core";
import { orgText } from "./i18n";

const CURRENCIES = ["CNY", "USD", "EUR", "HKD", "JPY", "GBP", "KRW", "SGD", "TWD", "THB", "VND", "MYR", "IDR", "INR", "AUD", "CAD", "CHF"];
const TIMEZONES = [
  "Asia/Shanghai",
  "Asia/Hong_Kong",
  "Asia/Taipei",
  "Asia/Singapore",
  "Asia/Tokyo",
  "Asia/Seoul",
  "Asia/Bangkok",
  "Asia/Ho_Chi_Minh",
  "Asia/Kolkata",
  "Europe/Berlin",
  "Europe/London",
  "America/New_York",
  "America/Los_Angeles",
  "UTC",
];

type Values = Pick<Company, "nameZh" | "nameEn" | "baseCurrency" | "timezone">;

export default function CompanyPage() {
  const t = useT(orgText);
  const tc = useT(common);
  const { can } = useAuth();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Values>();
  const { data, isLoading, refetch } = useQuery({ queryKey: ["org", "company"], queryFn: () => api.get<Company>("/api/org/company") });

  const startEdit = () => {
    if (!data) return;
    form.setFieldsValue({ nameZh: data.nameZh, nameEn: data.nameEn, baseCurrency: data.baseCurrency, timezone: data.timezone });
    setEditing(true);
  };

  const save = async (v: Values) => {
    if (!data) return;
    setBusy(true);
    try {
      const changed: Partial<Values> = {};
      for (const k of Object.keys(v) as (keyof Values)[]) if (v[k] !== data[k]) changed[k] = v[k];
      await api.patch(`/api/org/company/${data.id}`, { version: data.version, ...changed }, { version: data.version });
      await qc.invalidateQueries({ queryKey: ["org", "company"] });
      message.success(tc("saved"));
      setEditing(false);
    } catch (e) {
      showError(e, {
        form,
        onConflict: () => {
          void refetch().then((r) => r.data && form.setFieldsValue(r.data));
        },
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title={t("companyTitle")}
        extra={
          can("org.company.edit") &&
          !editing && (
            <Button type="primary" icon={<EditOutlined />} onClick={startEdit} disabled={!data} data-testid="company-edit">
              {tc("edit")}
            </Button>
          )
        }
      />
      <Card style={{ maxWidth: 760 }}>
        {isLoading || !data ? (
          <Skeleton active />
        ) : editing ? (
          <Form form={form} layout="vertical" onFinish={save} data-testid="company-form" style={{ maxWidth: 520 }}>
            <Form.Item label={t("companyCode")}>
              <Input value={data.code} disabled />
            </Form.Item>
            <Form.Item name="nameZh" label={tc("nameZh")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameZh") }) }]}>
              <Input maxLength={200} data-testid="company-nameZh" />
            </Form.Item>
            <Form.Item name="nameEn" label={tc("nameEn")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameEn") }) }]}>
              <Input maxLength={200} data-testid="company-nameEn" />
            </Form.Item>
            <Form.Item
              name="baseCurrency"
              label={t("baseCurrency")}
              extra={t("companyHint")}
              rules={[{ required: true, pattern: /^[A-Z]{3}$/, message: t("currencyRule") }]}
            >
              <Select showSearch options={CURRENCIES.map((c) => ({ value: c, label: c }))} data-testid="company-currency" />
            </Form.Item>
            <Form.Item name="timezone" label={t("timezone")} rules={[{ required: true, message: tc("required", { field: t("timezone") }) }]}>
              <Select showSearch options={TIMEZONES.map((z) => ({ value: z, label: z }))} data-testid="company-timezone" />
            </Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="company-save">
                {tc("save")}
              </Button>
              <Button onClick={() => setEditing(false)}>{tc("cancel")}</Button>
            </Space>
          </Form>
        ) : (
          <>
            <Descriptions
              column={1}
              bordered
              size="small"
              styles={{ label: { width: 180 } }}
              data-testid="company-view"
              items={[
                { key: "code", label: t("companyCode"), children: data.code },
                { key: "zh", label: tc("nameZh"), children: data.nameZh },
                { key: "en", label: tc("nameEn"), children: data.nameEn },
                { key: "cur", label: t("baseCurrency"), children: data.baseCurrency },
                { key: "tz", label: t("timezone"), children: data.timezone },
              ]}
            />
            {!can("org.company.edit") && <Alert style={{ marginTop: 12 }} type="info" showIcon title={t("companyHint")} />}
          </>
        )}
      </Card>
    </>
  );
}
