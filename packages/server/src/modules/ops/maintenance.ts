import type pg from "pg";
import { type Database, type Executor, one, rows, sql } from "../../platform/db/database.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { type JobScheduleState, jobPending, scheduleOf } from "../../platform/jobs.ts";

/**
 * Database maintenance: VACUUM and ANALYZE where autovacuum would do them, for databases where nothing
 * else does. PGlite runs PostgreSQL single-user: `show autovacuum` says on, but no autovacuum worker ever
 * starts, so tables updated often (stock balances, sessions, the job queue…) fill with dead rows and the
 * planner keeps the statistics of when they were empty. The same holds on a PostgreSQL server run with
 * `autovacuum = off`. With the server's autovacuum on, this does nothing: the server does it better.
 *
 * The decision is autovacuum's own (src/backend/postmaster/autovacuum.c, relation_needs_vacanalyze), with
 * the server's settings and each table's storage parameters, so an operator's tuning applies here too.
 */

export const MAINTENANCE_JOB = "ops.db-maintenance";
export const MAINTENANCE_CRON_DEFAULT = "*/10 * * * *";

export function maintenanceCron(): string {
  return process.env.KAIWU_MAINTENANCE_CRON?.trim() || MAINTENANCE_CRON_DEFAULT;
}

export interface TableMaintenanceState {
  /** "stock_balance", or "pg_catalog.pg_attribute" outside the public schema. */
  name: string;
  schema: string;
  table: string;
  /** pg_class.reltuples: the row count the planner believes (-1: never vacuumed or analysed). */
  reltuples: number;
  liveTuples: number;
  deadTuples: number;
  modsSinceAnalyze: number;
  insertsSinceVacuum: number;
  lastVacuum: string | null;
  lastAnalyze: string | null;
  vacuumThreshold: number;
  analyzeThreshold: number;
  needsVacuum: boolean;
  needsAnalyze: boolean;
  /** Why: "dead tuples", "inserts", "wraparound", "modifications", "never analysed". */
  reasons: string[];
}

export interface AutovacuumState {
  /** `autovacuum` and `track_counts` as the server reports them (PGlite reports on, and runs nothing). */
  autovacuumSetting: boolean;
  trackCounts: boolean;
  /** True when the server's autovacuum workers maintain the database (a PostgreSQL server with both on). */
  serverMaintains: boolean;
}

export interface MaintenanceSummary {
  kind: Database["kind"];
  /** Set when nothing was done because the server's autovacuum maintains the database. */
  skipped?: "server autovacuum";
  force: boolean;
  tablesChecked: number;
  /** Tables vacuumed (each with VACUUM (ANALYZE), so they are analysed too and also listed there). */
  vacuumed: string[];
  /** Every table analysed, by VACUUM (ANALYZE) or ANALYZE alone. */
  analysed: string[];
  /** Dead rows of all the checked tables before the run, and after it. */
  deadTuplesBefore: number;
  deadTuplesAfter: number | null;
  /** Tables that could not be processed (dropped meanwhile, not the owner…); the others still are. */
  errors: { table: string; message: string }[];
  durationMs: number;
}

interface Settings {
  vacThreshold: number;
  vacScale: number;
  vacMaxThreshold: number | null;
  insThreshold: number;
  insScale: number;
  anlThreshold: number;
  anlScale: number;
  freezeMaxAge: number;
  multixactFreezeMaxAge: number;
}

interface StatRow {
  schema: string;
  table: string;
  reltuples: number;
  has_pages: boolean;
  n_live_tup: number;
  n_dead_tup: number;
  n_mod_since_analyze: number;
  n_ins_since_vacuum: number;
  last_vacuum: string | null;
  last_analyze: string | null;
  xid_age: number;
  mxid_age: number;
  reloptions: string[] | string | null;
}

const num = (v: unknown): number => (v === null || v === undefined || v === "" ? Number.NaN : Number(v));

/** Whether the server's own autovacuum maintains this database. Never on PGlite, whatever it says. */
export async function autovacuumState(database: Database): Promise<AutovacuumState> {
  const r = await one<{ autovacuum: string; track_counts: string }>(
    database.db,
    sql`select current_setting('autovacuum') as autovacuum, current_setting('track_counts') as track_counts`,
  );
  const autovacuumSetting = r?.autovacuum === "on";
  const trackCounts = r?.track_counts === "on";
  return { autovacuumSetting, trackCounts, serverMaintains: database.kind === "postgres" && autovacuumSetting && trackCounts };
}

