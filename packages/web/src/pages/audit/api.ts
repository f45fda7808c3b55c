import type { Page } from "../../api/client";

export type ActorType = "user" | "token" | "system" | "anonymous";
export type Outcome = "success" | "failed" | "denied";

export interface AuditFilter {
  from?: string;
  to?: string;
  userId?: number;
  actorType?: ActorType;
  tokenId?: number;
  action?: string;
  entity?: string;
  entityId?: string;
  ip?: string;
  outcome?: Outcome;
  q?: string;
}

export interface AuditRow {
  id: number;
  occurredAt: string;
  actorType: ActorType;
  actorId: number | null;
  actorName: string;
  sessionId: string | null;
  ip: string | null;
  action: string;
  actionLabel: string;
  entity: string | null;
  entityId: string | null;
  outcome: Outcome;
  errorCode: string | null;
  hasChanges: boolean;
}

export interface AuditPage extends Page<AuditRow> {
  totalCapped: boolean;
}

export interface FieldChange {
  field: string;
  kind: "added" | "removed" | "changed";
  before: unknown;
  after: unknown;
}

export interface AuditRecord extends AuditRow {
  userAgent: string | null;
  requestId: string | null;
  changes: unknown;
  details: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
  previousId: number | null;
  nextId: number | null;
  securityEvents: number[];
  fieldChanges: FieldChange[];
}

export interface ActionOption {
  action: string;
  label: string;
  labels: { "zh-CN": string; "en-US": string };
}

export type AnchorStatus = "none" | "ok" | "truncated" | "missing" | "mismatch";

export interface VerifyResult {
  id: number;
  ok: boolean;
  chainOk: boolean;
  checked: number;
  firstBad?: { id: number; problem: "hash_mismatch" | "broken_link" };
  head?: { id: number; hash: string };
  lastId: number | null;
  anchor: { status: AnchorStatus; id?: number; hash?: string; verifiedAt?: string };
  anchorUpdated: boolean;
  durationMs: number;
}

export interface Verification {
  id: number;
  startedAt: string;
  finishedAt: string;
  trigger: "manual" | "scheduled" | "cli";
  requestedByName: string;
  chainOk: boolean;
  ok: boolean;
  checked: number;
  firstBadId: number | null;
  problem: "hash_mismatch" | "broken_link" | null;
  headId: number | null;
  anchorStatus: AnchorStatus;
  anchorId: number | null;
  durationMs: number;
}

/** Query-string values of a filter (empty ones left out), for the list, the export link and the address bar. */
export function filterQuery(f: AuditFilter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== null && v !== "") out[k] = String(v);
  return out;
}

/** JSON values for the diff table: strings as they are, everything else as compact JSON. */
export function showValue(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v === "" ? '""' : v;
  return JSON.stringify(v);
}
