import { StopOutlined, SwapOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, DatePicker, Form, Input, Radio, Select, Table, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { api, type Page } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { useIdempotencyKey } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/core";
import { type Delegation, useDocTypes } from "./api";
import { wfText } from "./i18n";
import { PersonSelect, useDocTypeName } from "./parts";

const STATE_COLOR: Record<Delegation["state"], string> = { active: "green", upcoming: "blue", past: "default", cancelled: "default" };

interface Values {
  fromUserId?: number | null;
  period: [Dayjs, Dayjs];
  toUserId: number;
  docType?: string | null;
  reason?: string;
}

export default function DelegationsPage() {
  const t = useT(wfText);
  const tc = useT(common);
  const { me, can } = useAuth();
  const { message, modal } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const docTypeName = useDocTypeName();
  const docTypes = useDocTypes();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const isAdmin = can("workflow.delegation.admin");
  const [scope, setScope] = useState<"mine" | "all">("mine");
  const [page, setPage] = useState(1);
  const { data, isLoading } = useQuery({
    queryKey: ["workflow", "delegations", scope, page],
    queryFn: () => api.get<Page<Delegation>>("/api/workflow/delegations", { scope, page, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      await api.post(
        "/api/workflow/delegations",
        {
          ...(v.fromUserId && v.fromUserId !== me?.id ? { fromUserId: v.fromUserId } : {}),
          toUserId: v.toUserId,
          startsOn: v.period[0].format("YYYY-MM-DD"),
          endsOn: v.period[1].format("YYYY-MM-DD"),
          docType: v.docType ?? null,
          ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
        },
        { idempotencyKey: idemKey() },
      );
      renewKey();
      message.success(t("delegationCreated"));
      form.resetFields();
      await qc.invalidateQueries({ queryKey: ["workflow", "delegations"] });
    } catch (e) {
      showError(e, { form, fieldMap: { "/startsOn": ["period"], "/endsOn": ["period"] } });
    } finally {
      setBusy(false);
    }
  };

  const cancel = (d: Delegation) =>
    modal.confirm({
      title: t("delegationCancelTitle"),
      content: t("delegationSentence", { from: d.fromName, start: d.startsOn, end: d.endsOn, to: d.toName }),
      okText: t("delegationCancel"),
      okButtonProps: { danger: true, "data-testid": "delegation-cancel-confirm" },
      cancelText: tc("cancel"),
      onOk: async () => {
        try {
          await api.post(`/api/workflow/delegations/${d.id}/cancel`, {});
          message.success(t("delegationCancelled"));
          await qc.invalidateQueries({ queryKey: ["workflow", "delegations"] });
        } catch (e) {
          showError(e);
        }
      },
    });

  return (
    <>
      <PageHeader title={t("delegationsTitle")} />
      <Alert type="info" showIcon title={t("delegationsIntro")} style={{ marginBottom: 12 }} />
      <Card size="small" title={t("delegationCreate")} style={{ marginBottom: 12 }}>
        <Form form={form} layout="vertical" onFinish={submit} data-testid="delegation-form">
          <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(240px, 1fr))", gap: "0 12px" }}>
            {isAdmin && (
              <Form.Item name="fromUserId" label={t("delegationFor")}>
                <PersonSelect placeholder={t("delegationMe")} testId="delegation-from" />
              </Form.Item>
            )}
            <Form.Item name="period" label={t("delegationFrom")} rules={[{ required: true, message: t("dateRequired") }]}>
              <DatePicker.RangePicker style={{ width: "100%" }} data-testid="delegation-period" />
            </Form.Item>
            <Form.Item name="toUserId" label={t("delegationTo")} rules={[{ required: true, message: t("personRequired") }]}>
              <PersonSelect placeholder={t("personSearch")} excludeIds={me ? [me.id] : []} testId="delegation-to" />
            </Form.Item>
            <Form.Item name="docType" label={t("delegationDocType")}>
              <Select
                allowClear
                placeholder={t("delegationAllTypes")}
                options={(docTypes.data ?? []).map((d) => ({ value: d.docType, label: docTypeName(d.docType, d.label) }))}
              />
            </Form.Item>
            <Form.Item name="reason" label={t("delegationReason")}>
              <Input maxLength={500} data-testid="delegation-reason" />
            </Form.Item>
          </div>
          <Button type="primary" htmlType="submit" icon={<SwapOutlined />} loading={busy} data-testid="delegation-submit">
            {t("delegationCreate")}
          </Button>
        </Form>
      </Card>
      <Card
        size="small"
        extra={
          isAdmin && (
            <Radio.Group
              size="small"
              value={scope}
              onChange={(e) => {
                setScope(e.target.value);
                setPage(1);
              }}
              optionType="button"
              options={[
                { value: "mine", label: t("scopeMine") },
                { value: "all", label: t("scopeAll") },
              ]}
            />
          )
        }
      >
        <Table<Delegation>
          rowKey="id"
          size="small"
          loading={isLoading}
          dataSource={data?.items ?? []}
          data-testid="delegations-table"
          locale={{ emptyText: t("delegationsEmpty") }}
          pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showTotal: (total) => tc("total", { total }) }}
          columns={[
            {
              title: t("delegationPeriod"),
              key: "sentence",
              render: (_, d) => (
                <div>
                  <div>{t("delegationSentence", { from: d.fromName, start: d.startsOn, end: d.endsOn, to: d.toName })}</div>
                  {d.reason && <Typography.Text type="secondary">{d.reason}</Typography.Text>}
                </div>
              ),
            },
            { title: t("delegationDocType"), dataIndex: "docType", width: 160, render: (v: string | null) => (v ? docTypeName(v) : t("delegationAllTypes")) },
            {
              title: t("status"),
              dataIndex: "state",
              width: 100,
              render: (v: Delegation["state"], d) => (
                <Tag color={STATE_COLOR[v]} data-testid={`delegation-state-${d.id}`}>
                  {t(`state_${v}`)}
                </Tag>
              ),
            },
            { title: t("submittedAt"), dataIndex: "createdAt", width: 160, render: (v: string) => formatDateTime(v) },
            {
              title: tc("actions"),
              key: "actions",
              width: 120,
              render: (_, d) =>
                (d.state === "active" || d.state === "upcoming") && (d.fromUserId === me?.id || isAdmin) ? (
                  <Button size="small" danger icon={<StopOutlined />} onClick={() => cancel(d)} data-testid={`delegation-cancel-${d.id}`}>
                    {t("delegationCancel")}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
    </>
  );
}
