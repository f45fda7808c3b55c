import { Alert, Button } from "antd";
import { useState } from "react";
import { Navigate, useLocation, useNavigate } from "react-router-dom";
import { usePageTitle } from "../components/hooks";
import { useT } from "../i18n/core";
import { useAuth } from "./AuthProvider";
import { IdleWatcher } from "./IdleWatcher";
import { authText, mfaText } from "./i18n";
import { AuthCard } from "./LoginPage";
import { TotpEnrollment } from "./TotpEnrollment";

/**
 * Shown while the server says mustEnrollTotp (the security policy requires two-factor authentication
 * for one of the user's roles): every other request is refused until it is set up.
 */
export default function ForcedTotpPage() {
  const t = useT(mfaText);
  const ta = useT(authText);
  const { me, logout, refresh } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [from] = useState(() => (location.state as { from?: string } | null)?.from ?? "/");
  // Once enabled here, `me` may refresh (idle watcher) before the recovery codes are saved: stay until "Done".
  const [enabledHere, setEnabledHere] = useState(false);
  usePageTitle(t("enrollTitle"));
  if (!me) return <Navigate to="/login" replace />;
  if (me.mustChangePassword) return <Navigate to="/change-password" replace state={{ from }} />;
  if (!me.mustEnrollTotp && !enabledHere) return <Navigate to={from} replace />;

  return (
    <AuthCard title={t("enrollTitle")} width={480}>
      <div data-testid="forced-totp-page">
        <Alert type="warning" showIcon title={t("forcedIntro")} style={{ marginBottom: 16 }} />
        <TotpEnrollment
          username={me.username}
          onEnabled={() => setEnabledHere(true)}
          onDone={async () => {
            await refresh().catch(() => null);
            navigate(from, { replace: true });
          }}
        />
        {!enabledHere && (
          <Button type="link" block style={{ marginTop: 8 }} onClick={() => void logout("signedOut")} data-testid="forced-totp-logout">
            {ta("signOut")}
          </Button>
        )}
      </div>
      <IdleWatcher timeoutMinutes={me.idleTimeoutMinutes} />
    </AuthCard>
  );
}
