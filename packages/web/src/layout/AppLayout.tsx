import {
  BellOutlined,
  DownOutlined,
  KeyOutlined,
  LaptopOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  UserOutlined,
} from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Badge, Button, Dropdown, Empty, Layout, List, Menu, type MenuProps, Popover, Space, Tag, Tooltip, Typography } from "antd";
import { Suspense, useMemo, useState } from "react";
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from "react-router-dom";
import { api } from "../api/client";
import { useAbout } from "../api/queries";
import type { Alert } from "../api/types";
import { hasPermission, useAuth } from "../auth/AuthProvider";
import { IdleWatcher } from "../auth/IdleWatcher";
import { ErrorBoundary } from "../components/ErrorBoundary";
import { formatDateTime } from "../components/format";
import { LangSwitch } from "../components/LangSwitch";
import { Forbidden, NotFound, PageSpin } from "../components/Results";
import { useT } from "../i18n/core";
import { navText } from "./i18n";
import { SCREENS, SUB_SCREENS, type ScreenDef } from "./screens";

const { Header, Sider, Content } = Layout;

// Approvals first: everyone acts on them daily, whatever else they may open.
const GROUPS = [
  { key: "approvals", title: "groupApprovals" },
  { key: "org", title: "groupOrg" },
  { key: "masterdata", title: "groupMasterdata" },
  { key: "inventory", title: "groupInventory" },
  { key: "planning", title: "groupPlanning" },
  { key: "identity", title: "groupIdentity" },
  { key: "ops", title: "groupOps" },
  { key: "system", title: "groupSystem" },
] as const;

const SEVERITY_COLOR: Record<string, string> = { critical: "red", error: "volcano", warning: "orange", info: "blue" };

/** Screens this user may open: the permission allows it and the server has the module. */
export function useVisibleScreens(): ScreenDef[] {
  const { me } = useAuth();
  const about = useAbout();
  return useMemo(() => {
    const modules = about.data?.modules;
    const declared = about.data?.permissions;
    return SCREENS.filter(
      (s) =>
        hasPermission(me, s.permission) &&
        (!modules || modules.includes(s.module)) &&
        // A screen whose permission the server does not declare has no API behind it yet.
        (!s.permission || !declared || declared.includes(s.permission)),
    );
  }, [me, about.data]);
}

