import { one, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { enqueueJob, jobPending } from "../../platform/jobs.ts";
import { type CommandContext, defineCommand } from "../../platform/pipeline.ts";
import { StrictObject, Type } from "../../platform/validation.ts";
import { BACKUP_JOB, VERIFY_JOB } from "./backups.ts";
import { HOUSEKEEPING_JOB } from "./housekeeping.ts";
import { MAINTENANCE_JOB } from "./maintenance.ts";
import { P } from "./permissions.ts";

/** Queues a job of this name for the worker, refused (422 `code`) while one waits or runs. */
async function queueAlone(ctx: CommandContext, job: string, payload: Record<string, unknown>, refused: { code: string; messageKey: string }): Promise<number> {
  if (await jobPending(ctx.tx, job)) throw errors.rule(refused.code, refused.messageKey);
  return enqueueJob(ctx.tx, job, payload, { maxAttempts: 1 });
}

/** Queues a backup now; the job worker takes it (the archive is written outside the request). */
export const startBackup = defineCommand({
  name: "ops.backup.start",
  permission: P.backupRun,
  entity: "backup_run",
  input: StrictObject({}),
  async run(ctx) {
    const jobId = await queueAlone(ctx, BACKUP_JOB, { trigger: "manual", requestedBy: ctx.actor.id }, { code: "backup_already_running", messageKey: "ops.error.backup_running" });
    return { jobId };
  },
});

export const verifyBackup = defineCommand({
  name: "ops.backup.verify",
  permission: P.backupRun,
  entity: "backup_run",
  input: StrictObject({ id: Type.Integer({ minimum: 1 }) }),
  async run(ctx, { id }) {
    const run = await one(ctx.tx, sql`select id from backup_run where id = ${id} and status = 'succeeded'`);
    if (!run) throw errors.notFound("backup_run");
    ctx.audit.entityId = id;
    const jobId = await enqueueJob(ctx.tx, VERIFY_JOB, { id }, { maxAttempts: 1 });
    return { jobId };
  },
});

/**
 * Queues database maintenance of every table now (VACUUM (ANALYZE) each, outside the request: VACUUM cannot
 * run in the command's transaction). Where the server's autovacuum maintains the database the job records
 * a skipped run.
 */
export const runMaintenance = defineCommand({
  name: "ops.maintenance.run",
  permission: P.maintenanceRun,
  entity: "db_maintenance_run",
  input: StrictObject({}),
  async run(ctx) {
    const jobId = await queueAlone(
      ctx,
      MAINTENANCE_JOB,
      { trigger: "manual", force: true, requestedBy: ctx.actor.id },
      { code: "maintenance_already_running", messageKey: "ops.error.maintenance_running" },
    );
    ctx.audit.details = { jobId, force: true };
    return { jobId };
  },
});

/** Queues housekeeping now: removes finished jobs, delivered events, idempotency keys and sessions past their retention. */
export const runHousekeepingNow = defineCommand({
  name: "ops.housekeeping.run",
  permission: P.maintenanceRun,
  entity: "job",
  input: StrictObject({}),
  async run(ctx) {
    const jobId = await queueAlone(ctx, HOUSEKEEPING_JOB, { trigger: "manual", requestedBy: ctx.actor.id }, { code: "housekeeping_already_running", messageKey: "ops.error.housekeeping_running" });
    ctx.audit.details = { jobId };
    return { jobId };
  },
});
