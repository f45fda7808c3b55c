import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App as AntApp } from "antd";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { useLocation, useNavigate } from "react-router-dom";
import { ApiError, api, onAuthProblem, setCsrfToken } from "../api/client";
import type { LoginResult, Me } from "../api/types";
import { userLooksIdle } from "./idleState";

export type LogoutReason = "idle" | "expired" | "signedOut" | "passwordChanged";

/** /api/auth/me with the two-factor fields (IAM-2, SEC-1). */
export interface AuthMe extends Me {
  /** The policy requires two-factor authentication for one of the user's roles and it is not set up yet. */
  mustEnrollTotp: boolean;
  totpEnabled: boolean;
}

/** Pages a session may be on before it is fully usable; never remembered as "where to go back to". */
const GATE_PATHS = ["/login", "/change-password", "/setup-2fa"];

interface AuthState {
  /** undefined while the first /api/auth/me is in flight, null when nobody is signed in. */
  me: AuthMe | null | undefined;
  /** True when /api/auth/me failed for another reason than 401 (server down). */
  meFailed: boolean;
  /**
   * Signs in. With two-factor authentication on, the first call (no `totp`) fails with 401
   * `totp_required`; the caller asks for the code and calls again with it.
   */
  login: (username: string, password: string, totp?: string) => Promise<AuthMe>;
  logout: (reason?: LogoutReason) => Promise<void>;
  /** Re-reads /api/auth/me (this also refreshes the server's idle clock). */
  refresh: () => Promise<AuthMe | null>;
  can: (permission: string) => boolean;
  /** The one-time password typed at login, kept in memory only, so the forced change page need not ask again. */
  takeLoginPassword: () => string | null;
  /** Why the last session ended in this tab (for the login page's notice), null before any. */
  lastLogoutReason: () => LogoutReason | null;
}

const AuthContext = createContext<AuthState | null>(null);
const ME_KEY = ["me"] as const;
const LOGOUT_BROADCAST = "kaiwuLogout";

async function fetchMe(): Promise<AuthMe | null> {
  try {
    const me = await api.get<AuthMe>("/api/auth/me");
    setCsrfToken(me.csrfToken);
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

/** Mirrors the server: "*" grants everything, otherwise the exact key. */
export function hasPermission(me: Me | null | undefined, permission: string | null): boolean {
  if (permission === null) return true;
  if (!me) return false;
  return me.permissions.includes("*") || me.permissions.includes(permission);
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const loginPassword = useRef<string | null>(null);
  const logoutReason = useRef<LogoutReason | null>(null);
  // Bumped when a session ends: remounts the message/modal holder so no dialog outlives the session.
  const [epoch, setEpoch] = useState(0);
  const { data: me, isError: meFailed } = useQuery({
    queryKey: ME_KEY,
    queryFn: fetchMe,
    staleTime: Number.POSITIVE_INFINITY,
    retry: (count, e) => !(e instanceof ApiError && e.status < 500) && count < 2,
  });
  const meRef = useRef(me);
  meRef.current = me;
  const locationRef = useRef(location);
  locationRef.current = location;

  const endLocally = useCallback(
    (reason: LogoutReason | null) => {
      setCsrfToken(null);
      loginPassword.current = null;
      logoutReason.current = reason;
      setEpoch((n) => n + 1);
      qc.cancelQueries();
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      qc.setQueryData(ME_KEY, null);
      const loc = locationRef.current;
      const from = GATE_PATHS.some((p) => loc.pathname.startsWith(p)) ? undefined : loc.pathname + loc.search;
      const keepFrom = reason === "idle" || reason === "expired";
      navigate(reason ? `/login?reason=${reason}` : "/login", { replace: true, state: keepFrom && from ? { from } : undefined });
    },
    [qc, navigate],
  );

  const logout = useCallback(
    async (reason: LogoutReason = "signedOut") => {
      try {
        await api.post("/api/auth/logout");
      } catch {
        // the session may already be gone; signing out locally is what matters
      }
      try {
        localStorage.setItem(LOGOUT_BROADCAST, String(Date.now()));
      } catch {
        // other tabs find out on their next request
      }
      endLocally(reason);
    },
    [endLocally],
  );

  // Any request that finds the session gone or the password change pending.
  useEffect(
    () =>
      onAuthProblem((err) => {
        if (err.code === "password_change_required") {
          const cur = meRef.current;
          if (cur && !cur.mustChangePassword) qc.setQueryData(ME_KEY, { ...cur, mustChangePassword: true });
          navigate("/change-password", { replace: true });
          return;
        }
        // Gone while the user was idle (the tab slept through the countdown, say): say so.
        if (meRef.current) endLocally(err.code === "session_expired" && userLooksIdle() ? "idle" : "expired");
      }),
    [qc, navigate, endLocally],
  );

  // The policy started to require two-factor authentication while this session was open (an administrator
  // added one of the user's roles): the server answers 403 totp_enrollment_required to every request, and
  // RequireAuth sends the user to the set-up page once `me` says so.
  useEffect(
    () =>
      qc.getQueryCache().subscribe((event) => {
        if (event.type !== "updated" || event.action.type !== "error") return;
        const err = event.action.error;
        if (!(err instanceof ApiError) || err.code !== "totp_enrollment_required") return;
        const cur = meRef.current;
        if (cur && !cur.mustEnrollTotp) qc.setQueryData(ME_KEY, { ...cur, mustEnrollTotp: true });
      }),
    [qc],
  );

  // Signed out in another tab: follow.
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === LOGOUT_BROADCAST && e.newValue && meRef.current) endLocally("signedOut");
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, [endLocally]);

  const refresh = useCallback(async () => {
    const fresh = await fetchMe();
    qc.setQueryData(ME_KEY, fresh);
    return fresh;
  }, [qc]);

  const login = useCallback(
    async (username: string, password: string, totp?: string) => {
      const result = await api.post<LoginResult>("/api/auth/login", totp ? { username, password, totp } : { username, password });
      setCsrfToken(result.csrfToken);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      const fresh = await fetchMe();
      if (!fresh) throw new ApiError({ status: 401, code: "unauthenticated", detail: "" }, "/api/auth/me");
      loginPassword.current = fresh.mustChangePassword ? password : null;
      logoutReason.current = null;
      qc.setQueryData(ME_KEY, fresh);
      return fresh;
    },
    [qc],
  );

  const takeLoginPassword = useCallback(() => loginPassword.current, []);
  const lastLogoutReason = useCallback(() => logoutReason.current, []);
  const can = useCallback((permission: string) => hasPermission(me, permission), [me]);

  const value = useMemo<AuthState>(
    () => ({ me, meFailed, login, logout, refresh, can, takeLoginPassword, lastLogoutReason }),
    [me, meFailed, login, logout, refresh, can, takeLoginPassword, lastLogoutReason],
  );
  return (
    <AuthContext.Provider value={value}>
      <AntApp key={epoch} component={false}>
        {children}
      </AntApp>
    </AuthContext.Provider>
  );
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error("useAuth outside AuthProvider");
  return ctx;
}
