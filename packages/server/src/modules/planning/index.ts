import path from "node:path";
import { fileURLToPath } from "node:url";
import type { KaiwuModule } from "../../platform/module.ts";
import { seedDemo } from "./demo.ts";
import "./messages.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";
import { MRP_JOB, mrpJob } from "./run.ts";

export { type DemandLine, type DemandSource, registerDemandSource } from "./demand.ts";

/** Planning: MPS (forecasts, consumption by customer orders), MRP runs as plan versions, pegging, exceptions, conversion, what-if. */
export const planningModule: KaiwuModule = {
  name: "planning",
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
  permissions,
  routes,
  jobs: { [MRP_JOB]: mrpJob },
  seedDemo,
};
