import {
  ApartmentOutlined,
  BankOutlined,
  CalendarOutlined,
  CloudServerOutlined,
  InfoCircleOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
} from "@ant-design/icons";
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode } from "react";
import type { navText } from "./i18n";

type NavKey = keyof (typeof navText)["zh-CN"];

export interface ScreenDef {
  /** Menu key; the menu item's data-testid is `menu-<key>`. */
  key: string;
  path: string;
  /** Server module that must be installed (GET /api/system/about → modules). */
  module: string;
  /** Permission needed to see the screen; null = every signed-in user. */
  permission: string | null;
  group: "org" | "identity" | "ops" | "system";
  title: NavKey;
  icon: ReactNode;
  component: LazyExoticComponent<ComponentType>;
}

/** Every screen of the app, in menu order. Each page is its own chunk (loaded on first visit). */
export const SCREENS: ScreenDef[] = [
  {
    key: "org-company",
    path: "/org/company",
    module: "org",
    permission: "org.read",
    group: "org",
    title: "company",
    icon: <BankOutlined />,
    component: lazy(() => import("../pages/org/CompanyPage")),
  },
  {
    key: "org-departments",
    path: "/org/departments",
    module: "org",
    permission: "org.read",
    group: "org",
    title: "departments",
    icon: <ApartmentOutlined />,
    component: lazy(() => import("../pages/org/DepartmentsPage")),
  },
  {
    key: "org-calendars",
    path: "/org/calendars",
    module: "org",
    permission: "org.read",
    group: "org",
    title: "calendars",
    icon: <CalendarOutlined />,
    component: lazy(() => import("../pages/org/CalendarsPage")),
  },
  {
    key: "identity-users",
    path: "/identity/users",
    module: "identity",
    permission: "identity.user.read",
    group: "identity",
    title: "users",
    icon: <TeamOutlined />,
    component: lazy(() => import("../pages/identity/UsersPage")),
  },
  {
    key: "identity-roles",
    path: "/identity/roles",
    module: "access",
    permission: "access.role.read",
    group: "identity",
    title: "roles",
    icon: <SafetyCertificateOutlined />,
    component: lazy(() => import("../pages/identity/RolesPage")),
  },
  {
    key: "ops-backups",
    path: "/ops/backups",
    module: "ops",
    permission: "ops.backup.read",
    group: "ops",
    title: "backups",
    icon: <CloudServerOutlined />,
    component: lazy(() => import("../pages/ops/BackupsPage")),
  },
  {
    key: "system-about",
    path: "/system/about",
    module: "system",
    permission: null,
    group: "system",
    title: "about",
    icon: <InfoCircleOutlined />,
    component: lazy(() => import("../pages/system/AboutPage")),
  },
];

/** Pages reached from another page (not in the menu); `parent` is the menu key to highlight. */
export const SUB_SCREENS = [
  {
    path: "/org/calendars/:id",
    parent: "org-calendars",
    permission: "org.read",
    component: lazy(() => import("../pages/org/CalendarDetailPage")),
  },
  {
    path: "/account/sessions",
    parent: "",
    permission: null,
    component: lazy(() => import("../pages/account/SessionsPage")),
  },
  {
    path: "/account/password",
    parent: "",
    permission: null,
    component: lazy(() => import("../pages/account/ChangePasswordPage")),
  },
] as const;
