import { ApiOutlined, RobotOutlined, UserOutlined } from "@ant-design/icons";
import { Space, Tag, Tooltip, Typography } from "antd";
import { useT } from "../../i18n/core";
import type { ActorType, Outcome } from "./api";
import { auditText } from "./i18n";

const OUTCOME_COLOR: Record<Outcome, string> = { success: "success", failed: "warning", denied: "error" };
const ACTOR_ICON: Record<ActorType, React.ReactNode> = { user: <UserOutlined />, token: <ApiOutlined />, system: <RobotOutlined />, anonymous: null };

export function OutcomeTag({ outcome, errorCode }: { outcome: Outcome; errorCode?: string | null }) {
  const t = useT(auditText);
  const tag = (
    <Tag color={OUTCOME_COLOR[outcome]} data-testid="audit-outcome" data-outcome={outcome}>
      {t(`outcome_${outcome}`)}
    </Tag>
  );
  return errorCode ? (
    <Space size={2}>
      {tag}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {errorCode}
      </Typography.Text>
    </Space>
  ) : (
    tag
  );
}

/** Who acted: a person, an API token (its session is `token:<id>`), the system, or nobody signed in. */
export function ActorCell({ row }: { row: { actorType: ActorType; actorName: string; actorId: number | null; sessionId: string | null } }) {
  const t = useT(auditText);
  return (
    <Tooltip title={`${t(`actorType_${row.actorType}`)}${row.actorId ? ` #${row.actorId}` : ""}${row.sessionId ? ` · ${row.sessionId}` : ""}`}>
      <Space size={4}>
        {ACTOR_ICON[row.actorType]}
        <span>{row.actorType === "anonymous" ? t("actorType_anonymous") : row.actorName}</span>
        {row.actorType !== "user" && row.actorType !== "anonymous" && <Tag style={{ marginInlineEnd: 0 }}>{t(`actorType_${row.actorType}`)}</Tag>}
      </Space>
    </Tooltip>
  );
}
