import { CheckCircleFilled, ExclamationCircleFilled, SafetyOutlined, StopOutlined, SyncOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Space, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { ApiError, api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { normaliseRecoveryCode } from "../../auth/CodeInput";
import { TotpEnrollment } from "../../auth/TotpEnrollment";
import { useIdempotencyKey } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/core";
import { AccountNav } from "./AccountNav";
import { accountText } from "./i18n";

type Purpose = "disable" | "regenerate";

/** A 6-digit code as digits, a recovery code as ABCDE-FGHJK; null for anything else. */
function normaliseSecondFactor(v: string): string | null {
  const digits = v.replace(/\s/g, "");
  if (/^\d{6}$/.test(digits)) return digits;
  return normaliseRecoveryCode(v);
}

/**
 * Turning two-factor authentication off needs the password and a current code (or a recovery code).
 * "New phone / new recovery codes" is the same step followed at once by a new enrolment.
 */
function DisableModal({ purpose, onClose, onDisabled, onBlocked }: { purpose: Purpose | null; onClose: () => void; onDisabled: (p: Purpose) => void; onBlocked: () => void }) {
  const t = useT(accountText);
  const tc = useT(common);
  const showError = useApiError();
  const [form] = Form.useForm<{ password: string; code: string }>();
  const [busy, setBusy] = useState(false);
  const [blocked, setBlocked] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();

  useEffect(() => {
    if (purpose) {
      form.resetFields();
      setBlocked(false);
      renewKey();
    }
  }, [purpose, form, renewKey]);

  const submit = async (v: { password: string; code: string }) => {
    if (!purpose) return;
    setBusy(true);
    try {
      await api.post("/api/auth/totp/disable", { password: v.password, code: normaliseSecondFactor(v.code) ?? v.code.trim() }, { idempotencyKey: idemKey() });
      onDisabled(purpose);
    } catch (e) {
      if (e instanceof ApiError && e.code === "totp_required_by_policy") {
        setBlocked(true);
        onBlocked();
      } else {
        showError(e, { form });
        // A spent or wrong code is no use again: clear it, keep the reason under the field.
        if (e instanceof ApiError && e.errors.some((f) => f.field === "/code")) form.setFields([{ name: "code", value: "", errors: form.getFieldError("code") }]);
      }
    } finally {
      renewKey();
      setBusy(false);
    }
  };

  return (
    <Modal
      open={purpose !== null}
      title={purpose === "regenerate" ? t("regenTitle") : t("disableTitle")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={purpose === "regenerate" ? t("regenOk") : t("disableOk")}
      cancelText={tc("cancel")}
      okButtonProps={{ danger: true, disabled: blocked, "data-testid": "totp-disable-confirm" }}
      confirmLoading={busy}
      forceRender
    >
      <div data-testid="totp-disable-modal">
        <Typography.Paragraph>{purpose === "regenerate" ? t("regenText") : t("disableText")}</Typography.Paragraph>
        {blocked && <Alert type="error" showIcon title={t("policyBlocked")} style={{ marginBottom: 12 }} data-testid="totp-policy-blocked" />}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} autoComplete="off" disabled={blocked}>
          <input type="text" name="username" autoComplete="username" hidden readOnly />
          <Form.Item name="password" label={t("currentPassword")} rules={[{ required: true, message: t("currentPasswordRequired") }]}>
            <Input.Password autoComplete="current-password" maxLength={256} data-testid="totp-disable-password" />
          </Form.Item>
          <Form.Item
            name="code"
            label={t("codeOrRecovery")}
            extra={t("codeOrRecoveryHint")}
            rules={[
              { required: true, whitespace: true, message: t("codeOrRecoveryRequired") },
              { validator: (_, v: string) => (!v || normaliseSecondFactor(v) ? Promise.resolve() : Promise.reject(new Error(t("codeOrRecoveryRule")))) },
            ]}
          >
            <Input inputMode="text" autoComplete="one-time-code" maxLength={20} spellCheck={false} data-testid="totp-disable-code" />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}

/** The account's two-factor authentication (IAM-2, SEC-1): status, set up, turn off, replace. */
export default function TwoFactorPage() {
  const t = useT(accountText);
  const { me, refresh } = useAuth();
  const { message } = App.useApp();
  const [enrolling, setEnrolling] = useState(false);
  const [enabledHere, setEnabledHere] = useState(false);
  const [purpose, setPurpose] = useState<Purpose | null>(null);
  const [blockedByPolicy, setBlockedByPolicy] = useState(false);

  // `me` is cached for the whole session; the status may have changed elsewhere (another tab).
  useEffect(() => {
    refresh().catch(() => null);
  }, [refresh]);

  if (!me) return null;
  const on = me.totpEnabled;

  const onDisabled = async (p: Purpose) => {
    setPurpose(null);
    await refresh().catch(() => null);
    if (p === "regenerate") {
      message.warning(t("regenStarted"));
      setEnabledHere(false);
      setEnrolling(true);
    } else {
      message.success(t("disabled"));
    }
  };

  return (
    <>
      <PageHeader title={t("twoFactorTitle")} />
      <AccountNav />
      <Card style={{ maxWidth: 640 }} data-testid="two-factor-page">
        {enrolling ? (
          <>
            <TotpEnrollment
              username={me.username}
              onEnabled={() => setEnabledHere(true)}
              onDone={async () => {
                await refresh().catch(() => null);
                setEnrolling(false);
              }}
            />
            {!enabledHere && (
              <Button block type="link" style={{ marginTop: 8 }} onClick={() => setEnrolling(false)} data-testid="totp-cancel">
                {t("cancelSetup")}
              </Button>
            )}
          </>
        ) : (
          <>
            <Descriptions
              column={1}
              size="small"
              bordered
              styles={{ label: { width: 140 } }}
              items={[
                {
                  key: "status",
                  label: t("status"),
                  children: on ? (
                    <Tag icon={<CheckCircleFilled />} color="success" data-testid="totp-status" data-enabled="true">
                      {t("statusOn")}
                    </Tag>
                  ) : (
                    <Tag icon={<ExclamationCircleFilled />} color="warning" data-testid="totp-status" data-enabled="false">
                      {t("statusOff")}
                    </Tag>
                  ),
                },
              ]}
              style={{ marginBottom: 12 }}
            />
            <Typography.Paragraph>{on ? t("onText") : t("offText")}</Typography.Paragraph>
            {blockedByPolicy && <Alert type="info" showIcon title={t("policyBlocked")} style={{ marginBottom: 12 }} />}
            <Space wrap>
              {on ? (
                <>
                  <Button icon={<SyncOutlined />} onClick={() => setPurpose("regenerate")} disabled={blockedByPolicy} data-testid="totp-regenerate">
                    {t("regenerate")}
                  </Button>
                  <Button danger icon={<StopOutlined />} onClick={() => setPurpose("disable")} disabled={blockedByPolicy} data-testid="totp-disable">
                    {t("turnOff")}
                  </Button>
                </>
              ) : (
                <Button
                  type="primary"
                  icon={<SafetyOutlined />}
                  onClick={() => {
                    setEnabledHere(false);
                    setEnrolling(true);
                  }}
                  data-testid="totp-setup"
                >
                  {t("setUp")}
                </Button>
              )}
            </Space>
          </>
        )}
      </Card>
      <DisableModal purpose={purpose} onClose={() => setPurpose(null)} onDisabled={onDisabled} onBlocked={() => setBlockedByPolicy(true)} />
    </>
  );
}
