/**
 * `npm run bench:inventory` — prints the inventory figures (issue targets in brackets):
 *   single-line goods receipts posted per second with 8 concurrent clients on PostgreSQL, each through
 *   the command pipeline (valuation under the row lock, balance upsert, audit record, outbox event),
 *   next to `pgbench -c 8 -j 2 -T 20` on the same server in the same run [receipts ≥ 60 % of pgbench tps],
 *   and the floor under it: the receipt's writes alone as a pgbench script (one and four per transaction);
 *   the same receipts on PGlite;
 *   p99 of the stock query of one item across 1,000 locations with 5,000,000 moves in the ledger [< 10 ms];
 *   multi-level explosion of a 10-level BOM of 50,000 lines (the BOM engine, as `bench:bom`) [< 200 ms].
 * Needs PostgreSQL at KAIWU_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) and pgbench
 * (PATH or /usr/lib/postgresql/15/bin). KAIWU_BENCH_MOVES and KAIWU_BENCH_SECONDS shrink the run.
 *
 * The receipts are measured on a system in use, not on empty tables: the clients first post for
 * KAIWU_BENCH_WARMUP seconds (5), then the database maintenance that Kaiwu schedules runs once (on PGlite
 * and on a server without autovacuum it analyses and vacuums what grew; where the server's autovacuum
 * runs, that does it). Measured on empty tables, every connection keeps the plans it made when
 * stock_document had 60 rows (a sequential scan) while it grows to thousands.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import pino from "pino";
import { receipt } from "../packages/server/src/modules/inventory/commands.ts";
import { runDatabaseMaintenance } from "../packages/server/src/modules/ops/maintenance.ts";
import { itemStock } from "../packages/server/src/modules/inventory/queries.ts";
import { systemActor } from "../packages/server/src/platform/actor.ts";
import { createRuntime } from "../packages/server/src/platform/bootstrap.ts";
import { loadConfig } from "../packages/server/src/platform/config.ts";
import { type Database, one, openDatabase, sql } from "../packages/server/src/platform/db/database.ts";
import { execute } from "../packages/server/src/platform/pipeline.ts";
import type { Runtime } from "../packages/server/src/platform/runtime.ts";
import { ensureInstalled } from "../packages/server/src/setup.ts";
import { sealStats } from "../packages/server/src/platform/audit.ts";
import { buildBomGraph, explodeMultiLevel } from "../packages/engines/bom/src/index.ts";
import { generateBom } from "../packages/engines/bom/bench/generate-bom.ts";
import { pgbenchBin, pgbenchTarget, runPgbenchScript } from "./pgbench.ts";

const ADMIN_URL = process.env.KAIWU_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const SECONDS = Number(process.env.KAIWU_BENCH_SECONDS ?? 20);
const MOVES = Number(process.env.KAIWU_BENCH_MOVES ?? 5_000_000);
const WARMUP = Number(process.env.KAIWU_BENCH_WARMUP ?? 5);
const CLIENTS = 8;
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

function line(label: string, value: string, target = "", ok?: boolean) {
  process.stdout.write(`${label.padEnd(66)} ${value.padStart(16)}${target ? `   [${target}] ${ok ? "ok" : "MISSED"}` : ""}\n`);
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
async function createDb(name: string): Promise<string> {
  await admin(async (c) => {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(`create database ${name}`);
  });
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}
const dropDb = (name: string) => admin((c) => c.query(`drop database if exists ${name} with (force)`));

/** A migrated, installed system with a warehouse, its stock locations, a supplier location and `items` items. */
async function system(database: Database, items: number, stockLocations = 1): Promise<{ rt: Runtime; companyId: number; itemIds: number[]; locationIds: number[]; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kaiwu-bench-inv-"));
  process.env.KAIWU_AUDIT_KEY ??= "bench-audit-key";
  const rt = await createRuntime({
    config: loadConfig({ dataDir, backupDir: path.join(dataDir, "backups"), logLevel: "silent", jobsEnabled: false }),
    database,
    logger: pino({ level: "silent" }),
  });
  await ensureInstalled(rt, { demo: false });
  const db = rt.database.db;
  const companyId = (await one<{ id: number }>(db, sql`select id from company order by id limit 1`))!.id;
  // Master data written straight into the catalog's tables: the benchmark measures inventory, not the catalog.
  await db.execute(sql`insert into uom_category (company_id, code, name_zh, name_en) values (${companyId}, 'B', '数量', 'Count')`);
  await db.execute(sql`insert into uom (company_id, category_id, code, name_zh, name_en, ratio, rounding, is_reference)
    select ${companyId}, id, 'pcs', '个', 'pcs', 1, 1, true from uom_category where code = 'B'`);
  await db.execute(sql`insert into item (company_id, code, name_zh, name_en, item_type, base_uom_id, make_or_buy, valuation_method, standard_cost)
    select ${companyId}, 'B-' || lpad(g::text, 6, '0'), '物料' || g, 'Item ' || g, 'raw', (select id from uom where code = 'pcs'), 'buy',
      case when g % 3 = 0 then 'fifo' else 'moving_average' end, 1
    from generate_series(1, ${items}) g`);
  await db.execute(sql`insert into warehouse (company_id, code, name_zh, name_en) values (${companyId}, 'BWH', '仓库', 'Warehouse')`);
  await db.execute(sql`insert into location (company_id, warehouse_id, code, name_zh, name_en, kind, is_default)
    select ${companyId}, (select id from warehouse where code = 'BWH'), 'BWH/' || lpad(g::text, 4, '0'), '库位' || g, 'Bin ' || g, 'internal', g = 1
    from generate_series(1, ${stockLocations}) g`);
  await db.execute(sql`insert into location (company_id, code, name_zh, name_en, kind, is_default) values (${companyId}, 'B-SUPPLIER', '供应商', 'Suppliers', 'supplier', true)`);
  await db.execute(sql`analyze`); // as autovacuum would have by then: plans for tables of this size, not empty ones
  const itemIds = (await db.execute(sql`select id from item where company_id = ${companyId} order by id`)) as unknown as { rows: { id: number }[] };
  const locIds = (await db.execute(sql`select id from location where code like 'BWH/%' order by code`)) as unknown as { rows: { id: number }[] };
  return { rt, companyId, itemIds: itemIds.rows.map((r) => Number(r.id)), locationIds: locIds.rows.map((r) => Number(r.id)), dataDir };
}

