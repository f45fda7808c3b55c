/**
 * `npm run bench:audit` — prints the audit figures (issue targets in brackets):
 *   the cost of a simple command with and without its audit record [< 10 % more], and on PostgreSQL
 *   the floor under it (the same transaction in bare SQL with and without an audit row, by pgbench);
 *   `audit verify` on 1,000,000 records, records per second [≥ 200,000/s];
 *   the p99 the permission and data-scope checks add to a request [< 1 ms].
 * Runs on the embedded database, and on PostgreSQL at KAIWU_BENCH_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) when it answers. KAIWU_BENCH_AUDIT_RECORDS changes the
 * size of the verified log; `npm run bench:audit -- command verify checks` picks parts (`-- command`
 * alone skips the slow verify section); KAIWU_BENCH_COMMANDS sets the creations per variant (2000).
 * The command figure compares the same pipeline with and without the audit record (the record's own
 * cost); the hand-written transaction is printed for reference.
 * Wall time depends on what else the machine runs: the CPU time of this process is printed beside it.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import pino from "pino";
import { authenticateBearer } from "../packages/server/src/modules/access/tokens/auth.ts";
import { createToken } from "../packages/server/src/modules/access/tokens/commands.ts";
import { grantsToPermissions } from "../packages/server/src/modules/identity/sessions.ts";
import { createDepartment } from "../packages/server/src/modules/org/commands.ts";
import { department } from "../packages/server/src/modules/org/schema.ts";
import { type Actor, can, scopeOf, systemActor } from "../packages/server/src/platform/actor.ts";
import { verifyAuditChain } from "../packages/server/src/modules/audit/verify.ts";
import { type AuditRow, GENESIS_HASH, auditHash } from "../packages/server/src/platform/audit.ts";
import { allMigrations, createRuntime } from "../packages/server/src/platform/bootstrap.ts";
import { loadConfig } from "../packages/server/src/platform/config.ts";
import { type Database, one, openDatabase, rows, sql } from "../packages/server/src/platform/db/database.ts";
import { migrate } from "../packages/server/src/platform/db/migrate.ts";
import { benchmarkOnlyRuntimeWithoutAuditRecords, execute } from "../packages/server/src/platform/pipeline.ts";
import type { Runtime } from "../packages/server/src/platform/runtime.ts";
import { scopeCondition } from "../packages/server/src/platform/scope.ts";
import { ensureInstalled } from "../packages/server/src/setup.ts";
import { runPgbenchScript } from "./pgbench.ts";

const ADMIN_URL = process.env.KAIWU_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const RECORDS = Number(process.env.KAIWU_BENCH_AUDIT_RECORDS ?? 1_000_000);
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

function line(label: string, value: string, target: string, ok: boolean | null) {
  process.stdout.write(`${label.padEnd(62)} ${value.padStart(16)}   [${target}]${ok === null ? "" : ok ? " ok" : " MISSED"}\n`);
}
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

async function pgAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function scratchPg(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

async function runtimeOn(database: Database): Promise<Runtime> {
  process.env.KAIWU_AUDIT_KEY ??= "bench-audit-key";
  const rt = await createRuntime({
    config: loadConfig({ dataDir: "/tmp/kaiwu-bench-audit", logLevel: "silent", jobsEnabled: false }),
    database,
    logger: pino({ level: "silent" }),
  });
  await ensureInstalled(rt, { demo: false });
  return rt;
}

// ------------------------------------------------------------------------------------------------
// 1. A simple command with and without its audit record
// ------------------------------------------------------------------------------------------------

/**
 * The cost of the audit record itself: `execute(createDepartment)` through the whole pipeline, on the
 * benchmark's runtime and on a copy of it registered with `benchmarkOnlyRuntimeWithoutAuditRecords`
 * (same authorise, validate, transaction, command and outbox events, minus the record). For
 * reference, a hand-written transaction (insert, outbox insert) is measured too: its
 * difference to the pipeline mixes the pipeline's own overhead with the record's. The three are run in
 * alternating batches so that whatever else the machine does falls on all alike.
 */
