import { ClockCircleOutlined, PlusOutlined, StopOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tabs, Tag, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { api, type Page } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useRoles } from "../../api/queries";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { useIdempotencyKey } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { DeptSelect } from "../org/DeptSelect";
import { type GrantRow, type GrantState, useGrantableRoles } from "./api";
import { wfText } from "./i18n";
import { GRANT_STATE_COLOR, roleName } from "./parts";

interface RequestValues {
  roleId: number;
  departmentId?: number | null;
  period: [Dayjs, Dayjs];
  reason: string;
}

function RequestModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT(wfText);
  const tc = useT(common);
  const { lang } = useLang();
  const { me } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<RequestValues>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const roles = useGrantableRoles(open);
  const roleId = Form.useWatch("roleId", form);
  const chosen = roles.data?.find((r) => r.roleId === roleId);

  useEffect(() => {
    if (!open) return;
    renewKey();
    form.resetFields();
    form.setFieldsValue({ departmentId: me?.departmentId ?? null, period: [dayjs(), dayjs().add(7, "day")] });
  }, [open, form, renewKey, me]);

  const submit = async (v: RequestValues) => {
    setBusy(true);
    try {
      const created = await api.post<{ approvalNumber: string }>(
        "/api/access/temporary/grants",
        {
          roleId: v.roleId,
          departmentId: v.departmentId ?? null,
          validFrom: v.period[0].toISOString(),
          validUntil: v.period[1].toISOString(),
          reason: v.reason.trim(),
        },
        { idempotencyKey: idemKey() },
      );
      renewKey();
      message.success(t("tempRequested", { number: created.approvalNumber }));
      await qc.invalidateQueries({ queryKey: ["access", "temporary"] });
      await qc.invalidateQueries({ queryKey: ["workflow"] });
      onClose();
    } catch (e) {
      showError(e, { form, fieldMap: { "/validFrom": ["period"], "/validUntil": ["period"] } });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t("tempRequest")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("tempSend")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "temp-submit" }}
      width={620}
      forceRender
    >
      {roles.data && roles.data.length === 0 && <Alert type="warning" showIcon title={t("tempNoGrantable")} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} data-testid="temp-form">
        <Form.Item name="roleId" label={t("tempRole")} rules={[{ required: true, message: tc("required", { field: t("tempRole") }) }]} extra={chosen && t("tempMaxDays", { days: chosen.maxDays })}>
          <Select
            loading={roles.isLoading}
            options={(roles.data ?? []).map((r) => ({ value: r.roleId, label: `${roleName(r.code, r.nameZh, r.nameEn, lang)} (${r.code})` }))}
            data-testid="temp-role"
          />
        </Form.Item>
        {chosen && (
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
            {pickName(lang, chosen.descriptionZh, chosen.descriptionEn)}
          </Typography.Paragraph>
        )}
        <Form.Item name="departmentId" label={t("tempScope")}>
          <DeptSelect placeholder={t("grantScopeAll")} testId="temp-scope" />
        </Form.Item>
        <Form.Item name="period" label={t("tempPeriod")} rules={[{ required: true, message: t("periodRequired") }]}>
          <DatePicker.RangePicker
            showTime={{ format: "HH:mm" }}
            format="YYYY-MM-DD HH:mm"
            style={{ width: "100%" }}
            disabledDate={(d) => d.isBefore(dayjs().startOf("day"))}
            data-testid="temp-period"
          />
        </Form.Item>
        <Form.Item name="reason" label={t("tempReason")} rules={[{ required: true, whitespace: true, message: t("tempReasonRequired") }]}>
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="temp-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function GrantTable({ scope, state, canRevoke }: { scope: "mine" | "all"; state?: string; canRevoke: boolean }) {
  const t = useT(wfText);
  const tc = useT(common);
  const { lang } = useLang();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [q, setQ] = useState("");
  const [filter, setFilter] = useState<string | undefined>(state);
  const [revoking, setRevoking] = useState<GrantRow | null>(null);
  const [reason, setReason] = useState("");
  const params = { scope, state: filter, q: q.trim() || undefined, page, pageSize: 20 };
  const { data, isLoading, isPlaceholderData } = useQuery({
    queryKey: ["access", "temporary", "grants", params],
    queryFn: () => api.get<Page<GrantRow>>("/api/access/temporary/grants", params),
    placeholderData: keepPreviousData,
  });

  const revoke = async () => {
    if (!revoking) return;
    try {
      await api.post(`/api/access/temporary/grants/${revoking.id}/revoke`, { reason: reason.trim() });
      message.success(t("tempRevoked"));
      setRevoking(null);
      await qc.invalidateQueries({ queryKey: ["access", "temporary"] });
    } catch (e) {
      showError(e);
    }
  };

  return (
    <>
      {scope === "all" && state !== "current" && (
        <div className="kw-toolbar">
          <Input.Search allowClear value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 240 }} placeholder={t("tempUser")} />
          <Select
            allowClear
            value={filter}
            onChange={(v) => {
              setFilter(v);
              setPage(1);
            }}
            placeholder={t("allStatuses")}
            style={{ width: 180 }}
            options={(["pending", "upcoming", "active", "expired", "rejected", "withdrawn", "revoked", "ended"] as const).map((s) => ({ value: s, label: t(`tstate_${s}`) }))}
          />
        </div>
      )}
      <Table<GrantRow>
        rowKey="id"
        size="small"
        loading={isLoading || isPlaceholderData}
        dataSource={data?.items ?? []}
        data-testid={`temp-table-${scope}-${state ?? "any"}`}
        scroll={{ x: "max-content" }}
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showTotal: (total) => tc("total", { total }) }}
        columns={[
          ...(scope === "all"
            ? [
                {
                  title: t("tempUser"),
                  key: "user",
                  width: 180,
                  render: (_: unknown, g: GrantRow) => (
                    <Space orientation="vertical" size={0}>
                      <span>{g.userName}</span>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {g.username}
                        {g.userDepartmentNameZh ? ` · ${pickName(lang, g.userDepartmentNameZh, g.userDepartmentNameEn)}` : ""}
                      </Typography.Text>
                    </Space>
                  ),
                },
              ]
            : []),
          {
            title: t("tempRole"),
            key: "role",
            width: 140,
            render: (_, g) => <Tag color="blue">{roleName(g.roleCode, g.roleNameZh, g.roleNameEn, lang)}</Tag>,
          },
          {
            title: t("grantScope"),
            key: "scope",
            width: 120,
            render: (_, g) => (g.departmentId ? pickName(lang, g.scopeNameZh, g.scopeNameEn) : t("grantScopeAll")),
          },
          {
            title: t("tempPeriod"),
            key: "period",
            width: 170,
            render: (_, g) => (
              <span style={{ whiteSpace: "nowrap" }}>
                <ClockCircleOutlined /> {formatDateTime(g.validFrom)}
                <br />
                <span style={{ paddingInlineStart: 18 }}>{formatDateTime(g.validUntil)}</span>
              </span>
            ),
          },
          {
            title: t("tempState"),
            dataIndex: "state",
            width: 150,
            render: (v: GrantState, g) => (
              <Space orientation="vertical" size={0}>
                <Tag color={GRANT_STATE_COLOR[v]} data-testid={`temp-state-${g.id}`} data-state={v}>
                  {t(`tstate_${v}`)}
                </Tag>
                {g.endedAt && g.endReason && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t("tempEnded", { time: formatDateTime(g.endedAt), reason: g.endReason })}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t("number"),
            key: "request",
            width: 120,
            render: (_, g) => (g.requestId ? <Link to={`/workflow/requests/${g.requestId}`}>{g.requestNumber}</Link> : "—"),
          },
          {
            title: t("tempReason"),
            dataIndex: "reason",
            width: 220,
            render: (v: string) => (
              <div style={{ maxWidth: 220, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }} title={v}>
                {v}
              </div>
            ),
          },
          ...(canRevoke
            ? [
                {
                  title: tc("actions"),
                  key: "actions",
                  width: 120,
                  render: (_: unknown, g: GrantRow) =>
                    g.state === "active" || g.state === "upcoming" ? (
                      <Button
                        size="small"
                        danger
                        icon={<StopOutlined />}
                        onClick={() => {
                          setReason("");
                          setRevoking(g);
                        }}
                        data-testid={`temp-revoke-${g.id}`}
                      >
                        {t("tempRevoke")}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={revoking !== null}
        title={revoking ? t("tempRevokeTitle", { user: revoking.userName, role: roleName(revoking.roleCode, revoking.roleNameZh, revoking.roleNameEn, lang) }) : ""}
        onCancel={() => setRevoking(null)}
        onOk={revoke}
        okText={t("tempRevoke")}
        cancelText={tc("cancel")}
        okButtonProps={{ danger: true, disabled: !reason.trim(), "data-testid": "temp-revoke-confirm" }}
        destroyOnHidden
      >
        <Typography.Text strong>{t("tempRevokeReason")}</Typography.Text>
        <Input.TextArea rows={3} maxLength={500} showCount value={reason} onChange={(e) => setReason(e.target.value)} style={{ marginTop: 4 }} data-testid="temp-revoke-reason" />
      </Modal>
    </>
  );
}

function GrantableRoles() {
  const t = useT(wfText);
  const { lang } = useLang();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const roles = useRoles();
  const grantable = useGrantableRoles();
  const [days, setDays] = useState<Record<number, number>>({});
  const save = async (roleId: number, on: boolean, maxDays?: number) => {
    try {
      await api.put("/api/access/temporary/grantable-roles", { roleId, grantable: on, ...(on && maxDays ? { maxDays } : {}) });
      message.success(t("tempGrantableSaved"));
      await qc.invalidateQueries({ queryKey: ["access", "temporary", "grantable"] });
    } catch (e) {
      showError(e);
    }
  };
  const byRole = new Map((grantable.data ?? []).map((g) => [g.roleId, g]));
  return (
    <Table
      rowKey="id"
      size="small"
      loading={roles.isLoading || grantable.isLoading}
      dataSource={roles.data ?? []}
      pagination={false}
      data-testid="temp-grantable-table"
      columns={[
        { title: t("tempRole"), key: "name", render: (_, r) => `${pickName(lang, r.nameZh, r.nameEn)} (${r.code})` },
        {
          title: t("tempIsGrantable"),
          key: "on",
          width: 140,
          render: (_, r) => (
            <Switch
              checked={byRole.has(r.id)}
              disabled={r.permissions.includes("*")}
              onChange={(on) => void save(r.id, on, days[r.id] ?? 30)}
              data-testid={`temp-grantable-${r.code}`}
            />
          ),
        },
        {
          title: t("tempMaxDaysLabel"),
          key: "days",
          width: 180,
          render: (_, r) => (
            <InputNumber
              min={1}
              max={90}
              precision={0}
              value={days[r.id] ?? byRole.get(r.id)?.maxDays ?? 30}
              onChange={(v) => setDays((d) => ({ ...d, [r.id]: Number(v ?? 30) }))}
              onBlur={() => byRole.has(r.id) && days[r.id] && days[r.id] !== byRole.get(r.id)?.maxDays && void save(r.id, true, days[r.id])}
            />
          ),
        },
      ]}
    />
  );
}

export default function TemporaryAccessPage() {
  const t = useT(wfText);
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const [asking, setAsking] = useState(false);
  const canRead = can("access.temporary.read");
  const tab = params.get("tab") ?? "mine";
  const items = [
    { key: "mine", label: <span data-testid="temp-tab-mine">{t("tempMine")}</span>, children: <GrantTable scope="mine" canRevoke={false} /> },
    ...(canRead
      ? [
          {
            key: "current",
            label: <span data-testid="temp-tab-current">{t("tempHolders")}</span>,
            children: <GrantTable scope="all" state="current" canRevoke={can("access.temporary.revoke")} />,
          },
          { key: "all", label: <span data-testid="temp-tab-all">{t("tempAll")}</span>, children: <GrantTable scope="all" canRevoke={false} /> },
        ]
      : []),
    ...(can("access.temporary.configure") && can("access.role.read")
      ? [{ key: "grantable", label: <span data-testid="temp-tab-grantable">{t("tempGrantable")}</span>, children: <GrantableRoles /> }]
      : []),
  ];
  return (
    <>
      <PageHeader
        title={t("tempTitle")}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAsking(true)} data-testid="temp-request">
            {t("tempRequest")}
          </Button>
        }
      />
      <Alert type="info" showIcon title={t("tempIntro")} style={{ marginBottom: 12 }} />
      <Card size="small">
        <Tabs activeKey={tab} onChange={(k) => setParams({ tab: k }, { replace: true })} items={items} destroyOnHidden />
      </Card>
      <RequestModal open={asking} onClose={() => setAsking(false)} />
    </>
  );
}