/**
 * CPU seconds used so far by the server processes of the benchmark's database (its connections), read
 * from /proc: the server-side cost of a receipt, apart from other work on the same server. Empty when
 * the server runs elsewhere.
 */
async function postgresCpu(db: Database["db"]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const tick = 100; // USER_HZ on Linux
  const pids = (await db.execute(sql`select pid from pg_stat_activity where datname = current_database()`)) as unknown as { rows: { pid: number }[] };
  for (const { pid } of pids.rows) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      out.set(Number(pid), (Number(f[11]) + Number(f[12])) / tick);
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}
async function cpuSince(db: Database["db"], before: Map<number, number>): Promise<number> {
  let s = 0;
  for (const [pid, t] of await postgresCpu(db)) s += t - (before.get(pid) ?? 0);
  return s;
}

/** CLIENTS loops posting single-line receipts for `seconds`; answers receipts per second and latency. */
async function receipts(rt: Runtime, companyId: number, itemIds: number[], locationId: number, seconds: number) {
  const actor = systemActor("bench", companyId);
  const post = (i: number) =>
    execute(
      rt,
      receipt.create,
      { toLocationId: locationId, lines: [{ itemId: itemIds[i % itemIds.length], quantity: String(1 + (i % 7)), unitCost: `${1 + (i % 13)}.25` }], post: true },
      actor,
    );
  for (let i = 0; i < 50; i++) await post(i); // warm up: compile, plan, create the valuation rows
  // A system in use: CLIENTS post for WARMUP seconds, then the maintenance Kaiwu's job would have run.
  let warmed = 0;
  const warmEnd = performance.now() + WARMUP * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = c * Math.floor(itemIds.length / CLIENTS); performance.now() < warmEnd; i++, warmed++) await post(i);
    }),
  );
  const maintenance = await runDatabaseMaintenance(rt.database);
  const stats0 = { ...sealStats };
  let n = 0;
  let failed = 0;
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  const nodeCpu0 = process.cpuUsage();
  const pgCpu0 = rt.database.kind === "postgres" ? await postgresCpu(rt.database.db) : new Map<number, number>();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      let i = c * Math.floor(itemIds.length / CLIENTS); // each client starts on its own items: receipts of one item serialise on its valuation row
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          await post(i++);
          n++;
          latencies.push(performance.now() - t0);
        } catch (e) {
          failed++;
          if (failed < 3) process.stderr.write(`receipt failed: ${(e as Error).message}\n`);
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const nodeCpu = process.cpuUsage(nodeCpu0);
  const cpu = { node: ((nodeCpu.user + nodeCpu.system) / 1000 / Math.max(n, 1)), postgres: ((rt.database.kind === "postgres" ? await cpuSince(rt.database.db, pgCpu0) : 0) * 1000) / Math.max(n, 1) };
  latencies.sort((a, b) => a - b);
  const staged = sealStats.staged - stats0.staged;
  const rounds = sealStats.rounds - stats0.rounds;
  const maintained = maintenance.skipped ? "server autovacuum" : `${maintenance.analysed.length} tables analysed, ${maintenance.vacuumed.length} vacuumed`;
  return { perSecond: n / elapsed, n, failed, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0, staged, rounds, cpu, warmup: warmed, maintained };
}

