import { CopyOutlined, EditOutlined, EyeOutlined, PlusOutlined, ReloadOutlined, SearchOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Empty, Input, Segmented, Space, Switch, Table, Tag, Tooltip, Typography } from "antd";
import { useMemo, useState } from "react";
import { api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { usePermissionCatalog } from "../../api/queries";
import { useAuth } from "../../auth/AuthProvider";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { accessText } from "../access/i18n";
import { PermissionTags } from "../access/PermissionTags";
import { useAccessRoles } from "../access/queries";
import { RoleDrawer, type RoleDrawerState } from "../access/RoleDrawer";
import type { AccessRole } from "../access/types";

type Kind = "all" | "builtin" | "custom";

/** Roles (IAM-4): built-in ones read-only, custom ones created and edited, and which of them department administrators may hand out (IAM-9). */
export default function RolesPage() {
  const t = useT(accessText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const qc = useQueryClient();
  const showError = useApiError();
  const roles = useAccessRoles();
  const perms = usePermissionCatalog();
  const [drawer, setDrawer] = useState<RoleDrawerState>(null);
  const [kind, setKind] = useState<Kind>("all");
  const [q, setQ] = useState("");
  const canEdit = can("access.role.edit");

  const data = useMemo(() => {
    const s = q.trim().toLowerCase();
    return [...(roles.data ?? [])]
      .filter((r) => kind === "all" || (kind === "builtin") === r.builtin)
      .filter((r) => !s || r.code.includes(s) || r.nameZh.toLowerCase().includes(s) || r.nameEn.toLowerCase().includes(s))
      .sort((a, b) => Number(b.builtin) - Number(a.builtin) || a.code.localeCompare(b.code));
  }, [roles.data, kind, q]);

  const setDelegable = (r: AccessRole, delegable: boolean) => {
    const name = pickName(lang, r.nameZh, r.nameEn);
    modal.confirm({
      title: delegable ? t("delegableOnTitle", { name }) : t("delegableOffTitle", { name }),
      content: delegable ? t("delegableOnText") : t("delegableOffText"),
      okText: tc("ok"),
      cancelText: tc("cancel"),
      okButtonProps: { "data-testid": "role-delegable-confirm" },
      onOk: async () => {
        try {
          await api.patch(`/api/access/roles/${r.id}`, { delegable, version: r.version }, { version: r.version });
          message.success(tc("saved"));
        } catch (e) {
          showError(e);
        } finally {
          // Also after a version conflict: show what is stored now.
          await qc.invalidateQueries({ queryKey: ["access", "roles"] });
        }
      },
    });
  };

  return (
    <>
      <PageHeader
        title={t("rolesTitle")}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => roles.refetch()} loading={roles.isFetching && !roles.isLoading}>
              {tc("refresh")}
            </Button>
            {canEdit && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ mode: "create" })} data-testid="role-create">
                {t("roleCreate")}
              </Button>
            )}
          </>
        }
      />
      <Alert type="info" showIcon title={t("rolesIntro")} style={{ marginBottom: 12 }} />
      <Card size="small">
        <div className="kw-toolbar">
          <Input allowClear prefix={<SearchOutlined />} placeholder={t("roleSearch")} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 240 }} data-testid="roles-search" />
          <Segmented<Kind>
            value={kind}
            onChange={setKind}
            options={[
              { value: "all", label: tc("all") },
              { value: "builtin", label: t("builtin") },
              { value: "custom", label: t("custom") },
            ]}
            data-testid="roles-kind"
          />
        </div>
        <Table<AccessRole>
          rowKey="id"
          size="small"
          loading={roles.isLoading || perms.isLoading}
          dataSource={data}
          pagination={false}
          data-testid="roles-table"
          scroll={{ x: 1100 }}
          locale={{ emptyText: <Empty description={q ? t("roleNoMatch") : undefined} /> }}
          expandable={{ expandedRowRender: (r) => <PermissionTags keys={r.permissions} catalog={perms.data ?? []} testIdPrefix={`perm-${r.code}`} /> }}
          columns={[
            {
              title: t("roleName"),
              key: "name",
              width: 230,
              render: (_, r) => (
                <Space size={4} data-testid={`role-row-${r.code}`}>
                  <Typography.Link strong onClick={() => setDrawer({ mode: !r.builtin && canEdit ? "edit" : "view", role: r })}>
                    {pickName(lang, r.nameZh, r.nameEn)}
                  </Typography.Link>
                  {r.builtin ? <Tag>{t("builtin")}</Tag> : <Tag color="geekblue">{t("custom")}</Tag>}
                </Space>
              ),
            },
            { title: t("roleCode"), dataIndex: "code", width: 130, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            { title: t("description"), key: "description", ellipsis: true, render: (_, r) => pickName(lang, r.descriptionZh, r.descriptionEn) || "—" },
            {
              title: t("permissions"),
              key: "permissions",
              width: lang === "zh-CN" ? 100 : 130,
              render: (_, r) =>
                r.permissions.includes("*") ? (
                  <Tag color="red">{t("allPermissions")}</Tag>
                ) : r.permissions.length === 1 ? (
                  t("permissionCountOne")
                ) : (
                  t("permissionCount", { count: r.permissions.length })
                ),
            },
            { title: t("holders"), dataIndex: "holders", width: 70, align: "right", render: (v: number, r) => <span data-testid={`role-holders-${r.code}`}>{v}</span> },
            {
              title: (
                <Tooltip title={t("delegableHint")}>
                  <span>{t("delegable")}</span>
                </Tooltip>
              ),
              key: "delegable",
              width: lang === "zh-CN" ? 140 : 160,
              render: (_, r) => (
                <Switch
                  size="small"
                  checked={r.delegable}
                  disabled={!canEdit}
                  onChange={(v) => setDelegable(r, v)}
                  data-testid={`role-delegable-${r.code}`}
                />
              ),
            },
            {
              title: tc("actions"),
              key: "actions",
              width: lang === "zh-CN" ? 120 : 140,
              fixed: "right",
              render: (_, r) => (
                <Space size={0}>
                  {!r.builtin && canEdit ? (
                    <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setDrawer({ mode: "edit", role: r })} data-testid={`role-edit-${r.code}`}>
                      {tc("edit")}
                    </Button>
                  ) : (
                    <Button type="link" size="small" icon={<EyeOutlined />} onClick={() => setDrawer({ mode: "view", role: r })} data-testid={`role-view-${r.code}`}>
                      {tc("details")}
                    </Button>
                  )}
                  {canEdit && (
                    <Tooltip title={t("roleCopy")}>
                      <Button type="link" size="small" icon={<CopyOutlined />} onClick={() => setDrawer({ mode: "create", from: r })} data-testid={`role-copy-${r.code}`} />
                    </Tooltip>
                  )}
                </Space>
              ),
            },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {tc("total", { total: data.length })}
        </Typography.Paragraph>
      </Card>
      <RoleDrawer state={drawer} onClose={() => setDrawer(null)} onChange={setDrawer} />
    </>
  );
}
