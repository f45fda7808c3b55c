import {
  CheckCircleOutlined,
  CommentOutlined,
  RedoOutlined,
  SearchOutlined,
  ThunderboltOutlined,
  UserSwitchOutlined,
} from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Row, Select, Skeleton, Space, Table, Tag, Timeline, Typography } from "antd";
import { useEffect, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError, api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { type TFunction, useT } from "../../i18n/core";
import { ActorCell, OutcomeTag } from "../audit/parts";
import { type EventDetail, type EventNote, type LinkedRecord, type Resolution, SEVERITY_COLOR, STATUS_COLOR, useAssignees } from "./api";
import { type SecurityKey, securityText } from "./i18n";

type Step = "investigate" | "resolve" | "reopen" | "assign";
const RESOLUTIONS: Resolution[] = ["confirmed_incident", "false_positive", "accepted_risk", "mitigated"];
const NOTE_COLOR: Record<EventNote["kind"], string> = { detected: "red", reported: "red", comment: "gray", status: "blue", assigned: "blue", recurred: "orange" };

function noteTitle(n: EventNote, t: TFunction<SecurityKey>): string {
  switch (n.kind) {
    case "detected":
      return t("note_detected");
    case "reported":
      return t("note_reported", { author: n.authorName });
    case "comment":
      return t("note_comment", { author: n.authorName });
    case "recurred":
      return t("note_recurred", { note: (n.note ?? "").replace(/^\+/, "") });
    case "assigned":
      return n.assigneeName ? t("note_assigned", { author: n.authorName, assignee: n.assigneeName }) : t("note_assigned_none", { author: n.authorName });
    case "status":
      return t("note_status", { author: n.authorName, from: n.fromStatus ? t(`status_${n.fromStatus}`) : "—", to: n.toStatus ? t(`status_${n.toStatus}`) : "—" });
  }
}

/** Facts of a finding as label/value pairs (what the rule counted, the window, the addresses…). */
function factItems(e: EventDetail, t: TFunction<SecurityKey>) {
  // The count is the event's own count; the subject and kind are in its title.
  const skip = new Set(["kind", "subject", "count"]);
  const label = (k: string) => (`fact_${k}` in securityText["zh-CN"] ? t(`fact_${k}` as SecurityKey) : k);
  const value = (k: string, v: unknown) => {
    if (k === "action" && e.actionLabel) return `${e.actionLabel} (${String(v)})`;
    if (k === "reason" && typeof v === "string" && `reason_${v}` in securityText["zh-CN"]) return t(`reason_${v}` as SecurityKey);
    if (v === true) return t("yes");
    if (Array.isArray(v)) return v.join(", ");
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  };
  return Object.entries(e.facts ?? {})
    .filter(([k, v]) => !skip.has(k) && v !== null && v !== undefined && v !== "")
    .map(([k, v]) => ({ key: `fact-${k}`, label: label(k), children: value(k, v) }));
}

function StepModal({ step, event, onClose }: { step: Step | null; event: EventDetail; onClose: () => void }) {
  const t = useT(securityText);
  const tc = useT(common);
  const { message } = App.useApp();
  const { me } = useAuth();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ note?: string; assigneeId?: number | null; resolution?: Resolution }>();
  const [busy, setBusy] = useState(false);
  const assignees = useAssignees(step !== null);
  useEffect(() => {
    if (!step) return;
    form.resetFields();
    if (step === "investigate") form.setFieldsValue({ assigneeId: event.assigneeId ?? me?.id ?? undefined });
    if (step === "assign") form.setFieldsValue({ assigneeId: event.assigneeId });
  }, [step, form, event, me]);
  const submit = async (v: { note?: string; assigneeId?: number | null; resolution?: Resolution }) => {
    if (!step) return;
    setBusy(true);
    try {
      const body: Record<string, unknown> = { note: v.note?.trim() || undefined };
      if (step === "investigate" && v.assigneeId) body.assigneeId = v.assigneeId;
      if (step === "assign") body.assigneeId = v.assigneeId ?? null;
      if (step === "resolve") body.resolution = v.resolution;
      await api.post(`/api/security/events/${event.id}/${step}`, body, { version: event.version });
      message.success(t("saved"));
      await qc.invalidateQueries({ queryKey: ["security"] });
      onClose();
    } catch (e) {
      showError(e, { form, onConflict: () => void qc.invalidateQueries({ queryKey: ["security"] }).then(onClose) });
    } finally {
      setBusy(false);
    }
  };
  const titles: Record<Step, SecurityKey> = { investigate: "investigateTitle", resolve: "resolveTitle", reopen: "reopenTitle", assign: "assignTitle" };
  const assigneeOptions = (assignees.data ?? []).map((a) => ({ value: a.id, label: `${a.displayName} (${a.username})` }));
  return (
    <Modal
      open={step !== null}
      title={step ? t(titles[step]) : ""}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={tc("save")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "step-submit" }}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid="step-form">
        {(step === "investigate" || step === "assign") && (
          <Form.Item name="assigneeId" label={t("assignee")}>
            <Select allowClear options={assigneeOptions} loading={assignees.isLoading} data-testid="step-assignee" />
          </Form.Item>
        )}
        {step === "resolve" && (
          <Form.Item name="resolution" label={t("resolution")} rules={[{ required: true, message: tc("required", { field: t("resolution") }) }]}>
            <Select options={RESOLUTIONS.map((r) => ({ value: r, label: t(`resolution_${r}`) }))} data-testid="step-resolution" />
          </Form.Item>
        )}
        <Form.Item
          name="note"
          label={t("note")}
          rules={step === "assign" ? [] : [{ required: true, whitespace: true, message: t("noteRequired") }]}
        >
          <Input.TextArea rows={4} maxLength={4000} showCount data-testid="step-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function SecurityEventDetailPage() {
  const t = useT(securityText);
  const tc = useT(common);
  const { id } = useParams();
  const navigate = useNavigate();
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [step, setStep] = useState<Step | null>(null);
  const [comment, setComment] = useState("");
  const [commenting, setCommenting] = useState(false);
  const manage = can("audit.security.manage");
  const { data: e, isLoading, error } = useQuery({
    queryKey: ["security", "event", Number(id)],
    queryFn: () => api.get<EventDetail>(`/api/security/events/${id}`),
    retry: false,
  });

  const addComment = async () => {
    if (!e || !comment.trim()) return;
    setCommenting(true);
    try {
      await api.post(`/api/security/events/${e.id}/comments`, { note: comment.trim() });
      setComment("");
      message.success(t("commentSaved"));
      await qc.invalidateQueries({ queryKey: ["security", "event", e.id] });
    } catch (err) {
      showError(err);
    } finally {
      setCommenting(false);
    }
  };

  if (isLoading) return <Skeleton active />;
  if (error || !e) {
    return (
      <>
        <PageHeader title={t("title")} onBack={() => navigate("/security/events")} />
        <Alert type="warning" showIcon title={error instanceof ApiError ? error.detail : tc("loadFailed")} />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={e.title}
        onBack={() => navigate("/security/events")}
        sub={
          <Space size={4}>
            <Tag color={SEVERITY_COLOR[e.severity]}>{t(`severity_${e.severity}`)}</Tag>
            <Tag color={STATUS_COLOR[e.status]} data-testid="event-status" data-status={e.status}>
              {t(`status_${e.status}`)}
            </Tag>
          </Space>
        }
        extra={
          manage && (
            <>
              {e.status === "open" && (
                <Button type="primary" icon={<SearchOutlined />} onClick={() => setStep("investigate")} data-testid="event-investigate">
                  {t("investigate")}
                </Button>
              )}
              {e.status !== "resolved" && (
                <Button type={e.status === "investigating" ? "primary" : "default"} icon={<CheckCircleOutlined />} onClick={() => setStep("resolve")} data-testid="event-resolve">
                  {t("resolve")}
                </Button>
              )}
              {e.status === "resolved" && (
                <Button icon={<RedoOutlined />} onClick={() => setStep("reopen")} data-testid="event-reopen">
                  {t("reopen")}
                </Button>
              )}
              <Button icon={<UserSwitchOutlined />} onClick={() => setStep("assign")} data-testid="event-assign">
                {t("assign")}
              </Button>
            </>
          )
        }
      />
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <Card size="small" style={{ marginBottom: 12 }}>
            <Descriptions
              size="small"
              bordered
              column={{ xs: 1, md: 2 }}
              data-testid="event-facts"
              items={[
                { key: "rule", label: t("rule"), children: t(`rule_${e.rule}`) },
                { key: "id", label: "#", children: e.id },
                { key: "subject", label: t("subject"), children: e.subjectName ?? "—" },
                { key: "ip", label: t("ip"), children: e.ip ?? "—" },
                {
                  key: "window",
                  label: t("window"),
                  span: 2,
                  children: e.windowStart === e.windowEnd ? formatDateTime(e.windowStart) : `${formatDateTime(e.windowStart)} — ${formatDateTime(e.windowEnd)}`,
                },
                { key: "occ", label: t("occurrences"), children: e.occurrences },
                { key: "detected", label: t("detectedAt"), children: formatDateTime(e.detectedAt) },
                { key: "assignee", label: t("assignee"), children: e.assigneeName ?? t("unassigned") },
                {
                  key: "resolution",
                  label: t("resolution"),
                  children: e.resolution ? (
                    <Space orientation="vertical" size={0}>
                      <span data-testid="event-resolution">{t(`resolution_${e.resolution}`)}</span>
                      {e.resolvedAt && (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t("resolvedBy", { name: e.resolvedByName ?? "—", time: formatDateTime(e.resolvedAt) })}
                        </Typography.Text>
                      )}
                    </Space>
                  ) : (
                    "—"
                  ),
                },
                ...(e.description ? [{ key: "desc", label: t("description"), span: 2, children: <span style={{ whiteSpace: "pre-wrap" }}>{e.description}</span> }] : []),
                ...factItems(e, t),
              ]}
            />
          </Card>
          <Card size="small" title={t("records")}>
            {e.records.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("noRecords")} />
            ) : (
              <Table<LinkedRecord>
                size="small"
                rowKey="id"
                dataSource={e.records}
                pagination={e.records.length > 20 ? { pageSize: 20 } : false}
                data-testid="event-records"
                columns={[
                  {
                    title: "#",
                    dataIndex: "id",
                    width: 80,
                    render: (v: number) => (can("audit.log.read") ? <Link to={`/audit/log?record=${v}`}>{v}</Link> : v),
                  },
                  { title: t("time"), dataIndex: "occurredAt", width: 160, render: (v: string) => formatDateTime(v) },
                  { title: t("actor"), key: "actor", ellipsis: true, render: (_, r) => <ActorCell row={{ ...r, actorId: null, sessionId: null }} /> },
                  { title: t("ip"), dataIndex: "ip", width: 120, render: (v: string | null) => v ?? "—" },
                  { title: t("action"), dataIndex: "actionLabel", ellipsis: true },
                  { title: t("outcome"), key: "outcome", width: 160, render: (_, r) => <OutcomeTag outcome={r.outcome} errorCode={r.errorCode} /> },
                ]}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t("timeline")}>
            <Timeline
              data-testid="event-timeline"
              items={e.notes.map((n) => ({
                key: n.id,
                color: NOTE_COLOR[n.kind],
                icon: n.kind === "detected" ? <ThunderboltOutlined /> : n.kind === "comment" ? <CommentOutlined /> : undefined,
                content: (
                  <div data-testid={`note-${n.kind}`}>
                    <div>
                      <Typography.Text strong>{noteTitle(n, t)}</Typography.Text>
                      {n.resolution && <Tag style={{ marginInlineStart: 6 }}>{t(`resolution_${n.resolution}`)}</Tag>}
                    </div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDateTime(n.at)}
                    </Typography.Text>
                    {n.note && n.kind !== "recurred" && <div style={{ whiteSpace: "pre-wrap", marginTop: 4 }}>{n.note}</div>}
                  </div>
                ),
              }))}
            />
            {manage && (
              <Space.Compact style={{ width: "100%", marginTop: 8 }}>
                <Input.TextArea
                  value={comment}
                  onChange={(ev) => setComment(ev.target.value)}
                  placeholder={t("commentPlaceholder")}
                  autoSize={{ minRows: 2, maxRows: 6 }}
                  maxLength={4000}
                  data-testid="event-comment"
                />
                <Button icon={<CommentOutlined />} onClick={addComment} loading={commenting} disabled={!comment.trim()} data-testid="event-comment-submit">
                  {t("comment")}
                </Button>
              </Space.Compact>
            )}
          </Card>
        </Col>
      </Row>
      <StepModal step={step} event={e} onClose={() => setStep(null)} />
    </>
  );
}