/**
 * The floor under the receipts figure: what one receipt writes (document and line, valuation row lock,
 * move, valuation entry and state, balance upsert, document posted, outbox event, audit row) as a
 * pgbench script on the same database, same clients, no Kaiwu code at all: no lookups, validation,
 * costing engine, hash chain or Node.js. The receipts cannot go faster than this; its share of
 * pgbench's TPC-B says how much of the target the schema's own work leaves (constraints, indexes,
 * foreign keys and triggers that keep the ledger right). `perTransaction` > 1 puts that many receipts in
 * one transaction: what group commit could gain at most.
 */
function receiptWritesScript(s: { companyId: number; itemIds: number[]; locationIds: number[] }, supplierId: number, perTransaction: number): string {
  const [c, to] = [s.companyId, s.locationIds[0]];
  const first = s.itemIds[0];
  const n = s.itemIds.length;
  const one = (k: number) => `
with d as (insert into stock_document (company_id, doc_type, number, to_location_id, created_by_name)
    values (${c}, 'receipt', 'GR-FLOOR-' || lpad(nextval('stock_no_gr')::text, 7, '0'), ${to}, 'bench') returning id)
  insert into stock_document_line (document_id, line_no, item_id, quantity, from_location_id, to_location_id, unit_cost)
  select d.id, 1, ${first} + (:i + ${k * 37}) % ${n}, :qty, ${supplierId}, ${to}, 4.25 from d returning document_id as doc, item_id as item \\gset
select id as vid from stock_valuation where item_id = :item and warehouse_id = (select warehouse_id from location where id = ${to}) for update \\gset
with m as (insert into stock_move (company_id, item_id, quantity, from_location_id, to_location_id, move_type, doc_type, doc_id, doc_line, unit_cost, value, posting_date)
    values (${c}, :item, :qty, ${supplierId}, ${to}, 'receipt', 'receipt', :doc, 1, 4.25, 4.25 * :qty, current_date) returning id),
  e as (insert into stock_valuation_entry (company_id, valuation_id, item_id, warehouse_id, move_id, kind, posting_date, quantity, value, unit_cost, adjustment, variance, entry)
    select ${c}, :vid, :item, (select warehouse_id from location where id = ${to}), m.id, 'receipt', current_date, :qty, 4.25 * :qty, 4.25, 0, 0,
      '{"kind": "receipt", "qty": "1", "after": {"qty": "1", "value": "4.25", "unitCost": "4.250000"}}' from m returning 1),
  v as (update stock_valuation set quantity = quantity + :qty, value = value + 4.25 * :qty, state = jsonb_set(state, '{qty}', to_jsonb((quantity + :qty)::text)),
    version = version + 1, updated_at = now() where id = :vid returning 1),
  b as (insert into stock_balance (company_id, item_id, location_id, lot_id, on_hand, reserved) values (${c}, :item, ${to}, null, :qty, 0)
    on conflict (item_id, location_id, lot_id) do update set on_hand = stock_balance.on_hand + excluded.on_hand returning 1),
  p as (update stock_document set state = 'posted', posting_date = current_date, posted_at = now(), version = version + 1 where id = :doc returning 1)
select (select count(*) from m) + (select count(*) from e) + (select count(*) from v) + (select count(*) from b) + (select count(*) from p);
with o as (insert into outbox_event (company_id, type, payload) values (${c}, 'inventory.move.valued',
    jsonb_build_object('itemId', :item::int8, 'document', :doc::int8, 'quantity', :qty::int, 'value', (4.25 * :qty)::text, 'moveType', 'receipt')) returning 1)
insert into audit_log (id, occurred_at, company_id, actor_type, actor_name, action, entity, entity_id, outcome, changes, prev_hash, hash)
  values (nextval('bench_floor_audit_id'), now(), ${c}, 'system', 'bench', 'inventory.receipt.create', 'stock_document', :doc::text, 'success',
    jsonb_build_object('after', jsonb_build_object('state', 'posted', 'docType', 'receipt', 'quantity', :qty::text)), repeat('0', 64), repeat('f', 64));`;
  const receipts = Array.from({ length: perTransaction }, (_, k) => one(k)).join("");
  return `\\set i random(0, ${n - 1})\n\\set qty random(1, 7)\nBEGIN;${receipts}\nCOMMIT;\n`;
}