function AlertsBell() {
  const t = useT(navText);
  const { data } = useQuery({
    queryKey: ["system", "alerts"],
    queryFn: () => api.get<Alert[]>("/api/system/alerts"),
    refetchInterval: 60_000,
  });
  const alerts = data ?? [];
  const content = (
    <div style={{ width: 380, maxHeight: 420, overflow: "auto" }} data-testid="alerts-list">
      {alerts.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("alertsEmpty")} />
      ) : (
        <List
          size="small"
          dataSource={alerts}
          renderItem={(a) => (
            <List.Item key={a.id}>
              <List.Item.Meta
                title={
                  <Space size={4} wrap>
                    <Tag color={SEVERITY_COLOR[a.severity] ?? "default"}>
                      {t(`severity_${a.severity}` as keyof (typeof navText)["zh-CN"]) || a.severity}
                    </Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDateTime(a.raisedAt)} · {a.source}
                    </Typography.Text>
                  </Space>
                }
                description={<Typography.Text>{a.message}</Typography.Text>}
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );
  return (
    <Popover content={content} title={t("alerts")} trigger="click" placement="bottomRight">
      <Button type="text" data-testid="alerts-badge" data-count={alerts.length} aria-label={t("alerts")} title={t("alerts")}>
        <Badge count={alerts.length} size="small" offset={[4, -2]}>
          <BellOutlined style={{ fontSize: 16 }} />
        </Badge>
      </Button>
    </Popover>
  );
}

function UserMenu() {
  const t = useT(navText);
  const { me, logout } = useAuth();
  const navigate = useNavigate();
  const items: MenuProps["items"] = [
    { key: "sessions", icon: <LaptopOutlined />, label: <span data-testid="user-menu-sessions">{t("sessions")}</span> },
    { key: "password", icon: <KeyOutlined />, label: <span data-testid="user-menu-password">{t("changePassword")}</span> },
    { type: "divider" },
    { key: "logout", icon: <LogoutOutlined />, danger: true, label: <span data-testid="logout">{t("logout")}</span> },
  ];
  const onClick: MenuProps["onClick"] = ({ key }) => {
    if (key === "sessions") navigate("/account/sessions");
    else if (key === "password") navigate("/account/password");
    else if (key === "logout") void logout("signedOut");
  };
  return (
    <Dropdown menu={{ items, onClick }} trigger={["click"]} placement="bottomRight">
      <Button type="text" data-testid="user-menu">
        <Space size={6}>
          <UserOutlined />
          <span className="kw-user-name">{me?.name}</span>
          <DownOutlined style={{ fontSize: 10 }} />
        </Space>
      </Button>
    </Dropdown>
  );
}

function Guarded({ permission, children }: { permission: string | null; children: React.ReactNode }) {
  const { me } = useAuth();
  return hasPermission(me, permission) ? children : <Forbidden />;
}

export default function AppLayout() {
  const t = useT(navText);
  const { me, can } = useAuth();
  const location = useLocation();
  const visible = useVisibleScreens();
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem("kaiwuMenuCollapsed") === "1");

  // Expanded: titled groups. Collapsed: icons only, groups separated by dividers (titles would be cut off).
  const groups = GROUPS.map((g) => ({
    g,
    children: visible
      .filter((s) => s.group === g.key)
      .map((s) => ({
        key: s.key,
        icon: s.icon,
        title: t(s.title),
        label: (
          <Link to={s.path} data-testid={`menu-${s.key}`}>
            {t(s.title)}
          </Link>
        ),
      })),
  })).filter((x) => x.children.length > 0);
  const items: MenuProps["items"] = collapsed
    ? groups.flatMap((x, i) => [...(i > 0 ? [{ type: "divider" as const, key: `div-${x.g.key}` }] : []), ...x.children])
    : groups.map((x) => ({ key: `group-${x.g.key}`, type: "group" as const, label: t(x.g.title), children: x.children }));

  const path = location.pathname;
  const selected =
    SCREENS.find((s) => path === s.path || path.startsWith(`${s.path}/`))?.key ??
    SUB_SCREENS.find((s) => s.parent && path.startsWith(s.path.split("/:")[0]))?.parent ??
    "";
  const home = visible[0]?.path ?? "/system/about";

  const toggle = () => {
    setCollapsed((c) => {
      localStorage.setItem("kaiwuMenuCollapsed", c ? "0" : "1");
      return !c;
    });
  };

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Header className="kw-header">
        <Space size={12} align="center">
          <Tooltip title={collapsed ? t("expand") : t("collapse")}>
            <Button
              type="text"
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={toggle}
              data-testid="sider-toggle"
              aria-label={collapsed ? t("expand") : t("collapse")}
            />
          </Tooltip>
          <Link to={home} className="kw-brand" data-testid="brand">
            <img src="/favicon.svg" alt="" width={24} height={24} />
            <span>开物 Kaiwu</span>
          </Link>
        </Space>
        <Space size={4} align="center">
          {can("system.alert.read") && <AlertsBell />}
          <LangSwitch />
          <UserMenu />
        </Space>
      </Header>
      <Layout>
        <Sider
          width={208}
          collapsedWidth={56}
          collapsed={collapsed}
          trigger={null}
          theme="light"
          className="kw-sider"
          style={{ position: "sticky", top: 56, height: "calc(100vh - 56px)", overflow: "auto" }}
          data-testid="side-menu"
        >
          <Menu mode="inline" items={items} selectedKeys={[selected]} style={{ borderInlineEnd: 0 }} />
        </Sider>
        <Content className="kw-content">
          <ErrorBoundary resetKey={path}>
            <Suspense fallback={<PageSpin />}>
              <Routes>
                <Route index element={<Navigate to={home} replace />} />
                {SCREENS.map((s) => (
                  <Route
                    key={s.key}
                    path={s.path}
                    element={<Guarded permission={s.permission}>{<s.component />}</Guarded>}
                  />
                ))}
                {SUB_SCREENS.map((s) => (
                  <Route key={s.path} path={s.path} element={<Guarded permission={s.permission}>{<s.component />}</Guarded>} />
                ))}
                <Route path="*" element={<NotFound />} />
              </Routes>
            </Suspense>
          </ErrorBoundary>
        </Content>
      </Layout>
      {me && <IdleWatcher timeoutMinutes={me.idleTimeoutMinutes} />}
    </Layout>
  );
}
