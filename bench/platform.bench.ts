/**
 * `npm run bench:platform` — prints the platform's figures (issue targets in brackets):
 *   start-up on PGlite, first (migrations + demo) [< 15 s] and again on the existing folder [< 3 s];
 *   idle resident memory on PGlite [< 450 MB] and on PostgreSQL [< 200 MB];
 *   an authenticated trivial GET on PostgreSQL, 50 connections [≥ 5,000 req/s, p99 < 20 ms];
 *   backup and restore of 1,000,000 rows on PostgreSQL [each < 60 s].
 * Needs PostgreSQL at KAIWU_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { createBackup } from "../packages/server/src/platform/backup/backup.ts";
import { restoreBackup } from "../packages/server/src/platform/backup/restore.ts";
import { allMigrations } from "../packages/server/src/platform/bootstrap.ts";
import { openDatabase } from "../packages/server/src/platform/db/database.ts";
import { migrate } from "../packages/server/src/platform/db/migrate.ts";

const ADMIN_URL = process.env.KAIWU_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const BIN = path.resolve("packages/server/bin/kaiwu.js");
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

function line(label: string, value: string, target: string, ok: boolean) {
  process.stdout.write(`${label.padEnd(58)} ${value.padStart(14)}   [${target}] ${ok ? "ok" : "MISSED"}\n`);
}

async function createDb(name: string): Promise<string> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}
async function dropDb(name: string) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.end();
}

/** Starts `kaiwu start`, resolves when it prints that it runs, with the wall time and its output. */
function startServer(env: Record<string, string>, port: number): Promise<{ proc: ChildProcess; ms: number; out: string }> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, [BIN, "start", "--port", String(port)], {
    env: { ...process.env, LOG_LEVEL: "warn", KAIWU_JOBS: "off", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes("is running at")) resolve({ proc, ms: performance.now() - t0, out });
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", onData);
    proc.on("exit", (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

function stop(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    proc.removeAllListeners("exit");
    proc.on("exit", () => resolve());
    proc.kill("SIGTERM");
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function sessionCookie(base: string, out: string): Promise<string> {
  const password = /password: (\S+)/.exec(out)![1];
  const login = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password }),
  });
  const body = (await login.json()) as { csrfToken: string };
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  await fetch(`${base}/api/auth/password`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, "x-csrf-token": body.csrfToken },
    body: JSON.stringify({ currentPassword: password, newPassword: "Bench-Mark-Pass-9931" }),
  });
  return cookie;
}

async function startupAndMemory() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaiwu-bench-"));
  try {
    const first = await startServer({ KAIWU_DATA_DIR: dir }, 3311);
    await stop(first.proc);
    line("first start, PGlite (migrations + demo company)", `${(first.ms / 1000).toFixed(2)} s`, "< 15 s", first.ms < 15_000);
    const again = await startServer({ KAIWU_DATA_DIR: dir }, 3311);
    line("start on the existing data folder, PGlite", `${(again.ms / 1000).toFixed(2)} s`, "< 3 s", again.ms < 3000);
    await new Promise((r) => setTimeout(r, 3000));
    const mem = rssMb(again.proc.pid!);
    line("idle server resident memory, PGlite", `${mem.toFixed(0)} MB`, "< 450 MB", mem < 450);
    await stop(again.proc);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresServer() {
  const url = await createDb("kaiwu_bench_http");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaiwu-bench-"));
  try {
    const s = await startServer({ KAIWU_DATA_DIR: dir, DATABASE_URL: url }, 3312);
    const base = "http://127.0.0.1:3312";
    const cookie = await sessionCookie(base, s.out);
    await new Promise((r) => setTimeout(r, 2000));
    const mem = rssMb(s.proc.pid!);
    line("idle server resident memory, PostgreSQL", `${mem.toFixed(0)} MB`, "< 200 MB", mem < 200);
    // Warm up, then measure.
    await autocannon({ url: `${base}/api/org/company`, connections: 50, duration: 3, headers: { cookie } });
    const r = await autocannon({ url: `${base}/api/org/company`, connections: 50, duration: 15, headers: { cookie } });
    const non2xx = r.non2xx + r.errors;
    line("authenticated GET /api/org/company, 50 connections, PostgreSQL", `${Math.round(r.requests.average)} req/s`, "≥ 5,000 req/s", r.requests.average >= 5000);
    line("  p99 latency", `${r.latency.p99} ms`, "< 20 ms", r.latency.p99 < 20);
    line("  failed or non-2xx responses", String(non2xx), "0", non2xx === 0);
    await stop(s.proc);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await dropDb("kaiwu_bench_http");
  }
}

async function backupRestore() {
  const rowsWanted = Number(process.env.KAIWU_BENCH_ROWS ?? 1_000_000);
  const srcUrl = await createDb("kaiwu_bench_src");
  const dstUrl = await createDb("kaiwu_bench_dst");
  const file = path.join(os.tmpdir(), `kaiwu-bench-${process.pid}.kwbackup`);
  try {
    const src = await openDatabase({ databaseUrl: srcUrl });
    await migrate(src, allMigrations());
    // A million domain events: realistic JSON payloads, timestamps and ids.
    await src.pool!.query(
      `insert into outbox_event (occurred_at, company_id, type, payload, dispatched_at)
       select now() - (g || ' seconds')::interval, 1, 'inventory.move.posted',
              jsonb_build_object('moveId', g, 'item', 'ITEM-' || (g % 5000), 'qty', (g % 97)::numeric / 4, 'value', (g % 1013)::numeric * 1.25),
              now()
       from generate_series(1, ${rowsWanted}) g`,
    );
    let t0 = performance.now();
    const b = await createBackup(src, { outFile: file, kaiwuVersion: "bench" });
    const backupS = (performance.now() - t0) / 1000;
    line(`backup of ${b.manifest.totals.rows.toLocaleString("en")} rows, PostgreSQL (${(b.bytes / 1048576).toFixed(1)} MiB)`, `${backupS.toFixed(1)} s`, "< 60 s", backupS < 60);
    await src.close();
    const dst = await openDatabase({ databaseUrl: dstUrl });
    t0 = performance.now();
    const r = await restoreBackup(dst, file, allMigrations());
    const restoreS = (performance.now() - t0) / 1000;
    line(`restore of ${r.rows.toLocaleString("en")} rows into PostgreSQL (verify + load + count)`, `${restoreS.toFixed(1)} s`, "< 60 s", restoreS < 60);
    await dst.close();
  } finally {
    fs.rmSync(file, { force: true });
    await dropDb("kaiwu_bench_src");
    await dropDb("kaiwu_bench_dst");
  }
}

process.stdout.write(`Kaiwu platform benchmark — ${os.cpus().length} cores, Node ${process.version}\n`);
if (want("startup")) await startupAndMemory();
if (want("http")) await postgresServer();
if (want("backup")) await backupRestore();
