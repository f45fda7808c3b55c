import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { type JobScheduleState, jobPending, scheduleOf } from "../../platform/jobs.ts";
import type { SQL } from "drizzle-orm";

/**
 * Housekeeping: the platform's working tables — finished jobs, delivered domain events, idempotency keys,
 * ended sessions — grow with every command and every scheduled run and are of no use after a while; a
 * daily job removes what is older than its retention. Business records (documents, the stock ledger, the
 * audit log) are never touched: they are kept, and archived, under their own rules.
 */
export const HOUSEKEEPING_JOB = "ops.housekeeping";
export const HOUSEKEEPING_CRON_DEFAULT = "40 3 * * *";

export function housekeepingCron(): string {
  return process.env.KAIWU_HOUSEKEEPING_CRON?.trim() || HOUSEKEEPING_CRON_DEFAULT;
}

/** Days each kind of row is kept (environment variables KAIWU_KEEP_*_DAYS, at least 1). */
export interface Retention {
  /** Jobs that finished (done); failed ones are kept longer, for the problem they may point at. */
  jobsDays: number;
  failedJobsDays: number;
  /** Domain events once delivered to their subscribers (the audit log keeps what happened). */
  eventsDays: number;
  /** How long a retried request with the same idempotency key still gets the first answer. */
  idempotencyDays: number;
  /** Ended or expired sign-in sessions (sign-ins and sign-outs themselves are in the audit log). */
  sessionsDays: number;
}

const DEFAULTS: Retention = { jobsDays: 30, failedJobsDays: 90, eventsDays: 30, idempotencyDays: 7, sessionsDays: 90 };
const ENV: Record<keyof Retention, string> = {
  jobsDays: "KAIWU_KEEP_JOBS_DAYS",
  failedJobsDays: "KAIWU_KEEP_FAILED_JOBS_DAYS",
  eventsDays: "KAIWU_KEEP_EVENTS_DAYS",
  idempotencyDays: "KAIWU_KEEP_IDEMPOTENCY_DAYS",
  sessionsDays: "KAIWU_KEEP_SESSIONS_DAYS",
};

