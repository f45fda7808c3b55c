import { SaveOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Col, Form, InputNumber, Row, Skeleton, Space, Switch, Typography } from "antd";
import { useEffect, useState } from "react";
import { useNavigate } from "react-router-dom";
import { api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/core";
import { type SecurityKey, securityText } from "./i18n";

interface Settings {
  repeatedFailuresEnabled: boolean;
  failedLoginThreshold: number;
  failedLoginWindowMinutes: number;
  offHoursEnabled: boolean;
  offHoursGraceMinutes: number;
  newAddressEnabled: boolean;
  newAddressDays: number;
  massExportEnabled: boolean;
  massExportCount: number;
  massExportRows: number;
  massExportWindowMinutes: number;
  massDeletionEnabled: boolean;
  massDeletionCount: number;
  massDeletionWindowMinutes: number;
  rightsEscalationEnabled: boolean;
  disabledAccountEnabled: boolean;
  version: number;
  updatedAt: string | null;
  updatedByName: string | null;
  isDefault: boolean;
}

type NumberField = { name: keyof Settings; label: SecurityKey; min: number; max: number };
interface RuleGroup {
  title: SecurityKey;
  enabled: keyof Settings;
  hint?: SecurityKey;
  fields: NumberField[];
}

// The same bounds as the database's CHECK constraints and the command's schema.
const GROUPS: RuleGroup[] = [
  {
    title: "repeatedFailures",
    enabled: "repeatedFailuresEnabled",
    fields: [
      { name: "failedLoginThreshold", label: "failedLoginThreshold", min: 2, max: 1000 },
      { name: "failedLoginWindowMinutes", label: "failedLoginWindowMinutes", min: 1, max: 1440 },
    ],
  },
  { title: "offHours", enabled: "offHoursEnabled", hint: "offHoursHint", fields: [{ name: "offHoursGraceMinutes", label: "offHoursGraceMinutes", min: 0, max: 720 }] },
  { title: "newAddress", enabled: "newAddressEnabled", fields: [{ name: "newAddressDays", label: "newAddressDays", min: 1, max: 730 }] },
  {
    title: "massExport",
    enabled: "massExportEnabled",
    fields: [
      { name: "massExportCount", label: "massExportCount", min: 1, max: 100_000 },
      { name: "massExportRows", label: "massExportRows", min: 1, max: 100_000_000 },
      { name: "massExportWindowMinutes", label: "massExportWindowMinutes", min: 1, max: 1440 },
    ],
  },
  {
    title: "massDeletion",
    enabled: "massDeletionEnabled",
    fields: [
      { name: "massDeletionCount", label: "massDeletionCount", min: 1, max: 100_000 },
      { name: "massDeletionWindowMinutes", label: "massDeletionWindowMinutes", min: 1, max: 1440 },
    ],
  },
  { title: "rightsEscalation", enabled: "rightsEscalationEnabled", hint: "rightsEscalationHint", fields: [] },
  { title: "disabledAccount", enabled: "disabledAccountEnabled", hint: "disabledAccountHint", fields: [] },
];

export default function SecuritySettingsPage() {
  const t = useT(securityText);
  const tc = useT(common);
  const { can } = useAuth();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<Settings>();
  const [busy, setBusy] = useState(false);
  const editable = can("audit.security.configure");
  const { data, isLoading } = useQuery({ queryKey: ["security", "settings"], queryFn: () => api.get<Settings>("/api/security/settings") });
  useEffect(() => {
    if (data) form.setFieldsValue(data);
  }, [data, form]);

  const save = async (v: Settings) => {
    if (!data) return;
    const changes: Record<string, unknown> = {};
    for (const g of GROUPS) {
      for (const k of [g.enabled, ...g.fields.map((f) => f.name)]) if (v[k] !== data[k]) changes[k] = v[k];
    }
    if (Object.keys(changes).length === 0) return;
    setBusy(true);
    try {
      const saved = await api.patch<Settings>("/api/security/settings", changes, { version: data.version });
      qc.setQueryData(["security", "settings"], saved);
      message.success(tc("saved"));
    } catch (e) {
      showError(e, { form, onConflict: () => void qc.invalidateQueries({ queryKey: ["security", "settings"] }) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title={t("settingsTitle")}
        onBack={() => navigate("/security/events")}
        extra={
          editable && (
            <Button type="primary" icon={<SaveOutlined />} onClick={() => form.submit()} loading={busy} data-testid="settings-save">
              {tc("save")}
            </Button>
          )
        }
      />
      <Typography.Paragraph type="secondary">{t("settingsIntro")}</Typography.Paragraph>
      {!editable && <Alert type="info" showIcon title={t("readOnly")} style={{ marginBottom: 12 }} />}
      {data && (
        <Typography.Paragraph type="secondary" data-testid="settings-meta">
          {data.isDefault ? t("defaults") : t("updatedBy", { name: data.updatedByName ?? "—", time: formatDateTime(data.updatedAt) })}
        </Typography.Paragraph>
      )}
      {isLoading ? (
        <Skeleton active />
      ) : (
        <Form form={form} layout="vertical" onFinish={save} disabled={!editable} data-testid="settings-form">
          <Row gutter={[12, 12]}>
            {GROUPS.map((g) => (
              <Col xs={24} lg={12} key={g.title}>
                <Card
                  size="small"
                  title={t(g.title)}
                  extra={
                    <Space size={6}>
                      <Typography.Text type="secondary">{t("enabled")}</Typography.Text>
                      <Form.Item name={g.enabled} valuePropName="checked" noStyle>
                        <Switch size="small" data-testid={`settings-${g.enabled}`} />
                      </Form.Item>
                    </Space>
                  }
                  style={{ height: "100%" }}
                >
                  {g.hint && <Typography.Paragraph type="secondary">{t(g.hint)}</Typography.Paragraph>}
                  <Row gutter={12}>
                    {g.fields.map((f) => (
                      <Col xs={24} sm={12} key={f.name}>
                        <Form.Item
                          name={f.name}
                          label={t(f.label)}
                          rules={[{ required: true, type: "integer", min: f.min, max: f.max, message: `${f.min} – ${f.max.toLocaleString()}` }]}
                        >
                          <InputNumber min={f.min} max={f.max} precision={0} style={{ width: "100%" }} data-testid={`settings-${f.name}`} />
                        </Form.Item>
                      </Col>
                    ))}
                  </Row>
                </Card>
              </Col>
            ))}
          </Row>
        </Form>
      )}
    </>
  );
}
