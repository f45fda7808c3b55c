/**
 * What a 10-level, 50,000-line BOM costs through the engineering endpoints on PostgreSQL: the same
 * seeded structure as `npm run bench:bom` (the engine alone), stored as items, BOM headers and lines,
 * then exploded over HTTP (load in one query + engine + JSON), summarised, where-used, and the cycle
 * check an activation runs on the whole released structure.
 *
 *   node --import tsx packages/server/src/modules/masterdata/engineering/bench/explosion.bench.ts
 *
 * Needs PostgreSQL at KAIWU_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import pino from "pino";
import { generateBom } from "../../../../../../engines/bom/bench/generate-bom.ts";
import { buildApp } from "../../../../http/app.ts";
import { systemActor } from "../../../../platform/actor.ts";
import { createRuntime } from "../../../../platform/bootstrap.ts";
import { loadConfig } from "../../../../platform/config.ts";
import { one, openDatabase, sql } from "../../../../platform/db/database.ts";
import { execute } from "../../../../platform/pipeline.ts";
import { ensureInstalled } from "../../../../setup.ts";
import { activateBom, createBom } from "../commands-bom.ts";
import { loadItems } from "../common.ts";
import { fixtureUnits } from "../fixtures.ts";
import { explodeBom } from "../queries-bom.ts";
import { engineLines, loadStructure } from "../structure.ts";
import { explodeMultiLevel } from "@kaiwu/bom";

const ADMIN_URL = process.env.KAIWU_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DB = "kaiwu_bench_bom";
const RUNS = 7;
const AS_OF = "2025-06-30";

async function admin(query: string) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  await c.query(query);
  await c.end();
}

async function time<T>(label: string, task: () => Promise<T>, describe: (r: T) => string): Promise<void> {
  const ms: number[] = [];
  let summary = "";
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = await task();
    ms.push(performance.now() - t0);
    if (i === RUNS - 1) summary = describe(r);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  const f = (v: number) => `${v.toFixed(0).padStart(6)} ms`;
  console.log(`${label.padEnd(52)} cold ${f(ms[0])}  best ${f(sorted[0])}  median ${f(sorted[Math.floor(RUNS / 2)])}   ${summary}`);
}

await admin(`drop database if exists ${DB} with (force)`);
await admin(`create database ${DB}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${DB}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kaiwu-bench-bom-"));
process.env.KAIWU_AUDIT_KEY ??= "bench-audit-key";
const database = await openDatabase({ databaseUrl: url.toString() });
const rt = await createRuntime({ config: loadConfig({ dataDir, logLevel: "silent", jobsEnabled: false }), database, logger: pino({ level: "silent" }) });
const install = await ensureInstalled(rt, { demo: false });
const db = rt.database.db;
const companyId = (await one<{ id: number }>(db, sql`select id from company limit 1`))!.id;
const units = await fixtureUnits(db, companyId);

// ---------------------------------------------------------------- store the seeded structure
const { root, lines, sharedPart } = generateBom(20250101, 10, 50_000);
const t0 = performance.now();
const codes = [...new Set(lines.flatMap((l) => [l.parent, l.component]))];
await db.execute(sql`insert into item (company_id, code, name_zh, name_en, item_type, base_uom_id, make_or_buy, standard_cost)
  select ${companyId}, c, '物料 ' || c, 'Item ' || c, 'semi', ${units.pcs}, 'make', 1
  from jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb) as c`);
const parents = [...new Set(lines.map((l) => l.parent))];
await db.execute(sql`insert into bom (company_id, item_id, version_code, effective_from, base_qty)
  select ${companyId}, i.id, 'V1', '2020-01-01', 1 from item i
  where i.company_id = ${companyId} and i.code in (select jsonb_array_elements_text(${JSON.stringify(parents)}::jsonb))`);
const rowsJson = lines.map((l, n) => ({
  p: l.parent,
  c: l.component,
  n: n + 1,
  q: l.qtyPer,
  s: l.scrapPct ?? "0",
  ph: l.phantom ?? false,
  bp: l.byProduct ?? false,
  f: l.effectiveFrom ?? null,
  t: l.effectiveTo ?? null,
}));
for (let i = 0; i < rowsJson.length; i += 10_000) {
  await db.execute(sql`insert into bom_line (bom_id, position, component_item_id, qty, uom_id, scrap_pct, phantom, by_product, effective_from, effective_to)
    select b.id, r.n, ci.id, r.q::numeric, ${units.pcs}, case when r.bp then 0 else r.s::numeric end, r.ph, r.bp, r.f::date, r.t::date
    from jsonb_to_recordset(${JSON.stringify(rowsJson.slice(i, i + 10_000))}::jsonb)
      as r(p text, c text, n int, q text, s text, ph boolean, bp boolean, f text, t text)
    join item pi on pi.company_id = ${companyId} and pi.code = r.p join bom b on b.item_id = pi.id
    join item ci on ci.company_id = ${companyId} and ci.code = r.c`);
}
await db.execute(sql`update bom set status = 'active' where company_id = ${companyId}`);
await db.execute(sql`analyze`);
console.log(
  `stored ${lines.length.toLocaleString("en")} lines, ${parents.length.toLocaleString("en")} BOMs, ${codes.length.toLocaleString("en")} items, 10 levels in ${((performance.now() - t0) / 1000).toFixed(1)} s (PostgreSQL ${url.host})`,
);

// ---------------------------------------------------------------- through HTTP, as the UI calls it
const app = await buildApp(rt, { logger: false });
await app.ready();
const login = await app.inject({ method: "POST", url: "/api/auth/login", payload: { username: "admin", password: install.admin!.password } });
const { csrfToken } = login.json() as { csrfToken: string };
const cookie = `kaiwu_session=${login.cookies.find((c) => c.name === "kaiwu_session")!.value}`;
await app.inject({
  method: "POST",
  url: "/api/auth/password",
  headers: { cookie, "x-csrf-token": csrfToken },
  payload: { currentPassword: install.admin!.password, newPassword: "Bench-Pass-2026-long!" },
});
const rootId = (await one<{ id: number }>(db, sql`select id from item where company_id = ${companyId} and code = ${root}`))!.id;
const sharedId = (await one<{ id: number }>(db, sql`select id from item where company_id = ${companyId} and code = ${sharedPart}`))!.id;
const get = async (u: string) => {
  const res = await app.inject({ method: "GET", url: u, headers: { cookie } });
  if (res.statusCode !== 200) throw new Error(`${u}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res;
};

await time(
  "GET /api/masterdata/bom-explosion (load+explode+JSON)",
  () => get(`/api/masterdata/bom-explosion?itemId=${rootId}&qty=100&asOf=${AS_OF}`),
  (r) => {
    const body = r.json() as { rows: { level: number }[]; requirements: unknown[] };
    return `${body.rows.length.toLocaleString("en")} rows, depth ${Math.max(...body.rows.map((x) => x.level))}, ${body.requirements.length.toLocaleString("en")} components, ${(r.rawPayload.length / 1e6).toFixed(1)} MB`;
  },
);
const actor = { ...systemActor("bench", companyId) };
const rootItem = (await loadItems(db, companyId, [rootId])).get(rootId)!;
await time("  of which: load the structure (one recursive query)", () => loadStructure(db, companyId, rootItem, AS_OF), (s) => `${s.lines.length.toLocaleString("en")} lines loaded`);
const structure = await loadStructure(db, companyId, rootItem, AS_OF);
await time(
  "  of which: engine explodeMultiLevel (incl. indexing)",
  async () => explodeMultiLevel(engineLines(structure.lines), { item: String(rootId), qty: "100", asOf: AS_OF, maxRows: 250_000 }),
  (r) => `${r.rows.length.toLocaleString("en")} rows`,
);
await time("  of which: query function without HTTP", () => explodeBom(db, actor, { itemId: rootId, qty: "100", asOf: AS_OF }), (r) => `${r.rows.length.toLocaleString("en")} rows`);
await time(
  "GET /api/masterdata/bom-summary",
  () => get(`/api/masterdata/bom-summary?itemId=${rootId}&qty=100&asOf=${AS_OF}`),
  (r) => `${(r.json() as { requirements: unknown[] }).requirements.length.toLocaleString("en")} components`,
);
await time(
  `GET /api/masterdata/where-used (${sharedPart}, all levels)`,
  () => get(`/api/masterdata/where-used?itemId=${sharedId}&asOf=${AS_OF}`),
  (r) => `${(r.json() as { rows: unknown[] }).rows.length.toLocaleString("en")} rows`,
);

// ---------------------------------------------------------------- a release on top of the whole structure
const system = systemActor("bench", companyId);
const newItem = (await one<{ id: number }>(
  db,
  sql`insert into item (company_id, code, name_zh, name_en, item_type, base_uom_id, make_or_buy) values (${companyId}, 'BENCH-TOP', '顶层', 'Top', 'finished', ${units.pcs}, 'make') returning id`,
))!.id;
await time(
  "create + activate a BOM using the root (cycle check, 50k edges)",
  async () => {
    const b = await execute(rt, createBom, { itemId: newItem, versionCode: `V${Math.random().toString(36).slice(2, 8)}`, effectiveFrom: "2030-01-01", effectiveTo: "2030-01-02", lines: [{ componentItemId: rootId, qty: "1" }] }, system);
    const a = await execute(rt, activateBom, { id: b.id, version: b.version }, system);
    // make room for the next run's version on the same days
    await db.execute(sql`update bom set status = 'obsolete' where id = ${a.id}`);
    return a;
  },
  () => "refused? no: no cycle",
);
const loop = await execute(rt, createBom, { itemId: newItem, versionCode: "LOOP", effectiveFrom: "2031-01-01", lines: [{ componentItemId: rootId, qty: "1" }] }, system);
const deepest = (await one<{ code: string; id: number }>(db, sql`select code, id from item where company_id = ${companyId} and code like 'L10-%' limit 1`))!;
await db.execute(sql`update bom set status = 'active' where id = ${loop.id}`);
const t1 = performance.now();
try {
  await execute(rt, createBom, { itemId: deepest.id, versionCode: "LOOP", effectiveFrom: "2031-01-01", lines: [{ componentItemId: newItem, qty: "1" }] }, system);
  console.log("cycle NOT refused (unexpected)");
} catch (e) {
  console.log(`${"a 12-level cycle refused with its path".padEnd(52)} ${(performance.now() - t1).toFixed(0).padStart(6)} ms   ${(e as Error).message.slice(0, 140)}…`);
}

await app.close();
await database.close();
if (!process.env.KEEP) await admin(`drop database if exists ${DB} with (force)`);
fs.rmSync(dataDir, { recursive: true, force: true });
