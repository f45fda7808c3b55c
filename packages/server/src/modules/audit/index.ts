import path from "node:path";
import { fileURLToPath } from "node:url";
import { systemActor } from "../../platform/actor.ts";
import type { KaiwuModule } from "../../platform/module.ts";
import { execute } from "../../platform/pipeline.ts";
import "./actions.ts";
import { verifyChain } from "./chain.ts";
import { seedDemo } from "./demo.ts";
import { scan } from "./events.ts";
import "./messages.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";

export const VERIFY_JOB = "audit.verify_chain";
export const SCAN_JOB = "audit.anomaly_scan";

/**
 * The audit log screen and export (AUD-1), the chain's verification with an anchor outside the
 * database (AUD-2), the anomaly rules (AUD-3) and the handling of security events (SEC-3).
 */
export const auditModule: KaiwuModule = {
  name: "audit",
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
  permissions,
  routes,
  jobs: {
    [VERIFY_JOB]: async ({ runtime }) => {
      const r = await execute(runtime, verifyChain, { trigger: "scheduled" }, systemActor(`job:${VERIFY_JOB}`));
      return { ok: r.ok, checked: r.checked, firstBad: r.firstBad ?? null, anchor: r.anchor.status };
    },
    [SCAN_JOB]: async ({ runtime }) => {
      const r = await execute(runtime, scan, {}, systemActor(`job:${SCAN_JOB}`));
      return { fromId: r.fromId, toId: r.toId, created: r.created.length, extended: r.extended.length };
    },
  },
  schedules: [
    { name: "daily-audit-verification", job: VERIFY_JOB, cron: process.env.KAIWU_AUDIT_VERIFY_CRON ?? "15 3 * * *" },
    { name: "security-anomaly-scan", job: SCAN_JOB, cron: "*/10 * * * *" },
  ],
  seedDemo,
};
