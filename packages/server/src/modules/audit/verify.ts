// Verification of the audit chain. The reference is `auditHash` over rows as the driver returns them; that
// path costs ~15 µs a record (row objects, jsonb parsed to objects, canonicalised). The fast path reads the
// log as binary COPY (on PostgreSQL from the socket, on PGlite through its raw protocol interface), cuts
// it into blocks of whole rows and checks each record on its bytes (verify-core.js), on worker threads when
// the log is large. Any record the fast path doubts (a hash or link that does not match, a value it does
// not print as the reference does) is re-checked with the reference before it is reported, so the fast
// path can only make verification quicker, never change its verdict.
import os from "node:os";
import { Worker } from "node:worker_threads";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { type AuditRow, auditHash, GENESIS_HASH } from "../../platform/audit.ts";
import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { BlockChecker, type BlockResult, COPY_SELECT } from "./verify-core.js";

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

export interface VerifyOptions {
  /** 0 checks in this thread, n on n worker threads; by default worker threads for large logs. */
  threads?: number;
  /**
   * The embedded database behind `ex` when `ex` is a transaction on it (a PGlite transaction does not
   * expose its database, whose raw protocol interface the fast path reads through).
   */
  pglite?: PGlite;
  /** Bytes per block handed to a checker (tests make it small to cut rows at awkward places). */
  blockBytes?: number;
}

const REFERENCE_COLUMNS = sql`id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at,
  company_id, actor_type, actor_id, actor_name, session_id, ip, user_agent, request_id, action, entity,
  entity_id, outcome, error_code, changes, details, prev_hash, hash`;

type Problem = "hash_mismatch" | "broken_link";

/** The reference verdict on one record (undefined: it was not found) that should link to `prev`. */
function referenceProblem(key: Buffer, row: AuditRow | undefined, prev: string): Problem | undefined {
  if (!row || auditHash(key, row.prev_hash, row) !== row.hash) return "hash_mismatch";
  if (row.prev_hash !== prev) return "broken_link";
  return undefined;
}

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
  doubts: Doubt[] = [];
  rechecked = 0;

  constructor(private readonly key: Buffer) {}

  /** A block's result, in order: its own doubts, and its first record's link to the block before. */
  apply(r: BlockResult) {
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

  bad(d: Doubt, problem: Problem): AuditVerifyResult {
    return {
      ok: false,
      checked: d.checked,
      firstBad: { id: d.id, problem },
      ...(d.checked > 0 ? { last: { id: d.prevId, hash: d.prev } } : {}),
      rechecked: this.rechecked,
    };
  }

  intact(): AuditVerifyResult {
    return { ok: true, checked: this.checked, ...(this.checked > 0 ? { last: { id: this.lastId, hash: this.prevHash } } : {}), rechecked: this.rechecked };
  }

  /**
   * Re-checks the doubtful records with the reference, in order. The walk went on past them assuming
   * their stored hash, which is exactly what the reference compares the next link with; so the first
   * doubt the reference confirms is the first bad record, and if none is confirmed the walk stands.
   */
  async settle(ex: Executor): Promise<AuditVerifyResult | undefined> {
    const doubts = this.doubts;
    this.doubts = [];
    for (const d of doubts) {
      this.rechecked++;
      const row = await one<AuditRow>(ex, sql`select ${REFERENCE_COLUMNS} from audit_log where id = ${d.id}`);
      const problem = referenceProblem(this.key, row, d.prev);
      if (problem) return this.bad(d, problem);
    }
    return undefined;
  }
}

/**
 * Where blocks are checked: on worker threads, or in this thread when they are behind or there are none;
 * results are applied to the walker in reading order. Blocks are taken from `buffer()`, so their memory
 * is reused.
 */
