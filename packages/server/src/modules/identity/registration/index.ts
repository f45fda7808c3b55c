import type { ModuleArea } from "../../../platform/module-area.ts";
import "./messages.ts";
import "./commands.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";

/**
 * Registration with approval (IAM-6): the public application form, the applicant's status page, and
 * the approval by the department administrator through the workflow engine. Its demo application is
 * seeded by the workflow module (it needs the registration chain first).
 */
export const registrationArea: ModuleArea = { permissions, routes };
