import { AlertOutlined } from "@ant-design/icons";
import { Badge, Tooltip } from "antd";
import { useAuth } from "../../auth/AuthProvider";
import { useT } from "../../i18n/core";
import { useEventSummary } from "./api";
import { securityText } from "./i18n";

/** The menu icon of the security events screen, with the number of unresolved events (red when any is high or critical). */
export function SecurityMenuIcon({ className }: { className?: string }) {
  const t = useT(securityText);
  const { can } = useAuth();
  const { data } = useEventSummary(can("audit.security.read"));
  const count = data ? data.open + data.investigating : 0;
  return (
    <Tooltip title={count > 0 ? t("badgeTitle", { count, urgent: data?.urgent ?? 0 }) : undefined} placement="right">
      {/* The menu passes its icon class: it belongs on the outer element so the label keeps its spacing. */}
      <Badge
        className={className}
        count={count}
        size="small"
        offset={[2, -2]}
        color={data && data.urgent > 0 ? "red" : "gold"}
        data-testid="security-badge"
        data-count={count}
      >
        <AlertOutlined />
      </Badge>
    </Tooltip>
  );
}