interface Checker {
  /** A buffer of at least `size` bytes for the next block. */
  buffer(size: number): Uint8Array;
  /** Checks `block` (at the start of its buffer, which is no longer the caller's). */
  submit(block: Uint8Array): void;
  /** Blocks submitted whose results are not applied yet. */
  readonly pending: number;
  /** Called whenever a result was applied. */
  onApplied?: () => void;
  /** Resolves when every block submitted so far was applied; rejects when a worker failed. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Free block buffers: those of blocks checked, of the usual size. */
function bufferPool(blockBytes: number) {
  const free: ArrayBuffer[] = [];
  return {
    take: (size: number) => {
      const b = size <= blockBytes ? free.pop() : undefined;
      return new Uint8Array(b ?? new ArrayBuffer(Math.max(size, blockBytes)));
    },
    give: (b: ArrayBuffer) => {
      if (b.byteLength === blockBytes && free.length < 64) free.push(b);
    },
  };
}

// A worker this many blocks behind gets no more: the block is checked in this thread instead. On PGlite this
// thread produces the COPY and so shares its time with one worker; this way neither waits for the other.
const MAX_BACKLOG = 2;

/** Checks blocks on `threads` worker threads, and in this thread when they are behind (or there are none). */
function blockChecker(key: Buffer, walker: ChainWalker, threads: number, blockBytes: number): Checker {
  const url = new URL("./verify-worker.js", import.meta.url);
  const pool = bufferPool(blockBytes);
  const local = new BlockChecker(key);
  // Results by block number, applied in order from `front`.
  const results = new Map<number, BlockResult>();
  let next = 0;
  let front = 0;
  let failure: Error | undefined;
  let waiter: { resolve: () => void; reject: (e: Error) => void } | undefined;
  // Blocks each worker has finished, counted by the worker: read while this thread is busy in a PGlite COPY,
  // when the workers' answers cannot be received.
  const done = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, threads)));
  const posted = new Array<number>(threads).fill(0);
  const wake = () => {
    if (!waiter) return;
    if (failure) waiter.reject(failure);
    else if (front === next) waiter.resolve();
    else return;
    waiter = undefined;
  };
  const fail = (e: Error) => {
    failure ??= e;
    self.onApplied?.();
    wake();
  };
  const applyReady = () => {
    for (let r = results.get(front); r; r = results.get(front)) {
      results.delete(front++);
      walker.apply(r);
    }
    self.onApplied?.();
    wake();
  };
  const workers = Array.from({ length: threads }, (_, w) => {
    const worker = new Worker(url, { workerData: { key: new Uint8Array(key), done, index: w } });
    worker.on("message", (m: { seq: number; result?: BlockResult; buffer?: ArrayBuffer; error?: string }) => {
      if (m.error) return fail(new Error(m.error));
      pool.give(m.buffer!);
      results.set(m.seq, m.result!);
      applyReady();
    });
    worker.on("error", fail);
    return worker;
  });
  const self: Checker = {
    buffer: pool.take,
    submit(block) {
      // After a failure blocks are dropped (drain reports it): the reading goes on to the COPY's end, so
      // the connection is left in step.
      if (failure) {
        pool.give(block.buffer as ArrayBuffer);
        return;
      }
      const seq = next++;
      // To the worker least behind: blocks differ in cost, so taking turns would let one fall behind.
      let w = -1;
      let least = MAX_BACKLOG;
      for (let k = 0; k < threads; k++) {
        const backlog = posted[k] - Atomics.load(done, k);
        if (backlog < least) {
          least = backlog;
          w = k;
        }
      }
      if (w < 0) {
        try {
          results.set(seq, local.check(block));
        } catch (e) {
          fail(e as Error);
        }
        pool.give(block.buffer as ArrayBuffer);
        applyReady();
        return;
      }
      posted[w]++;
      workers[w].postMessage({ seq, buffer: block.buffer, length: block.byteLength }, [block.buffer as ArrayBuffer]);
    },
    get pending() {
      // Nothing is awaited after a failure: a paused reader goes on.
      return failure ? 0 : next - front;
    },
    drain() {
      return new Promise<void>((resolve, reject) => {
        waiter = { resolve, reject };
        wake();
      });
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
  return self;
}

const COPY_DATA = 0x64;
const COPY_DONE = 0x63;
/** Messages that may come with the CopyData: CopyOutResponse, NoticeResponse, ParameterStatus, NotificationResponse. */
const PASSED = [0x48, 0x4e, 0x53, 0x41];

/**
 * Cuts the backend messages of a binary COPY TO STDOUT, in chunks cut anywhere, into blocks of whole
 * CopyData messages for the checker. Runs of CopyData are copied as they come, framing included (the
 * checker reads it): one copy per chunk rather than per row. Other messages are left out. `read` answers
 * where the COPY's messages end in the chunk (after CopyDone, or before any other message: an error), or
 * -1 when more is to come.
 */
class CopyBlocks {
  private block: Uint8Array;
  private size = 0;
  /** The end of the whole messages in the block. */
  private whole = 0;
  /** The message being read, its bytes still to come, and its header when it came in pieces. */
  private type = 0;
  private left = 0;
  private readonly head = Buffer.alloc(5);
  private headLength = 0;

  constructor(
    private readonly checker: Checker,
    private readonly blockBytes: number,
  ) {
    this.block = checker.buffer(blockBytes);
  }

  read(chunk: Buffer): number {
    if (this.block.length - this.size < chunk.length) this.cut(chunk.length);
    const end = chunk.length;
    let i = 0;
    // Where the bytes to copy start (a CopyData message begun in an earlier chunk goes on here), and where
    // the last whole CopyData message among them ends.
    let run = this.type === COPY_DATA && (this.left > 0 || this.headLength > 0) ? 0 : -1;
    let whole = -1;
    let stop = -1;
    while (i < end) {
      if (this.left > 0) {
        const n = Math.min(this.left, end - i);
        i += n;
        this.left -= n;
        if (this.left === 0 && this.type === COPY_DATA) whole = i;
        continue;
      }
      if (this.headLength === 0) {
        this.type = chunk[i];
        if (this.type === COPY_DATA) {
          if (run < 0) run = i;
        } else {
          if (run >= 0) this.append(chunk, run, i, whole);
          run = -1;
          if (this.type !== COPY_DONE && !PASSED.includes(this.type)) {
            stop = i;
            break;
          }
        }
      }
      if (this.headLength === 0 && end - i >= 5) {
        this.left = chunk.readInt32BE(i + 1) - 4;
        i += 5;
      } else {
        while (this.headLength < 5 && i < end) this.head[this.headLength++] = chunk[i++];
        if (this.headLength < 5) break;
        this.headLength = 0;
        this.left = this.head.readInt32BE(1) - 4;
      }
      if (this.type === COPY_DONE) {
        stop = i;
        break;
      }
    }
    if (run >= 0) this.append(chunk, run, end, whole);
    if (this.whole >= this.blockBytes) this.cut(0);
    return stop;
  }

  finish() {
    if (this.left > 0 || this.headLength > 0 || this.whole !== this.size) throw new Error("the COPY data ended inside a message");
    if (this.size > 0) this.cut(0);
  }

  private append(chunk: Buffer, from: number, to: number, whole: number) {
    chunk.copy(this.block, this.size, from, to);
    if (whole >= from) this.whole = this.size + (whole - from);
    this.size += to - from;
  }

  /** Hands the whole messages over and carries the rest (a message in pieces) into a new block with room for `more`. */
  private cut(more: number) {
    const rest = this.size - this.whole;
    const next = this.checker.buffer(rest + more);
    next.set(this.block.subarray(this.whole, this.size));
    if (this.whole > 0) this.checker.submit(this.block.subarray(0, this.whole));
    this.block = next;
    this.size = rest;
    this.whole = 0;
  }
}

/** The `M` field of an ErrorResponse among backend messages, if there is one. */
function errorIn(messages: Buffer): string | undefined {
  for (let i = 0; i + 5 <= messages.length; ) {
    const length = messages.readInt32BE(i + 1);
    if (messages[i] === 0x45) {
      const body = messages.subarray(i + 5, i + 1 + length);
      for (let f = 0; f < body.length && body[f] !== 0; ) {
        const z = body.indexOf(0, f + 1);
        if (body[f] === 0x4d) return body.toString("utf8", f + 1, z);
        f = z + 1;
      }
      return "error";
    }
    i += 1 + length;
  }
  return undefined;
}

/**
 * A node-postgres query object for a COPY TO STDOUT that reads the socket itself while the COPY runs (as
 * pg-copy-streams does) and hands the CopyData bytes straight to the blocks: no message object per row.
 * The socket is paused while the checkers are `limit` blocks behind. node-postgres reads what follows the
 * COPY (CommandComplete, or an ErrorResponse) as usual.
 */
class CopyOutQuery implements pg.Submittable {
  readonly done: Promise<void>;
  private settle!: (e?: Error) => void;
  private settled = false;

  constructor(
    private readonly statement: string,
    private readonly blocks: CopyBlocks,
    private readonly checker: Checker,
    private readonly limit: number,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (e) => {
        if (this.settled) return;
        this.settled = true;
        if (e) reject(e);
        else resolve();
      };
    });
  }

  submit(connection: pg.Connection) {
    const stream = connection.stream;
    const driver = stream.listeners("data")[0] as (chunk: Buffer) => void;
    let paused = false;
    const resume = () => {
      if (paused && this.checker.pending <= this.limit / 2) {
        paused = false;
        stream.resume();
      }
    };
    this.checker.onApplied = resume;
    const onData = (chunk: Buffer) => {
      let rest: number;
      try {
        rest = this.blocks.read(chunk);
      } catch (e) {
        // A fault in the reading itself (not expected): the driver takes the rest and skips the COPY.
        this.settle(e as Error);
        rest = 0;
      }
      if (rest < 0) {
        if (this.checker.pending > this.limit) {
          paused = true;
          stream.pause();
        }
        return;
      }
      stream.removeListener("data", onData);
      stream.on("data", driver);
      this.checker.onApplied = undefined;
      if (rest < chunk.length) driver(chunk.subarray(rest));
      if (paused) stream.resume();
    };
    stream.removeListener("data", driver);
    stream.on("data", onData);
    connection.query(this.statement);
  }

  handleError(err: Error) {
    this.settle(err);
  }

  handleReadyForQuery() {
    this.settle();
  }

  handleCommandComplete() {}

  /** Only after a fault in the reading, when the driver skips the rest of the COPY. */
  handleCopyData() {}
}

