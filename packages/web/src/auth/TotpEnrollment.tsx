import { ReloadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Descriptions, Form, type InputRef, Spin, Steps, Typography } from "antd";
import { toDataURL } from "qrcode";
import { useEffect, useRef, useState } from "react";
import { ApiError, api } from "../api/client";
import { useApiError } from "../api/errors";
import { useIdempotencyKey } from "../components/hooks";
import { useT } from "../i18n/core";
import { CodeInput } from "./CodeInput";
import { mfaText } from "./i18n";
import { RecoveryCodes } from "./RecoveryCodes";

interface Setup {
  secret: string;
  uri: string;
}

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP": easier to type into a phone by hand. */
export function groupSecret(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(" ");
}

/**
 * Enrolment in three steps: an authenticator app, the new secret as a QR code / key confirmed with a code
 * (POST /api/auth/totp/setup, /enable), and the recovery codes shown once. Nothing is on until a code
 * from the app proves it holds the secret.
 */
export function TotpEnrollment({
  username,
  onEnabled,
  onDone,
}: {
  username: string;
  /** Two-factor authentication is on now (the recovery codes are still on screen). */
  onEnabled?: () => void;
  /** The user confirmed having saved the recovery codes. */
  onDone: () => void;
}) {
  const t = useT(mfaText);
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<{ code: string }>();
  const [step, setStep] = useState<0 | 1 | 2>(0);
  const [setup, setSetup] = useState<Setup | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [setupError, setSetupError] = useState<string | null>(null);
  const [idemKey, renewKey] = useIdempotencyKey();
  const codeRef = useRef<InputRef>(null);

  useEffect(() => {
    if (!setup) return;
    let live = true;
    setQr(null);
    toDataURL(setup.uri, { errorCorrectionLevel: "M", margin: 1, width: 200 })
      .then((url) => live && setQr(url))
      .catch(() => live && setQr(null));
    return () => {
      live = false;
    };
  }, [setup]);

  const start = async () => {
    setBusy(true);
    setSetupError(null);
    try {
      const s = await api.post<Setup>("/api/auth/totp/setup", {}, { idempotencyKey: idemKey() });
      setSetup(s);
      form.resetFields();
      setStep(1);
    } catch (e) {
      if (e instanceof ApiError && e.status !== 0 && e.status < 500) setSetupError(e.detail || e.code);
      else showError(e);
    } finally {
      // "Start over" must be a new secret, not the stored answer of the last start.
      renewKey();
      setBusy(false);
    }
  };

  const confirm = async ({ code }: { code: string }) => {
    if (busy) return;
    setBusy(true);
    try {
      const res = await api.post<{ enabled: boolean; recoveryCodes: string[] }>("/api/auth/totp/enable", { code }, { idempotencyKey: idemKey() });
      renewKey();
      setCodes(res.recoveryCodes);
      setStep(2);
      message.success(t("enabled"));
      onEnabled?.();
    } catch (e) {
      renewKey();
      showError(e, { form });
      // The same code cannot work twice: empty the box for the next one, keeping the server's reason under it.
      form.setFields([{ name: "code", value: "", errors: form.getFieldError("code") }]);
      codeRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="totp-enrollment">
      <Steps
        size="small"
        current={step}
        style={{ marginBottom: 20 }}
        items={[{ title: t("stepApp") }, { title: t("stepScan") }, { title: t("stepCodes") }]}
      />
      {step === 0 && (
        <div data-testid="totp-step-app">
          <Typography.Paragraph>{t("whatIs")}</Typography.Paragraph>
          <Typography.Paragraph>{t("appIntro")}</Typography.Paragraph>
          {setupError && <Alert type="error" showIcon title={setupError} style={{ marginBottom: 12 }} data-testid="totp-setup-error" />}
          <Button type="primary" block onClick={start} loading={busy} data-testid="totp-start">
            {t("haveApp")}
          </Button>
        </div>
      )}
      {step === 1 && setup && (
        <div data-testid="totp-step-scan">
          <Typography.Paragraph>{t("scanIntro")}</Typography.Paragraph>
          <div style={{ display: "flex", justifyContent: "center", marginBottom: 12 }}>
            <div style={{ width: 200, height: 200, display: "flex", alignItems: "center", justifyContent: "center", border: "1px solid #eceef1", borderRadius: 6 }}>
              {qr ? <img src={qr} alt={t("qrAlt")} width={200} height={200} data-testid="totp-qr" /> : <Spin />}
            </div>
          </div>
          <Descriptions
            size="small"
            column={1}
            bordered
            styles={{ label: { width: 96, whiteSpace: "nowrap" } }}
            style={{ marginBottom: 8 }}
            items={[
              { key: "account", label: t("accountLabel"), children: `Kaiwu: ${username}` },
              {
                key: "secret",
                label: t("secretLabel"),
                children: (
                  <Typography.Text
                    copyable={{ text: setup.secret }}
                    data-testid="totp-secret"
                    style={{ fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: 15, wordBreak: "break-all" }}
                  >
                    {groupSecret(setup.secret)}
                  </Typography.Text>
                ),
              },
              { key: "type", label: t("keyType"), children: t("keyDetails") },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t("secretWarning")}
          </Typography.Paragraph>
          <Form form={form} layout="vertical" onFinish={confirm} requiredMark={false} data-testid="totp-confirm-form" autoComplete="off">
            <Form.Item name="code" label={t("confirmLabel")} rules={[{ required: true, len: 6, message: t("codeRequired") }]}>
              <CodeInput ref={codeRef} autoFocus testId="totp-code" ariaLabel={t("confirmLabel")} onComplete={() => form.submit()} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="totp-confirm">
              {t("confirm")}
            </Button>
          </Form>
          <Button type="link" block icon={<ReloadOutlined />} onClick={start} disabled={busy} style={{ marginTop: 4 }} data-testid="totp-restart">
            {t("restart")}
          </Button>
        </div>
      )}
      {step === 2 && codes && <RecoveryCodes codes={codes} username={username} onDone={onDone} />}
    </div>
  );
}