async function readSettings(ex: Executor): Promise<Settings> {
  // current_setting(name, true) is null for a setting this server does not have (the max threshold is 18+).
  const s = await one<Record<string, string | null>>(
    ex,
    sql`select current_setting('autovacuum_vacuum_threshold') as vt, current_setting('autovacuum_vacuum_scale_factor') as vs,
      current_setting('autovacuum_vacuum_max_threshold', true) as vmax,
      current_setting('autovacuum_vacuum_insert_threshold') as it, current_setting('autovacuum_vacuum_insert_scale_factor') as "is",
      current_setting('autovacuum_analyze_threshold') as at, current_setting('autovacuum_analyze_scale_factor') as "as",
      current_setting('autovacuum_freeze_max_age') as fa, current_setting('autovacuum_multixact_freeze_max_age') as ma`,
  );
  const vmax = num(s?.vmax);
  return {
    vacThreshold: num(s?.vt),
    vacScale: num(s?.vs),
    vacMaxThreshold: Number.isFinite(vmax) && vmax >= 0 ? vmax : null,
    insThreshold: num(s?.it),
    insScale: num(s?.is),
    anlThreshold: num(s?.at),
    anlScale: num(s?.as),
    freezeMaxAge: num(s?.fa),
    multixactFreezeMaxAge: num(s?.ma),
  };
}

/** "{a=1,b=x}" (PGlite's text form) or ["a=1", "b=x"] (node-postgres) to a map. */
function parseRelOptions(v: StatRow["reloptions"]): Map<string, string> {
  const list = Array.isArray(v) ? v : typeof v === "string" ? v.replace(/^\{|\}$/g, "").split(",").filter(Boolean) : [];
  const out = new Map<string, string>();
  for (const item of list) {
    const eq = item.indexOf("=");
    if (eq > 0) out.set(item.slice(0, eq).replace(/^"/, ""), item.slice(eq + 1).replace(/"$/, ""));
  }
  return out;
}

/**
 * On PGlite the backend's statistics stay in its pending counters until it reports them, which a
 * single-user backend rarely does: force a flush, which happens at the next statement.
 */
async function flushStats(database: Database): Promise<void> {
  if (database.kind === "pglite") await database.db.execute(sql`select pg_stat_force_next_flush()`);
}

/** Every table's counters and what autovacuum would decide for it, most in need first. */
export async function tableMaintenanceStates(database: Database): Promise<TableMaintenanceState[]> {
  await flushStats(database);
  const settings = await readSettings(database.db);
  // System catalogs are vacuumed by autovacuum too; only a superuser may (PGlite's user is one).
  const stats = await rows<StatRow>(
    database.db,
    sql`select n.nspname as schema, c.relname as table, c.reltuples::float8 as reltuples,
        pg_relation_size(c.oid) > 0 as has_pages,
        coalesce(s.n_live_tup, 0) as n_live_tup, coalesce(s.n_dead_tup, 0) as n_dead_tup,
        coalesce(s.n_mod_since_analyze, 0) as n_mod_since_analyze, coalesce(s.n_ins_since_vacuum, 0) as n_ins_since_vacuum,
        greatest(s.last_vacuum, s.last_autovacuum) as last_vacuum, greatest(s.last_analyze, s.last_autoanalyze) as last_analyze,
        age(c.relfrozenxid)::int8 as xid_age, mxid_age(c.relminmxid)::int8 as mxid_age, c.reloptions::text[] as reloptions
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_stat_all_tables s on s.relid = c.oid
      where c.relkind in ('r', 'm') and c.relpersistence = 'p'
        and n.nspname <> 'information_schema' and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
        and (n.nspname <> 'pg_catalog' or (select rolsuper from pg_roles where rolname = current_user))`,
  );
  return stats.map((r) => decide(r, settings)).sort(
    (a, b) =>
      Number(b.needsVacuum) - Number(a.needsVacuum) ||
      Number(b.needsAnalyze) - Number(a.needsAnalyze) ||
      b.deadTuples - a.deadTuples ||
      b.modsSinceAnalyze - a.modsSinceAnalyze ||
      a.name.localeCompare(b.name),
  );
}

