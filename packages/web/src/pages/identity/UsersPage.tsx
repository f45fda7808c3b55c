import { KeyOutlined, MinusCircleOutlined, PlusOutlined, SafetyCertificateOutlined, StopOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, AutoComplete, Button, Card, Checkbox, Form, Input, Modal, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import type { SorterResult } from "antd/es/table/interface";
import { useEffect, useMemo, useState } from "react";
import { api, type Page, sortParam } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useRoles } from "../../api/queries";
import type { Role, UserRow, UserStatus } from "../../api/types";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { useDebounced, useIdempotencyKey } from "../../components/hooks";
import { OneTimePasswordModal } from "../../components/OneTimePasswordModal";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { type Lang, pickName, useLang, useT } from "../../i18n/core";
import { DeptSelect } from "../org/DeptSelect";
import { BUILTIN_ROLE_NAMES, identityText } from "./i18n";
import { UserDrawer, type UserDrawerTab } from "./UserDrawer";
import { SafetyOutlined } from "@ant-design/icons";
import { resetTotpText } from "../security-policy/i18n";
import { ResetTotpModal, type ResetTotpTarget } from "../security-policy/ResetTotpModal";

const STATUS_COLOR: Record<UserStatus, string> = { pending: "gold", active: "green", disabled: "default" };
const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,63}$/;

interface CreateValues {
  username: string;
  displayName: string;
  email?: string;
  jobTitle?: string;
  departmentId?: number | null;
  locale: Lang;
  roles: { role?: string; departmentId?: number | null }[];
}

function roleLabel(roles: Role[] | undefined, code: string, lang: Lang) {
  const r = roles?.find((x) => x.code === code);
  return r ? pickName(lang, r.nameZh, r.nameEn) : (BUILTIN_ROLE_NAMES[code]?.[lang] ?? code);
}

function CreateUserModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (user: string, otp: string) => void }) {
  const t = useT(identityText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const qc = useQueryClient();
  const showError = useApiError();
  const [form] = Form.useForm<CreateValues>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const roles = useRoles(open && can("access.role.read"));
  const roleOptions = (roles.data ?? []).map((r) => ({ value: r.code, label: `${pickName(lang, r.nameZh, r.nameEn)} (${r.code})` }));

  useEffect(() => {
    if (!open) return;
    renewKey();
    form.resetFields();
    form.setFieldsValue({ locale: lang, roles: [{ role: undefined, departmentId: null }] });
  }, [open, form, renewKey, lang]);

  const submit = async (v: CreateValues) => {
    setBusy(true);
    try {
      const body = {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        ...(v.email?.trim() ? { email: v.email.trim() } : {}),
        ...(v.jobTitle?.trim() ? { jobTitle: v.jobTitle.trim() } : {}),
        ...(v.departmentId ? { departmentId: v.departmentId } : {}),
        locale: v.locale,
        roles: (v.roles ?? []).map((r) => ({ role: r.role ?? "", ...(r.departmentId ? { departmentId: r.departmentId } : {}) })),
      };
      const created = await api.post<{ oneTimePassword: string; username?: string }>("/api/identity/users", body, { idempotencyKey: idemKey() });
      renewKey();
      await qc.invalidateQueries({ queryKey: ["identity", "users"] });
      onCreated(body.username, created.oneTimePassword);
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
      width={680}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={tc("save")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "user-form-submit" }}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid="user-form" autoComplete="off">
        <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: "0 12px" }}>
          <Form.Item
            name="username"
            label={t("username")}
            normalize={(v: string) => v?.toLowerCase()}
            rules={[
              { required: true, message: tc("required", { field: t("username") }) },
              { pattern: USERNAME_RE, message: t("usernameRule") },
            ]}
          >
            <Input maxLength={64} data-testid="user-username" placeholder="zhang.san" />
          </Form.Item>
          <Form.Item name="displayName" label={t("displayName")} rules={[{ required: true, whitespace: true, message: tc("required", { field: t("displayName") }) }]}>
            <Input maxLength={100} data-testid="user-displayName" />
          </Form.Item>
          <Form.Item name="email" label={t("email")} rules={[{ type: "email", message: t("emailRule") }]}>
            <Input maxLength={200} data-testid="user-email" />
          </Form.Item>
          <Form.Item name="jobTitle" label={t("jobTitle")}>
            <Input maxLength={100} data-testid="user-jobTitle" />
          </Form.Item>
          <Form.Item name="departmentId" label={t("department")}>
            <DeptSelect testId="user-department" />
          </Form.Item>
          <Form.Item name="locale" label={t("locale")}>
            <Select
              options={[
                { value: "zh-CN", label: "简体中文" },
                { value: "en-US", label: "English" },
              ]}
              data-testid="user-locale"
            />
          </Form.Item>
        </div>
        <Typography.Text strong>{t("roles")}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t("roleScopeHint")}
          {!can("access.role.read") && ` ${t("rolesUnavailable")}`}
        </Typography.Paragraph>
        <Form.List
          name="roles"
          rules={[
            {
              validator: async (_, value: unknown[]) => {
                if (!value || value.length === 0) throw new Error(t("rolesRequired"));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((f) => (
                <div key={f.key} style={{ display: "grid", gridTemplateColumns: "1fr 1fr 32px", gap: 8, alignItems: "start" }}>
                  <Form.Item name={[f.name, "role"]} rules={[{ required: true, message: tc("required", { field: t("role") }) }]} style={{ marginBottom: 8 }}>
                    {can("access.role.read") ? (
                      <Select
                        placeholder={t("role")}
                        options={roleOptions}
                        loading={roles.isLoading}
                        showSearch={{ optionFilterProp: "label" }}
                        data-testid={`user-role-${f.name}`}
                      />
                    ) : (
                      <AutoComplete
                        placeholder={t("role")}
                        data-testid={`user-role-${f.name}`}
                        options={Object.entries(BUILTIN_ROLE_NAMES)
                          .filter(([code]) => code !== "super_admin")
                          .map(([code, name]) => ({ value: code, label: `${name[lang]} (${code})` }))}
                        showSearch={{ filterOption: (input, option) => String(option?.label ?? "").toLowerCase().includes(input.toLowerCase()) }}
                      />
                    )}
                  </Form.Item>
                  <Form.Item name={[f.name, "departmentId"]} style={{ marginBottom: 8 }}>
                    <DeptSelect placeholder={t("roleScopeAll")} testId={`user-role-${f.name}-department`} />
                  </Form.Item>
                  <Tooltip title={t("removeRole")}>
                    <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} disabled={fields.length <= 1} />
                  </Tooltip>
                </div>
              ))}
              <Form.ErrorList errors={errors} />
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ departmentId: null })} block data-testid="user-add-role">
                {t("addRole")}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function DisableModal({ user, onClose }: { user: UserRow | null; onClose: () => void }) {
  const t = useT(identityText);
  const tc = useT(common);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const [reason, setReason] = useState("");
  const [keepTokens, setKeepTokens] = useState(false);
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  useEffect(() => {
    if (user) {
      setReason("");
      setKeepTokens(false);
      renewKey();
    }
  }, [user, renewKey]);
  const submit = async () => {
    if (!user) return;
    setBusy(true);
    try {
      await api.post(
        `/api/identity/users/${user.id}/disable`,
        { version: user.version, ...(reason.trim() ? { reason: reason.trim() } : {}), ...(keepTokens ? { keepTokens: true } : {}) },
        { idempotencyKey: idemKey() },
      );
      message.success(t("disabled"));
      await qc.invalidateQueries({ queryKey: ["identity", "users"] });
      onClose();
    } catch (e) {
      showError(e, { onConflict: () => void qc.invalidateQueries({ queryKey: ["identity", "users"] }).then(onClose) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={user !== null}
      title={user ? t("disableTitle", { name: user.displayName }) : ""}
      onCancel={onClose}
      onOk={submit}
      okText={t("disableConfirm")}
      cancelText={tc("cancel")}
      okButtonProps={{ danger: true, "data-testid": "user-disable-confirm" }}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph>{t("disableText")}</Typography.Paragraph>
      <Typography.Text strong>{t("disableReason")}</Typography.Text>
      <Input.TextArea
        rows={3}
        maxLength={500}
        showCount
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder={t("disableReasonPlaceholder")}
        style={{ marginTop: 4 }}
        data-testid="user-disable-reason"
      />
      <Checkbox checked={keepTokens} onChange={(e) => setKeepTokens(e.target.checked)} style={{ marginTop: 12 }} data-testid="user-disable-keep-tokens">
        {t("disableKeepTokens")}
      </Checkbox>
    </Modal>
  );
}

export default function UsersPage() {
  const t = useT(identityText);
  const tc = useT(common);
  const { lang } = useLang();
  const { me, can } = useAuth();
  const { modal } = App.useApp();
  const qc = useQueryClient();
  const showError = useApiError();
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<UserStatus | undefined>();
  const [departmentId, setDepartmentId] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState<string | undefined>("username");
  const [creating, setCreating] = useState(false);
  const [disabling, setDisabling] = useState<UserRow | null>(null);
  const [totpResetting, setTotpResetting] = useState<ResetTotpTarget | null>(null);
  const tt = useT(resetTotpText);
  const [otp, setOtp] = useState<{ user: string; password: string } | null>(null);
  const [opened, setOpened] = useState<{ row: UserRow; tab: UserDrawerTab } | null>(null);
  const query = useDebounced(q.trim());
  const roles = useRoles(can("access.role.read"));

  const params = { page, pageSize, sort, q: query, status, departmentId };
  const { data, isLoading, isPlaceholderData } = useQuery({
    queryKey: ["identity", "users", "list", params],
    queryFn: () => api.get<Page<UserRow>>("/api/identity/users", params),
    placeholderData: keepPreviousData,
  });
  const sortOrder = (field: string) => (sort === field ? "ascend" : sort === `-${field}` ? "descend" : null);

  const resetPassword = (u: UserRow) => {
    modal.confirm({
      title: t("resetTitle", { name: u.displayName }),
      content: t("resetText"),
      okText: t("resetConfirm"),
      cancelText: tc("cancel"),
      okButtonProps: { danger: true, "data-testid": "user-reset-confirm" },
      onOk: async () => {
        try {
          const res = await api.post<{ oneTimePassword: string }>(`/api/identity/users/${u.id}/reset-password`);
          setOtp({ user: u.username, password: res.oneTimePassword });
          void qc.invalidateQueries({ queryKey: ["identity", "users"] }); // the record's version moved on
        } catch (e) {
          showError(e);
        }
      },
    });
  };

  const statusOptions = useMemo(
    () => (["pending", "active", "disabled"] as const).map((s) => ({ value: s, label: t(`status_${s}`) })),
    [t],
  );

  return (
    <>
      <PageHeader
        title={t("usersTitle")}
        extra={
          can("identity.user.create") && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
              {t("createUser")}
            </Button>
          )
        }
      />
      <Card size="small">
        <div className="kw-toolbar">
          <Input.Search allowClear placeholder={t("userSearch")} value={q} onChange={(e) => {
              setQ(e.target.value);
              setPage(1);
            }}
            style={{ width: 260 }}
            data-testid="users-search" />
          <Select
            allowClear
            placeholder={t("allStatuses")}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            options={statusOptions}
            style={{ width: 180 }}
            data-testid="users-status-filter"
          />
          <DeptSelect
            value={departmentId}
            onChange={(v) => {
              setDepartmentId(v);
              setPage(1);
            }}
            placeholder={t("allDepartments")} style={{ width: 240 }} testId="users-dept-filter" />
        </div>
        <Table<UserRow>
          rowKey="id"
          size="small"
          loading={isLoading || isPlaceholderData}
          dataSource={data?.items ?? []}
          data-testid="users-table"
          scroll={{ x: "max-content" }}
          pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => tc("total", { total }) }}
          onChange={(p, _f, s) => {
            const sorter = s as SorterResult<UserRow>;
            setSort(sortParam(sorter.field as string | undefined, sorter.order) ?? "username");
            setPage(p.current ?? 1);
            setPageSize(p.pageSize ?? 20);
          }}
          columns={[
            {
              title: t("username"),
              dataIndex: "username",
              key: "username",
              width: 130,
              sorter: true,
              sortOrder: sortOrder("username"),
              render: (v: string, r) => (
                <Typography.Link onClick={() => setOpened({ row: r, tab: "profile" })} data-testid={`user-row-${v}`}>
                  {v}
                </Typography.Link>
              ),
            },
            { title: t("displayName"), dataIndex: "displayName", key: "displayName", sorter: true, sortOrder: sortOrder("displayName"), width: 160, ellipsis: true },
            {
              title: t("department"),
              dataIndex: "departmentId",
              width: 140,
              ellipsis: true,
              render: (_, r) => pickName(lang, r.departmentNameZh, r.departmentNameEn) || "—",
            },
            { title: t("jobTitle"), dataIndex: "jobTitle", width: 160, ellipsis: true, responsive: ["xxl"], render: (v: string | null) => v || "—" },
            {
              title: t("roles"),
              dataIndex: "roles",
              width: 200,
              render: (v: string[]) => (
                <Space size={[2, 2]} wrap>
                  {v.map((code) => (
                    <Tag key={code} color="blue">
                      {roleLabel(roles.data, code, lang)}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            {
              title: t("status"),
              dataIndex: "status",
              key: "status",
              width: 120,
              sorter: true,
              sortOrder: sortOrder("status"),
              render: (v: UserStatus, r) => (
                <Space size={4}>
                  <Tag color={STATUS_COLOR[v]} data-testid={`user-status-${r.username}`} data-status={v}>
                    {t(`status_${v}`)}
                  </Tag>
                  {r.mustChangePassword && v !== "disabled" && (
                    <Tooltip title={t("mustChange")}>
                      <KeyOutlined style={{ color: "#d48806" }} aria-label={t("mustChange")} />
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            {
              title: t("lastLogin"),
              dataIndex: "lastLoginAt",
              key: "lastLoginAt",
              width: 160,
              sorter: true,
              sortOrder: sortOrder("lastLoginAt"),
              render: (v: string | null) => (v ? formatDateTime(v) : <Typography.Text type="secondary">{t("neverLoggedIn")}</Typography.Text>),
            },
            {
              title: tc("actions"),
              key: "actions",
              width: lang === "zh-CN" ? 360 : 450,
              fixed: "right",
              render: (_, r) => (
                <Space size={0}>
                  {can("access.role.read") && (
                    <Button type="link" size="small" icon={<SafetyCertificateOutlined />} onClick={() => setOpened({ row: r, tab: "roles" })} data-testid={`user-roles-${r.username}`}>
                      {t("roles")}
                    </Button>
                  )}
                  {r.status !== "disabled" && (
                    <>
                    {can("identity.user.reset_password") && (
                      <Button type="link" size="small" icon={<KeyOutlined />} onClick={() => resetPassword(r)} data-testid={`user-reset-${r.username}`}>
                        {t("resetPassword")}
                      </Button>
                    )}
                    {can("identity.user.reset_password") && (
                      <Button type="link" size="small" icon={<SafetyOutlined />} onClick={() => setTotpResetting(r)} data-testid={`user-totp-reset-${r.username}`}>
                        {tt("action")}
                      </Button>
                    )}
                    {can("identity.user.disable") && r.id !== me?.id && (
                      <Button type="link" size="small" danger icon={<StopOutlined />} onClick={() => setDisabling(r)} data-testid={`user-disable-${r.username}`}>
                        {t("disable")}
                      </Button>
                    )}
                    </>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <CreateUserModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(user, password) => {
          setCreating(false);
          setOtp({ user, password });
        }}
      />
      <DisableModal user={disabling} onClose={() => setDisabling(null)} />
      <ResetTotpModal user={totpResetting} onClose={() => setTotpResetting(null)} />
      <UserDrawer
        person={opened?.row ?? null}
        row={opened ? (data?.items.find((u) => u.id === opened.row.id) ?? opened.row) : null}
        tab={opened?.tab ?? "profile"}
        onTab={(tab) => setOpened((o) => (o ? { ...o, tab } : o))}
        onClose={() => setOpened(null)}
      />
      <OneTimePasswordModal user={otp?.user ?? ""} password={otp?.password ?? null} onClose={() => setOtp(null)} />
    </>
  );
}
