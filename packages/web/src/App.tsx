import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { Button, ConfigProvider, Result, theme } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { lazy, type ReactNode, Suspense, useEffect } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router-dom";
import { ApiError } from "./api/client";
import { AuthProvider, useAuth } from "./auth/AuthProvider";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { useMediaQuery } from "./components/hooks";
import { PageSpin } from "./components/Results";
import { common } from "./i18n/common";
import { LangProvider, onLangChange, useLang, useT } from "./i18n/core";

const LoginPage = lazy(() => import("./auth/LoginPage"));
const ForcedPasswordPage = lazy(() => import("./auth/ForcedPasswordPage"));
const ForcedTotpPage = lazy(() => import("./auth/ForcedTotpPage"));
const AppLayout = lazy(() => import("./layout/AppLayout"));
const ApplyPage = lazy(() => import("./pages/registration/ApplyPage"));
const ApplicationStatusPage = lazy(() => import("./pages/registration/StatusPage"));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      refetchOnWindowFocus: false,
      staleTime: 15_000,
      // Client errors (403, 404, 422…) do not get better by asking again.
      retry: (count, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && count < 2,
    },
  },
});

const FONT =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

function FullPage({ children }: { children: ReactNode }) {
  return <div style={{ minHeight: "100vh", display: "flex", alignItems: "center", justifyContent: "center" }}>{children}</div>;
}

function MeLoadError() {
  const t = useT(common);
  const qc = useQueryClient();
  return (
    <FullPage>
      <Result
        status="error"
        title={t("loadFailed")}
        subTitle={t("networkError")}
        extra={
          <Button type="primary" onClick={() => qc.resetQueries({ queryKey: ["me"] })}>
            {t("retry")}
          </Button>
        }
      />
    </FullPage>
  );
}

/** Signed in with the password change done, else to the login or change-password page. */
function RequireAuth({ children }: { children: ReactNode }) {
  const { me, meFailed, lastLogoutReason } = useAuth();
  const location = useLocation();
  if (me === undefined) return meFailed ? <MeLoadError /> : <PageSpin />;
  if (me === null) {
    // Same target as the auth provider's own redirect, which may lose the race with this render.
    const reason = lastLogoutReason();
    const from = reason === null || reason === "idle" || reason === "expired" ? location.pathname + location.search : undefined;
    return <Navigate to={reason ? `/login?reason=${reason}` : "/login"} replace state={from ? { from } : undefined} />;
  }
  if (me.mustChangePassword) return <Navigate to="/change-password" replace state={{ from: location.pathname + location.search }} />;
  // The security policy requires two-factor authentication for one of the user's roles (the server refuses everything else).
  if (me.mustEnrollTotp) return <Navigate to="/setup-2fa" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

function AppRoutes() {
  const { me } = useAuth();
  const qc = useQueryClient();
  // Server texts (messages, alerts) come in the UI language: ask again after a switch.
  useEffect(() => onLangChange(() => qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== "me" })), [qc]);
  return (
    <ErrorBoundary>
      <Suspense fallback={<PageSpin />}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/register" element={<ApplyPage />} />
          <Route path="/register/status" element={<ApplicationStatusPage />} />
          <Route
            path="/change-password"
            element={
              me === undefined ? <PageSpin /> : me === null ? <Navigate to="/login" replace /> : <ForcedPasswordPage />
            }
          />
          <Route
            path="/setup-2fa"
            element={me === undefined ? <PageSpin /> : me === null ? <Navigate to="/login" replace /> : <ForcedTotpPage />}
          />
          <Route
            path="/*"
            element={
              <RequireAuth>
                <AppLayout />
              </RequireAuth>
            }
          />
        </Routes>
      </Suspense>
    </ErrorBoundary>
  );
}

function Themed() {
  const { lang } = useLang();
  // People who ask their system for less motion get none: dialogs and menus appear at once.
  const reducedMotion = useMediaQuery("(prefers-reduced-motion: reduce)");
  return (
    <ConfigProvider
      locale={lang === "zh-CN" ? zhCN : enUS}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: { fontFamily: FONT, colorPrimary: "#1668dc", borderRadius: 6, motion: !reducedMotion },
        components: {
          Layout: { headerBg: "#ffffff", headerHeight: 56, headerPadding: "0 16px", siderBg: "#ffffff", bodyBg: "#f5f6f8" },
          Table: { cellPaddingBlockSM: 6 },
        },
      }}
    >
      <BrowserRouter>
        <AuthProvider>
          <AppRoutes />
        </AuthProvider>
      </BrowserRouter>
    </ConfigProvider>
  );
}

export function Root() {
  return (
    <QueryClientProvider client={queryClient}>
      <LangProvider>
        <Themed />
      </LangProvider>
    </QueryClientProvider>
  );
}