async function receiptWritesFloor(url: string, s: { companyId: number; itemIds: number[]; locationIds: number[] }, perTransaction: number) {
  const database = await openDatabase({ databaseUrl: url, poolSize: 1 });
  let supplier: number;
  try {
    const db = database.db;
    supplier = (await one<{ id: number }>(db, sql`select id from location where code = 'B-SUPPLIER'`))!.id;
    // Every item gets its valuation row, as the receipts' warm-up gave most of them; the floor's audit rows
    // take ids far above the chain's (the database is dropped afterwards).
    await db.execute(sql`insert into stock_valuation (company_id, item_id, warehouse_id, valuation_key, method, state)
      select i.company_id, i.id, l.warehouse_id, i.company_id || '/' || l.warehouse_id || '/' || i.id, 'moving_average', '{"qty": "0"}'
      from item i cross join location l where l.id = ${s.locationIds[0]}
      on conflict do nothing`);
    await db.execute(sql`create sequence if not exists bench_floor_audit_id start 1000000000`);
  } finally {
    await database.close();
  }
  // Several receipts in one transaction may lock valuation rows in different orders: deadlocks are retried.
  const script = receiptWritesScript(s, supplier, perTransaction);
  return runPgbenchScript(url, script, ["--max-tries=20", "-c", String(CLIENTS), "-j", "2", "-T", String(SECONDS)]).tps * perTransaction;
}

async function postgresReceipts() {
  const url = await createDb("kaiwu_bench_inv");
  const database = await openDatabase({ databaseUrl: url, poolSize: CLIENTS + 4 });
  const s = await system(database, 200);
  try {
    const r = await receipts(s.rt, s.companyId, s.itemIds, s.locationIds[0], SECONDS);
    const checks = await import("../packages/server/src/modules/inventory/doctor.ts").then((m) => m.inventoryChecks(s.rt.database.db));
    await database.close();

    const bench = pgbenchBin();
    const pgbUrl = await createDb("kaiwu_bench_pgbench");
    // The same server and the same way in as the receipts.
    const { conn } = pgbenchTarget(pgbUrl);
    execFileSync(bench, [...conn, "-i", "-s", "10", "-q", "kaiwu_bench_pgbench"], { stdio: "ignore" });
    const out = execFileSync(bench, [...conn, "-c", "8", "-j", "2", "-T", String(SECONDS), "kaiwu_bench_pgbench"], { encoding: "utf8" });
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? 0);
    await dropDb("kaiwu_bench_pgbench");
    const floor = await receiptWritesFloor(url, s, 1);
    const grouped = await receiptWritesFloor(url, s, 4);

    line(`  before: ${r.warmup} receipts in ${WARMUP} s, then maintenance`, r.maintained);
    line(`single-line receipts posted, ${CLIENTS} clients, PostgreSQL (${r.n} in ${SECONDS} s)`, `${r.perSecond.toFixed(0)} /s`);
    line("  p99 latency of one receipt", `${r.p99.toFixed(1)} ms`);
    line("  CPU per receipt: Node.js / PostgreSQL (the connections to its database)", `${r.cpu.node.toFixed(2)} / ${r.cpu.postgres.toFixed(2)} ms`);
    line("  failed receipts", String(r.failed), "0", r.failed === 0);
    line("  audit records staged and sealed after commit / sealing rounds", `${r.staged} / ${r.rounds}`);
    line("  ledger = balances = valuation afterwards (doctor)", checks.every((c) => c.ok) ? "agree" : "DISAGREE", "agree", checks.every((c) => c.ok));
    line(`pgbench -c 8 -j 2 -T ${SECONDS} (TPC-B like, scale 10), same server`, `${tps.toFixed(0)} tps`);
    const ratio = tps > 0 ? r.perSecond / tps : 0;
    line("  receipts / pgbench", `${(ratio * 100).toFixed(0)} %`, "≥ 60 %", ratio >= 0.6);
    line("floor: the receipt's writes alone as a pgbench script (no Kaiwu code)", `${floor.toFixed(0)} /s`);
    line("  floor / pgbench: the most the schema's own work leaves", `${((tps > 0 ? floor / tps : 0) * 100).toFixed(0)} %`);
    line("  the same, 4 receipts per transaction (group commit at best)", `${grouped.toFixed(0)} /s`);
  } finally {
    fs.rmSync(s.dataDir, { recursive: true, force: true });
    await dropDb("kaiwu_bench_inv");
  }
}

