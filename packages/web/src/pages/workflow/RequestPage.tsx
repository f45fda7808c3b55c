import { CheckOutlined, CloseOutlined, RollbackOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Modal, Row, Space, Typography } from "antd";
import { useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { formatDateTime } from "../../components/format";
import { useIdempotencyKey } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { NotFound, PageSpin } from "../../components/Results";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import type { RequestDetail } from "./api";
import { wfText } from "./i18n";
import { ActionTimeline, formatAmount, GrantPanel, LevelSteps, RegistrationPanel, RequestStatusTag, useDocTypeName } from "./parts";

type Decision = "approve" | "reject" | "withdraw";

function DecisionModal({ request, decision, onClose }: { request: RequestDetail; decision: Decision | null; onClose: () => void }) {
  const t = useT(wfText);
  const tc = useT(common);
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ text?: string }>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const level = request.currentLevel ?? 0;
  const last = level === request.levelCount;

  const submit = async (v: { text?: string }) => {
    if (!decision) return;
    setBusy(true);
    try {
      const text = v.text?.trim();
      const body =
        decision === "approve"
          ? { level, ...(text ? { comment: text } : {}) }
          : decision === "reject"
            ? { level, reason: text ?? "" }
            : text
              ? { reason: text }
              : {};
      await api.post(`/api/workflow/requests/${request.id}/${decision}`, body, { idempotencyKey: idemKey() });
      renewKey();
      message.success(t(decision === "approve" ? "approved" : decision === "reject" ? "rejected" : "withdrawn"));
      await qc.invalidateQueries({ queryKey: ["workflow"] });
      onClose();
    } catch (e) {
      // Someone else decided first, or the level moved on: show the request as it is now.
      showError(e, { form, fieldMap: { "/reason": ["text"], "/comment": ["text"] } });
      void qc.invalidateQueries({ queryKey: ["workflow", "request", request.id] });
    } finally {
      setBusy(false);
    }
  };

  const title =
    decision === "approve" ? t("approveTitle", { level }) : decision === "reject" ? t("rejectTitle", { level }) : t("withdrawTitle");
  return (
    <Modal
      open={decision !== null}
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={decision ? t(decision) : tc("ok")}
      cancelText={tc("cancel")}
      okButtonProps={{ danger: decision !== "approve", "data-testid": "decision-confirm" }}
      confirmLoading={busy}
      destroyOnHidden
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={submit} preserve={false} data-testid="decision-form">
        <Typography.Paragraph>
          {decision === "approve" ? t(last ? "approveFinalText" : "approveText") : decision === "reject" ? t("rejectText") : t("withdrawText")}
        </Typography.Paragraph>
        {decision !== "withdraw" && request.viewer.onBehalfOf && (
          <Alert type="info" showIcon title={t("approveOnBehalf", { name: request.viewer.onBehalfOf.name })} style={{ marginBottom: 12 }} />
        )}
        <Form.Item
          name="text"
          label={decision === "approve" ? t("comment") : decision === "reject" ? t("rejectReason") : t("withdrawReason")}
          rules={decision === "reject" ? [{ required: true, whitespace: true, message: t("rejectReasonRequired") }] : []}
        >
          <Input.TextArea rows={3} maxLength={1000} showCount data-testid="decision-text" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function RequestPage() {
  const t = useT(wfText);
  const { lang } = useLang();
  const navigate = useNavigate();
  const docTypeName = useDocTypeName();
  const id = Number(useParams().id);
  const [decision, setDecision] = useState<Decision | null>(null);
  const { data, isLoading, error } = useQuery({
    queryKey: ["workflow", "request", id],
    queryFn: () => api.get<RequestDetail>(`/api/workflow/requests/${id}`),
    enabled: Number.isInteger(id) && id > 0,
  });
  if (!Number.isInteger(id) || id <= 0 || (error && (error as { status?: number }).status === 404)) return <NotFound />;
  if (isLoading || !data) return <PageSpin />;
  const r = data;
  const blocked = r.viewer.blockedReason;

  return (
    <>
      <PageHeader
        title={t("requestTitle", { number: r.number })}
        onBack={() => navigate("/workflow/inbox")}
        sub={<RequestStatusTag status={r.status} />}
        extra={
          r.canWithdraw && (
            <Button icon={<RollbackOutlined />} onClick={() => setDecision("withdraw")} data-testid="request-withdraw">
              {t("withdraw")}
            </Button>
          )
        }
      />
      {r.viewer.canDecide ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="decision-bar"
          title={
            <Space wrap>
              <strong>{t("youDecide")}</strong>
              <span>
                {t("levelOf", { level: r.currentLevel ?? 0, count: r.levelCount })} · {pickName(lang, r.levelNameZh, r.levelNameEn)}
              </span>
              {r.viewer.onBehalfOf && <span>· {t("onBehalfOf", { name: r.viewer.onBehalfOf.name })}</span>}
            </Space>
          }
          action={
            <Space>
              <Button type="primary" icon={<CheckOutlined />} onClick={() => setDecision("approve")} data-testid="request-approve">
                {t("approve")}
              </Button>
              <Button danger icon={<CloseOutlined />} onClick={() => setDecision("reject")} data-testid="request-reject">
                {t("reject")}
              </Button>
            </Space>
          }
        />
      ) : (
        r.status === "pending" &&
        blocked && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t(`blocked_${blocked}`)} data-testid="decision-blocked" />
      )}
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" style={{ width: "100%" }} size={12}>
            <Card size="small" title={t("requestInfo")}>
              <Descriptions
                size="small"
                bordered
                column={{ xs: 1, md: 2 }}
                items={[
                  { key: "t", label: t("docType"), children: docTypeName(r.docType, r.docTypeLabel) },
                  { key: "n", label: t("number"), children: r.number },
                  { key: "s", label: t("summary"), span: 2, children: <span data-testid="request-summary">{pickName(lang, r.summaryZh, r.summaryEn)}</span> },
                  ...(r.amount !== null ? [{ key: "a", label: t("amount"), children: formatAmount(r.amount) }] : []),
                  { key: "m", label: t("maker"), children: r.makerName },
                  { key: "d", label: t("department"), children: pickName(lang, r.departmentNameZh, r.departmentNameEn) || "—" },
                  { key: "sub", label: t("submittedAt"), children: formatDateTime(r.submittedAt) },
                  ...(r.closedAt ? [{ key: "c", label: t("closedAt"), children: formatDateTime(r.closedAt) }] : []),
                  {
                    key: "ch",
                    label: t("chain"),
                    span: 2,
                    children: t("chainRevision", { name: pickName(lang, r.chainNameZh, r.chainNameEn), revision: r.chainRevision }),
                  },
                ]}
              />
            </Card>
            {r.document && (
              <Card size="small" title={t("document")}>
                {r.document.kind === "registration" ? <RegistrationPanel doc={r.document} requestId={r.id} /> : <GrantPanel doc={r.document} />}
              </Card>
            )}
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Space orientation="vertical" style={{ width: "100%" }} size={12}>
            <Card size="small" title={t("levels")}>
              <LevelSteps steps={r.steps} t={t} />
            </Card>
            <Card size="small" title={t("history")}>
              <ActionTimeline actions={r.actions} />
            </Card>
          </Space>
        </Col>
      </Row>
      <DecisionModal request={r} decision={decision} onClose={() => setDecision(null)} />
    </>
  );
}