async function commandCost(rt: Runtime, label: string) {
  const companyId = (await one<{ id: number }>(rt.database.db, sql`select id from company order by id limit 1`))!.id;
  const actor = systemActor("bench", companyId);
  const unaudited = benchmarkOnlyRuntimeWithoutAuditRecords(rt);
  const N = Number(process.env.KAIWU_BENCH_COMMANDS ?? 2000);
  const BATCH = 100;
  const total = { with: 0, without: 0, hand: 0 };
  const cpu = { with: 0, without: 0, hand: 0 };
  const runWith = async (k: number) => {
    const c = process.cpuUsage();
    const t = performance.now();
    for (let i = 0; i < BATCH; i++) await execute(rt, createDepartment, { code: `A${k}-${i}`, nameZh: "部门", nameEn: "Department" }, actor);
    total.with += performance.now() - t;
    cpu.with += cpuSeconds(c) * 1000;
  };
  const runWithout = async (k: number) => {
    const c = process.cpuUsage();
    const t = performance.now();
    for (let i = 0; i < BATCH; i++) await execute(unaudited, createDepartment, { code: `C${k}-${i}`, nameZh: "部门", nameEn: "Department" }, actor);
    total.without += performance.now() - t;
    cpu.without += cpuSeconds(c) * 1000;
  };
  const runHand = async (k: number) => {
    const c = process.cpuUsage();
    const t = performance.now();
    for (let i = 0; i < BATCH; i++) {
      await rt.database.db.transaction(async (tx) => {
        const [row] = await tx.insert(department).values({ companyId, code: `B${k}-${i}`, nameZh: "部门", nameEn: "Department" }).returning();
        await tx.execute(sql`insert into outbox_event (company_id, type, payload) values (${companyId}, 'org.department.created',
          ${JSON.stringify({ id: row.id, companyId, code: row.code })}::jsonb)`);
      });
    }
    total.hand += performance.now() - t;
    cpu.hand += cpuSeconds(c) * 1000;
  };
  const runs = [runWith, runWithout, runHand];
  // warm up every path
  for (const run of runs) await run(-1);
  total.with = total.without = total.hand = 0;
  cpu.with = cpu.without = cpu.hand = 0;
  for (let k = 0, n = 0; n < N; k++, n += BATCH) {
    // rotate the order, so none of the three always follows another
    for (let j = 0; j < runs.length; j++) await runs[(j + k) % runs.length](k);
  }
  const a = total.with / N;
  const b = total.without / N;
  const h = total.hand / N;
  const overhead = (a / b - 1) * 100;
  // CPU of this process per command: on PGlite it includes the database's own work (same thread).
  const perCpu = (ms: number) => `${(ms / N).toFixed(3)} ms CPU`;
  line(`${label}: hand-written transaction, no pipeline, no record`, `${h.toFixed(3)} ms`, perCpu(cpu.hand), null);
  line(`${label}: command through the pipeline without its audit record`, `${b.toFixed(3)} ms`, perCpu(cpu.without), null);
  line(`${label}: the same command through the pipeline with its record`, `${a.toFixed(3)} ms`, perCpu(cpu.with), null);
  line(`${label}: audit record overhead (${N} creations each)`, `${overhead.toFixed(1)} %`, "< 10 %", overhead < 10);
  line(`${label}: pipeline with record vs hand-written (old comparison)`, `${((a / h - 1) * 100).toFixed(1)} %`, "reference", null);
}

/**
 * The floor under the overhead figure, PostgreSQL only: the command's transaction in bare SQL (insert
 * the department, insert its outbox event) with and without one more insert of an audit row, run by
 * pgbench on one connection, no Kaiwu code. The row's indexes (that the audit log's filters use), its
 * WAL and the larger commit are what any audit record costs; what the pipeline adds beyond this is the
 * hash, the chain check under its lock and the driver.
 */
