import { Alert, Card, Descriptions, Empty, Space, Table, Tag, Typography } from "antd";
import { useMemo } from "react";
import { usePermissionCatalog, useRoles } from "../../api/queries";
import type { PermissionInfo, Role } from "../../api/types";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { type Lang, pickName, useLang, useT } from "../../i18n/core";
import { identityText } from "./i18n";

const MODULE_NAMES: Record<string, { "zh-CN": string; "en-US": string }> = {
  system: { "zh-CN": "系统", "en-US": "System" },
  org: { "zh-CN": "组织架构", "en-US": "Organisation" },
  identity: { "zh-CN": "账户与登录", "en-US": "Accounts" },
  access: { "zh-CN": "角色与权限", "en-US": "Access" },
  ops: { "zh-CN": "运维", "en-US": "Operations" },
  audit: { "zh-CN": "审计", "en-US": "Audit" },
  masterdata: { "zh-CN": "主数据", "en-US": "Master data" },
  inventory: { "zh-CN": "库存", "en-US": "Inventory" },
};

const moduleName = (m: string, lang: Lang) => MODULE_NAMES[m]?.[lang] ?? m;

function Permissions({ role, catalog }: { role: Role; catalog: Map<string, PermissionInfo> }) {
  const t = useT(identityText);
  const { lang } = useLang();
  if (role.permissions.includes("*")) return <Tag color="red">{t("allPermissions")}</Tag>;
  if (role.permissions.length === 0) return <Typography.Text type="secondary">{t("noPermissions")}</Typography.Text>;
  // Grouped by module; "x.*" patterns as "every permission of x".
  const groups = new Map<string, { key: string; label: string; sensitive: boolean }[]>();
  for (const key of role.permissions) {
    const info = catalog.get(key);
    const module = info?.module ?? key.split(".")[0];
    const label = info ? info.label[lang] : key.endsWith(".*") ? t("wildcard", { module: moduleName(module, lang) }) : key;
    groups.set(module, [...(groups.get(module) ?? []), { key, label, sensitive: info?.sensitive ?? false }]);
  }
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      styles={{ label: { width: 160 } }}
      items={[...groups.entries()].map(([module, perms]) => ({
        key: module,
        label: moduleName(module, lang),
        children: (
          <Space size={[4, 4]} wrap>
            {perms.map((p) => (
              <Tag key={p.key} color={p.sensitive ? "orange" : undefined} title={p.key} data-testid={`perm-${role.code}-${p.key}`}>
                {p.label}
                {p.label !== p.key && (
                  <Typography.Text type="secondary" style={{ fontSize: 11, marginInlineStart: 4 }}>
                    {p.key}
                  </Typography.Text>
                )}
              </Tag>
            ))}
          </Space>
        ),
      }))}
    />
  );
}

export default function RolesPage() {
  const t = useT(identityText);
  const tc = useT(common);
  const { lang } = useLang();
  const roles = useRoles();
  const perms = usePermissionCatalog();
  const catalog = useMemo(() => new Map((perms.data ?? []).map((p) => [p.key, p])), [perms.data]);
  const data = useMemo(() => [...(roles.data ?? [])].sort((a, b) => Number(b.builtin) - Number(a.builtin) || a.code.localeCompare(b.code)), [roles.data]);

  return (
    <>
      <PageHeader title={t("rolesTitle")} />
      <Alert type="info" showIcon title={t("rolesIntro")} style={{ marginBottom: 12 }} />
      <Card size="small">
        <Table<Role>
          rowKey="code"
          size="small"
          loading={roles.isLoading || perms.isLoading}
          dataSource={data}
          pagination={false}
          data-testid="roles-table"
          locale={{ emptyText: <Empty /> }}
          expandable={{
            expandedRowRender: (r) => <Permissions role={r} catalog={catalog} />,
            expandRowByClick: true,
          }}
          columns={[
            {
              title: t("roleName"),
              key: "name",
              width: 280,
              render: (_, r) => (
                <Space size={4} data-testid={`role-row-${r.code}`}>
                  <Typography.Text strong>{pickName(lang, r.nameZh, r.nameEn)}</Typography.Text>
                  {r.builtin && <Tag>{t("builtin")}</Tag>}
                </Space>
              ),
            },
            { title: t("roleCode"), dataIndex: "code", width: 140, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            { title: t("description"), key: "description", render: (_, r) => pickName(lang, r.descriptionZh, r.descriptionEn) || "—" },
            {
              title: t("permissions"),
              key: "permissions",
              width: 150,
              render: (_, r) =>
                r.permissions.includes("*") ? (
                  <Tag color="red">{t("allPermissions")}</Tag>
                ) : (
                  r.permissions.length === 1 ? t("permissionCountOne") : t("permissionCount", { count: r.permissions.length })
                ),
            },
            { title: t("holders"), dataIndex: "holders", width: 90, align: "right" },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {tc("total", { total: data.length })}
        </Typography.Paragraph>
      </Card>
    </>
  );
}
