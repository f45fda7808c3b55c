import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Actor } from "./actor.ts";
import { type Executor, one, rows, sql } from "./db/database.ts";

export interface AuditEntry {
  action: string;
  outcome: "success" | "denied" | "failed";
  entity?: string;
  entityId?: string | number | null;
  errorCode?: string;
  changes?: { before?: unknown; after?: unknown } | null;
  details?: Record<string, unknown> | null;
}

export interface AuditMeta {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

/** The hash-chain key lives outside the database, so rows forged in SQL cannot carry a valid hash. */
export function loadAuditKey(dataDir: string): Buffer {
  const fromEnv = process.env.KAIWU_AUDIT_KEY;
  if (fromEnv) return Buffer.from(fromEnv, "utf8");
  const file = path.join(dataDir, "secrets", "audit.key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
  }
  return Buffer.from(fs.readFileSync(file, "utf8").trim(), "utf8");
}

/** JSON with object keys sorted, so a value hashes the same before storage and after reading jsonb back. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

export interface AuditRow {
  id: number;
  occurred_at: string;
  company_id: number | null;
  actor_type: string;
  actor_id: number | null;
  actor_name: string;
  session_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  action: string;
  entity: string | null;
  entity_id: string | null;
  outcome: string;
  error_code: string | null;
  changes: unknown;
  details: unknown;
  prev_hash: string;
  hash: string;
}

const FIELDS = [
  "id", "occurred_at", "company_id", "actor_type", "actor_id", "actor_name", "session_id", "ip", "user_agent",
  "request_id", "action", "entity", "entity_id", "outcome", "error_code",
] as const;

export function auditHash(key: Buffer, prevHash: string, row: Omit<AuditRow, "hash" | "prev_hash">): string {
  const h = createHmac("sha256", key);
  h.update(prevHash);
  for (const f of FIELDS) h.update(`|${row[f] ?? ""}`);
  h.update(`|${canonicalJson(row.changes)}|${canonicalJson(row.details)}`);
  return h.digest("hex");
}

export const GENESIS_HASH = "0".repeat(64);
// Serialises audit writers so each record hashes its predecessor; held only until the writer's commit.
const AUDIT_LOCK = 7240002;

/** Appends one record to the chain inside the caller's transaction. */
export async function writeAudit(tx: Executor, key: Buffer, actor: Actor, meta: AuditMeta, entry: AuditEntry): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const last = await one<{ hash: string }>(tx, sql`select hash from audit_log order by id desc limit 1`);
  const next = await one<{ id: number }>(tx, sql`select nextval('audit_log_id_seq')::int8 as id`);
  const row = {
    id: next!.id,
    occurred_at: new Date().toISOString(),
    company_id: actor.companyId,
    actor_type: actor.kind,
    actor_id: actor.id,
    actor_name: actor.name,
    session_id: actor.sessionId ?? (actor.tokenId ? `token:${actor.tokenId}` : null),
    ip: meta.ip ?? null,
    user_agent: meta.userAgent?.slice(0, 500) ?? null,
    request_id: meta.requestId ?? null,
    action: entry.action,
    entity: entry.entity ?? null,
    entity_id: entry.entityId == null ? null : String(entry.entityId),
    outcome: entry.outcome,
    error_code: entry.errorCode ?? null,
    changes: entry.changes ?? null,
    details: entry.details ?? null,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = auditHash(key, prevHash, row);
  await tx.execute(sql`insert into audit_log (id, occurred_at, company_id, actor_type, actor_id, actor_name, session_id, ip,
      user_agent, request_id, action, entity, entity_id, outcome, error_code, changes, details, prev_hash, hash)
    values (${row.id}, ${row.occurred_at}, ${row.company_id}, ${row.actor_type}, ${row.actor_id}, ${row.actor_name},
      ${row.session_id}, ${row.ip}, ${row.user_agent}, ${row.request_id}, ${row.action}, ${row.entity}, ${row.entity_id},
      ${row.outcome}, ${row.error_code}, ${row.changes === null ? null : JSON.stringify(row.changes)}::jsonb,
      ${row.details === null ? null : JSON.stringify(row.details)}::jsonb, ${prevHash}, ${hash})`);
  return row.id;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  /** The first record whose hash or link does not hold, and why. */
  firstBad?: { id: number; problem: "hash_mismatch" | "broken_link" };
}

/**
 * Walks the chain in id order. A row changed in SQL, or added in SQL (it cannot carry a valid keyed hash),
 * fails its own hash ("hash_mismatch"); a removed row breaks the next row's link ("broken_link").
 */
export async function verifyAuditChain(ex: Executor, key: Buffer, batch = 20_000): Promise<AuditVerifyResult> {
  let prevHash = GENESIS_HASH;
  let afterId = -1;
  let checked = 0;
  for (;;) {
    const page = await rows<AuditRow>(
      ex,
      sql`select id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at,
            company_id, actor_type, actor_id, actor_name, session_id, ip, user_agent, request_id, action, entity,
            entity_id, outcome, error_code, changes, details, prev_hash, hash
          from audit_log where id > ${afterId} order by id limit ${batch}`,
    );
    for (const r of page) {
      const own = auditHash(key, r.prev_hash, r);
      if (own !== r.hash) return { ok: false, checked, firstBad: { id: r.id, problem: "hash_mismatch" } };
      if (r.prev_hash !== prevHash) return { ok: false, checked, firstBad: { id: r.id, problem: "broken_link" } };
      prevHash = r.hash;
      afterId = r.id;
      checked++;
    }
    if (page.length < batch) return { ok: true, checked };
  }
}
