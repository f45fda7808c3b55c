import { createHmac, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Actor } from "./actor.ts";
import type { SQL } from "drizzle-orm";
import { type Executor, one, sql } from "./db/database.ts";

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

/** The record's keyed hash: HMAC-SHA-256 over the previous hash, every field and the canonical JSON. */
export function auditHash(key: Buffer, prevHash: string, row: Omit<AuditRow, "hash" | "prev_hash">): string {
  return hashAt(key, prevHash, row.id, hashedAfterId(row));
}

/** What the hash covers after the id, built once for a record that is hashed more than once. */
function hashedAfterId(row: Omit<AuditRow, "hash" | "prev_hash">): string {
  let text = "";
  for (let i = 1; i < FIELDS.length; i++) text += `|${row[FIELDS[i]] ?? ""}`;
  return `${text}|${canonicalJson(row.changes)}|${canonicalJson(row.details)}`;
}

function hashAt(key: Buffer, prevHash: string, id: number, afterId: string): string {
  return createHmac("sha256", key).update(prevHash).update(`|${id}`).update(afterId).digest("hex");
}

export const GENESIS_HASH = "0".repeat(64);

/**
 * The chain head this process last appended to, per audit key: a prediction only. `kaiwu_audit_append`
 * (audit module migration) checks it under the writers' lock and answers the real head when it is wrong
 * (another process wrote, a transaction rolled back, the log was restored), so a stale guess costs one
 * more round trip, never a wrong link.
 */
const predictedHeads = new WeakMap<Buffer, { id: number; hash: string }>();

/**
 * Appends one record to the chain inside the caller's transaction, normally in one round trip: the record
 * is hashed against the predicted head and `kaiwu_audit_append()` takes the writers' advisory lock, checks
 * the prediction against the committed head and inserts. The lock is held until the caller commits, so
 * each record hashes its committed predecessor; callers make this the last statement of the transaction
 * (the pipeline does), so the lock is held only for this statement and the commit. `alongside` is a
 * data-modifying statement run in the same round trip (the pipeline's outbox events).
 */
export async function writeAudit(
  tx: Executor,
  key: Buffer,
  actor: Actor,
  meta: AuditMeta,
  entry: AuditEntry,
  alongside?: SQL,
): Promise<number> {
  return (await appendAudit(tx, key, actor, meta, entry, { alongside })).id;
}

/**
 * `writeAudit`, and with `mayStage` a writer that does not wait for the lock: when another transaction
 * holds it, the record is staged with its own MAC (`staged: true`, id 0) and the caller must call
 * `sealStaged` after its commit, which chains it. Used by the command pipeline on PostgreSQL.
 */
