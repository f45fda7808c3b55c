import { createHmac, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { Worker } from "node:worker_threads";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import type { Actor } from "./actor.ts";
import type { SQL } from "drizzle-orm";
import { type Executor, one, rows, sql } from "./db/database.ts";
import { BlockChecker, type BlockResult } from "../modules/audit/verify-core.js";

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

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  /** The first record whose hash or link does not hold, and why. */
  firstBad?: { id: number; problem: "hash_mismatch" | "broken_link" };
  /** The last record of the intact part of the chain (the chain head when ok): what an anchor records. */
  last?: { id: number; hash: string };
  /** Records the fast path could not confirm and the reference re-checked (0 on an ordinary log). */
  rechecked?: number;
}

// ---------------------------------------------------------------------------------------------------
// Verification. The reference is `auditHash` over rows as the driver returns them; that path costs
// ~15 µs a record (row objects, jsonb parsed to objects, canonicalised). The fast path reads the log
// as text (COPY on PostgreSQL, one aggregated string per batch elsewhere), canonicalises the jsonb text
// without building objects and hashes each record from its bytes (modules/audit/verify-core.js), on worker
// threads when the log is large. Any record the fast path doubts (a hash or link that does not match, a
// row it cannot split) is re-checked with the reference before it is reported, so the fast path can
// only make verification quicker, never change its verdict.
// ---------------------------------------------------------------------------------------------------

const REFERENCE_COLUMNS = sql`id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at,
  company_id, actor_type, actor_id, actor_name, session_id, ip, user_agent, request_id, action, entity,
  entity_id, outcome, error_code, changes, details, prev_hash, hash`;

