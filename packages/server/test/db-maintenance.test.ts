import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { doctorChecks } from "../src/cli/doctor.ts";
import { opsModule } from "../src/modules/ops/index.ts";
import { MAINTENANCE_JOB, runDatabaseMaintenance, tableMaintenanceStates } from "../src/modules/ops/maintenance.ts";
import { type Database, one, rows, sql } from "../src/platform/db/database.ts";
import { JobWorker, registerSchedules } from "../src/platform/jobs.ts";
import { type Client, DB_AVAILABLE, DB_KIND, type TestSystem, login, testSystem } from "./harness.ts";

interface TableStat {
  n_dead_tup: number;
  n_live_tup: number;
  last_vacuum: string | null;
  last_analyze: string | null;
  reltuples: number;
}

/**
 * Runs statements on one session and makes its statistics visible to the others: PGlite reports them
 * only when told to, a server's backend within a second of going idle (forced here, so no waiting).
 */
async function onOneSession(database: Database, statements: string[]): Promise<void> {
  if (database.pglite) {
    for (const s of statements) await database.pglite.exec(s);
    await database.pglite.exec("select pg_stat_force_next_flush()");
    await database.pglite.exec("select 1");
    return;
  }
  const client = await database.pool!.connect();
  try {
    for (const s of statements) await client.query(s);
    await client.query("select pg_stat_force_next_flush()");
    await client.query("select 1");
  } finally {
    client.release();
  }
}

async function tableStat(database: Database, table: string): Promise<TableStat> {
  if (database.kind === "pglite") await database.db.execute(sql`select pg_stat_force_next_flush()`);
  const r = await one<TableStat>(
    database.db,
    sql`select s.n_dead_tup, s.n_live_tup, s.last_vacuum, s.last_analyze, c.reltuples::float8 as reltuples
      from pg_stat_user_tables s join pg_class c on c.oid = s.relid where s.relname = ${table}`,
  );
  return { ...r!, n_dead_tup: Number(r!.n_dead_tup), reltuples: Number(r!.reltuples) };
}

