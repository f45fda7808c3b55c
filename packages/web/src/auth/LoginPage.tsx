import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { ApiError } from "../api/client";
import { usePageTitle } from "../components/hooks";
import { LangSwitch } from "../components/LangSwitch";
import { common } from "../i18n/common";
import { useT } from "../i18n/core";
import { type AuthMe, useAuth } from "./AuthProvider";
import { authText, mfaText } from "./i18n";
import { SecondFactorForm, type SecondFactorMode } from "./SecondFactorForm";
import { regText } from "../pages/registration/i18n";

const NOTICES = {
  idle: "noticeIdle",
  expired: "noticeExpired",
  signedOut: "noticeSignedOut",
  passwordChanged: "noticePasswordChanged",
} as const;

export function AuthCard({ title, children, width = 400 }: { title: string; children: React.ReactNode; width?: number }) {
  const t = useT(authText);
  return (
    <div className="kw-login-bg">
      <div style={{ position: "fixed", top: 12, right: 16 }}>
        <LangSwitch type="default" />
      </div>
      <Card style={{ width, maxWidth: "100%", boxShadow: "0 8px 24px rgba(31,35,41,0.08)" }}>
        <div style={{ textAlign: "center", marginBottom: 24 }}>
          <img src="/favicon.svg" alt="" width={44} height={44} />
          <Typography.Title level={3} style={{ margin: "8px 0 0" }}>
            开物 Kaiwu
          </Typography.Title>
          <Typography.Text type="secondary">{t("loginSubtitle")}</Typography.Text>
        </div>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {title}
        </Typography.Title>
        {children}
      </Card>
    </div>
  );
}

/** Where a fresh session goes: the forced pages first (password, then two-factor set-up), else back to where it was. */
function nextPath(me: AuthMe, from: string | undefined): { to: string; state?: { from?: string } } {
  if (me.mustChangePassword) return { to: "/change-password", state: { from } };
  if (me.mustEnrollTotp) return { to: "/setup-2fa", state: { from } };
  return { to: from ?? "/" };
}

export default function LoginPage() {
  const t = useT(authText);
  const tc = useT(common);
  const tr = useT(regText);
  const tm = useT(mfaText);
  const { notification } = App.useApp();
  const { me, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Password accepted, second factor pending: kept in memory only, for the resubmission with the code.
  const [pending, setPending] = useState<{ username: string; password: string } | null>(null);
  const [attempt, setAttempt] = useState(0);
  usePageTitle(pending ? tm("codeTitle") : t("loginTitle"));

  const from = (location.state as { from?: string } | null)?.from;
  const reason = params.get("reason") as keyof typeof NOTICES | null;
  const notice = reason && NOTICES[reason] ? t(NOTICES[reason]) : null;

  if (me && !busy) {
    const next = nextPath(me, from);
    return <Navigate to={next.to} replace state={next.state} />;
  }

  const errorText = (e: unknown, mode: SecondFactorMode | null): string => {
    if (!(e instanceof ApiError)) return tc("unexpectedError", { code: String(e) });
    switch (e.code) {
      case "network_error":
        return tc("networkError");
      case "login_failed":
        return tm("errLoginFailed");
      case "account_locked":
        return tm("errLocked");
      case "login_throttled":
        return tm("errThrottled");
      case "totp_failed":
        return mode === "recovery" ? tm("errRecoveryFailed") : tm("errTotpFailed");
      default:
        return e.detail || tc("unexpectedError", { code: e.code });
    }
  };

  const signIn = async (username: string, password: string, code?: string, mode: SecondFactorMode | null = null) => {
    setBusy(true);
    setError(null);
    try {
      const fresh = await login(username, password, code);
      setPending(null);
      if (mode === "recovery") notification.warning({ title: tm("recoveryUsed"), duration: 0, key: "recovery-used", placement: "bottomRight" });
      const next = nextPath(fresh, from);
      navigate(next.to, { replace: true, state: next.state });
    } catch (e) {
      if (e instanceof ApiError && e.code === "totp_required") {
        setPending({ username, password });
        return;
      }
      // A locked account or a throttled address cannot be fixed by typing another code: back to the start.
      if (mode && e instanceof ApiError && e.code !== "totp_failed" && e.status !== 0) setPending(null);
      setError(errorText(e, mode));
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  const submit = (v: { username: string; password: string }) => signIn(v.username.trim(), v.password);

  if (pending) {
    return (
      <AuthCard title={tm("codeTitle")}>
        <SecondFactorForm
          username={pending.username}
          busy={busy}
          error={error}
          attempt={attempt}
          onSubmit={(code, mode) => void signIn(pending.username, pending.password, code, mode)}
          onBack={() => {
            setPending(null);
            setError(null);
          }}
        />
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t("loginTitle")}>
      {notice && !error && (
        <Alert type={reason === "idle" || reason === "expired" ? "warning" : "success"} showIcon title={notice} style={{ marginBottom: 16 }} data-testid="login-notice" />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
      <Form layout="vertical" onFinish={submit} requiredMark={false} data-testid="login-form">
        <Form.Item name="username" label={t("username")} rules={[{ required: true, whitespace: true, message: t("usernameRequired") }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" maxLength={64} />
        </Form.Item>
        <Form.Item name="password" label={t("password")} rules={[{ required: true, message: t("passwordRequired") }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" maxLength={256} />
        </Form.Item>
        <Form.Item style={{ marginBottom: 0 }}>
          <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="login-submit">
            {t("signIn")}
          </Button>
        </Form.Item>
      </Form>
      <div style={{ marginTop: 16, textAlign: "center" }}>
        <Typography.Text type="secondary">{tr("noAccount")} </Typography.Text>
        <Link to="/register" data-testid="login-apply">
          {tr("applyLink")}
        </Link>
        <Typography.Text type="secondary"> · </Typography.Text>
        <Link to="/register/status" data-testid="login-application-status">
          {tr("checkStatus")}
        </Link>
      </div>
    </AuthCard>
  );
}