function auditRowFloor(url: string, companyId: number) {
  const command = (audited: boolean) => `BEGIN;
insert into department (company_id, code, name_zh, name_en) values (${companyId}, 'F' || nextval('bench_floor_seq'), '部门', 'Department') returning id \\gset
${audited ? "with o as (" : ""}insert into outbox_event (company_id, type, payload) values (${companyId}, 'org.department.created', jsonb_build_object('id', :id::int8, 'companyId', ${companyId}))${audited ? ` returning 1)
insert into audit_log (id, occurred_at, company_id, actor_type, actor_name, action, entity, entity_id, outcome, changes, prev_hash, hash)
  values (nextval('bench_floor_seq') + 1000000000, now(), ${companyId}, 'system', 'bench', 'org.department.create', 'department', :id::text, 'success',
    jsonb_build_object('before', null, 'after', jsonb_build_object('id', :id::int8, 'code', 'F', 'nameZh', '部门', 'nameEn', 'Department', 'active', true, 'version', 1)),
    repeat('0', 64), repeat('f', 64))` : ""};
COMMIT;
`;
  const latency = { with: 0, without: 0 };
  const ROUNDS = 3;
  for (let k = 0; k < ROUNDS; k++) {
    latency.without += runPgbenchScript(url, command(false), ["-c", "1", "-T", "4"]).latencyMs / ROUNDS;
    latency.with += runPgbenchScript(url, command(true), ["-c", "1", "-T", "4"]).latencyMs / ROUNDS;
  }
  const overhead = (latency.with / latency.without - 1) * 100;
  line("PostgreSQL floor: the same transaction in bare SQL (pgbench)", `${latency.without.toFixed(3)} ms`, "no Kaiwu code", null);
  line("PostgreSQL floor: with one audit row inserted", `${latency.with.toFixed(3)} ms`, "no hash, no chain", null);
  line("PostgreSQL floor: what the row alone adds", `${overhead.toFixed(1)} %`, "reference", null);
}

// ------------------------------------------------------------------------------------------------
// 2. Verifying 1,000,000 records
// ------------------------------------------------------------------------------------------------

/**
 * A valid chain of realistic records, hashed exactly as writeAudit hashes (auditHash): department
 * creations with the full row, updates with a before/after diff, sign-ins.
 */
function* chainRows(key: Buffer, n: number): Generator<AuditRow> {
  let prev = GENESIS_HASH;
  const t0 = Date.parse("2026-01-05T00:00:00Z");
  for (let i = 1; i <= n; i++) {
    const at = new Date(t0 + i * 997).toISOString();
    const kind = i % 10;
    const row = {
      id: i,
      occurred_at: at,
      company_id: 1,
      actor_type: "user",
      actor_id: 2 + (i % 40),
      actor_name: ["周敏 Zhou Min", "张伟 Zhang Wei", "李娜 Li Na", "王强 Wang Qiang"][i % 4],
      session_id: "3f9c0a1b2c3d4e5f",
      ip: `10.20.${i % 7}.${i % 250}`,
      user_agent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
      request_id: `req-${i.toString(16).padStart(8, "0")}`,
      action: kind === 0 ? "auth.login" : kind < 7 ? "org.department.create" : "org.department.update",
      entity: kind === 0 ? "app_user" : "department",
      entity_id: String(i),
      outcome: "success",
      error_code: null,
      changes:
        kind === 0
          ? null
          : kind < 7
            ? { before: null, after: { id: i, code: `D${i}`, active: true, nameEn: `Department ${i}`, nameZh: `部门 ${i}`, version: 1, parentId: 1, companyId: 1, createdAt: at, updatedAt: at, managerUserId: null } }
            : { before: { nameEn: `Department ${i - 1}` }, after: { nameEn: `Department ${i}` } },
      details: kind === 0 ? { username: "it.zhou" } : null,
    };
    const hash = auditHash(key, prev, row);
    yield { ...row, prev_hash: prev, hash };
    prev = hash;
  }
}

const COLUMNS = [
  "id", "occurred_at", "company_id", "actor_type", "actor_id", "actor_name", "session_id", "ip", "user_agent", "request_id",
  "action", "entity", "entity_id", "outcome", "error_code", "changes", "details", "prev_hash", "hash",
] as const;
const esc = (v: unknown) =>
  v === null || v === undefined ? "\\N" : String(v).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