function decide(r: StatRow, s: Settings): TableMaintenanceState {
  const opts = parseRelOptions(r.reloptions);
  const opt = (name: string, fallback: number) => {
    const v = num(opts.get(name));
    return Number.isFinite(v) ? v : fallback;
  };
  // A boolean storage parameter keeps the spelling it was given (false, off, no, 0…).
  const enabled = !["false", "off", "no", "0", "f", "n", "of"].includes(opts.get("autovacuum_enabled")?.toLowerCase() ?? "true");
  const reltuples = num(r.reltuples);
  // A table never vacuumed or analysed has reltuples -1: autovacuum counts it as empty.
  const tuples = Math.max(reltuples, 0);
  let vacuumThreshold = opt("autovacuum_vacuum_threshold", s.vacThreshold) + opt("autovacuum_vacuum_scale_factor", s.vacScale) * tuples;
  const vmax = opts.has("autovacuum_vacuum_max_threshold") ? opt("autovacuum_vacuum_max_threshold", -1) : (s.vacMaxThreshold ?? -1);
  if (vmax >= 0) vacuumThreshold = Math.min(vacuumThreshold, vmax);
  const insThreshold = opt("autovacuum_vacuum_insert_threshold", s.insThreshold);
  const insertThreshold = insThreshold + opt("autovacuum_vacuum_insert_scale_factor", s.insScale) * tuples;
  const analyzeThreshold = opt("autovacuum_analyze_threshold", s.anlThreshold) + opt("autovacuum_analyze_scale_factor", s.anlScale) * tuples;

  const dead = num(r.n_dead_tup) || 0;
  const mods = num(r.n_mod_since_analyze) || 0;
  const inserts = num(r.n_ins_since_vacuum) || 0;
  const live = num(r.n_live_tup) || 0;
  const reasons: string[] = [];
  // Wraparound protection runs even where autovacuum is disabled for the table.
  const wraparound = num(r.xid_age) > opt("autovacuum_freeze_max_age", s.freezeMaxAge) ||
    num(r.mxid_age) > opt("autovacuum_multixact_freeze_max_age", s.multixactFreezeMaxAge);
  if (wraparound) reasons.push("wraparound");
  if (enabled && dead > vacuumThreshold) reasons.push("dead tuples");
  // An insert threshold of -1 turns insert-driven vacuums off.
  if (enabled && insThreshold >= 0 && inserts > insertThreshold) reasons.push("inserts");
  const needsVacuum = reasons.length > 0;
  // pg_statistic is never analysed by autovacuum (its own statistics would be rewritten while read).
  const analysable = !(r.schema === "pg_catalog" && r.table === "pg_statistic");
  if (enabled && analysable && mods > analyzeThreshold) reasons.push("modifications");
  if (enabled && analysable && reltuples < 0 && (live > 0 || r.has_pages)) reasons.push("never analysed");
  const needsAnalyze = analysable && (reasons.includes("modifications") || reasons.includes("never analysed"));
  return {
    name: r.schema === "public" ? r.table : `${r.schema}.${r.table}`,
    schema: r.schema,
    table: r.table,
    reltuples,
    liveTuples: live,
    deadTuples: dead,
    modsSinceAnalyze: mods,
    insertsSinceVacuum: inserts,
    lastVacuum: r.last_vacuum,
    lastAnalyze: r.last_analyze,
    vacuumThreshold: Math.round(vacuumThreshold),
    analyzeThreshold: Math.round(analyzeThreshold),
    needsVacuum,
    needsAnalyze,
    reasons,
  };
}

