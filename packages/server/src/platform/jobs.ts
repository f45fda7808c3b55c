import { randomUUID } from "node:crypto";
import { CronExpressionParser } from "cron-parser";
import type { Actor } from "./actor.ts";
import { systemActor } from "./actor.ts";
import { type Executor, one, rows, sql } from "./db/database.ts";
import { metrics } from "./metrics.ts";
import type { ScheduleDef } from "./module.ts";
import { type Subscriber, dispatchOutbox } from "./outbox.ts";
import type { Runtime } from "./runtime.ts";

export interface JobContext {
  runtime: Runtime;
  jobId: number;
  actor: Actor;
  payload: Record<string, unknown>;
  /** Stores progress the UI shows (e.g. { done: 40, total: 100 }). */
  progress(p: Record<string, unknown>): Promise<void>;
}
export type JobHandler = (ctx: JobContext) => Promise<Record<string, unknown> | undefined> | Promise<void>;

export interface JobRow {
  id: number;
  name: string;
  payload: Record<string, unknown>;
  status: string;
  attempts: number;
  max_attempts: number;
  progress: Record<string, unknown> | null;
  result: Record<string, unknown> | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

export async function enqueueJob(ex: Executor, name: string, payload: Record<string, unknown> = {}, opts: { maxAttempts?: number } = {}): Promise<number> {
  const row = await one<{ id: number }>(
    ex,
    sql`insert into job (name, payload, max_attempts) values (${name}, ${JSON.stringify(payload)}::jsonb, ${opts.maxAttempts ?? 3}) returning id`,
  );
  return row!.id;
}

export interface JobScheduleState {
  cron: string;
  enabled: boolean;
  nextRunAt: string | null;
  lastRunAt: string | null;
}

/** The schedule that runs a job of this name (the first, if several do), or undefined when none does. */
export async function scheduleOf(ex: Executor, jobName: string): Promise<JobScheduleState | undefined> {
  return one<JobScheduleState>(
    ex,
    sql`select cron, enabled, next_run_at as "nextRunAt", last_run_at as "lastRunAt" from job_schedule where job_name = ${jobName}
      order by name limit 1`,
  );
}

/** Whether a job of this name waits or runs (one backup or maintenance at a time). */
export async function jobPending(ex: Executor, name: string): Promise<boolean> {
  return (await one(ex, sql`select 1 from job where name = ${name} and status in ('queued', 'running') limit 1`)) !== undefined;
}

export function nextCronTime(cron: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after }).next().toDate();
}

/**
 * Makes sure every declared schedule has a row, and re-times it when its declaration changed since the
 * last start (an operator set KAIWU_BACKUP_CRON after the first one). A timing changed in the database
 * alone, and a schedule disabled there, stay as they are until the declaration changes.
 */
export async function registerSchedules(ex: Executor, schedules: ScheduleDef[], now = new Date()): Promise<void> {
  for (const s of schedules) {
    await ex.execute(sql`insert into job_schedule (name, job_name, cron, declared_cron, payload, next_run_at)
      values (${s.name}, ${s.job}, ${s.cron}, ${s.cron}, ${JSON.stringify(s.payload ?? {})}::jsonb, ${nextCronTime(s.cron, now).toISOString()})
      on conflict (name) do update set cron = excluded.cron, declared_cron = excluded.declared_cron, next_run_at = excluded.next_run_at
        where job_schedule.declared_cron is distinct from excluded.declared_cron`);
  }
}

/**
 * Polls the job table. `FOR UPDATE SKIP LOCKED` hands each due schedule and each queued job to exactly
 * one worker, however many server processes run against the same database.
 */
export class JobWorker {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;
  readonly workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly runtime: Runtime,
    private readonly handlers: Map<string, JobHandler>,
    private readonly subscribers: Map<string, Subscriber[]> = new Map(),
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      await this.runOnce().catch((err) => this.runtime.log.error({ err }, "job worker tick failed"));
      if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
    };
    this.timer = setTimeout(tick, this.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 20));
  }

  /** One pass: enqueue due schedules, then run queued jobs until none is ready. Returns jobs run. */
  async runOnce(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      await this.enqueueDueSchedules();
      while (!this.stopped && (await dispatchOutbox(this.runtime, this.subscribers, this.workerId)) > 0) {}
      let count = 0;
      while (!this.stopped && (await this.runNextJob())) count++;
      return count;
    } finally {
      this.running = false;
    }
  }

  private async enqueueDueSchedules(): Promise<void> {
    const db = this.runtime.database.db;
    await db.transaction(async (tx) => {
      const due = await rows<{ name: string; job_name: string; cron: string; payload: Record<string, unknown> }>(
        tx,
        sql`select name, job_name, cron, payload from job_schedule where enabled and next_run_at <= now()
          for update skip locked`,
      );
      const now = new Date();
      for (const s of due) {
        await enqueueJob(tx, s.job_name, { ...s.payload, schedule: s.name });
        await tx.execute(sql`update job_schedule set last_run_at = now(), next_run_at = ${nextCronTime(s.cron, now).toISOString()}
          where name = ${s.name}`);
      }
    });
  }

  private async runNextJob(): Promise<boolean> {
    const db = this.runtime.database.db;
    const job = await one<JobRow>(
      db,
      sql`update job set status = 'running', attempts = attempts + 1, locked_by = ${this.workerId}, locked_at = now()
        where id = (select id from job where status = 'queued' and run_at <= now() order by run_at, id
                    for update skip locked limit 1)
        returning id, name, payload, attempts, max_attempts`,
    );
    if (!job) return false;
    const handler = this.handlers.get(job.name);
    const ctx: JobContext = {
      runtime: this.runtime,
      jobId: job.id,
      actor: systemActor(`job:${job.name}`),
      payload: job.payload ?? {},
      progress: async (p) => {
        await db.execute(sql`update job set progress = ${JSON.stringify(p)}::jsonb where id = ${job.id}`);
      },
    };
    try {
      if (!handler) throw new Error(`no handler registered for job "${job.name}"`);
      const result = await handler(ctx);
      await db.execute(sql`update job set status = 'done', finished_at = now(), result = ${JSON.stringify(result ?? {})}::jsonb
        where id = ${job.id}`);
      metrics.jobsFinished.inc({ job: job.name, outcome: "done" });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const retry = job.attempts < job.max_attempts;
      // Back off 10 s, 40 s, 90 s… between attempts.
      await db.execute(sql`update job set status = ${retry ? "queued" : "failed"}, last_error = ${message},
        run_at = now() + make_interval(secs => ${10 * job.attempts * job.attempts}),
        finished_at = ${retry ? null : new Date().toISOString()} where id = ${job.id}`);
      metrics.jobsFinished.inc({ job: job.name, outcome: retry ? "retry" : "failed" });
      this.runtime.log.warn({ job: job.name, jobId: job.id, err: message, retry }, "job failed");
      if (!retry) await raiseAlert(db, "critical", `job:${job.name}`, "alert.job_failed", { job: job.name, error: message });
    }
    return true;
  }
}

export async function raiseAlert(ex: Executor, severity: "info" | "warning" | "critical", source: string, messageKey: string, params: Record<string, unknown>) {
  await ex.execute(sql`insert into system_alert (severity, source, message_key, params)
    values (${severity}, ${source}, ${messageKey}, ${JSON.stringify(params)}::jsonb)`);
}
