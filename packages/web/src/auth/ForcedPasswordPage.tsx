import { Button } from "antd";
import { useState } from "react";
import { Navigate, useLocation, useNavigate } from "react-router-dom";
import { usePageTitle } from "../components/hooks";
import { useT } from "../i18n/core";
import { useAuth } from "./AuthProvider";
import { ChangePasswordForm, PasswordIntro } from "./ChangePasswordForm";
import { IdleWatcher } from "./IdleWatcher";
import { authText } from "./i18n";
import { AuthCard } from "./LoginPage";

/** Shown right after login while the server says mustChangePassword: nothing else works until it is done. */
export default function ForcedPasswordPage() {
  const t = useT(authText);
  const { me, logout, takeLoginPassword } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  // Kept from the first render: a later redirect to this same page (a 403 password_change_required) carries no state.
  const [from] = useState(() => (location.state as { from?: string } | null)?.from ?? "/");
  const [known] = useState(() => takeLoginPassword());
  usePageTitle(t("changePasswordTitle"));
  if (!me) return <Navigate to="/login" replace />;
  if (!me.mustChangePassword) return <Navigate to={from} replace />;
  return (
    <AuthCard title={t("changePasswordTitle")}>
      <div data-testid="forced-password-page">
        <PasswordIntro forced />
        <ChangePasswordForm knownCurrent={known} onDone={() => navigate(from, { replace: true })} />
        <Button type="link" block style={{ marginTop: 8 }} onClick={() => void logout("signedOut")} data-testid="forced-logout">
          {t("signOut")}
        </Button>
      </div>
      <IdleWatcher timeoutMinutes={me.idleTimeoutMinutes} />
    </AuthCard>
  );
}
