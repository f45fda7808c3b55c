import { CheckOutlined, CopyOutlined, PlusOutlined, ReloadOutlined, StopOutlined, WarningOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Segmented, Space, Table, Tag, Tooltip, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { Link } from "react-router-dom";
import { api, type Page, sortParam } from "../../../api/client";
import { useApiError } from "../../../api/errors";
import { usePermissionCatalog } from "../../../api/queries";
import { useAuth } from "../../../auth/AuthProvider";
import { formatDateTime } from "../../../components/format";
import { copyText, useDebounced } from "../../../components/hooks";
import { PageHeader } from "../../../components/PageHeader";
import { common } from "../../../i18n/common";
import { pickName, useLang, useT } from "../../../i18n/core";
import { DeptSelect } from "../../org/DeptSelect";
import { PermissionPicker } from "../PermissionPicker";
import { PermissionTags } from "../PermissionTags";
import { holds } from "../permissionUtil";
import { WarehouseScopeSelect } from "../WarehouseScopeSelect";
import { tokenText } from "./i18n";

type Status = "active" | "expired" | "revoked";

interface TokenRow {
  id: number;
  name: string;
  description: string | null;
  prefix: string;
  permissions: string[];
  departmentId: number | null;
  departmentNameZh: string | null;
  departmentNameEn: string | null;
  warehouseId: number | null;
  warehouseCode: string | null;
  warehouseNameZh: string | null;
  warehouseNameEn: string | null;
  createdByName: string;
  creatorStatus: "pending" | "active" | "disabled" | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedByName: string | null;
  revokeReason: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  status: Status;
  version: number;
}

interface Created {
  id: number;
  name: string;
  token: string;
}

const STATUS_COLOR: Record<Status, string> = { active: "success", expired: "default", revoked: "error" };

interface FormValues {
  name: string;
  description?: string;
  permissions: string[];
  departmentId?: number | null;
  warehouseId?: number | null;
  expiresAt: Dayjs;
}

function CreateModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (c: Created) => void }) {
  const t = useT(tokenText);
  const tc = useT(common);
  const { me, can } = useAuth();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const catalog = usePermissionCatalog(open && can("access.role.read"));
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ permissions: [], departmentId: null, warehouseId: null, expiresAt: dayjs().add(90, "day").endOf("day") });
  }, [open, form]);
  const held = me?.permissions ?? [];
  // Keys this person holds: the catalog when they may read it, else their own keys.
  const options = catalog.data ?? held.filter((k) => k !== "*").map((key) => ({ key, module: key.split(".")[0], label: { "zh-CN": key, "en-US": key }, sensitive: false }));
  const submit = async (v: FormValues) => {
    setBusy(true);
    try {
      // The answer carries the secret, so the server does not keep it for Idempotency-Key replays.
      const r = await api.post<Created>("/api/access/tokens", {
        name: v.name.trim(),
        description: v.description?.trim() || undefined,
        permissions: v.permissions,
        departmentId: v.departmentId ?? null,
        warehouseId: v.warehouseId ?? null,
        expiresAt: v.expiresAt.toISOString(),
      });
      await qc.invalidateQueries({ queryKey: ["access", "tokens"] });
      onCreated(r);
    } catch (e) {
      showError(e, { form });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t("createTitle")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={tc("create")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "token-submit" }}
      width={760}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid="token-form">
        <Form.Item name="name" label={t("name")} rules={[{ required: true, whitespace: true, message: tc("required", { field: t("name") }) }]}>
          <Input maxLength={100} placeholder="MES 接口" data-testid="token-name" />
        </Form.Item>
        <Form.Item name="description" label={t("description")}>
          <Input maxLength={500} data-testid="token-description" />
        </Form.Item>
        <Form.Item
          name="permissions"
          label={t("permissions")}
          extra={t("permissionsHint")}
          rules={[{ required: true, type: "array", min: 1, message: tc("required", { field: t("permissions") }) }]}
        >
          <PermissionPicker catalog={options} mode="role" grantable={(k) => holds(held, k)} testId="token-permissions" />
        </Form.Item>
        <Space size={12} style={{ width: "100%" }} align="start" wrap>
          <Form.Item name="departmentId" label={t("scope")} extra={t("scopeHint")} style={{ minWidth: 320 }}>
            <DeptSelect placeholder={t("scopeAll")} testId="token-scope" />
          </Form.Item>
          <Form.Item name="warehouseId" label={t("warehouse")} extra={t("warehouseHint")} style={{ minWidth: 240 }}>
            <WarehouseScopeSelect placeholder={t("warehouseAll")} source="/api/access/token-warehouses" enabled={open} testId="token-warehouse" />
          </Form.Item>
          <Form.Item name="expiresAt" label={t("expiresAt")} extra={t("expiryHint")} rules={[{ required: true, message: tc("required", { field: t("expiresAt") }) }]}>
            <DatePicker
              showTime={{ format: "HH:mm" }}
              format="YYYY-MM-DD HH:mm"
              disabledDate={(d) => d.isBefore(dayjs(), "day") || d.isAfter(dayjs().add(365, "day"), "day")}
              data-testid="token-expiry"
            />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

function ShowOnce({ created, onClose }: { created: Created | null; onClose: () => void }) {
  const t = useT(tokenText);
  const tc = useT(common);
  const { message } = App.useApp();
  const [copied, setCopied] = useState(false);
  // A new token starts uncopied.
  const [shown, setShown] = useState<Created | null>(null);
  if (shown !== created) {
    setShown(created);
    setCopied(false);
  }
  const example = created ? `curl -H "Authorization: Bearer ${created.token}" ${window.location.origin}/api/org/departments` : "";
  return (
    <Modal
      open={created !== null}
      title={t("onceTitle")}
      onCancel={onClose}
      mask={{ closable: false }}
      width={720}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="token-once-close">
          {t("done")}
        </Button>
      }
    >
      <div data-testid="token-once">
        <Typography.Paragraph strong>{created?.name}</Typography.Paragraph>
        <Space.Compact style={{ width: "100%", marginBottom: 12 }}>
          <Typography.Text code data-testid="token-value" style={{ flex: 1, fontSize: 14, padding: "6px 10px", wordBreak: "break-all", userSelect: "all" }}>
            {created?.token}
          </Typography.Text>
          <Button
            icon={copied ? <CheckOutlined /> : <CopyOutlined />}
            data-testid="token-copy"
            onClick={async () => {
              if (created && (await copyText(created.token))) {
                setCopied(true);
                message.success(tc("copied"));
              } else message.warning(tc("copyFailed"));
            }}
          >
            {copied ? tc("copied") : tc("copy")}
          </Button>
        </Space.Compact>
        <Alert type="warning" showIcon title={t("onceText")} style={{ marginBottom: 12 }} />
        <Typography.Text type="secondary">{t("usage")}</Typography.Text>
        <pre style={{ background: "#fafafa", border: "1px solid #f0f0f0", borderRadius: 6, padding: 10, fontSize: 12, whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
          {example}
        </pre>
      </div>
    </Modal>
  );
}

export default function ApiTokensPage() {
  const t = useT(tokenText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const manage = can("access.token.manage");
  const [status, setStatus] = useState<Status | "all">("active");
  const [q, setQ] = useState("");
  const dq = useDebounced(q.trim());
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState<string | undefined>(undefined);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const catalog = usePermissionCatalog(can("access.role.read"));
  const { data, isLoading, isFetching, refetch } = useQuery({
    queryKey: ["access", "tokens", status, dq, page, pageSize, sort],
    queryFn: () => api.get<Page<TokenRow>>("/api/access/tokens", { status: status === "all" ? undefined : status, q: dq, page, pageSize, sort }),
    placeholderData: keepPreviousData,
  });

  const revoke = (r: TokenRow) => {
    let reason = "";
    modal.confirm({
      title: t("revokeTitle", { name: r.name }),
      content: (
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Typography.Text>{t("revokeText")}</Typography.Text>
          <Input.TextArea rows={3} maxLength={500} placeholder={t("revokeReason")} onChange={(e) => (reason = e.target.value)} data-testid="token-revoke-reason" />
        </Space>
      ),
      okText: t("revoke"),
      okButtonProps: { danger: true, "data-testid": "token-revoke-confirm" },
      cancelText: tc("cancel"),
      onOk: async () => {
        try {
          await api.post(`/api/access/tokens/${r.id}/revoke`, { reason: reason.trim() || undefined }, { version: r.version });
          message.success(t("revoked"));
          await qc.invalidateQueries({ queryKey: ["access", "tokens"] });
        } catch (e) {
          showError(e);
          throw e;
        }
      },
    });
  };

  return (
    <>
      <PageHeader
        title={t("title")}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => refetch()} loading={isFetching && !isLoading}>
              {tc("refresh")}
            </Button>
            {manage && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="token-create">
                {t("create")}
              </Button>
            )}
          </>
        }
      />
      <Typography.Paragraph type="secondary">{t("intro")}</Typography.Paragraph>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Segmented<Status | "all">
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            options={(["active", "expired", "revoked", "all"] as const).map((s) => ({ value: s, label: s === "all" ? tc("all") : t(`status_${s}`) }))}
            data-testid="token-status-filter"
          />
          <Input.Search allowClear placeholder={t("search")} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 240 }} />
        </Space>
        <Table<TokenRow>
          rowKey="id"
          size="small"
          loading={isLoading || isFetching}
          dataSource={data?.items ?? []}
          data-testid="tokens-table"
          scroll={{ x: 1320 }}
          locale={{ emptyText: t("empty") }}
          pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => tc("total", { total }) }}
          onChange={(p, _f, s) => {
            const sorter = Array.isArray(s) ? s[0] : s;
            setPage(p.current ?? 1);
            setPageSize(p.pageSize ?? 20);
            setSort(sortParam(sorter?.field as string | undefined, sorter?.order));
          }}
          expandable={{
            expandedRowRender: (r) => (
              <Space orientation="vertical" style={{ width: "100%" }}>
                {r.description && <Typography.Text>{r.description}</Typography.Text>}
                <PermissionTags keys={r.permissions} catalog={catalog.data ?? []} testIdPrefix={`token-perm-${r.id}`} />
                {r.revokedAt && (
                  <Typography.Text type="danger">{t("revokedBy", { name: r.revokedByName ?? "—", time: formatDateTime(r.revokedAt), reason: r.revokeReason ?? "" })}</Typography.Text>
                )}
                {can("audit.log.read") && <Link to={`/audit/log?tokenId=${r.id}`}>{t("auditLink")}</Link>}
              </Space>
            ),
          }}
          columns={[
            {
              title: t("name"),
              dataIndex: "name",
              sorter: true,
              render: (v: string, r) => (
                <Space orientation="vertical" size={0} data-testid={`token-row-${r.id}`}>
                  <Typography.Text strong>{v}</Typography.Text>
                  <Typography.Text code style={{ fontSize: 12 }}>
                    {r.prefix}…
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t("status"),
              dataIndex: "status",
              width: 100,
              render: (v: Status, r) => (
                <Tag color={STATUS_COLOR[v]} data-testid={`token-status-${r.id}`} data-status={v}>
                  {t(`status_${v}`)}
                </Tag>
              ),
            },
            { title: t("permissions"), key: "perms", width: 90, align: "right", render: (_, r) => r.permissions.length },
            {
              title: t("scope"),
              key: "scope",
              width: 160,
              render: (_, r) => (r.departmentId ? pickName(lang, r.departmentNameZh, r.departmentNameEn) : <Typography.Text type="secondary">{t("scopeAll")}</Typography.Text>),
            },
            {
              title: t("warehouse"),
              key: "warehouse",
              width: 120,
              render: (_, r) =>
                r.warehouseId ? (
                  <Tooltip title={pickName(lang, r.warehouseNameZh ?? "", r.warehouseNameEn ?? "")}>
                    <Tag color="cyan" data-testid={`token-warehouse-${r.id}`}>
                      {r.warehouseCode}
                    </Tag>
                  </Tooltip>
                ) : (
                  <Typography.Text type="secondary">{t("warehouseAll")}</Typography.Text>
                ),
            },
            { title: t("expiresAt"), dataIndex: "expiresAt", width: 150, sorter: true, render: (v: string) => formatDateTime(v) },
            {
              title: t("createdBy"),
              key: "creator",
              width: 200,
              render: (_, r) => (
                <Space size={4} wrap>
                  <span>{r.createdByName}</span>
                  {r.creatorStatus === "disabled" && (
                    <Tooltip title={t("creatorDisabledHint")}>
                      <Tag color="warning" icon={<WarningOutlined />} data-testid={`token-creator-disabled-${r.id}`}>
                        {t("creatorDisabled")}
                      </Tag>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            {
              title: t("lastUsed"),
              dataIndex: "lastUsedAt",
              width: 190,
              sorter: true,
              render: (v: string | null, r) =>
                v ? (
                  <Space orientation="vertical" size={0}>
                    <span>{formatDateTime(v)}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.lastUsedIp}
                    </Typography.Text>
                  </Space>
                ) : (
                  <Typography.Text type="secondary">{t("neverUsed")}</Typography.Text>
                ),
            },
            ...(manage
              ? [
                  {
                    title: tc("actions"),
                    key: "actions",
                    width: 90,
                    fixed: "right" as const,
                    render: (_: unknown, r: TokenRow) =>
                      r.status !== "revoked" ? (
                        <Button size="small" type="link" danger icon={<StopOutlined />} onClick={() => revoke(r)} data-testid={`token-revoke-${r.id}`}>
                          {t("revoke")}
                        </Button>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <CreateModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(c) => {
          setCreating(false);
          setCreated(c);
        }}
      />
      <ShowOnce created={created} onClose={() => setCreated(null)} />
    </>
  );
}
