import path from "node:path";
import { fileURLToPath } from "node:url";
import type { KaiwuModule } from "../../platform/module.ts";
import { BACKUP_JOB, VERIFY_JOB, runBackup, verifyAllKept, verifyBackupRun } from "./backups.ts";
import { HOUSEKEEPING_JOB, housekeepingCron, retention, runHousekeeping } from "./housekeeping.ts";
import { MAINTENANCE_JOB, maintenanceCron, runMaintenanceJob } from "./maintenance.ts";
import "./messages.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";

/** Operations: verified backups, database maintenance, housekeeping of working tables (later: import/export, archiving, change requests, tickets, training). */
export const opsModule: KaiwuModule = {
  name: "ops",
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
  permissions,
  routes,
  // The KAIWU_KEEP_*_DAYS retention: a value the housekeeping job could not use stops the start-up.
  checkSettings: () => void retention(),
  jobs: {
    [BACKUP_JOB]: async ({ runtime, payload, progress }) => {
      const r = await runBackup(runtime, {
        trigger: payload.trigger === "manual" ? "manual" : "scheduled",
        requestedBy: (payload.requestedBy as number | undefined) ?? null,
        onProgress: (done, total, table) => void progress({ done, total, table }),
      });
      return { backupId: r.id, bytes: r.bytes, rows: r.rows };
    },
    [VERIFY_JOB]: async ({ runtime, payload }) => {
      if (typeof payload.id === "number") return verifyBackupRun(runtime, payload.id);
      return { verified: await verifyAllKept(runtime) };
    },
    [HOUSEKEEPING_JOB]: async ({ runtime, jobId }) => ({ ...(await runHousekeeping(runtime.database.db, undefined, jobId)) }),
    [MAINTENANCE_JOB]: async ({ runtime, payload }) => {
      const s = await runMaintenanceJob(runtime, {
        trigger: payload.trigger === "manual" ? "manual" : "scheduled",
        force: payload.force === true,
        requestedBy: (payload.requestedBy as number | undefined) ?? null,
      });
      // The job's result row stays small: counts, not the table lists (those are in db_maintenance_run).
      return {
        runId: s.runId,
        ...(s.skipped ? { skipped: s.skipped } : {}),
        vacuumed: s.vacuumed.length,
        analysed: s.analysed.length,
        deadTuplesBefore: s.deadTuplesBefore,
        deadTuplesAfter: s.deadTuplesAfter,
        errors: s.errors.length,
        durationMs: s.durationMs,
      };
    },
  },
  schedules: [
    { name: "daily-backup", job: BACKUP_JOB, cron: process.env.KAIWU_BACKUP_CRON ?? "30 2 * * *", payload: { trigger: "scheduled" } },
    { name: "daily-backup-verification", job: VERIFY_JOB, cron: "0 4 * * *" },
    // VACUUM / ANALYZE where nothing else does (PGlite, or a server with autovacuum off); a no-op otherwise.
    { name: "db-maintenance", job: MAINTENANCE_JOB, cron: maintenanceCron(), payload: { trigger: "scheduled" } },
    // Finished jobs, delivered events, old idempotency keys and ended sessions past their retention.
    { name: "housekeeping", job: HOUSEKEEPING_JOB, cron: housekeepingCron(), payload: { trigger: "scheduled" } },
  ],
};
