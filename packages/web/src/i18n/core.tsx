import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import "dayjs/locale/en";
import updateLocale from "dayjs/plugin/updateLocale";

// Weeks start on Monday in both languages (ISO weekdays, as the working calendars use).
dayjs.extend(updateLocale);
dayjs.updateLocale("en", { weekStart: 1 });

export type Lang = "zh-CN" | "en-US";
export const LANGS: readonly Lang[] = ["zh-CN", "en-US"];
const STORAGE_KEY = "kaiwuLang";

/** The remembered choice, else the browser's language: zh* → zh-CN, anything else → en-US. */
export function detectLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === "zh-CN" || stored === "en-US") return stored;
  } catch {
    // storage blocked: fall through to the browser language
  }
  const nav = (typeof navigator !== "undefined" && (navigator.languages?.[0] ?? navigator.language)) || "";
  return /^zh/i.test(nav) ? "zh-CN" : "en-US";
}

/**
 * A feature's dictionary: Chinese first, the English entry must have exactly the same keys
 * (a missing or extra key is a type error).
 */
export function defineMessages<Zh extends Record<string, string>>(m: { "zh-CN": Zh; "en-US": { [K in keyof Zh]: string } }) {
  return m as { "zh-CN": Record<keyof Zh, string>; "en-US": Record<keyof Zh, string> };
}

export type Dict<K extends string> = { "zh-CN": Record<K, string>; "en-US": Record<K, string> };
export type Params = Record<string, string | number | null | undefined>;
export type TFunction<K extends string> = (key: K, params?: Params) => string;

export function format(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined || v === null ? whole : String(v);
  });
}

interface LangState {
  lang: Lang;
  setLang: (lang: Lang) => void;
}

const LangContext = createContext<LangState>({ lang: "zh-CN", setLang: () => {} });

let currentLang: Lang = detectLang();
const listeners = new Set<(lang: Lang) => void>();

/** The UI language for code outside React (the API client's Accept-Language). */
export function getLang(): Lang {
  return currentLang;
}

export function onLangChange(fn: (lang: Lang) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function applyLang(lang: Lang) {
  currentLang = lang;
  dayjs.locale(lang === "zh-CN" ? "zh-cn" : "en");
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}
applyLang(currentLang);

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(currentLang);
  const setLang = useCallback((next: Lang) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not remembered; still switch
    }
    applyLang(next);
    setLangState(next);
    for (const fn of listeners) fn(next);
  }, []);
  // Another tab switched language: follow it.
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === STORAGE_KEY && (e.newValue === "zh-CN" || e.newValue === "en-US") && e.newValue !== currentLang) setLang(e.newValue);
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, [setLang]);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangState {
  return useContext(LangContext);
}

/** `t(key, params)` for one feature's dictionary in the current language. */
export function useT<K extends string>(dict: Dict<K>): TFunction<K> {
  const { lang } = useLang();
  return useCallback((key: K, params?: Params) => format(dict[lang][key] ?? String(key), params), [dict, lang]);
}

/** Picks the field for the current language from a bilingual record (nameZh / nameEn). */
export function pickName(lang: Lang, zh: string | null | undefined, en: string | null | undefined): string {
  return (lang === "zh-CN" ? zh || en : en || zh) ?? "";
}
