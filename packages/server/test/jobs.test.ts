import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows, sql } from "../src/platform/db/database.ts";
import { JobWorker, enqueueJob, registerSchedules } from "../src/platform/jobs.ts";
import { DB_AVAILABLE, type TestSystem, testSystem } from "./harness.ts";

describe.skipIf(!DB_AVAILABLE)("job queue", () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await testSystem();
  });
  afterAll(() => sys?.close());

  it("runs each job exactly once however many workers poll", async () => {
    const seen: number[] = [];
    const handlers = new Map([
      [
        "test.record",
        async ({ payload }: { payload: Record<string, unknown> }) => {
          seen.push(payload.n as number);
          await new Promise((r) => setTimeout(r, 2));
        },
      ],
    ]);
    for (let n = 0; n < 40; n++) await enqueueJob(sys.rt.database.db, "test.record", { n });
    const workers = [1, 2, 3].map(() => new JobWorker(sys.rt, handlers));
    const ran = await Promise.all(workers.map((w) => w.runOnce()));
    expect(ran.reduce((a, b) => a + b, 0)).toBe(40);
    expect([...seen].sort((a, b) => a - b)).toEqual([...Array(40).keys()]);
  });

  it("retries a failing job, then marks it failed and raises an alert", async () => {
    let calls = 0;
    const handlers = new Map([
      [
        "test.fail",
        async () => {
          calls++;
          throw new Error("boom");
        },
      ],
    ]);
    const id = await enqueueJob(sys.rt.database.db, "test.fail", {}, { maxAttempts: 2 });
    const w = new JobWorker(sys.rt, handlers);
    await w.runOnce();
    await sys.rt.database.db.execute(sql`update job set run_at = now() where id = ${id}`);
    await w.runOnce();
    expect(calls).toBe(2);
    const [job] = await rows<{ status: string; last_error: string }>(sys.rt.database.db, sql`select status, last_error from job where id = ${id}`);
    expect(job).toMatchObject({ status: "failed", last_error: "boom" });
    const alerts = await rows(sys.rt.database.db, sql`select 1 from system_alert where source = 'job:test.fail'`);
    expect(alerts.length).toBe(1);
  });

  it("re-times a schedule whose declaration changed; a timing changed only in the database stays", async () => {
    const db = sys.rt.database.db;
    const at = new Date("2026-03-02T10:07:00Z");
    const cronOf = async () => (await rows<{ cron: string; next: string }>(db, sql`select cron, to_char(next_run_at at time zone 'UTC', 'HH24:MI') as next from job_schedule where name = 'nightly'`))[0];
    await registerSchedules(db, [{ name: "nightly", job: "test.tick", cron: "30 2 * * *" }], at);
    const first = await cronOf();
    expect(first.cron).toBe("30 2 * * *");
    // The same declaration again (a plain restart) changes nothing.
    await db.execute(sql`update job_schedule set next_run_at = next_run_at + interval '1 day' where name = 'nightly'`);
    await registerSchedules(db, [{ name: "nightly", job: "test.tick", cron: "30 2 * * *" }], at);
    const [moved] = await rows<{ days: number }>(db, sql`select extract(day from next_run_at - ${at.toISOString()}::timestamptz)::int as days from job_schedule where name = 'nightly'`);
    expect(moved.days).toBeGreaterThanOrEqual(1);
    // A new declaration (the environment variable set later) applies at the next start, with a new next run.
    await registerSchedules(db, [{ name: "nightly", job: "test.tick", cron: "15 * * * *" }], at);
    expect(await cronOf()).toEqual({ cron: "15 * * * *", next: expect.stringMatching(/:15$/) });
    // Re-timed in the database by an operator: kept while the declaration stays the same.
    await db.execute(sql`update job_schedule set cron = '45 * * * *' where name = 'nightly'`);
    await registerSchedules(db, [{ name: "nightly", job: "test.tick", cron: "15 * * * *" }], at);
    expect((await cronOf()).cron).toBe("45 * * * *");
    await db.execute(sql`delete from job_schedule where name = 'nightly'`); // due (a past date): not for the next test
  });

  it("enqueues a due schedule once, even with several workers", async () => {
    const seen: string[] = [];
    const handlers = new Map([["test.tick", async ({ payload }: { payload: Record<string, unknown> }) => void seen.push(String(payload.schedule))]]);
    await registerSchedules(sys.rt.database.db, [{ name: "tick", job: "test.tick", cron: "*/5 * * * *" }]);
    await sys.rt.database.db.execute(sql`update job_schedule set next_run_at = now() - interval '1 second' where name = 'tick'`);
    await Promise.all([new JobWorker(sys.rt, handlers).runOnce(), new JobWorker(sys.rt, handlers).runOnce()]);
    expect(seen).toEqual(["tick"]);
    const [s] = await rows<{ later: boolean }>(sys.rt.database.db, sql`select next_run_at > now() as later from job_schedule where name = 'tick'`);
    expect(s.later).toBe(true);
  });
});
