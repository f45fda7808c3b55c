import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { opsModule } from "../src/modules/ops/index.ts";
import { doctorChecks } from "../src/cli/doctor.ts";
import { HOUSEKEEPING_JOB, housekeepingDoctorCheck, retention, runHousekeeping } from "../src/modules/ops/housekeeping.ts";
import { one, sql } from "../src/platform/db/database.ts";
import { JobWorker, registerSchedules } from "../src/platform/jobs.ts";
import { startServer } from "../src/server.ts";
import { type Client, DB_AVAILABLE, type TestSystem, count, login, testSystem } from "./harness.ts";

/**
 * Housekeeping removes the platform's working rows past their retention — finished jobs, delivered
 * events, idempotency keys, ended sessions — and nothing else: not what is queued, running, undelivered
 * or still in use.
 */
describe.skipIf(!DB_AVAILABLE)("housekeeping of working tables", () => {
  let sys: TestSystem;
  let admin: Client;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    const db = sys.rt.database.db;
    await registerSchedules(db, opsModule.schedules!);
    const job = async (key: string, status: string, daysAgo: number) => {
      const r = await one<{ id: number }>(
        db,
        sql`insert into job (name, status, created_at, finished_at) values (${`test.${key}`}, ${status}, now() - make_interval(days => ${daysAgo}),
          case when ${status} in ('done', 'failed') then now() - make_interval(days => ${daysAgo}) end) returning id`,
      );
      ids[key] = Number(r!.id);
    };
    await job("doneOld", "done", 40);
    await job("doneNew", "done", 5);
    await job("failedOld", "failed", 100);
    await job("failedMid", "failed", 40);
    await job("queuedOld", "queued", 40);
    const event = async (key: string, dispatchedDaysAgo: number | null) => {
      const r = await one<{ id: number }>(
        db,
        sql`insert into outbox_event (type, payload, occurred_at, dispatched_at) values ('test.event', '{}'::jsonb, now() - interval '60 days',
          ${dispatchedDaysAgo === null ? null : sql`now() - make_interval(days => ${dispatchedDaysAgo})`}) returning id`,
      );
      ids[key] = Number(r!.id);
    };
    await event("eventOld", 40);
    await event("eventNew", 2);
    await event("eventUndelivered", null);
    await db.execute(sql`insert into idempotency_key (actor_key, key, command, request_hash, created_at) values
      ('test', 'old', 'test', 'h', now() - interval '10 days'), ('test', 'new', 'test', 'h', now() - interval '1 day')`);
    const user = await one<{ id: number }>(db, sql`select id from app_user where username = 'admin'`);
    await db.execute(sql`insert into user_session (id, user_id, csrf_token, created_at, expires_at, ended_at) values
      ('test-ended-old', ${user!.id}, 'x', now() - interval '120 days', now() - interval '110 days', now() - interval '100 days'),
      ('test-expired-old', ${user!.id}, 'x', now() - interval '120 days', now() - interval '95 days', null),
      ('test-ended-new', ${user!.id}, 'x', now() - interval '20 days', now() - interval '10 days', now() - interval '19 days')`);
  });
  afterAll(() => sys?.close());

  it("shows the retention, the rows past it and the daily schedule", async () => {
    const r = await admin.get("/api/ops/housekeeping");
    expect(r.statusCode, r.body).toBe(200);
    const o = r.json();
    expect(o.retention).toEqual({ jobsDays: 30, failedJobsDays: 90, eventsDays: 30, idempotencyDays: 7, sessionsDays: 90 });
    expect(o.schedule).toMatchObject({ cron: "40 3 * * *", enabled: true });
    const byTable = Object.fromEntries(o.tables.map((t: { table: string; expired: number }) => [t.table, t.expired]));
    expect(byTable).toEqual({ job: 2, outbox_event: 1, idempotency_key: 1, user_session: 2 });
  });

  it("a manual run removes exactly what is past its retention, and is audited", async () => {
    const queued = await admin.post("/api/ops/housekeeping", {});
    expect(queued.statusCode, queued.body).toBe(202);
    const again = await admin.post("/api/ops/housekeeping", {});
    expect(again.statusCode).toBe(422);
    expect(again.json().code).toBe("housekeeping_already_running");
    const worker = new JobWorker(sys.rt, new Map(Object.entries(opsModule.jobs!)));
    expect(await worker.runOnce()).toBeGreaterThanOrEqual(1);

    const left = async (table: string, where: string) => count(sys.rt, table, where);
    expect(await left("job", `id in (${ids.doneOld}, ${ids.failedOld})`)).toBe(0);
    expect(await left("job", `id in (${ids.doneNew}, ${ids.failedMid}, ${ids.queuedOld})`)).toBe(3);
    expect(await left("outbox_event", `id = ${ids.eventOld}`)).toBe(0);
    expect(await left("outbox_event", `id in (${ids.eventNew}, ${ids.eventUndelivered})`)).toBe(2);
    expect(await left("idempotency_key", "actor_key = 'test'")).toBe(1);
    expect(await left("user_session", "id like 'test-%'")).toBe(1);

    const o = (await admin.get("/api/ops/housekeeping")).json();
    expect(o.pending).toBe(false);
    expect(o.runs[0]).toMatchObject({ status: "done", trigger: "manual", removed: { jobs: 2, events: 1, idempotencyKeys: 1, sessions: 2 } });
    const audit = await one<{ n: number }>(sys.rt.database.db, sql`select count(*)::int8 as n from audit_log where action = 'ops.housekeeping.run' and outcome = 'success'`);
    expect(Number(audit!.n)).toBe(1);
    // The run's own job row stays.
    expect(await left("job", `name = '${HOUSEKEEPING_JOB}'`)).toBe(1);
  });

  it("removes in batches until nothing is past its retention; a second run finds nothing", async () => {
    await sys.rt.database.db.execute(sql`insert into idempotency_key (actor_key, key, command, request_hash, created_at)
      select 'bulk', g::text, 'test', 'h', now() - interval '30 days' from generate_series(1, 12000) g`);
    const first = await runHousekeeping(sys.rt.database.db);
    expect(first.idempotencyKeys).toBe(12000);
    expect(await runHousekeeping(sys.rt.database.db)).toEqual({ jobs: 0, events: 0, idempotencyKeys: 0, sessions: 0 });
  });

  it("retention comes from KAIWU_KEEP_*_DAYS; a bad value names the variable", () => {
    expect(retention({ KAIWU_KEEP_EVENTS_DAYS: "3" }).eventsDays).toBe(3);
    expect(() => retention({ KAIWU_KEEP_JOBS_DAYS: "0" })).toThrow(/KAIWU_KEEP_JOBS_DAYS/);
    expect(() => retention({ KAIWU_KEEP_SESSIONS_DAYS: "a week" })).toThrow(/KAIWU_KEEP_SESSIONS_DAYS/);
  });

  it("the server does not start with a retention the job could not use", async () => {
    process.env.KAIWU_KEEP_IDEMPOTENCY_DAYS = "0";
    try {
      await expect(startServer(sys.rt, { port: 0, host: "127.0.0.1", jobs: false, logger: false })).rejects.toThrow(/KAIWU_KEEP_IDEMPOTENCY_DAYS/);
    } finally {
      delete process.env.KAIWU_KEEP_IDEMPOTENCY_DAYS;
    }
  });

  it("the doctor prints the retention and the last run, and fails on a retention it cannot use", async () => {
    const line = (await doctorChecks(sys.rt)).find((c) => c.name === "housekeeping")!;
    expect(line.ok).toBe(true);
    expect(line.detail).toMatch(/^keeps jobs 30 d \(failed 90 d\), events 30 d, idempotency keys 7 d, sessions 90 d; last ran .+ \(removed \d+ rows\); \d+ rows past retention now$/);
    const bad = await housekeepingDoctorCheck(sys.rt.database.db, { KAIWU_KEEP_EVENTS_DAYS: "-1" });
    expect(bad).toEqual({ ok: false, detail: expect.stringContaining("KAIWU_KEEP_EVENTS_DAYS") });
  });

  it("needs the maintenance permissions", async () => {
    const r = await admin.post("/api/identity/users", { username: "hk.viewer", displayName: "hk.viewer", roles: [] });
    const viewer = await login(sys.app, "hk.viewer", r.json().oneTimePassword);
    expect((await viewer.get("/api/ops/housekeeping")).statusCode).toBe(403);
    expect((await viewer.post("/api/ops/housekeeping", {})).statusCode).toBe(403);
  });
});
