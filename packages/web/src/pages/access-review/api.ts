import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";

/** Shapes of /api/access-reviews/* (see /api/openapi.json). */

export type CampaignStatus = "open" | "closed";
export type ItemStatus = "pending" | "confirmed" | "revoked";

export interface Campaign {
  id: number;
  nameZh: string;
  nameEn: string;
  status: CampaignStatus;
  trigger: "manual" | "scheduled";
  startedAt: string;
  dueAt: string;
  closedAt: string | null;
  // Counts arrive as numbers (int8 normalised by the server).
  items: number;
  confirmed: number;
  revoked: number;
  pending: number;
  overdue: number;
  escalated: number;
}

export interface ReviewItem {
  id: number;
  campaignId: number;
  status: ItemStatus;
  dueAt: string;
  escalationLevel: number;
  decidedAt: string | null;
  note: string | null;
  userId: number;
  username: string;
  displayName: string;
  userDepartmentZh: string | null;
  userDepartmentEn: string | null;
  role: string;
  roleNameZh: string;
  roleNameEn: string;
  /** Department the role is limited to; null = the whole company. */
  scopeZh: string | null;
  scopeEn: string | null;
  /** Display name of the reviewer; null = nobody above: the review administrators decide. */
  reviewer: string | null;
  decidedBy: string | null;
  overdue: boolean;
}

/** Query-key root of everything on these screens: one invalidation after a decision refreshes all. */
export const REVIEW_KEY = ["access-review"] as const;

export function useCampaigns(enabled = true) {
  return useQuery({
    queryKey: [...REVIEW_KEY, "campaigns"],
    queryFn: () => api.get<Campaign[]>("/api/access-reviews"),
    enabled,
  });
}

export function useCampaignItems(id: number | null) {
  return useQuery({
    queryKey: [...REVIEW_KEY, "items", id],
    queryFn: () => api.get<ReviewItem[]>(`/api/access-reviews/${id}/items`),
    enabled: id !== null,
  });
}

export function useMyItems() {
  return useQuery({
    queryKey: [...REVIEW_KEY, "mine"],
    queryFn: () => api.get<ReviewItem[]>("/api/access-reviews/mine"),
    // Items escalate to the reviewer by the hourly job: keep the list fresh while it is open.
    refetchInterval: 5 * 60_000,
  });
}

export interface Decision {
  decision: "confirm" | "revoke";
  note?: string;
}

export function decide(id: number, body: Decision) {
  return api.post<{ id: number; status: ItemStatus }>(`/api/access-reviews/items/${id}/decide`, body);
}

/** One CSV field: quoted when it holds a separator, quote or line break; formula starts are defused. */
function csvField(value: string | number | boolean | null | undefined): string {
  let s = value === null || value === undefined ? "" : String(value);
  // A cell starting with = + - @ is run as a formula by spreadsheet programs (CSV injection).
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n");
}

/** Saves text as a file; the UTF-8 byte-order mark makes Excel read the Chinese correctly. */
export function downloadCsv(fileName: string, csv: string): void {
  const blob = new Blob(["\uFEFF", csv], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  document.body.removeChild(a);
  // Revoke after the click has been handled: some browsers read the URL asynchronously.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