export function retention(env: NodeJS.ProcessEnv = process.env): Retention {
  const out = { ...DEFAULTS };
  for (const k of Object.keys(ENV) as (keyof Retention)[]) {
    const raw = env[ENV[k]]?.trim();
    if (!raw) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${ENV[k]} must be a whole number of days, at least 1 (is "${raw}")`);
    out[k] = n;
  }
  return out;
}

export interface HousekeepingResult {
  jobs: number;
  events: number;
  idempotencyKeys: number;
  sessions: number;
}

/** Rows removed per statement: short statements, no long lock on a busy table. */
const BATCH = 5000;

type TableKey = keyof HousekeepingResult;

/** Each working table, the column that picks its rows, and when a row is past its retention (one rule for the run and the count). */
const TABLES: { key: TableKey; table: string; rowKey: string; expired: (keep: Retention) => SQL }[] = [
  {
    key: "jobs",
    table: "job",
    rowKey: "id",
    expired: (k) => sql`((status = 'done' and coalesce(finished_at, created_at) < ${daysAgo(k.jobsDays)})
      or (status = 'failed' and coalesce(finished_at, created_at) < ${daysAgo(k.failedJobsDays)}))`,
  },
  { key: "events", table: "outbox_event", rowKey: "id", expired: (k) => sql`dispatched_at < ${daysAgo(k.eventsDays)}` },
  { key: "idempotencyKeys", table: "idempotency_key", rowKey: "ctid", expired: (k) => sql`created_at < ${daysAgo(k.idempotencyDays)}` },
  { key: "sessions", table: "user_session", rowKey: "id", expired: (k) => sql`coalesce(ended_at, expires_at) < ${daysAgo(k.sessionsDays)}` },
];

function daysAgo(n: number): SQL {
  return sql`now() - make_interval(days => ${n})`;
}

async function deleteInBatches(db: Executor, table: string, key: string, expired: SQL): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await one<{ n: number }>(
      db,
      sql`with gone as (delete from ${sql.raw(table)} where ${sql.raw(key)} in (select ${sql.raw(key)} from ${sql.raw(table)} where ${expired} limit ${BATCH})
            returning 1) select count(*)::int8 as n from gone`,
    );
    const n = Number(r?.n ?? 0);
    total += n;
    if (n < BATCH) return total;
  }
}

/**
 * Removes what is past its retention. `currentJobId` is the job running this (never removed, nor any job
 * still queued or running). Each table on its own, in batches: what was removed stays removed if a later
 * step fails.
 */
export async function runHousekeeping(db: Executor, keep: Retention = retention(), currentJobId: number | null = null): Promise<HousekeepingResult> {
  const removed = { jobs: 0, events: 0, idempotencyKeys: 0, sessions: 0 };
  for (const t of TABLES) {
    const expired = t.key === "jobs" ? sql`id <> ${currentJobId ?? 0} and ${t.expired(keep)}` : t.expired(keep);
    removed[t.key] = await deleteInBatches(db, t.table, t.rowKey, expired);
  }
  return removed;
}

export interface HousekeepingRun {
  jobId: number;
  status: "queued" | "running" | "done" | "failed";
  trigger: "manual" | "scheduled";
  startedAt: string;
  finishedAt: string | null;
  removed: HousekeepingResult | null;
  error: string | null;
}

export interface HousekeepingOverview {
  retention: Retention;
  schedule: JobScheduleState | null;
  pending: boolean;
  /** Rows in each table now, and how many of them are past their retention (what the next run removes). */
  tables: { table: string; rows: number; expired: number }[];
  runs: HousekeepingRun[];
}

export async function housekeepingOverview(db: Executor, keep: Retention = retention()): Promise<HousekeepingOverview> {
  const schedule = await scheduleOf(db, HOUSEKEEPING_JOB);
  const counts = await one<Record<string, number>>(
    db,
    sql`select ${sql.join(
      TABLES.map((t) => sql`(select count(*) from ${sql.raw(t.table)})::int8 as ${sql.raw(`"${t.key}Rows"`)},
        (select count(*) from ${sql.raw(t.table)} where ${t.expired(keep)})::int8 as ${sql.raw(`"${t.key}Expired"`)}`),
      sql`, `,
    )}`,
  );
  const runs = await rows<HousekeepingRun & { payload: Record<string, unknown>; result: HousekeepingResult | null }>(
    db,
    sql`select id as "jobId", status, payload, result, last_error as error, created_at as "startedAt", finished_at as "finishedAt"
        from job where name = ${HOUSEKEEPING_JOB} order by id desc limit 10`,
  );
  return {
    retention: keep,
    schedule: schedule ?? null,
    pending: await jobPending(db, HOUSEKEEPING_JOB),
    tables: TABLES.map((t) => ({ table: t.table, rows: Number(counts?.[`${t.key}Rows`] ?? 0), expired: Number(counts?.[`${t.key}Expired`] ?? 0) })),
    runs: runs.map(({ payload, result, ...r }) => ({
      ...r,
      jobId: Number(r.jobId),
      trigger: payload?.trigger === "manual" ? "manual" : "scheduled",
      removed: result && typeof result.jobs === "number" ? result : null,
    })),
  };
}

/**
 * The doctor's line: the retention in force and what the last run removed. A retention variable that is
 * not a whole number of days fails the check (the daily job would fail on it too).
 */
export async function housekeepingDoctorCheck(db: Executor, env: NodeJS.ProcessEnv = process.env): Promise<{ ok: boolean; detail: string }> {
  let keep: Retention;
  try {
    keep = retention(env);
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
  const o = await housekeepingOverview(db, keep);
  const last = o.runs.find((r) => r.status === "done" || r.status === "failed");
  const pastRetention = o.tables.reduce((n, t) => n + t.expired, 0);
  const lastText = !last
    ? "not run yet"
    : last.status === "failed"
      ? `last run ${last.finishedAt ?? last.startedAt} failed: ${last.error ?? "unknown error"}`
      : `last ran ${last.finishedAt} (removed ${last.removed ? last.removed.jobs + last.removed.events + last.removed.idempotencyKeys + last.removed.sessions : 0} rows)`;
  return {
    ok: true,
    detail: `keeps jobs ${keep.jobsDays} d (failed ${keep.failedJobsDays} d), events ${keep.eventsDays} d, idempotency keys ${keep.idempotencyDays} d, sessions ${keep.sessionsDays} d; ${lastText}; ${pastRetention} rows past retention now`,
  };
}
