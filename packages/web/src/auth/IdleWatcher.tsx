import { Button, Modal, Typography } from "antd";
import { useCallback, useEffect, useRef, useState } from "react";
import { getLastRequestAt } from "../api/client";
import { useT } from "../i18n/core";
import { useAuth } from "./AuthProvider";
import { authText } from "./i18n";
import { idleState } from "./idleState";

const SHARED_ACTIVITY_KEY = "kaiwuLastActivity";
const WARNING_KEY = "kaiwuIdleWarningSeconds";
const ACTIVITY_EVENTS = ["mousemove", "mousedown", "keydown", "wheel", "touchstart", "scroll"] as const;
/**
 * The server writes a session's last-seen time at most every 15 s (identity/sessions.ts), so its idle
 * clock can be up to 15 s behind our last request. Ending the session this much before the limit keeps
 * the client ahead of the server (2 s more for the 1 s clock tick), so the user sees "signed out after inactivity", never a 401 surprise.
 */
const SERVER_TOUCH_SLACK_MS = 17_000;

function readNumber(key: string): number | null {
  try {
    const raw = localStorage.getItem(key);
    if (raw === null || raw.trim() === "") return null;
    const n = Number(raw);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

function writeShared(ts: number) {
  try {
    localStorage.setItem(SHARED_ACTIVITY_KEY, String(ts));
  } catch {
    // single-tab tracking still works
  }
}

/**
 * Client half of the idle logout. The server ends a session after `idleTimeoutMinutes` without
 * requests; here user input (mouse, keys, wheel, touch; shared across tabs through localStorage)
 * decides. While the user is active the server's idle clock is refreshed by GET /api/auth/me at
 * most once a minute (leading and trailing, so the last activity is always reported). At
 * `limit - warning` a modal counts down; at the limit (less the server's 15 s touch granularity) the
 * session is ended and the login page says why.
 * The warning lead (default 60 s) can be set in localStorage.kaiwuIdleWarningSeconds for tests.
 */
export function IdleWatcher({ timeoutMinutes }: { timeoutMinutes: number }) {
  const t = useT(authText);
  const { refresh, logout } = useAuth();
  const limitMs = Math.max(1, timeoutMinutes) * 60_000 - SERVER_TOUCH_SLACK_MS;
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const lastActivity = useRef(Date.now());
  const lastShared = useRef(0);
  const warning = useRef(false);
  const trailing = useRef<number | null>(null);
  const ended = useRef(false);
  const refreshEveryMs = Math.min(60_000, limitMs / 2);

  const warningMs = useCallback(() => {
    const configured = readNumber(WARNING_KEY);
    const seconds = configured !== null && configured > 0 ? configured : Math.min(60, limitMs / 2000);
    return Math.min(seconds * 1000, limitMs - 1000);
  }, [limitMs]);

  const touchServer = useCallback(() => {
    refresh().catch(() => {
      // a network hiccup: the next activity tries again
    });
  }, [refresh]);

  /** Report activity to the server, at most once per refreshEveryMs, never dropping the last one. */
  const scheduleServerTouch = useCallback(() => {
    const since = Date.now() - getLastRequestAt();
    if (since >= refreshEveryMs) {
      touchServer();
      return;
    }
    if (trailing.current !== null) return;
    trailing.current = window.setTimeout(() => {
      trailing.current = null;
      if (!ended.current && !warning.current && lastActivity.current > getLastRequestAt()) touchServer();
    }, refreshEveryMs - since + 50);
  }, [refreshEveryMs, touchServer]);

  const markActive = useCallback(
    (now: number) => {
      lastActivity.current = now;
      if (now - lastShared.current > 5000) {
        lastShared.current = now;
        writeShared(now);
      }
      scheduleServerTouch();
    },
    [scheduleServerTouch],
  );

  // User input.
  useEffect(() => {
    let lastSeen = 0;
    const onActivity = () => {
      if (warning.current || ended.current) return; // while the warning shows, only its buttons count
      const now = Date.now();
      if (now - lastSeen < 1000) return;
      lastSeen = now;
      markActive(now);
    };
    for (const ev of ACTIVITY_EVENTS) window.addEventListener(ev, onActivity, { passive: true, capture: true });
    writeShared(Date.now());
    return () => {
      for (const ev of ACTIVITY_EVENTS) window.removeEventListener(ev, onActivity, { capture: true });
      if (trailing.current !== null) window.clearTimeout(trailing.current);
    };
  }, [markActive]);

  // The clock: once a second, and at once when the tab becomes visible again.
  useEffect(() => {
    const tick = () => {
      if (ended.current) return;
      const shared = readNumber(SHARED_ACTIVITY_KEY) ?? 0;
      if (shared > lastActivity.current) lastActivity.current = shared; // activity in another tab
      idleState.lastActivity = lastActivity.current;
      idleState.warnAfterMs = limitMs - warningMs();
      const left = lastActivity.current + limitMs - Date.now();
      if (left <= 0) {
        ended.current = true;
        warning.current = false;
        setSecondsLeft(null);
        void logout("idle");
        return;
      }
      if (left <= warningMs()) {
        warning.current = true;
        setSecondsLeft(Math.ceil(left / 1000));
      } else if (warning.current) {
        warning.current = false;
        setSecondsLeft(null);
      }
    };
    const id = window.setInterval(tick, 1000);
    const onVisible = () => {
      if (document.visibilityState === "visible") tick();
    };
    document.addEventListener("visibilitychange", onVisible);
    tick();
    return () => {
      window.clearInterval(id);
      document.removeEventListener("visibilitychange", onVisible);
      idleState.lastActivity = 0;
    };
  }, [limitMs, warningMs, logout]);

  const stay = () => {
    const now = Date.now();
    warning.current = false;
    setSecondsLeft(null);
    lastActivity.current = now;
    lastShared.current = now;
    writeShared(now);
    touchServer(); // if the server already ended the session, the 401 leads to the login page
  };

  const signOut = () => {
    ended.current = true;
    warning.current = false;
    setSecondsLeft(null);
    void logout("signedOut");
  };

  return (
    <Modal
      open={secondsLeft !== null}
      title={t("idleTitle")}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      centered
      footer={[
        <Button key="out" onClick={signOut} data-testid="idle-signout">
          {t("signOut")}
        </Button>,
        <Button key="stay" type="primary" onClick={stay} data-testid="idle-stay" autoFocus>
          {t("staySignedIn")}
        </Button>,
      ]}
    >
      <div data-testid="idle-modal">
        <Typography.Paragraph data-testid="idle-countdown" data-seconds={secondsLeft ?? undefined}>
          {t("idleText", { seconds: secondsLeft ?? 0 })}
        </Typography.Paragraph>
      </div>
    </Modal>
  );
}