const copyLine = (r: AuditRow) =>
  `${COLUMNS.map((c) => esc(c === "changes" || c === "details" ? (r[c] === null ? null : JSON.stringify(r[c])) : r[c])).join("\t")}\n`;

async function loadChain(database: Database, key: Buffer, n: number) {
  await database.db.execute(sql`alter table audit_log disable trigger audit_log_no_truncate`);
  await database.db.execute(sql`truncate audit_log`);
  await database.db.execute(sql`alter table audit_log enable trigger audit_log_no_truncate`);
  if (database.pool) {
    const client = await database.pool.connect();
    try {
      const lines = (function* () {
        for (const r of chainRows(key, n)) yield copyLine(r);
      })();
      await pipeline(Readable.from(lines), client.query(copyFrom(`COPY audit_log (${COLUMNS.join(", ")}) FROM STDIN`)));
    } finally {
      client.release();
    }
  } else {
    // PGlite: COPY extends the table many pages at a time, which PGlite's in-memory file system does by
    // copying the whole file, so COPY slows down as the table grows (561 s for a million records); INSERT
    // extends it a page at a time. The rows go as one JSON literal per statement (a parameter that large
    // is slow to pass), and the secondary indexes are built after the load.
    const pglite = database.pglite!;
    const indexes = await rows<{ name: string; def: string }>(
      database.db,
      sql`select indexname as name, indexdef as def from pg_indexes where tablename = 'audit_log' and indexname <> 'audit_log_pkey'`,
    );
    for (const i of indexes) await pglite.exec(`drop index ${i.name}`);
    const insert = async (batch: string[]) => {
      const json = `[${batch.join(",")}]`;
      if (json.includes("$rows$")) throw new Error("the rows contain the literal's quote");
      await pglite.exec(`insert into audit_log select * from json_populate_recordset(null::audit_log, $rows$${json}$rows$)`);
    };
    let batch: string[] = [];
    for (const r of chainRows(key, n)) {
      // Only the fields that have a value: a JSON null would be stored as the jsonb value null.
      batch.push(JSON.stringify(Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null))));
      if (batch.length === 10_000) {
        await insert(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await insert(batch);
    for (const i of indexes) await pglite.exec(i.def);
  }
  await database.db.execute(sql`select setval('audit_log_id_seq', ${n})`);
  // As a log that has been in use a while is: vacuumed (hint bits set) and checkpointed, or else the
  // first reading sets the hint bits and writes every page back.
  await database.db.execute(sql`vacuum analyze audit_log`);
  await database.db.execute(sql`checkpoint`);
}

async function verifySpeed(database: Database, label: string) {
  const key = Buffer.from("bench-verify-key");
  const t0 = performance.now();
  await loadChain(database, key, RECORDS);
  line(`${label}: ${RECORDS.toLocaleString("en-US")} chained records generated and loaded`, `${((performance.now() - t0) / 1000).toFixed(1)} s`, "set-up", null);
  for (let round = 1; round <= 2; round++) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    const r = await verifyAuditChain(database.db, key);
    const s = (performance.now() - t) / 1000;
    const c = cpuSeconds(cpu);
    if (!r.ok || r.checked !== RECORDS) throw new Error(`verification failed: ${JSON.stringify(r)}`);
    const rate = r.checked / s;
    line(`${label}: audit verify, run ${round} (this process: ${c.toFixed(1)} s CPU)`, `${Math.round(rate).toLocaleString("en-US")} /s`, "≥ 200,000/s", rate >= 200_000);
  }
}

// ------------------------------------------------------------------------------------------------
// 3. Permission and data-scope checks
// ------------------------------------------------------------------------------------------------

