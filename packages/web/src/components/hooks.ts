import { useCallback, useEffect, useRef, useState } from "react";
import { uuid } from "../api/client";
import { common } from "../i18n/common";
import { useT } from "../i18n/core";

/** Sets document.title to "<page> - 开物 Kaiwu". */
export function usePageTitle(page: string | undefined) {
  const t = useT(common);
  useEffect(() => {
    document.title = page ? t("pageTitle", { page }) : t("product");
  }, [page, t]);
}

/**
 * One Idempotency-Key per form submission: kept across retries of the same submission (double click,
 * network failure) and renewed after success or when the form is opened again.
 */
export function useIdempotencyKey(): [key: () => string, renew: () => void] {
  const ref = useRef<string>(uuid());
  const get = useCallback(() => ref.current, []);
  const renew = useCallback(() => {
    ref.current = uuid();
  }, []);
  return [get, renew];
}

/** A value that follows `value` after `ms` without change (search boxes). */
export function useDebounced<T>(value: T, ms = 300): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(id);
  }, [value, ms]);
  return v;
}

/** Copies text; falls back to a hidden textarea where the Clipboard API is missing (plain-http LAN). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall back below
  }
  const ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.style.position = "fixed";
  ta.style.opacity = "0";
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  document.body.removeChild(ta);
  return ok;
}

/** Whether a CSS media query matches now, following its changes (e.g. the system's reduced-motion setting). */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => typeof window !== "undefined" && window.matchMedia?.(query).matches === true);
  useEffect(() => {
    const m = window.matchMedia?.(query);
    if (!m) return;
    const on = () => setMatches(m.matches);
    on();
    m.addEventListener("change", on);
    return () => m.removeEventListener("change", on);
  }, [query]);
  return matches;
}