export async function appendAudit(
  tx: Executor,
  key: Buffer,
  actor: Actor,
  meta: AuditMeta,
  entry: AuditEntry,
  opts: { alongside?: SQL; mayStage?: boolean } = {},
): Promise<{ id: number; staged: boolean }> {
  const row = {
    id: 0,
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
  // Only the fields that have a value: a missing key is SQL NULL in jsonb_populate_record (a JSON null
  // would be stored as the jsonb value null).
  const stored: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (v !== null && k !== "id") stored[k] = v;
  const afterId = hashedAfterId(row);
  const nonce = opts.mayStage ? randomUUID() : null;
  const mac = nonce ? hashAt(key, `staged:${nonce}`, 0, afterId) : null;
  const guess = predictedHeads.get(key);
  let id = guess ? guess.id + 1 : 0;
  let prev = guess?.hash ?? GENESIS_HASH;
  for (let attempt = 0; attempt < 2; attempt++) {
    const hash = hashAt(key, prev, id, afterId);
    // The next writer of this process chains to this record (checked under the lock like any guess).
    const mine = { id, hash };
    predictedHeads.set(key, mine);
    const record = JSON.stringify({ ...stored, hash });
    // Called as a scalar and read as the row's text: a call in FROM materialises its result first, which
    // cost the embedded database ~40 µs a record (of ~300 µs; bench/audit.bench.ts -- command).
    const call = sql`select kaiwu_audit_append(${attempt === 0 ? id : -id}::int8, ${prev}, ${record}::jsonb, ${nonce}, ${attempt === 0 ? mac : null})::text as r`;
    const answer = await one<{ r: string }>(tx, attempt === 0 && opts.alongside ? sql`with alongside as (${opts.alongside}) ${call}` : call);
    const [ok, staged, headHash, nextId] = recordFields(answer!.r);
    if (staged === "t") {
      sealStats.staged++;
      if (predictedHeads.get(key) === mine) predictedHeads.set(key, guess ?? { id: 0, hash: GENESIS_HASH });
      return { id: 0, staged: true };
    }
    if (ok === "t") return { id, staged: false };
    id = Number(nextId);
    prev = headHash ?? GENESIS_HASH;
  }
  throw new Error("the audit record could not be appended to the chain");
}

/**
 * The fields of a row value in PostgreSQL's text form (record_out): `(t,f,,12)`; an empty unquoted field is
 * NULL, a quoted one may hold commas, doubled quotes and backslash escapes.
 */
export function recordFields(text: string): (string | null)[] {
  const out: (string | null)[] = [];
  if (text.length < 2 || text[0] !== "(" || text[text.length - 1] !== ")") throw new Error(`not a row value: ${text}`);
  let i = 1;
  while (i < text.length) {
    if (text[i] === '"') {
      let v = "";
      i++;
      for (;;) {
        if (i >= text.length) throw new Error(`not a row value: ${text}`);
        const c = text[i++];
        if (c === "\\") v += text[i++];
        else if (c === '"') {
          if (text[i] !== '"') break;
          v += '"';
          i++;
        } else v += c;
      }
      out.push(v);
    } else {
      let j = i;
      while (text[j] !== "," && text[j] !== ")") j++;
      out.push(j === i ? null : text.slice(i, j));
      i = j;
    }
    i++; // the comma, or the closing parenthesis
  }
  return out;
}

/** Stored as the hash of a staged record whose MAC did not hold: verification names it (hash_mismatch). */
const FAILED_MAC = "staged-record-failed-its-mac".padEnd(64, "-");
const SEAL_BATCH = 500;

/**
 * The sealer: chains the committed staged records in staging order, a batch per lock and commit. Calls
 * from one process share rounds: a call made while a round runs waits for the next round, which starts
 * after it and so sees every record committed before the call. Answers the number of records sealed.
 */
export function sealStaged(db: Executor, key: Buffer): Promise<number> {
  let s = sealers.get(key);
  if (!s) {
    s = {};
    sealers.set(key, s);
  }
  const state = s;
  const start = (): Promise<number> => {
    const p: Promise<number> = sealRounds(db, key).finally(() => {
      if (state.current === p) state.current = undefined;
    });
    state.current = p;
    return p;
  };
  if (!state.current) return start();
  state.queued ??= state.current
    .catch(() => 0)
    .then(() => {
      state.queued = undefined;
      return start();
    });
  return state.queued;
}
/** Counters for the benchmarks: records staged by writers, sealed by the sealer, and sealing rounds. */
export const sealStats = { staged: 0, sealed: 0, rounds: 0 };
const sealers = new WeakMap<Buffer, { current?: Promise<number>; queued?: Promise<number> }>();

async function sealRounds(db: Executor, key: Buffer): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const b = await one<{ head_hash: string; ids: unknown; staged: unknown }>(
        tx,
        sql`select head_hash, ids, staged from kaiwu_audit_seal_begin(${SEAL_BATCH})`,
      );
      const parse = <T>(v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as T;
      const staged = parse<{ seq: number; nonce: string; record: Record<string, unknown>; mac: string }[]>(b!.staged);
      if (staged.length === 0) return 0;
      const ids = parse<number[]>(b!.ids).map(Number).sort((x, y) => x - y);
      let prev = b!.head_hash;
      const sealed: { seq: number; id: number; prev_hash: string; hash: string }[] = [];
      for (let i = 0; i < staged.length; i++) {
        const st = staged[i];
        const row = { ...(st.record as Omit<AuditRow, "hash" | "prev_hash">), id: ids[i] };
        const afterId = hashedAfterId(row);
        // the MAC of a staged record: its hash with a nonce in place of the link and 0 as its id
        const hash = hashAt(key, `staged:${st.nonce}`, 0, afterId) === st.mac ? hashAt(key, prev, ids[i], afterId) : FAILED_MAC;
        sealed.push({ seq: Number(st.seq), id: ids[i], prev_hash: prev, hash });
        prev = hash;
      }
      await tx.execute(sql`
        with k as (select * from jsonb_to_recordset(${JSON.stringify(sealed)}::jsonb) as k(seq int8, id int8, prev_hash text, hash text)),
        ins as (
          insert into audit_log
          select r.* from k join audit_staged s on s.seq = k.seq
            cross join lateral jsonb_populate_record(null::audit_log,
              s.record || jsonb_build_object('id', k.id, 'prev_hash', k.prev_hash, 'hash', k.hash)) r
          order by k.id
          returning 1)
        delete from audit_staged s using k where s.seq = k.seq`);
      predictedHeads.set(key, { id: ids[ids.length - 1], hash: prev });
      sealStats.sealed += staged.length;
      sealStats.rounds++;
      return staged.length;
    });
    total += n;
    if (n < SEAL_BATCH) return total;
  }
}
