import { Alert, App, Button, Descriptions, Form, Input, Result, Space, Tag } from "antd";
import { useEffect, useState } from "react";
import { Link, useLocation } from "react-router-dom";
import { ApiError } from "../../api/client";
import { useApiError } from "../../api/errors";
import { formatDateTime } from "../../components/format";
import { pickName, useLang, useT } from "../../i18n/core";
import { type ApplicationStatus, publicRequest } from "./api";
import { regText } from "./i18n";
import { PublicShell } from "./PublicShell";

const NUMBER_RE = /^\s*REG-[0-9A-Z]{8}\s*$/i;
const STATUS_COLOR = { pending: "processing", approved: "success", rejected: "error" } as const;

export default function StatusPage() {
  const t = useT(regText);
  const { lang } = useLang();
  const { message } = App.useApp();
  const showError = useApiError();
  const location = useLocation();
  const [form] = Form.useForm<{ number: string; email: string }>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ApplicationStatus | null>(null);
  const [missing, setMissing] = useState(false);

  const lookUp = async (v: { number: string; email: string }) => {
    setBusy(true);
    setMissing(false);
    try {
      setResult(await publicRequest<ApplicationStatus>("POST", "/api/public/registrations/status", { number: v.number.trim().toUpperCase(), email: v.email.trim() }));
    } catch (e) {
      setResult(null);
      if (e instanceof ApiError && e.status === 404) setMissing(true);
      else if (e instanceof ApiError && e.status === 429) message.error(t("tooMany"));
      else showError(e, { form });
    } finally {
      setBusy(false);
    }
  };

  // Coming straight from the application: number and address are known, show the outcome at once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, for the state the page was opened with
  useEffect(() => {
    const given = location.state as { number?: string; email?: string } | null;
    if (given?.number && given.email) {
      form.setFieldsValue({ number: given.number, email: given.email });
      void lookUp({ number: given.number, email: given.email });
    }
  }, []);

  return (
    <PublicShell title={t("statusTitle")} width={520}>
      <Form form={form} layout="vertical" onFinish={lookUp} requiredMark={false} data-testid="status-form">
        <Form.Item
          name="number"
          label={t("number")}
          normalize={(v: string) => v?.toUpperCase()}
          rules={[
            { required: true, message: t("numberRequired") },
            { pattern: NUMBER_RE, message: t("numberRule") },
          ]}
        >
          <Input maxLength={20} placeholder="REG-7K3M9QX2" data-testid="status-number" />
        </Form.Item>
        <Form.Item name="email" label={t("email")} rules={[{ required: true, type: "email", message: t("emailRule") }]}>
          <Input maxLength={200} data-testid="status-email" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="status-submit">
          {t("lookUp")}
        </Button>
      </Form>
      {missing && <Alert type="warning" showIcon title={t("notFound")} style={{ marginTop: 16 }} data-testid="status-missing" />}
      {result && (
        <div style={{ marginTop: 16 }} data-testid="status-result" data-status={result.status}>
          <Result
            status={result.status === "approved" ? "success" : result.status === "rejected" ? "error" : "info"}
            title={
              <Space>
                {result.number}
                <Tag color={STATUS_COLOR[result.status]} data-testid="status-tag">
                  {t(`status_${result.status}`)}
                </Tag>
              </Space>
            }
            subTitle={
              result.status === "pending"
                ? t("pendingText", { level: result.currentLevel ?? 1, count: result.levelCount, levelName: pickName(lang, result.levelNameZh, result.levelNameEn) })
                : result.status === "approved"
                  ? t("approvedText")
                  : t("rejectedText")
            }
            extra={
              result.status === "approved" ? (
                <Link to="/login">
                  <Button type="primary" data-testid="status-sign-in">
                    {t("signIn")}
                  </Button>
                </Link>
              ) : result.status === "rejected" ? (
                <Link to="/register">
                  <Button>{t("applyAgain")}</Button>
                </Link>
              ) : undefined
            }
            style={{ padding: "8px 0" }}
          />
          {result.status === "rejected" && result.reason && (
            <Alert type="error" title={t("reason")} description={result.reason} style={{ marginBottom: 12 }} data-testid="status-reason" />
          )}
          <Descriptions
            size="small"
            bordered
            column={1}
            items={[
              { key: "n", label: t("fullName"), children: result.fullName },
              { key: "u", label: t("accountName"), children: result.username },
              { key: "d", label: t("department"), children: pickName(lang, result.departmentNameZh, result.departmentNameEn) },
              { key: "j", label: t("jobTitle"), children: result.jobTitle },
              { key: "s", label: t("submittedAt"), children: formatDateTime(result.submittedAt) },
              ...(result.decidedAt ? [{ key: "x", label: t("decidedAt"), children: formatDateTime(result.decidedAt) }] : []),
            ]}
          />
        </div>
      )}
    </PublicShell>
  );
}
