import { KeyOutlined, LaptopOutlined, SafetyOutlined } from "@ant-design/icons";
import { Tabs } from "antd";
import { useLocation, useNavigate } from "react-router-dom";
import { useT } from "../../i18n/core";
import { accountText } from "./i18n";

const TABS = [
  { path: "/account/password", key: "navPassword", icon: <KeyOutlined />, testId: "account-tab-password" },
  { path: "/account/two-factor", key: "navTwoFactor", icon: <SafetyOutlined />, testId: "account-tab-two-factor" },
  { path: "/account/sessions", key: "navSessions", icon: <LaptopOutlined />, testId: "account-tab-sessions" },
] as const;

/** The account's security pages, one click apart (password, two-factor authentication, sessions). */
export function AccountNav() {
  const t = useT(accountText);
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <Tabs
      activeKey={location.pathname}
      onChange={(key) => navigate(key)}
      style={{ marginBottom: 4 }}
      items={TABS.map((tab) => ({
        key: tab.path,
        icon: tab.icon,
        label: <span data-testid={tab.testId}>{t(tab.key)}</span>,
      }))}
    />
  );
}