function percentile(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function checksCost(rt: Runtime, label: string) {
  // A person with five roles, three of them limited to department subtrees: 60-odd keys, scopes per key.
  const keys = [...rt.permissions.keys()];
  const grants = [
    { p: keys.filter((_, i) => i % 3 === 0), d: null },
    { p: keys.filter((_, i) => i % 5 === 0), d: [11, 12, 13, 14] },
    { p: keys.filter((_, i) => i % 7 === 0), d: [21, 22] },
    { p: keys.filter((_, i) => i % 2 === 0), d: [31, 32, 33, 34, 35, 36] },
    { p: ["org.read", "identity.user.read"], d: null },
  ];
  const actor: Actor = { kind: "user", id: 7, name: "bench", companyId: 1, departmentId: 11, lang: "en-US", ...grantsToPermissions(grants) };
  const samples: number[] = [];
  let sink = 0;
  for (let i = 0; i < 200_000; i++) {
    const key = keys[i % keys.length];
    const t = process.hrtime.bigint();
    if (can(actor, key)) {
      const s = scopeOf(actor, key);
      const cond = scopeCondition(actor, key, sql`x.department_id`);
      sink += s.all ? 1 : s.departments.length + (cond ? 1 : 0);
    }
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  void sink;
  const p99 = percentile(samples, 99);
  line(`${label}: permission + scope check per request, p50`, `${(percentile(samples, 50) * 1000).toFixed(2)} µs`, "reference", null);
  line(`${label}: permission + scope check per request, p99`, `${(p99 * 1000).toFixed(2)} µs`, "< 1 ms", p99 < 1);

  // An external system's request: the bearer token is looked up, with its department subtree.
  const companyId = (await one<{ id: number }>(rt.database.db, sql`select id from company order by id limit 1`))!.id;
  const admin = (await one<{ id: number }>(rt.database.db, sql`select id from app_user where username = 'admin'`))!.id;
  const dept = await execute(rt, createDepartment, { code: "BENCHSCOPE", nameZh: "范围", nameEn: "Scope" }, systemActor("bench", companyId));
  const creator: Actor = { kind: "user", id: admin, name: "admin", companyId, departmentId: null, permissions: new Set(["*"]), lang: "en-US" };
  const t = await execute(
    rt,
    createToken,
    { name: "bench", permissions: ["org.read"], departmentId: dept.id, expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    creator,
  );
  const auth: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const s = performance.now();
    const a = await authenticateBearer(rt, `Bearer ${t.token}`, { ip: "192.0.2.1" }, "en-US");
    if (!can(a, "org.read") || scopeOf(a, "org.read").all) throw new Error("token actor wrong");
    auth.push(performance.now() - s);
  }
  line(`${label}: API token authentication (lookup + scope), p50`, `${percentile(auth, 50).toFixed(3)} ms`, "reference", null);
  line(`${label}: API token authentication (lookup + scope), p99`, `${percentile(auth, 99).toFixed(3)} ms`, "reference", null);
}

// ------------------------------------------------------------------------------------------------

async function main() {
  process.stdout.write(`Kaiwu audit benchmark — ${new Date().toISOString()}, Node ${process.version}\n\n`);
  const targets: { label: string; open: () => Promise<{ database: Database; url?: string; drop: () => Promise<void> }> }[] = [
    {
      label: "PGlite",
      open: async () => {
        const database = await openDatabase({ dataDir: "memory://" });
        return { database, drop: () => database.close() };
      },
    },
  ];
  if (await pgAvailable()) {
    targets.push({
      label: "PostgreSQL",
      open: async () => {
        const s = await scratchPg(`kaiwu_bench_audit_${process.pid}`);
        const database = await openDatabase({ databaseUrl: s.url });
        return {
          database,
          url: s.url,
          drop: async () => {
            await database.close();
            await s.drop();
          },
        };
      },
    });
  } else {
    process.stdout.write(`(PostgreSQL not reachable at ${ADMIN_URL}: only the embedded database is measured)\n`);
  }
  for (const target of targets) {
    const { database, url, drop } = await target.open();
    try {
      const rt = await runtimeOn(database);
      if (want("command")) await commandCost(rt, target.label);
      if (want("command") && url) {
        await database.db.execute(sql`create sequence if not exists bench_floor_seq`);
        auditRowFloor(url, (await one<{ id: number }>(database.db, sql`select id from company order by id limit 1`))!.id);
      }
      if (want("checks")) await checksCost(rt, target.label);
      if (want("verify")) {
        await migrate(database, allMigrations());
        await verifySpeed(database, target.label);
      }
    } finally {
      await drop();
    }
    process.stdout.write("\n");
  }
}

await main();
