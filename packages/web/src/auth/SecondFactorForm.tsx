import { KeyOutlined } from "@ant-design/icons";
import { Alert, Button, Form, Input, type InputRef, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { useT } from "../i18n/core";
import { CodeInput, normaliseRecoveryCode } from "./CodeInput";
import { mfaText } from "./i18n";

export type SecondFactorMode = "totp" | "recovery";

/**
 * The login's second step: the 6-digit code from the authenticator app (submitted as soon as six digits
 * are in), or one recovery code. The password stays with the caller, in memory only.
 */
export function SecondFactorForm({
  username,
  busy,
  error,
  attempt,
  onSubmit,
  onBack,
}: {
  username: string;
  busy: boolean;
  error: string | null;
  /** Bumped after each failed try: clears and refocuses the box. */
  attempt: number;
  onSubmit: (code: string, mode: SecondFactorMode) => void;
  onBack: () => void;
}) {
  const t = useT(mfaText);
  const [mode, setMode] = useState<SecondFactorMode>("totp");
  const [form] = Form.useForm<{ code: string }>();
  const codeRef = useRef<InputRef>(null);
  const recoveryRef = useRef<InputRef>(null);

  useEffect(() => {
    if (attempt === 0) return;
    form.resetFields();
    (mode === "totp" ? codeRef : recoveryRef).current?.focus();
  }, [attempt, form, mode]);

  const switchMode = (next: SecondFactorMode) => {
    form.resetFields();
    setMode(next);
  };

  const submit = ({ code }: { code: string }) => {
    if (busy) return;
    onSubmit(mode === "totp" ? code : (normaliseRecoveryCode(code) ?? code.trim()), mode);
  };

  return (
    <div data-testid="login-code-step" data-mode={mode}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
      <Typography.Paragraph>{mode === "totp" ? t("codeIntro", { user: username }) : t("recoveryIntro")}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} data-testid="login-code-form" autoComplete="off">
        {mode === "totp" ? (
          <Form.Item name="code" label={t("codeLabel")} rules={[{ required: true, len: 6, message: t("codeRequired") }]}>
            <CodeInput ref={codeRef} autoFocus testId="login-code" ariaLabel={t("codeLabel")} onComplete={() => form.submit()} />
          </Form.Item>
        ) : (
          <Form.Item
            name="code"
            label={t("recoveryLabel")}
            rules={[
              { required: true, whitespace: true, message: t("recoveryRequired") },
              { validator: (_, v: string) => (!v || normaliseRecoveryCode(v) ? Promise.resolve() : Promise.reject(new Error(t("recoveryRule")))) },
            ]}
          >
            <Input
              ref={recoveryRef}
              autoFocus
              prefix={<KeyOutlined />}
              placeholder="ABCDE-FGHJK"
              maxLength={20}
              autoComplete="off"
              spellCheck={false}
              size="large"
              style={{ fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", letterSpacing: 1 }}
              data-testid="login-recovery"
            />
          </Form.Item>
        )}
        <Form.Item style={{ marginBottom: 8 }}>
          <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="login-code-submit">
            {t("verify")}
          </Button>
        </Form.Item>
      </Form>
      <Button type="link" block onClick={() => switchMode(mode === "totp" ? "recovery" : "totp")} data-testid="login-code-mode">
        {mode === "totp" ? t("useRecovery") : t("useApp")}
      </Button>
      {mode === "recovery" && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, textAlign: "center", marginBottom: 4 }}>
          {t("lostDevice")}
        </Typography.Paragraph>
      )}
      <Button type="link" block onClick={onBack} data-testid="login-code-back">
        {t("backToPassword")}
      </Button>
    </div>
  );
}