const TEXT_COLUMNS = [
  "id",
  `to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  "company_id", "actor_type", "actor_id", "actor_name", "session_id", "ip", "user_agent", "request_id", "action",
  "entity", "entity_id", "outcome", "error_code", "changes", "details", "prev_hash", "hash",
];
const COPY_SELECT = TEXT_COLUMNS.join(", ");
// Unit and record separators: never inside jsonb text (JSON escapes control characters); a text column
// that contains one shows up as a wrong field count and sends its batch to the reference path.
const AGG_SELECT = TEXT_COLUMNS.map((c, i) =>
  i === 15 || i === 16 ? `coalesce((${c})::text, 'null')` : `coalesce((${c})::text, '')`,
).join(", E'\\x1f', ");

/** Records the walk went past without being able to confirm them: settled with the reference later. */
interface Doubt {
  id: number;
  prev: string;
  prevId: number;
  checked: number;
}

/** The walk's state: the last record accepted (by the fast path or by the reference) and the doubts. */
class ChainWalker {
  prevHash = GENESIS_HASH;
  lastId = 0;
  checked = 0;
  /** Records in blocks submitted so far (whether or not their results are in). */
  doubts: Doubt[] = [];

  constructor(private readonly key: Buffer) {}

  /** A block's result, in order: its own doubts, and its first record's link to the block before. */
  apply(r: Extract<BlockResult, { firstId: number }>) {
    if (r.n === 0) return;
    const firstDoubted = r.doubts.length > 0 && r.doubts[0].index === 0;
    if (!firstDoubted && r.firstPrev !== this.prevHash) this.doubts.push({ id: r.firstId, prev: this.prevHash, prevId: this.lastId, checked: this.checked });
    for (const d of r.doubts) {
      this.doubts.push({ id: d.id, prev: d.prev ?? this.prevHash, prevId: d.prevId ?? this.lastId, checked: this.checked + d.index });
    }
    this.checked += r.n;
    this.prevHash = r.lastHash;
    this.lastId = r.lastId;
  }

  accept(id: number, hash: string) {
    this.prevHash = hash;
    this.lastId = id;
    this.checked++;
  }

  /**
   * Re-checks the doubtful records with the reference, in order. The walk went on past them assuming
   * their stored hash, which is exactly what the reference compares the next link with; so the first
   * doubt the reference confirms is the first bad record, and if none is confirmed the walk stands.
   */
  rechecked = 0;

  async settle(ex: Executor): Promise<AuditVerifyResult | undefined> {
    const doubts = this.doubts;
    this.doubts = [];
    for (const d of doubts) {
      this.rechecked++;
      const r = await one<AuditRow>(ex, sql`select ${REFERENCE_COLUMNS} from audit_log where id = ${d.id}`);
      let problem: "hash_mismatch" | "broken_link" | undefined;
      if (!r || auditHash(this.key, r.prev_hash, r) !== r.hash) problem = "hash_mismatch";
      else if (r.prev_hash !== d.prev) problem = "broken_link";
      if (problem) {
        return {
          ok: false,
          checked: d.checked,
          firstBad: { id: d.id, problem },
          ...(d.checked > 0 ? { last: { id: d.prevId, hash: d.prev } } : {}),
          rechecked: this.rechecked,
        };
      }
    }
    return undefined;
  }
}

/** Where blocks are checked: in this thread, or on worker threads (one per CPU, up to four). */
interface Checker {
  check(data: string | Uint8Array, format: "copy" | "agg"): Promise<BlockResult>;
  close(): Promise<void>;
}

function inlineChecker(key: Buffer): Checker {
  const checker = new BlockChecker(key);
  return {
    check: async (data, format) => checker.check(data, format),
    close: async () => {},
  };
}

function workerChecker(key: Buffer, count: number): Checker {
  const url = new URL("../modules/audit/verify-worker.js", import.meta.url);
  const pending = new Map<number, { resolve: (r: BlockResult) => void; reject: (e: Error) => void }>();
  const workers = Array.from({ length: count }, () => {
    const w = new Worker(url, { workerData: { key: new Uint8Array(key) } });
    w.on("message", (m: { seq: number; result?: BlockResult; error?: string }) => {
      const p = pending.get(m.seq);
      pending.delete(m.seq);
      if (m.error) p?.reject(new Error(m.error));
      else p?.resolve(m.result!);
    });
    w.on("error", (err) => {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    });
    return w;
  });
  let seq = 0;
  return {
    check(data, format) {
      const n = seq++;
      return new Promise((resolve, reject) => {
        pending.set(n, { resolve, reject });
        if (typeof data === "string") workers[n % count].postMessage({ seq: n, format, data });
        else workers[n % count].postMessage({ seq: n, format, data }, [data.buffer as ArrayBuffer]);
      });
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * Blocks go to the checker as they are read and their results are applied in reading order; at most
 * `limit` blocks are in flight, so memory stays bounded while the database and the checkers overlap.
 */
class BlockQueue {
  private readonly inFlight: Promise<void>[] = [];
  records = 0;

  constructor(
    private readonly checker: Checker,
    private readonly walker: ChainWalker,
    private readonly limit: number,
    private readonly onStructural: (range: { toId: number }) => Promise<void>,
  ) {}

  async push(data: string | Uint8Array, format: "copy" | "agg", range: { toId: number } = { toId: 0 }) {
    if (this.inFlight.length >= this.limit) await this.inFlight.shift();
    const result = this.checker.check(data, format);
    const previous = this.inFlight[this.inFlight.length - 1] ?? Promise.resolve();
    this.inFlight.push(
      previous.then(async () => {
        const r = await result;
        if (r.structural) {
          if (format === "copy") throw new Error("unexpected COPY text from the database");
          await this.onStructural(range);
        } else {
          this.records += r.n;
          this.walker.apply(r);
        }
      }),
    );
  }

  async drain() {
    while (this.inFlight.length > 0) await this.inFlight.shift();
  }
}

/** The raw node-postgres client behind a drizzle database or transaction, for COPY; else undefined. */
function pgClientOf(ex: Executor): { client?: pg.ClientBase; pool?: pg.Pool } | undefined {
  const client = (ex as unknown as { session?: { client?: unknown } }).session?.client;
  if (client instanceof pg.Pool) return { pool: client };
  if (client instanceof pg.Client) return { client };
  return undefined;
}

// Logs at least this long are checked on worker threads (starting them costs tens of milliseconds).
const WORKER_THRESHOLD = 100_000;
const BLOCK_BYTES = 1 << 20;

/**
 * Walks the chain in id order. A row changed in SQL, or added in SQL (it cannot carry a valid keyed hash),
 * fails its own hash ("hash_mismatch"); a removed row breaks the next row's link ("broken_link").
 */
export async function verifyAuditChain(
  ex: Executor,
  key: Buffer,
  batch = 50_000,
  /** `threads`: 0 checks in this thread, n on n worker threads; by default workers for large logs. */
  opts: { threads?: number } = {},
): Promise<AuditVerifyResult> {
  const walker = new ChainWalker(key);
  const size = await one<{ n: number | null }>(ex, sql`select max(id) - min(id) + 1 as n from audit_log`);
  const threads = opts.threads ?? Math.min(4, Math.max(1, os.availableParallelism()));
  let checker: Checker | undefined;
  if (threads > 0 && (opts.threads !== undefined || Number(size?.n ?? 0) >= WORKER_THRESHOLD)) {
    try {
      checker = workerChecker(key, threads);
    } catch {
      checker = undefined; // no worker threads here: check in this thread
    }
  }
  checker ??= inlineChecker(key);
  const pgc = pgClientOf(ex);
  // COPY blocks are 1 MB: a deeper queue lets the server run ahead while the checkers catch up (and the
  // other way round) instead of stalling each other on a small machine. Aggregated batches are far larger.
  const limit = pgc ? Math.max(8, threads * 6) : Math.max(2, threads * 2);
  const queue = new BlockQueue(checker, walker, limit, async ({ toId }) => {
    // A separator inside a text column: the rest of this batch is read as rows and settled one by one.
    const rest = await rows<AuditRow>(ex, sql`select ${REFERENCE_COLUMNS} from audit_log where id > ${walker.lastId} and id <= ${toId} order by id`);
    for (const row of rest) {
      walker.doubts.push({ id: row.id, prev: walker.prevHash, prevId: walker.lastId, checked: walker.checked });
      walker.accept(row.id, row.hash);
    }
  });
  let pooled: pg.PoolClient | undefined;
  try {
    if (pgc && !pgc.client) pooled = await pgc.pool!.connect();
    const client = pgc ? (pgc.client ?? pooled!) : undefined;
    for (;;) {
      // Doubts are settled after each chunk, so a bad record is reported without reading the whole log.
      const more = client ? await walkCopy(client, walker, queue) : await walkAggregated(ex, walker, queue, batch);
      const bad = await walker.settle(ex);
      if (bad) return bad;
      if (!more) return { ok: true, checked: walker.checked, ...lastOf(walker), rechecked: walker.rechecked };
    }
  } finally {
    pooled?.release();
    await checker.close();
  }
}

const lastOf = (w: ChainWalker) => (w.checked > 0 ? { last: { id: w.lastId, hash: w.prevHash } } : {});
const COPY_CHUNK = 1_000_000;

/**
 * PostgreSQL: a streamed COPY per chunk, cut into blocks at line ends while the server still produces.
 * NULL is written as an empty field: the hash treats both alike, and lines without escapes need no decoding.
 */
async function walkCopy(client: pg.ClientBase, walker: ChainWalker, queue: BlockQueue): Promise<boolean> {
  const stream = client.query(
    copyTo(`COPY (select ${COPY_SELECT} from audit_log where id > ${walker.lastId} order by id limit ${COPY_CHUNK}) TO STDOUT WITH (NULL '')`),
  );
  const before = queue.records;
  // Chunks are copied once, into the block that is then transferred to a worker (no copy on the way);
  // the partial line after a block's last line end starts the next block.
  let block = new Uint8Array(BLOCK_BYTES);
  let size = 0;
  for await (const buf of stream) {
    const chunk = buf as Buffer;
    if (size + chunk.length > block.length) {
      const cut = size > 0 ? block.lastIndexOf(10, size - 1) + 1 : 0;
      const next = new Uint8Array(Math.max(BLOCK_BYTES, size - cut + chunk.length));
      next.set(block.subarray(cut, size));
      if (cut > 0) await queue.push(block.subarray(0, cut), "copy");
      block = next;
      size -= cut;
    }
    block.set(chunk, size);
    size += chunk.length;
  }
  if (size > 0) await queue.push(block.subarray(0, size), "copy");
  await queue.drain();
  return queue.records - before >= COPY_CHUNK;
}

/** Elsewhere (PGlite, or a transaction without a raw client): one aggregated string per batch. */
async function walkAggregated(ex: Executor, walker: ChainWalker, queue: BlockQueue, batch: number): Promise<boolean> {
  let from = walker.lastId;
  let ended = false;
  // The next batch is read while the previous ones are checked; a chunk ends after a million records,
  // or early when a doubt turns up (it is settled before the walk goes on).
  for (let read = 0; read < COPY_CHUNK && walker.doubts.length === 0; ) {
    const r = await one<{ t: string | null; n: number; last: number | null }>(
      ex,
      sql.raw(`select string_agg(concat(${AGG_SELECT}), E'\\x1e' order by id) as t, count(*)::int8 as n, max(id) as last
        from (select * from audit_log where id > ${from} order by id limit ${batch}) s`),
    );
    const n = Number(r?.n ?? 0);
    if (!r?.t || n === 0) {
      ended = true;
      break;
    }
    await queue.push(r.t, "agg", { toId: Number(r.last) });
    from = Number(r.last);
    read += n;
    if (n < batch) {
      ended = true;
      break;
    }
  }
  await queue.drain();
  return !ended;
}
