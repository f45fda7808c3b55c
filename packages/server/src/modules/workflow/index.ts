import path from "node:path";
import { fileURLToPath } from "node:url";
import type { KaiwuModule } from "../../platform/module.ts";
import "./messages.ts";
import { seedDemo } from "./demo.ts";
import { ESCALATION_JOB, runEscalations } from "./escalation.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";

/**
 * Approvals every module uses (WF-2): chains per document type, department subtree and amount, walked
 * level by level; maker ≠ checker; delegation; escalation; history; the approvers' inbox. Modules call
 * `submitForApproval` / `assertApproved` and register a finaliser with `registerApprovalHandler`
 * (engine.ts).
 */
export const workflowModule: KaiwuModule = {
  name: "workflow",
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
  permissions,
  routes,
  jobs: { [ESCALATION_JOB]: async ({ runtime }) => runEscalations(runtime) },
  schedules: [{ name: "approval-escalation", job: ESCALATION_JOB, cron: "*/10 * * * *" }],
  seedDemo,
};