async function pgliteReceipts() {
  const database = await openDatabase({ dataDir: "memory://" });
  const s = await system(database, 200);
  try {
    const r = await receipts(s.rt, s.companyId, s.itemIds, s.locationIds[0], Math.min(SECONDS, 15));
    line(`  before: ${r.warmup} receipts in ${WARMUP} s, then maintenance`, r.maintained);
    line(`single-line receipts posted, ${CLIENTS} clients, PGlite (one connection)`, `${r.perSecond.toFixed(0)} /s`);
    line("  p99 latency of one receipt", `${r.p99.toFixed(1)} ms`);
    line("  CPU per receipt (Node.js, PGlite inside it)", `${r.cpu.node.toFixed(2)} ms`);
  } finally {
    await database.close();
    fs.rmSync(s.dataDir, { recursive: true, force: true });
  }
}

/** 5 M moves over 200 items and 1,000 locations, written with INSERT … SELECT; balances built from them. */
async function stockQuery() {
  const url = await createDb("kaiwu_bench_inv_q");
  const database = await openDatabase({ databaseUrl: url, poolSize: 4 });
  const s = await system(database, 200, 1000);
  const db = s.rt.database.db;
  try {
    const supplier = (await one<{ id: number }>(db, sql`select id from location where code = 'B-SUPPLIER'`))!.id;
    const t0 = performance.now();
    const items = s.itemIds.length;
    const locs = s.locationIds.length;
    const firstItem = s.itemIds[0];
    const firstLoc = s.locationIds[0];
    // Receipts from the supplier into every location, in batches of one million (ids are contiguous).
    for (let done = 0; done < MOVES; done += 1_000_000) {
      const n = Math.min(1_000_000, MOVES - done);
      await db.execute(sql`insert into stock_move (company_id, item_id, quantity, from_location_id, to_location_id, move_type, doc_type, doc_id, doc_line,
          unit_cost, value, posting_date, posted_at)
        select ${s.companyId}, ${firstItem} + (g % ${items}), 1 + (g % 5), ${supplier}, ${firstLoc} + ((g / ${items}) % ${locs}), 'receipt', 'receipt', g, 1,
          2.5, (1 + (g % 5)) * 2.5, current_date - (g % 365)::int, now()
        from generate_series(${done + 1}::int8, ${done + n}::int8) g`);
    }
    await db.execute(sql`insert into stock_balance (company_id, item_id, location_id, on_hand)
      select ${s.companyId}, item_id, to_location_id, sum(quantity) from stock_move group by item_id, to_location_id`);
    await db.execute(sql`analyze stock_move`);
    await db.execute(sql`analyze stock_balance`);
    const loadS = (performance.now() - t0) / 1000;
    const count = (await one<{ n: number; l: number }>(db, sql`select (select count(*) from stock_move)::int8 as n,
      (select count(*) from stock_balance where item_id = ${firstItem})::int8 as l`))!;
    const samples: number[] = [];
    for (let i = 0; i < 50; i++) await itemStock(db, s.companyId, s.itemIds[i % items], null);
    for (let i = 0; i < 1000; i++) {
      const t = performance.now();
      const r = await itemStock(db, s.companyId, s.itemIds[i % items], null);
      samples.push(performance.now() - t);
      if (r.lines.length !== Number(count.l) && i === 0) throw new Error(`expected ${count.l} locations, got ${r.lines.length}`);
    }
    samples.sort((a, b) => a - b);
    const p50 = samples[500];
    const p99 = samples[990];
    // The database's own time for the lookup (without the round trip and the client), from its plan.
    const plan = (await db.execute(sql`explain (analyze, format json)
      select b.location_id, l.code, b.lot_id, b.on_hand, b.reserved, b.available from stock_balance b join location l on l.id = b.location_id
      where b.item_id = ${firstItem} and b.on_hand <> 0 order by l.code`)) as unknown as { rows: { "QUERY PLAN": [{ "Execution Time": number; Plan: { "Node Type": string } }] }[] };
    const dbMs = plan.rows[0]["QUERY PLAN"][0]["Execution Time"];
    // The database's time for the statement itemStock itself sends (JSON building included): recorded by an
    // executor that runs nothing (itemStock then finds no item and throws), explained 21 times, the median.
    let statement: ReturnType<typeof sql> | undefined;
    const recorder = {
      execute: async (q: ReturnType<typeof sql>) => {
        statement = q;
        return { rows: [] };
      },
    } as unknown as Parameters<typeof itemStock>[0];
    await itemStock(recorder, s.companyId, firstItem, null).catch(() => undefined);
    const stmtMs: number[] = [];
    for (let i = 0; i < 21; i++) {
      const p = (await db.execute(sql`explain (analyze, timing off, format json) ${statement!}`)) as unknown as { rows: { "QUERY PLAN": [{ "Execution Time": number }] }[] };
      stmtMs.push(p.rows[0]["QUERY PLAN"][0]["Execution Time"]);
    }
    stmtMs.sort((a, b) => a - b);
    line(`moves in the ledger (generated in ${loadS.toFixed(0)} s), locations of the queried item`, `${Number(count.n).toLocaleString("en")} / ${count.l}`);
    line("stock of one item at all its locations (+ valuation), p50", `${p50.toFixed(2)} ms`);
    line("  p99", `${p99.toFixed(2)} ms`, "< 10 ms", p99 < 10);
    line("  execution time inside PostgreSQL (EXPLAIN ANALYZE of the balance lookup)", `${dbMs.toFixed(2)} ms`);
    line("  execution time inside PostgreSQL of itemStock's statement (median of 21)", `${stmtMs[10].toFixed(2)} ms`);
  } finally {
    await database.close();
    fs.rmSync(s.dataDir, { recursive: true, force: true });
    await dropDb("kaiwu_bench_inv_q");
  }
}

/** The BOM engine's multi-level explosion on the generated 10-level BOM of 50,000 lines (best of 7 runs, and the median). */
function bomExplosion() {
  const { root, lines } = generateBom(20250101, 10, 50_000);
  const graph = buildBomGraph(lines);
  const times: number[] = [];
  let rows = 0;
  for (let run = 0; run < 7; run++) {
    const t = performance.now();
    rows = explodeMultiLevel(graph, { item: root, qty: "100", asOf: "2025-06-30" }).rows.length;
    times.push(performance.now() - t);
  }
  const cold = times[0];
  times.sort((a, b) => a - b);
  line(`10-level BOM of ${lines.length.toLocaleString("en")} lines exploded (${rows.toLocaleString("en")} rows), cold`, `${cold.toFixed(0)} ms`);
  line("  median of 7 runs", `${times[3].toFixed(0)} ms`, "< 200 ms", times[3] < 200);
}

process.stdout.write(`Kaiwu inventory benchmark — ${os.cpus().length} cores, Node ${process.version}\n`);
if (want("receipts")) await postgresReceipts();
if (want("pglite")) await pgliteReceipts();
if (want("query")) await stockQuery();
if (want("bom")) bomExplosion();
