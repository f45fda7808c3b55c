import { Alert, App, Button, Form, Input } from "antd";
import { useState } from "react";
import { api } from "../api/client";
import { useApiError } from "../api/errors";
import { useIdempotencyKey } from "../components/hooks";
import { useT } from "../i18n/core";
import { useAuth } from "./AuthProvider";
import { authText } from "./i18n";
import { PasswordPolicyHint, usePasswordPolicy, usePolicyRules } from "./passwordPolicy";

interface Values {
  currentPassword?: string;
  newPassword: string;
  confirmPassword: string;
}

/**
 * New password twice (and the current one unless it is known from the login just now).
 * The company's rules (GET /api/auth/password-policy) are shown under "New password" and checked as the
 * user types; the server checks them again and its field errors land under the same field.
 */
export function ChangePasswordForm({ knownCurrent, onDone }: { knownCurrent: string | null; onDone: () => void }) {
  const t = useT(authText);
  const [form] = Form.useForm<Values>();
  const showError = useApiError();
  const { refresh } = useAuth();
  const { message } = App.useApp();
  const [idemKey, renewKey] = useIdempotencyKey();
  const [busy, setBusy] = useState(false);
  const policy = usePasswordPolicy();
  const policyRules = usePolicyRules(policy.data);

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      await api.post(
        "/api/auth/password",
        { currentPassword: knownCurrent ?? v.currentPassword ?? "", newPassword: v.newPassword },
        { idempotencyKey: idemKey() },
      );
      renewKey();
      message.success(t("passwordChanged"));
      await refresh();
      onDone();
    } catch (e) {
      renewKey();
      showError(e, { form });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} data-testid="password-form" autoComplete="off">
      {/* Lets password managers pair the new password with the account. */}
      <input type="text" name="username" autoComplete="username" hidden readOnly />
      {knownCurrent === null && (
        <Form.Item name="currentPassword" label={t("currentPassword")} rules={[{ required: true, message: t("currentPasswordRequired") }]}>
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
      )}
      <Form.Item
        name="newPassword"
        label={t("newPassword")}
        extra={<PasswordPolicyHint policy={policy.data} />}
        rules={[
          { required: true, message: t("newPasswordRequired") },
          ...policyRules,
          ({ getFieldValue }) => ({
            validator: (_, value: string) =>
              value && (knownCurrent ?? getFieldValue("currentPassword")) === value ? Promise.reject(new Error(t("passwordSameAsOld"))) : Promise.resolve(),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-new" />
      </Form.Item>
      <Form.Item
        name="confirmPassword"
        label={t("confirmPassword")}
        dependencies={["newPassword"]}
        rules={[
          { required: true, message: t("confirmPasswordRequired") },
          ({ getFieldValue }) => ({
            validator: (_, value: string) =>
              !value || getFieldValue("newPassword") === value ? Promise.resolve() : Promise.reject(new Error(t("passwordMismatch"))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-confirm" />
      </Form.Item>
      <Form.Item style={{ marginBottom: 0 }}>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="password-submit">
          {t("changePasswordSubmit")}
        </Button>
      </Form.Item>
    </Form>
  );
}

export function PasswordIntro({ forced }: { forced: boolean }) {
  const t = useT(authText);
  return <Alert type={forced ? "warning" : "info"} showIcon title={forced ? t("forcedIntro") : t("voluntaryIntro")} style={{ marginBottom: 16 }} />;
}
