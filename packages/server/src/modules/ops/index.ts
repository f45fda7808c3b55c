import path from "node:path";
import { fileURLToPath } from "node:url";
import type { KaiwuModule } from "../../platform/module.ts";
import { BACKUP_JOB, VERIFY_JOB, runBackup, verifyAllKept, verifyBackupRun } from "./backups.ts";
import "./messages.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";

/** Operations: verified backups (later: import/export, archiving, change requests, tickets, training). */
export const opsModule: KaiwuModule = {
  name: "ops",
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
  permissions,
  routes,
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
  },
  schedules: [
    { name: "daily-backup", job: BACKUP_JOB, cron: process.env.KAIWU_BACKUP_CRON ?? "30 2 * * *", payload: { trigger: "scheduled" } },
    { name: "daily-backup-verification", job: VERIFY_JOB, cron: "0 4 * * *" },
  ],
};
