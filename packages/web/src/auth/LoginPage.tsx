import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { Navigate, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { ApiError } from "../api/client";
import { usePageTitle } from "../components/hooks";
import { LangSwitch } from "../components/LangSwitch";
import { common } from "../i18n/common";
import { useT } from "../i18n/core";
import { useAuth } from "./AuthProvider";
import { authText } from "./i18n";

const NOTICES = {
  idle: "noticeIdle",
  expired: "noticeExpired",
  signedOut: "noticeSignedOut",
  passwordChanged: "noticePasswordChanged",
} as const;

export function AuthCard({ title, children }: { title: string; children: React.ReactNode }) {
  const t = useT(authText);
  return (
    <div className="kw-login-bg">
      <div style={{ position: "fixed", top: 12, right: 16 }}>
        <LangSwitch type="default" />
      </div>
      <Card style={{ width: 400, maxWidth: "100%", boxShadow: "0 8px 24px rgba(31,35,41,0.08)" }}>
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

export default function LoginPage() {
  const t = useT(authText);
  const tc = useT(common);
  const { me, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  usePageTitle(t("loginTitle"));

  const from = (location.state as { from?: string } | null)?.from;
  const reason = params.get("reason") as keyof typeof NOTICES | null;
  const notice = reason && NOTICES[reason] ? t(NOTICES[reason]) : null;

  if (me && !busy) {
    return me.mustChangePassword ? <Navigate to="/change-password" replace state={{ from }} /> : <Navigate to={from ?? "/"} replace />;
  }

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const fresh = await login(v.username.trim(), v.password);
      if (fresh.mustChangePassword) navigate("/change-password", { replace: true, state: { from } });
      else navigate(from ?? "/", { replace: true });
    } catch (e) {
      if (e instanceof ApiError) setError(e.status === 0 ? tc("networkError") : e.detail || tc("unexpectedError", { code: e.code }));
      else setError(tc("unexpectedError", { code: String(e) }));
    } finally {
      setBusy(false);
    }
  };

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
    </AuthCard>
  );
}