/** An identifier as PostgreSQL quotes it: always in double quotes, inner quotes doubled. */
export function quoteIdent(name: string): string {
  if (name.includes("\0")) throw new Error("an identifier cannot contain a NUL character");
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Runs statements one at a time outside any transaction (VACUUM refuses to run inside one): on PGlite
 * through its exclusive `exec`, which waits for an open transaction to end; on a server on one connection
 * of the pool, held for the whole run.
 */
async function withSession<T>(database: Database, fn: (run: (statement: string) => Promise<void>) => Promise<T>): Promise<T> {
  if (database.pglite) {
    const pglite = database.pglite;
    return fn(async (statement) => {
      await pglite.exec(statement);
    });
  }
  const client: pg.PoolClient = await database.pool!.connect();
  try {
    return await fn(async (statement) => {
      await client.query(statement);
    });
  } finally {
    client.release();
  }
}

export interface MaintenanceOptions {
  /** Vacuum and analyse every table, whatever its counters say. */
  force?: boolean;
  /** Work even where the server's autovacuum maintains the database (for benchmarks; the job never does). */
  ignoreServerAutovacuum?: boolean;
}

/**
 * Decides like autovacuum which tables need VACUUM and which ANALYZE, and runs them, one table at a time.
 * On a PostgreSQL server whose autovacuum runs it does nothing and says so. Callable directly (benchmarks).
 */
export async function runDatabaseMaintenance(database: Database, opts: MaintenanceOptions = {}): Promise<MaintenanceSummary> {
  const started = performance.now();
  const force = opts.force ?? false;
  const summary: MaintenanceSummary = {
    kind: database.kind,
    force,
    tablesChecked: 0,
    vacuumed: [],
    analysed: [],
    deadTuplesBefore: 0,
    deadTuplesAfter: null,
    errors: [],
    durationMs: 0,
  };
  const av = await autovacuumState(database);
  if (av.serverMaintains && !opts.ignoreServerAutovacuum) {
    summary.skipped = "server autovacuum";
    summary.durationMs = Math.round(performance.now() - started);
    return summary;
  }
  const states = await tableMaintenanceStates(database);
  summary.tablesChecked = states.length;
  summary.deadTuplesBefore = states.reduce((n, t) => n + t.deadTuples, 0);
  // The application's tables first, then the catalogs, pg_statistic last: analysing a table rewrites its
  // rows in pg_statistic, so vacuuming that one after the others leaves it clean rather than freshly bloated.
  const order = (t: TableMaintenanceState) => (t.schema !== "pg_catalog" ? 0 : t.table === "pg_statistic" ? 2 : 1);
  const chosen = states.filter((t) => force || t.needsVacuum || t.needsAnalyze).sort((a, b) => order(a) - order(b));
  if (chosen.length > 0) {
    await withSession(database, async (run) => {
      for (const t of chosen) {
        const target = `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;
        const vacuum = force || t.needsVacuum;
        // SKIP_LOCKED: like autovacuum, pass over a table someone holds a conflicting lock on (DDL, another VACUUM).
        const analyse = t.schema !== "pg_catalog" || t.table !== "pg_statistic";
        const statement = vacuum ? `VACUUM (${analyse ? "ANALYZE, " : ""}SKIP_LOCKED) ${target}` : `ANALYZE (SKIP_LOCKED) ${target}`;
        try {
          await run(statement);
          if (vacuum) summary.vacuumed.push(t.name);
          if (analyse) summary.analysed.push(t.name);
        } catch (e) {
          summary.errors.push({ table: t.name, message: (e as Error).message });
        }
      }
    });
    const after = await tableMaintenanceStates(database);
    summary.deadTuplesAfter = after.reduce((n, t) => n + t.deadTuples, 0);
  } else {
    summary.deadTuplesAfter = summary.deadTuplesBefore;
  }
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

// ---------------------------------------------------------------------------------------------------
// The job, its record, and what the page and the doctor show.

export interface MaintenanceRun {
  id: number;
  trigger: "manual" | "scheduled";
  status: "running" | "succeeded" | "skipped" | "failed";
  forced: boolean;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  tablesChecked: number | null;
  vacuumed: string[];
  analysed: string[];
  deadTuplesBefore: number | null;
  deadTuplesAfter: number | null;
  error: string | null;
}

/** Runs kept: the newest, and nothing older than this many days. */
const KEEP_DAYS = 30;

/**
 * The job: runs the maintenance and records it in db_maintenance_run. A scheduled run skipped because the
 * server maintains the database leaves no record (the page says who maintains it); a manual one does.
 */
export async function runMaintenanceJob(
  rt: Runtime,
  opts: { trigger: "manual" | "scheduled"; force?: boolean; requestedBy?: number | null },
): Promise<MaintenanceSummary & { runId: number | null }> {
  const db = rt.database.db;
  const av = await autovacuumState(rt.database);
  if (av.serverMaintains && opts.trigger === "scheduled") {
    return { ...(await runDatabaseMaintenance(rt.database, { force: opts.force })), runId: null };
  }
  const run = await one<{ id: number }>(
    db,
    sql`insert into db_maintenance_run (trigger, forced, requested_by) values (${opts.trigger}, ${opts.force ?? false}, ${opts.requestedBy ?? null})
      returning id`,
  );
  const id = run!.id;
  try {
    const s = await runDatabaseMaintenance(rt.database, { force: opts.force });
    const status = s.skipped ? "skipped" : "succeeded";
    const error = s.errors.length ? s.errors.map((e) => `${e.table}: ${e.message}`).join("; ").slice(0, 4000) : null;
    await db.execute(sql`update db_maintenance_run set status = ${status}, finished_at = now(), duration_ms = ${s.durationMs},
        tables_checked = ${s.tablesChecked}, vacuumed = ${JSON.stringify(s.vacuumed)}::jsonb, analysed = ${JSON.stringify(s.analysed)}::jsonb,
        dead_tuples_before = ${s.deadTuplesBefore}, dead_tuples_after = ${s.deadTuplesAfter}, error = ${error}
      where id = ${id}`);
    await db.execute(sql`delete from db_maintenance_run where started_at < now() - make_interval(days => ${KEEP_DAYS})`);
    return { ...s, runId: id };
  } catch (e) {
    await db.execute(sql`update db_maintenance_run set status = 'failed', finished_at = now(), error = ${(e as Error).message} where id = ${id}`);
    throw e;
  }
}

export async function recentMaintenanceRuns(ex: Executor, limit = 20): Promise<MaintenanceRun[]> {
  return rows<MaintenanceRun>(
    ex,
    sql`select id, trigger, status, forced, started_at as "startedAt", finished_at as "finishedAt", duration_ms as "durationMs",
        tables_checked as "tablesChecked", vacuumed, analysed, dead_tuples_before as "deadTuplesBefore",
        dead_tuples_after as "deadTuplesAfter", error
      from db_maintenance_run order by started_at desc, id desc limit ${limit}`,
  );
}

export interface MaintenanceOverview {
  kind: Database["kind"];
  /** "server": the PostgreSQL server's autovacuum; "kaiwu": Kaiwu's scheduled job. */
  maintainedBy: "server" | "kaiwu";
  serverAutovacuum: boolean;
  autovacuumSetting: boolean;
  trackCounts: boolean;
  schedule: JobScheduleState | null;
  /** A maintenance job is queued or running. */
  pending: boolean;
  runs: MaintenanceRun[];
  /** Tables most in need: those autovacuum would process, then by dead rows and changes since analysed. */
  tables: TableMaintenanceState[];
  tableCount: number;
}

export async function maintenanceOverview(rt: Runtime, opts: { tables?: number; runs?: number } = {}): Promise<MaintenanceOverview> {
  const db = rt.database.db;
  const av = await autovacuumState(rt.database);
  const schedule = await scheduleOf(db, MAINTENANCE_JOB);
  const pending = await jobPending(db, MAINTENANCE_JOB);
  const states = await tableMaintenanceStates(rt.database);
  const interesting = states.filter((t) => t.needsVacuum || t.needsAnalyze || t.deadTuples > 0 || t.modsSinceAnalyze > 0);
  return {
    kind: rt.database.kind,
    maintainedBy: av.serverMaintains ? "server" : "kaiwu",
    serverAutovacuum: av.serverMaintains,
    autovacuumSetting: av.autovacuumSetting,
    trackCounts: av.trackCounts,
    schedule: schedule ?? null,
    pending,
    runs: await recentMaintenanceRuns(db, opts.runs ?? 10),
    tables: interesting.slice(0, opts.tables ?? 15),
    tableCount: states.length,
  };
}

/** The doctor's line: who maintains the database, and when Kaiwu's job last did. Informational, never a failure. */
export async function maintenanceDoctorDetail(rt: Runtime): Promise<string> {
  const av = await autovacuumState(rt.database);
  if (av.serverMaintains) return "the PostgreSQL server's autovacuum maintains the database";
  const where = rt.database.kind === "pglite" ? "embedded database (no autovacuum)" : "PostgreSQL with autovacuum off";
  const last = await one<{ finishedAt: string; vacuumed: string[]; analysed: string[]; status: string }>(
    rt.database.db,
    sql`select finished_at as "finishedAt", vacuumed, analysed, status from db_maintenance_run
      where status in ('succeeded', 'failed') and finished_at is not null order by finished_at desc limit 1`,
  );
  const schedule = await scheduleOf(rt.database.db, MAINTENANCE_JOB);
  const when = schedule ? (schedule.enabled ? `scheduled ${schedule.cron}` : "schedule disabled") : `scheduled ${maintenanceCron()}`;
  const lastText = last
    ? `last ran ${last.finishedAt}${last.status === "failed" ? " (failed)" : ` (vacuumed ${last.vacuumed?.length ?? 0}, analysed ${last.analysed?.length ?? 0} tables)`}`
    : "not run yet";
  return `${where}: Kaiwu's maintenance job, ${when}, ${lastText}`;
}
