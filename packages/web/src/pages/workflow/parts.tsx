import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  CloseCircleOutlined,
  FilePdfOutlined,
  FileImageOutlined,
  RiseOutlined,
  RollbackOutlined,
  SendOutlined,
  StopOutlined,
  WarningOutlined,
} from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Descriptions, Empty, List, Select, Space, Spin, Steps, Tag, Timeline, Typography } from "antd";
import { type ReactNode, useMemo, useState } from "react";
import { api } from "../../api/client";
import { formatBytes, formatDate, formatDateTime } from "../../components/format";
import { useDebounced } from "../../components/hooks";
import { type Lang, pickName, type TFunction, useLang, useT } from "../../i18n/core";
import { BUILTIN_ROLE_NAMES } from "../identity/i18n";
import {
  type ActionInfo,
  type Bilingual,
  type GrantDoc,
  type GrantState,
  type HistoryEntry,
  type RegistrationDoc,
  type RequestStatus,
  type StepInfo,
  useDocTypes,
  usePeople,
} from "./api";
import { wfText } from "./i18n";

export type WfT = TFunction<keyof (typeof wfText)["zh-CN"]>;

export const STATUS_COLOR: Record<RequestStatus, string> = { pending: "processing", approved: "success", rejected: "error", withdrawn: "default" };
export const GRANT_STATE_COLOR: Record<GrantState, string> = {
  pending: "processing",
  upcoming: "cyan",
  active: "success",
  expired: "default",
  rejected: "error",
  withdrawn: "default",
  revoked: "warning",
  ended: "default",
};

