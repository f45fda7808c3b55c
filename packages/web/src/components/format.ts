import dayjs from "dayjs";
import type { Lang } from "../i18n/core";

/** Local date and time; ISO-like in both languages (what ERP users expect in tables). */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const d = dayjs(value);
  return d.isValid() ? d.format("YYYY-MM-DD HH:mm:ss") : value;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  const d = dayjs(value);
  return d.isValid() ? d.format("YYYY-MM-DD") : value;
}

/** Human-readable byte size (display only; bytes may arrive as a string). */
export function formatBytes(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n) || n < 0) return String(value);
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[i]}`;
}

/** Groups digits of an integer that may arrive as a string, without converting it to a JS number. */
export function formatCount(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const s = String(value);
  return /^-?\d+$/.test(s) ? groupDigits(s) : s;
}

/** A decimal string with its integer digits grouped (1,234.5), without converting it to a float. */
export function groupDigits(value: string): string {
  const neg = value.startsWith("-");
  const [i, f] = value.replace("-", "").split(".");
  return `${neg ? "-" : ""}${i.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${f ? `.${f}` : ""}`;
}

/** Duration between two instants, e.g. "1 min 5 s" / "1 分 5 秒". */
export function formatDuration(from: string | null | undefined, to: string | null | undefined, lang: Lang): string {
  if (!from || !to) return "—";
  const ms = dayjs(to).diff(dayjs(from));
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return lang === "zh-CN" ? "不到 1 秒" : "< 1 s";
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (lang === "zh-CN") return m > 0 ? `${m} 分 ${rest} 秒` : `${s} 秒`;
  return m > 0 ? `${m} min ${rest} s` : `${s} s`;
}