/** A simple-query protocol message. */
function queryMessage(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`, "utf8");
  const m = Buffer.alloc(5 + body.length);
  m[0] = 0x51;
  m.writeInt32BE(4 + body.length, 1);
  body.copy(m, 5);
  return m;
}

/** PGlite: the COPY runs synchronously inside `execProtocolRawStream`, its output handed over as it is written. */
async function pgliteCopy(pglite: PGlite, statement: string, blocks: CopyBlocks) {
  const tail: Buffer[] = [];
  let failure: unknown;
  await pglite._runExclusiveQuery(() =>
    pglite.execProtocolRawStream(queryMessage(statement), {
      syncToFs: false,
      onRawData: (data) => {
        // A view of the database's memory: whatever is kept is copied.
        const chunk = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        if (tail.length > 0 || failure) tail.push(Buffer.from(chunk));
        else {
          try {
            const rest = blocks.read(chunk);
            if (rest >= 0) tail.push(Buffer.from(chunk.subarray(rest)));
          } catch (e) {
            failure = e;
          }
        }
      },
    }),
  );
  if (failure) throw failure;
  const error = errorIn(Buffer.concat(tail));
  if (error) throw new Error(error);
}

/** The raw node-postgres client or pool behind a drizzle database or transaction; or the PGlite database. */
function sourceOf(ex: Executor, pglite?: PGlite): { client?: pg.ClientBase; pool?: pg.Pool; pglite?: PGlite } | undefined {
  const client = (ex as unknown as { session?: { client?: unknown } }).session?.client;
  if (client instanceof pg.Pool) return { pool: client };
  if (client instanceof pg.Client) return { client };
  if (typeof (client as PGlite | undefined)?.execProtocolRawStream === "function") return { pglite: client as PGlite };
  return pglite ? { pglite } : undefined;
}

// Logs at least this long are checked on worker threads (starting them costs tens of milliseconds).
const WORKER_THRESHOLD = 100_000;
const BLOCK_BYTES = 1 << 19;

/**
 * Walks the chain in id order. A row changed in SQL, or added in SQL (it cannot carry a valid keyed hash),
 * fails its own hash ("hash_mismatch"); a removed row breaks the next row's link ("broken_link").
 * `batch`: records read per query (doubts are settled after each); by default a million on PostgreSQL,
 * whose COPY streams, and 100,000 on PGlite, whose COPY is produced in one go.
 */
export async function verifyAuditChain(ex: Executor, key: Buffer, batch?: number, opts: VerifyOptions = {}): Promise<AuditVerifyResult> {
  const walker = new ChainWalker(key);
  const source = sourceOf(ex, opts.pglite);
  if (!source) return verifyByReference(ex, key, walker, batch ?? 10_000);
  const size = await one<{ n: number | null }>(ex, sql`select max(id) - min(id) + 1 as n from audit_log`);
  const cores = Math.max(1, os.availableParallelism());
  // PGlite produces the COPY on this thread, PostgreSQL in its own process.
  const threads = opts.threads ?? Math.min(4, source.pglite ? Math.max(1, cores - 1) : cores);
  const blockBytes = opts.blockBytes ?? BLOCK_BYTES;
  const large = opts.threads !== undefined || Number(size?.n ?? 0) >= WORKER_THRESHOLD;
  const checker = blockChecker(key, walker, large ? threads : 0, blockBytes);
  const perQuery = Math.max(1, Math.floor(batch ?? (source.pglite ? 100_000 : 1_000_000)));
  let pooled: pg.PoolClient | undefined;
  try {
    if (source.pool) pooled = await source.pool.connect();
    const client = pooled ?? source.client;
    for (let first = true; ; first = false) {
      // No lower bound at first: a record forged with an id below every other one is read too.
      const statement = `COPY (select ${COPY_SELECT} from audit_log${first ? "" : ` where id > ${safeId(walker.lastId)}`}
        order by id limit ${perQuery}) TO STDOUT WITH (FORMAT binary)`;
      const blocks = new CopyBlocks(checker, blockBytes);
      const before = walker.checked;
      if (client) {
        const query = new CopyOutQuery(statement, blocks, checker, Math.max(8, 4 * threads));
        client.query(query);
        await query.done;
      } else await pgliteCopy(source.pglite!, statement, blocks);
      blocks.finish();
      await checker.drain();
      // Doubts are settled after each query, so a bad record is reported without reading the whole log.
      const bad = await walker.settle(ex);
      if (bad) return bad;
      if (walker.checked - before < perQuery) return walker.intact();
    }
  } finally {
    pooled?.release();
    await checker.close();
  }
}

function safeId(id: number): number {
  if (!Number.isSafeInteger(id)) throw new Error(`audit record id ${id} is beyond what verification can read`);
  return id;
}

/** Without a raw connection (a PGlite transaction, `opts.pglite` not given): the reference alone, a batch of rows at a time. */
async function verifyByReference(ex: Executor, key: Buffer, walker: ChainWalker, batch: number): Promise<AuditVerifyResult> {
  for (let first = true; ; first = false) {
    const page = await rows<AuditRow>(
      ex,
      sql`select ${REFERENCE_COLUMNS} from audit_log ${first ? sql`` : sql`where id > ${walker.lastId}`} order by id limit ${batch}`,
    );
    for (const row of page) {
      const problem = referenceProblem(key, row, walker.prevHash);
      if (problem) return walker.bad({ id: row.id, prev: walker.prevHash, prevId: walker.lastId, checked: walker.checked }, problem);
      walker.accept(row.id, row.hash);
    }
    if (page.length < batch) return walker.intact();
  }
}
