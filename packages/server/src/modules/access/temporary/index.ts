import type { ModuleArea } from "../../../platform/module-area.ts";
import type { ScheduleDef } from "../../../platform/module.ts";
import type { JobHandler } from "../../../platform/jobs.ts";
import "./messages.ts";
import "./commands.ts";
import "./departure.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";
import { SWEEP_JOB, sweepTemporaryGrants } from "./sweep.ts";

/**
 * Temporary access (IAM-7): a grantable role asked for a period, approved by the superior through the
 * workflow engine, held as a user_role row with valid_from/valid_until. Its demo data is seeded by the
 * workflow module (it needs the chain and the department managers first).
 */
export const temporaryArea: ModuleArea = { permissions, routes };

export const temporaryJobs: Record<string, JobHandler> = {
  [SWEEP_JOB]: async ({ runtime }) => sweepTemporaryGrants(runtime),
};

export const temporarySchedules: ScheduleDef[] = [{ name: "temporary-access-sweep", job: SWEEP_JOB, cron: "*/5 * * * *" }];