describe.skipIf(!DB_AVAILABLE)("database maintenance", () => {
  let sys: TestSystem;
  let database: Database;
  /** Whether this database is maintained by the server's own autovacuum (then Kaiwu does nothing). */
  let serverMaintains: boolean;

  beforeAll(async () => {
    sys = await testSystem();
    database = sys.rt.database;
    const av = await one<{ autovacuum: string }>(database.db, sql`select current_setting('autovacuum') as autovacuum`);
    serverMaintains = DB_KIND === "postgres" && av!.autovacuum === "on";
    // The schedule as a started server registers it, disabled: no scheduled run in the middle of a test that counts jobs.
    await registerSchedules(database.db, opsModule.schedules!);
    await database.db.execute(sql`update job_schedule set enabled = false where job_name = ${MAINTENANCE_JOB}`);
  });
  afterAll(() => sys?.close());

  it("decides like autovacuum: dead rows, inserts, changes since analysed, per-table settings", async () => {
    await onOneSession(database, [
      "create table maint_bloat (id int primary key, n int not null)",
      "insert into maint_bloat select g, 0 from generate_series(1, 1000) g",
      "vacuum (analyze) maint_bloat", // planned and counted at 1000 rows, like a table in use
      ...Array.from({ length: 5 }, () => "update maint_bloat set n = n + 1"),
      "create table maint_append (id int primary key)",
      "insert into maint_append select g from generate_series(1, 3000) g",
      "create table maint_tuned (id int primary key, n int not null) with (autovacuum_vacuum_threshold = 100000, autovacuum_analyze_threshold = 100000)",
      "insert into maint_tuned select g, 0 from generate_series(1, 500) g",
      "vacuum (analyze) maint_tuned",
      "update maint_tuned set n = 1",
      "create table maint_off (id int primary key, n int not null) with (autovacuum_enabled = false)",
      "insert into maint_off select g, 0 from generate_series(1, 500) g",
      "vacuum (analyze) maint_off",
      "update maint_off set n = 1",
      "create table maint_quiet (id int primary key)",
    ]);
    const states = new Map((await tableMaintenanceStates(database)).map((t) => [t.name, t]));
    const bloat = states.get("maint_bloat")!;
    expect(bloat.deadTuples).toBeGreaterThan(bloat.vacuumThreshold);
    expect(bloat.vacuumThreshold).toBe(50 + 200); // 50 + 0.2 × 1000 with the default settings
    expect(bloat).toMatchObject({ needsVacuum: true, needsAnalyze: true });
    expect(bloat.reasons).toEqual(expect.arrayContaining(["dead tuples", "modifications"]));
    // Append-only: no dead rows, but inserts past the insert threshold (visibility map), and never analysed.
    const append = states.get("maint_append")!;
    expect(append.deadTuples).toBe(0);
    expect(append.reasons).toEqual(expect.arrayContaining(["inserts", "never analysed"]));
    // A table's own storage parameters override the server's.
    expect(states.get("maint_tuned")).toMatchObject({ needsVacuum: false, needsAnalyze: false, vacuumThreshold: 100000 + 100 });
    expect(states.get("maint_tuned")!.deadTuples).toBeGreaterThan(0);
    expect(states.get("maint_off")).toMatchObject({ needsVacuum: false, needsAnalyze: false });
    expect(states.get("maint_quiet")).toMatchObject({ needsVacuum: false, needsAnalyze: false, reasons: [] });
  });

  it("vacuums and analyses the tables that need it, one at a time, and leaves the others", async () => {
    const before = await tableStat(database, "maint_bloat");
    expect(before.last_vacuum).not.toBeNull(); // the vacuum before the updates
    const s = await runDatabaseMaintenance(database);
    expect(s.kind).toBe(DB_KIND);
    if (serverMaintains) {
      expect(s).toMatchObject({ skipped: "server autovacuum", vacuumed: [], analysed: [] });
      return;
    }
    expect(s.skipped).toBeUndefined();
    expect(s.errors).toEqual([]);
    expect(s.vacuumed).toEqual(expect.arrayContaining(["maint_bloat", "maint_append"]));
    expect(s.analysed).toEqual(expect.arrayContaining(["maint_bloat", "maint_append"]));
    for (const left of ["maint_tuned", "maint_off", "maint_quiet"]) {
      expect(s.vacuumed).not.toContain(left);
      expect(s.analysed).not.toContain(left);
    }
    expect(s.deadTuplesBefore).toBeGreaterThanOrEqual(before.n_dead_tup);
    expect(s.deadTuplesAfter).toBeLessThan(s.deadTuplesBefore);
    expect(s.tablesChecked).toBeGreaterThan(20);

    const after = await tableStat(database, "maint_bloat");
    expect(after.n_dead_tup).toBeLessThan(before.n_dead_tup);
    expect(after.n_dead_tup).toBe(0);
    expect(Date.parse(after.last_vacuum!)).toBeGreaterThan(Date.parse(before.last_vacuum!));
    expect(Date.parse(after.last_analyze!)).toBeGreaterThan(Date.parse(before.last_analyze!));
    const append = await tableStat(database, "maint_append");
    expect(append.last_vacuum).not.toBeNull();
    expect(append.last_analyze).not.toBeNull();
    expect(append.reltuples).toBe(3000);
    expect((await tableStat(database, "maint_tuned")).n_dead_tup).toBeGreaterThan(0);

    // Nothing left to do: the next run touches none of them.
    const again = await runDatabaseMaintenance(database);
    expect(again.vacuumed).not.toContain("maint_bloat");
    expect(again.analysed).not.toContain("maint_bloat");
  });

  it("force vacuums every table, the catalogs too where it may (a superuser)", async () => {
    const s = await runDatabaseMaintenance(database, { force: true });
    if (serverMaintains) {
      expect(s.skipped).toBe("server autovacuum");
      const anyway = await runDatabaseMaintenance(database, { force: true, ignoreServerAutovacuum: true });
      expect(anyway.vacuumed).toContain("maint_tuned");
      return;
    }
    expect(s.errors).toEqual([]);
    expect(s.vacuumed.length).toBe(s.tablesChecked);
    expect(s.vacuumed).toEqual(expect.arrayContaining(["maint_tuned", "maint_off", "maint_quiet", "stock_balance", "job"]));
    const superuser = await one<{ s: boolean }>(database.db, sql`select rolsuper as s from pg_roles where rolname = current_user`);
    if (superuser!.s) expect(s.vacuumed).toContain("pg_catalog.pg_attribute");
    expect(s.analysed).not.toContain("pg_catalog.pg_statistic");
    expect((await tableStat(database, "maint_tuned")).n_dead_tup).toBe(0);
  });

  it("quotes table names safely", async () => {
    await onOneSession(database, [
      `create table "maint ""odd"" name; drop" (id int primary key)`,
      `insert into "maint ""odd"" name; drop" select g from generate_series(1, 2000) g`,
    ]);
    const s = await runDatabaseMaintenance(database);
    if (serverMaintains) return;
    expect(s.errors).toEqual([]);
    expect(s.vacuumed).toContain('maint "odd" name; drop');
    expect((await tableStat(database, 'maint "odd" name; drop')).last_vacuum).not.toBeNull();
  });

  describe("from the API, as a job", () => {
    let admin: Client;
    let auditor: Client;
    let operator: Client;

    beforeAll(async () => {
      admin = await login(sys.app, "admin", sys.adminPassword);
      const mk = async (username: string, role: string) => {
        const r = await admin.post("/api/identity/users", { username, displayName: username, roles: [{ role }] });
        expect(r.statusCode, r.body).toBe(201);
        const u = r.json() as { oneTimePassword: string };
        return login(sys.app, username, u.oneTimePassword);
      };
      auditor = await mk("maint.auditor", "auditor");
      operator = await mk("maint.operator", "operator");
    });

    it("shows who maintains the database and the tables most in need", async () => {
      await onOneSession(database, Array.from({ length: 3 }, () => "update maint_bloat set n = n + 1"));
      const res = await auditor.get("/api/ops/maintenance");
      expect(res.statusCode, res.body).toBe(200);
      const o = res.json();
      expect(o).toMatchObject({
        kind: DB_KIND,
        maintainedBy: serverMaintains ? "server" : "kaiwu",
        serverAutovacuum: serverMaintains,
        schedule: { cron: "*/10 * * * *", enabled: false },
        pending: false,
      });
      expect(o.tables[0]).toMatchObject({ name: "maint_bloat", needsVacuum: true });
      expect(o.tables[0].deadTuples).toBeGreaterThan(0);
      expect((await operator.get("/api/ops/maintenance")).statusCode).toBe(403);
    });

    it("runs now only with ops.maintenance.run, audited, as a forced job that is recorded", async () => {
      const refused = await auditor.post("/api/ops/maintenance", {});
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe("forbidden");
      const denied = await rows<{ outcome: string }>(
        database.db,
        sql`select outcome from audit_log where action = 'ops.maintenance.run' and actor_name = 'maint.auditor'`,
      );
      expect(denied).toEqual([{ outcome: "denied" }]);

      const start = await admin.post("/api/ops/maintenance", {});
      expect(start.statusCode, start.body).toBe(202);
      const { jobId } = start.json();
      expect(jobId).toBeGreaterThan(0);
      expect((await admin.post("/api/ops/maintenance", {})).statusCode).toBe(422); // one at a time
      const audited = await one<{ outcome: string; details: { jobId: number; force: boolean } }>(
        database.db,
        sql`select outcome, details from audit_log where action = 'ops.maintenance.run' and outcome <> 'denied'`,
      );
      expect(audited).toMatchObject({ outcome: "success", details: { jobId, force: true } });
      expect((await auditor.get("/api/ops/maintenance")).json().pending).toBe(true);

      const worker = new JobWorker(sys.rt, new Map(Object.entries(opsModule.jobs!)));
      expect(await worker.runOnce()).toBe(1);
      const job = await one<{ status: string; result: Record<string, unknown> }>(database.db, sql`select status, result from job where id = ${jobId}`);
      expect(job!.status).toBe("done");

      const o = (await auditor.get("/api/ops/maintenance")).json();
      expect(o.pending).toBe(false);
      expect(o.runs[0]).toMatchObject({ trigger: "manual", forced: true, status: serverMaintains ? "skipped" : "succeeded" });
      if (serverMaintains) {
        expect(job!.result).toMatchObject({ skipped: "server autovacuum" });
      } else {
        expect(job!.result).toMatchObject({ vacuumed: o.runs[0].vacuumed.length, errors: 0 });
        expect(o.runs[0].vacuumed).toContain("maint_bloat");
        expect(o.runs[0].tablesChecked).toBe(o.runs[0].vacuumed.length);
        expect(o.runs[0].durationMs).toBeGreaterThanOrEqual(0);
        expect(o.tables.find((t: { name: string }) => t.name === "maint_bloat")).toBeUndefined();
        expect((await tableStat(database, "maint_bloat")).n_dead_tup).toBe(0);
      }
    });

    it("a scheduled run where the server maintains the database leaves no record; the doctor says who maintains it", async () => {
      const runs = Number((await one<{ n: number }>(database.db, sql`select count(*)::int8 as n from db_maintenance_run`))!.n);
      const s = (await opsModule.jobs![MAINTENANCE_JOB]({
        runtime: sys.rt,
        jobId: 0,
        actor: { kind: "system", name: "test" } as never,
        payload: { trigger: "scheduled" },
        progress: async () => {},
      })) as { runId: number | null; skipped?: string };
      const after = Number((await one<{ n: number }>(database.db, sql`select count(*)::int8 as n from db_maintenance_run`))!.n);
      expect(after).toBe(serverMaintains ? runs : runs + 1);
      expect(s.skipped).toBe(serverMaintains ? "server autovacuum" : undefined);

      const check = (await doctorChecks(sys.rt)).find((c) => c.name === "database maintenance")!;
      expect(check.ok).toBe(true);
      if (serverMaintains) expect(check.detail).toMatch(/server's autovacuum/);
      else expect(check.detail).toMatch(/Kaiwu's maintenance job, schedule disabled, last ran \d{4}-/);
    });
  });
});
