import { useAbout } from "../../api/queries";
import { Card, Descriptions, Space, Spin, Tag, Typography } from "antd";
import { formatDateTime } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { defineMessages, useLang, useT } from "../../i18n/core";

const text = defineMessages({
  "zh-CN": {
    title: "关于开物",
    product: "产品",
    productValue: "开物 Kaiwu — 面向制造企业的开源 ERP",
    version: "版本",
    database: "数据库",
    dbKind: "数据库类型",
    dbDescription: "数据库说明",
    dbVersion: "数据库版本",
    node: "Node.js 版本",
    startedAt: "服务启动时间",
    modules: "已安装模块",
    webVersion: "网页端版本",
    license: "许可证",
    kind_pglite: "PGlite（内置数据库）",
    kind_postgres: "PostgreSQL",
    mod_system: "系统",
    mod_org: "组织架构",
    mod_identity: "账户与登录",
    mod_access: "角色与权限",
    mod_ops: "运维（备份等）",
    mod_masterdata: "主数据",
    mod_inventory: "库存",
  },
  "en-US": {
    title: "About Kaiwu",
    product: "Product",
    productValue: "开物 Kaiwu — open-source ERP for manufacturers",
    version: "Version",
    database: "Database",
    dbKind: "Database kind",
    dbDescription: "Database description",
    dbVersion: "Database version",
    node: "Node.js version",
    startedAt: "Server started",
    modules: "Installed modules",
    webVersion: "Web UI version",
    license: "Licence",
    kind_pglite: "PGlite (embedded database)",
    kind_postgres: "PostgreSQL",
    mod_system: "System",
    mod_org: "Organisation",
    mod_identity: "Accounts & sign-in",
    mod_access: "Roles & permissions",
    mod_ops: "Operations (backups…)",
    mod_masterdata: "Master data",
    mod_inventory: "Inventory",
  },
});

type Key = keyof (typeof text)["zh-CN"];

export default function AboutPage() {
  const t = useT(text);
  const { lang } = useLang();
  const { data, isLoading } = useAbout();
  const label = (prefix: string, v: string) => {
    const k = `${prefix}${v}` as Key;
    return k in text[lang] ? t(k) : v;
  };
  return (
    <>
      <PageHeader title={t("title")} />
      <Card>
        {isLoading || !data ? (
          <Spin />
        ) : (
          <Descriptions
            column={1}
            bordered
            size="small"
            styles={{ label: { width: 200 } }}
            data-testid="about"
            items={[
              { key: "product", label: t("product"), children: t("productValue") },
              { key: "version", label: t("version"), children: <span data-testid="about-version">{data.version}</span> },
              { key: "kind", label: t("dbKind"), children: <span data-testid="about-db-kind">{label("kind_", data.database.kind)}</span> },
              {
                key: "desc",
                label: t("dbDescription"),
                children: (
                  <Typography.Text code data-testid="about-db-description">
                    {data.database.description}
                  </Typography.Text>
                ),
              },
              ...(data.database.serverVersion ? [{ key: "dbv", label: t("dbVersion"), children: data.database.serverVersion }] : []),
              { key: "node", label: t("node"), children: <span data-testid="about-node">{data.node ?? "—"}</span> },
              ...(data.startedAt ? [{ key: "started", label: t("startedAt"), children: formatDateTime(data.startedAt) }] : []),
              {
                key: "modules",
                label: t("modules"),
                children: (
                  <Space size={[4, 4]} wrap data-testid="about-modules">
                    {data.modules.map((m) => (
                      <Tag key={m} color="blue">
                        {label("mod_", m)} <span style={{ opacity: 0.6 }}>({m})</span>
                      </Tag>
                    ))}
                  </Space>
                ),
              },
              { key: "license", label: t("license"), children: "AGPL-3.0-or-later" },
            ]}
          />
        )}
      </Card>
    </>
  );
}
