import { useQuery } from "@tanstack/react-query";
import { Descriptions, Drawer, Empty, Skeleton, Space, Tabs, Tag, Typography } from "antd";
import { api, type Page } from "../../api/client";
import type { UserRow, UserStatus } from "../../api/types";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { accessText } from "../access/i18n";
import { useAccessRoles } from "../access/queries";
import type { PersonRef } from "../access/types";
import { UserRolesPanel } from "../access/UserRolesPanel";
import { BUILTIN_ROLE_NAMES, identityText } from "./i18n";

const STATUS_COLOR: Record<UserStatus, string> = { pending: "gold", active: "green", disabled: "default" };

export type UserDrawerTab = "profile" | "roles";

/** One person: their profile and, for those who may read roles, the roles they hold (grant / revoke there). */
export function UserDrawer({
  person,
  row,
  tab,
  onTab,
  onClose,
}: {
  person: PersonRef | null;
  /** The users-list row when opened from it; otherwise looked up by username. */
  row?: UserRow | null;
  tab: UserDrawerTab;
  onTab: (tab: UserDrawerTab) => void;
  onClose: () => void;
}) {
  const t = useT(identityText);
  const ta = useT(accessText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const lookup = useQuery({
    queryKey: ["identity", "users", "one", person?.username],
    queryFn: () => api.get<Page<UserRow>>("/api/identity/users", { q: person?.username, pageSize: 50 }),
    enabled: person !== null && !row && can("identity.user.read"),
  });
  const user = row ?? lookup.data?.items.find((u) => u.username === person?.username) ?? null;
  const canRoles = can("access.role.read");
  const roles = useAccessRoles(person !== null && canRoles);
  const active: UserDrawerTab = canRoles ? tab : "profile";

  const profile = !user ? (
    lookup.isLoading ? (
      <Skeleton active />
    ) : (
      <Empty description={ta("profileUnavailable")} />
    )
  ) : (
    <Descriptions
      size="small"
      column={1}
      bordered
      styles={{ label: { width: 160 } }}
      data-testid="user-profile"
      items={[
        { key: "username", label: t("username"), children: user.username },
        { key: "name", label: t("displayName"), children: user.displayName },
        { key: "dept", label: t("department"), children: pickName(lang, user.departmentNameZh, user.departmentNameEn) || "—" },
        { key: "job", label: t("jobTitle"), children: user.jobTitle || "—" },
        { key: "email", label: t("email"), children: user.email || "—" },
        {
          key: "status",
          label: t("status"),
          children: (
            <Space size={4}>
              <Tag color={STATUS_COLOR[user.status]}>{t(`status_${user.status}`)}</Tag>
              {user.mustChangePassword && user.status !== "disabled" && <Tag color="gold">{t("mustChange")}</Tag>}
            </Space>
          ),
        },
        { key: "login", label: t("lastLogin"), children: user.lastLoginAt ? formatDateTime(user.lastLoginAt) : t("neverLoggedIn") },
        {
          key: "roles",
          label: t("roles"),
          children: user.roles.length ? (
            <Space size={[2, 2]} wrap>
              {user.roles.map((code) => {
                const r = roles.data?.find((x) => x.code === code);
                return (
                  <Tag key={code} color="blue">
                    {r ? pickName(lang, r.nameZh, r.nameEn) : (BUILTIN_ROLE_NAMES[code]?.[lang] ?? code)}
                  </Tag>
                );
              })}
            </Space>
          ) : (
            tc("none")
          ),
        },
      ]}
    />
  );

  return (
    <Drawer
      open={person !== null}
      onClose={onClose}
      size={960}
      destroyOnHidden
      data-testid="user-drawer"
      title={
        person && (
          <Space size={6}>
            <span>{person.displayName}</span>
            <Typography.Text type="secondary" style={{ fontWeight: "normal" }}>
              {person.username}
            </Typography.Text>
          </Space>
        )
      }
    >
      {person && (
        <Tabs
          activeKey={active}
          onChange={(k) => onTab(k as UserDrawerTab)}
          items={[
            { key: "profile", label: ta("tabProfile"), children: profile },
            ...(canRoles ? [{ key: "roles", label: <span data-testid="user-tab-roles">{ta("tabRoles")}</span>, children: <UserRolesPanel key={person.id} person={person} /> }] : []),
          ]}
        />
      )}
    </Drawer>
  );
}