/** Groups the digits of a decimal string without turning it into a binary float. */
export function formatAmount(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const [int, frac] = value.split(".");
  const neg = int.startsWith("-");
  const digits = (neg ? int.slice(1) : int).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg ? "-" : ""}${digits}${frac ? `.${frac}` : ""}`;
}

export function RequestStatusTag({ status }: { status: RequestStatus }) {
  const t = useT(wfText);
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="request-status" data-status={status}>
      {t(`status_${status}`)}
    </Tag>
  );
}

/** The document type's name in the current language (the code when no module named it). */
export function useDocTypeName(): (docType: string, label?: Bilingual | null) => string {
  const { lang } = useLang();
  const types = useDocTypes();
  return useMemo(() => {
    const map = new Map((types.data ?? []).map((d) => [d.docType, d.label]));
    return (docType: string, label?: Bilingual | null) => (label ?? map.get(docType))?.[lang] ?? docType;
  }, [types.data, lang]);
}

export function roleName(code: string | null, zh: string | null | undefined, en: string | null | undefined, lang: Lang): string {
  if (zh || en) return pickName(lang, zh, en);
  return code ? (BUILTIN_ROLE_NAMES[code]?.[lang] ?? code) : "";
}

/** Who a level asks for, in words. */
export function approverRule(s: Pick<StepInfo, "approverKind" | "roleCode" | "roleNameZh" | "roleNameEn" | "departmentNameZh" | "departmentNameEn" | "userName">, t: WfT, lang: Lang): string {
  switch (s.approverKind) {
    case "role":
      return t("kind_role", { role: roleName(s.roleCode, s.roleNameZh, s.roleNameEn, lang) });
    case "department_manager":
      return s.departmentNameZh || s.departmentNameEn
        ? t("kind_department_manager_of", { department: pickName(lang, s.departmentNameZh, s.departmentNameEn) })
        : t("kind_department_manager");
    case "superior":
      return t("kind_superior");
    default:
      return t("kind_user", { user: s.userName ?? "" });
  }
}

/** Searchable picker of active colleagues (any signed-in user may look them up by name). */
export function PersonSelect({
  value,
  onChange,
  placeholder,
  testId,
  excludeIds,
  initialLabel,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  placeholder?: string;
  testId?: string;
  excludeIds?: number[];
  initialLabel?: string;
}) {
  const { lang } = useLang();
  const [q, setQ] = useState("");
  const query = useDebounced(q.trim(), 250);
  const people = usePeople(query);
  const options = (people.data ?? [])
    .filter((p) => !excludeIds?.includes(p.id))
    .map((p) => ({
      value: p.id,
      label: `${p.displayName} (${p.username})${p.departmentNameZh ? ` · ${pickName(lang, p.departmentNameZh, p.departmentNameEn)}` : ""}`,
    }));
  if (value && initialLabel && !options.some((o) => o.value === value)) options.unshift({ value, label: initialLabel });
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value ?? undefined}
      onChange={(v) => onChange?.((v as number | undefined) ?? null)}
      options={options}
      loading={people.isFetching}
      placeholder={placeholder}
      allowClear
      notFoundContent={people.isFetching ? <Spin size="small" /> : undefined}
      data-testid={testId}
      style={{ width: "100%" }}
    />
  );
}

/** The levels of a request: decided (by whom, on whose behalf), open (who may decide), still to come. */
export function LevelSteps({ steps, t }: { steps: StepInfo[]; t: WfT }) {
  const { lang } = useLang();
  const current = steps.findIndex((s) => s.status === "pending" || s.status === "rejected");
  return (
    <Steps
      orientation="vertical"
      size="small"
      current={current >= 0 ? current : steps.length}
      status={steps.some((s) => s.status === "rejected") ? "error" : undefined}
      data-testid="request-steps"
      items={steps.map((s) => {
        const who: ReactNode[] = [];
        if (s.decidedByName) {
          who.push(
            <div key="d">
              {s.onBehalfOfName
                ? t("decidedByOnBehalf", { name: s.decidedByName, represented: s.onBehalfOfName, time: formatDateTime(s.decidedAt) })
                : t("decidedBy", { name: s.decidedByName, time: formatDateTime(s.decidedAt) })}
            </div>,
          );
          if (s.comment) who.push(<div key="c">{t(s.status === "rejected" ? "reasonLabel" : "commentLabel", { reason: s.comment })}</div>);
        } else if (s.approvers) {
          who.push(
            <div key="a" data-testid={`step-${s.seq}-approvers`}>
              {s.approvers.length === 0 ? (
                <Typography.Text type="warning">
                  <WarningOutlined /> {t("approversNone")}
                </Typography.Text>
              ) : (
                <Space size={[4, 4]} wrap>
                  <Typography.Text type="secondary">{t("approvers")}:</Typography.Text>
                  {s.approvers.map((a) => (
                    <Tag key={a.id} color={a.via === "escalation" ? "orange" : undefined}>
                      {a.name}
                      {a.via === "escalation" ? ` · ${t("via_escalation")}` : ""}
                    </Tag>
                  ))}
                </Space>
              )}
            </div>,
          );
          for (const d of s.delegates ?? []) {
            who.push(
              <div key={`g${d.fromUserId}`}>
                <Typography.Text type="secondary">{t("delegatedTo", { from: d.fromName, to: d.toName, until: d.endsOn })}</Typography.Text>
              </div>,
            );
          }
        }
        const notes: string[] = [approverRule(s, t, lang)];
        if (s.minAmount) notes.push(t("threshold", { amount: formatAmount(s.minAmount) }));
        if (s.status === "pending" && s.escalateAfterHours) notes.push(s.escalationExhausted ? t("escalationExhausted") : t("escalateAfter", { hours: s.escalateAfterHours }));
        return {
          title: (
            <Space size={6}>
              <span>{`${t("levelN", { n: s.seq })} · ${pickName(lang, s.nameZh, s.nameEn)}`}</span>
              <Tag data-testid={`step-${s.seq}-status`} data-status={s.status}>
                {t(`step_${s.status}`)}
              </Tag>
            </Space>
          ),
          content: (
            <div style={{ paddingBottom: 8 }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {notes.join(" · ")}
              </Typography.Text>
              {who}
            </div>
          ),
        };
      })}
    />
  );
}

function actionText(a: ActionInfo, t: WfT, lang: Lang): string {
  const p = {
    actor: a.actorName,
    represented: a.onBehalfOfName ?? "",
    level: a.seq ?? "",
    levelName: pickName(lang, a.levelNameZh, a.levelNameEn),
    to: a.toUserName ?? "",
  };
  if (a.action === "approved") return t(a.onBehalfOfName ? "action_approvedOnBehalf" : "action_approved", p);
  if (a.action === "rejected") return t(a.onBehalfOfName ? "action_rejectedOnBehalf" : "action_rejected", p);
  return t(`action_${a.action}`, p);
}

const ACTION_ICON: Record<ActionInfo["action"], { icon: ReactNode; color: string }> = {
  submitted: { icon: <SendOutlined />, color: "blue" },
  approved: { icon: <CheckCircleOutlined />, color: "green" },
  auto_approved: { icon: <CheckCircleOutlined />, color: "green" },
  rejected: { icon: <CloseCircleOutlined />, color: "red" },
  escalated: { icon: <RiseOutlined />, color: "orange" },
  escalation_failed: { icon: <WarningOutlined />, color: "red" },
  withdrawn: { icon: <RollbackOutlined />, color: "gray" },
  cancelled: { icon: <StopOutlined />, color: "gray" },
};

/** Who did what, when, at which level, why and for whom: the full history of one request. */
export function ActionTimeline({ actions }: { actions: ActionInfo[] }) {
  const t = useT(wfText);
  const { lang } = useLang();
  return (
    <Timeline
      data-testid="request-history"
      items={actions.map((a) => ({
        key: a.id,
        color: ACTION_ICON[a.action].color,
        icon: ACTION_ICON[a.action].icon,
        content: (
          <div data-testid={`history-${a.action}`}>
            <div>{actionText(a, t, lang)}</div>
            {a.reason && (
              <Typography.Text type={a.action === "rejected" ? "danger" : "secondary"}>
                {t(a.action === "approved" ? "commentLabel" : "reasonLabel", { reason: a.reason })}
              </Typography.Text>
            )}
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                <ClockCircleOutlined /> {formatDateTime(a.at)}
              </Typography.Text>
            </div>
          </div>
        ),
      }))}
    />
  );
}

function fileIcon(type: string) {
  return type === "application/pdf" ? <FilePdfOutlined style={{ color: "#cf1322" }} /> : <FileImageOutlined style={{ color: "#1668dc" }} />;
}

export function RegistrationPanel({ doc, requestId }: { doc: RegistrationDoc; requestId: number }) {
  const t = useT(wfText);
  const { lang } = useLang();
  return (
    <Space orientation="vertical" style={{ width: "100%" }} size={12} data-testid="registration-panel">
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        items={[
          { key: "n", label: t("regApplicant"), children: doc.fullName },
          { key: "u", label: t("regUsername"), children: <Typography.Text code>{doc.username}</Typography.Text> },
          { key: "e", label: t("regEmail"), children: doc.email },
          { key: "d", label: t("regDepartment"), children: `${pickName(lang, doc.departmentNameZh, doc.departmentNameEn)} (${doc.departmentCode})` },
          { key: "j", label: t("regJobTitle"), children: doc.jobTitle },
          { key: "s", label: t("regSubmitted"), children: formatDateTime(doc.submittedAt) },
          { key: "a", label: t("regAccount"), children: <Tag>{t(`account_${doc.accountStatus}`)}</Tag> },
          { key: "i", label: t("regIp"), children: doc.ip ?? "—" },
        ]}
      />
      <Card size="small" title={t("regProofs")}>
        {doc.files.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("regNoProofs")} />
        ) : (
          <List
            size="small"
            dataSource={doc.files}
            renderItem={(f) => {
              const url = `/api/workflow/requests/${requestId}/files/${f.id}`;
              return (
                <List.Item
                  data-testid={`proof-${f.id}`}
                  actions={[
                    <a key="v" href={`${url}?inline=true`} target="_blank" rel="noreferrer" data-testid={`proof-view-${f.id}`}>
                      {t("view")}
                    </a>,
                    <a key="d" href={url} download={f.fileName}>
                      {t("download")}
                    </a>,
                  ]}
                >
                  <List.Item.Meta
                    avatar={fileIcon(f.contentType)}
                    title={f.fileName}
                    description={
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatBytes(f.sizeBytes)} · SHA-256 {f.sha256.slice(0, 16)}…
                      </Typography.Text>
                    }
                  />
                  {f.contentType.startsWith("image/") && (
                    <img src={`${url}?inline=true`} alt={f.fileName} style={{ maxHeight: 120, maxWidth: 200, border: "1px solid #eceef1", borderRadius: 4 }} />
                  )}
                </List.Item>
              );
            }}
          />
        )}
      </Card>
    </Space>
  );
}

export function GrantPanel({ doc }: { doc: GrantDoc }) {
  const t = useT(wfText);
  const { lang } = useLang();
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      data-testid="grant-panel"
      items={[
        {
          key: "u",
          label: t("grantUser"),
          children: `${doc.userName} (${doc.username})${doc.userDepartmentNameZh ? ` · ${pickName(lang, doc.userDepartmentNameZh, doc.userDepartmentNameEn)}` : ""}`,
        },
        {
          key: "r",
          label: t("grantRole"),
          children: (
            <Space orientation="vertical" size={2}>
              <Tag color="blue">{roleName(doc.roleCode, doc.roleNameZh, doc.roleNameEn, lang)}</Tag>
              <Typography.Text type="secondary">{pickName(lang, doc.roleDescriptionZh, doc.roleDescriptionEn)}</Typography.Text>
            </Space>
          ),
        },
        {
          key: "p",
          label: t("grantPermissions"),
          children: (
            <Space size={[4, 4]} wrap>
              {doc.rolePermissions.map((p) => (
                <Tag key={p} style={{ fontFamily: "monospace", fontSize: 11 }}>
                  {p}
                </Tag>
              ))}
            </Space>
          ),
        },
        { key: "s", label: t("grantScope"), children: doc.departmentId ? pickName(lang, doc.scopeNameZh, doc.scopeNameEn) : t("grantScopeAll") },
        { key: "d", label: t("grantPeriod"), children: `${formatDateTime(doc.validFrom)} — ${formatDateTime(doc.validUntil)}` },
        { key: "why", label: t("grantReason"), children: doc.reason },
        {
          key: "c",
          label: t("grantCurrentRoles"),
          children: (
            <Space size={[4, 4]} wrap>
              {doc.currentRoles.map((c) => (
                <Tag key={c}>{roleName(c, null, null, lang)}</Tag>
              ))}
            </Space>
          ),
        },
      ]}
    />
  );
}

/**
 * The approval history of one document, for any module's detail page:
 * `<ApprovalHistory docType="purchasing.order" docId={order.id} />`.
 */
export function ApprovalHistory({ docType, docId }: { docType: string; docId: string | number }) {
  const t = useT(wfText);
  const { lang } = useLang();
  const { data, isLoading, isError } = useQuery({
    queryKey: ["workflow", "history", docType, String(docId)],
    queryFn: () => api.get<HistoryEntry[]>("/api/workflow/history", { docType, docId: String(docId) }),
  });
  if (isLoading) return <Spin />;
  if (isError) return <Alert type="error" title={t("historyTitle")} />;
  if (!data || data.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("historyEmpty")} />;
  return (
    <Space orientation="vertical" style={{ width: "100%" }} data-testid="approval-history">
      {data.map((r) => (
        <Card
          key={r.id}
          size="small"
          title={
            <Space>
              <a href={`/workflow/requests/${r.id}`}>{r.number}</a>
              <RequestStatusTag status={r.status} />
              <Typography.Text type="secondary">{pickName(lang, r.chainNameZh, r.chainNameEn)}</Typography.Text>
            </Space>
          }
        >
          <ActionTimeline actions={r.actions} />
        </Card>
      ))}
    </Space>
  );
}

export { formatDate };
