import path from "node:path";
import { fileURLToPath } from "node:url";
import type { KaiwuModule } from "../../platform/module.ts";
import { seedDemo } from "./demo.ts";
import "./messages.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";
import { temporaryArea, temporaryJobs, temporarySchedules } from "./temporary/index.ts";
import { tokensArea } from "./tokens/index.ts";

/** Roles as sets of permission keys, held by users within a data scope. */
export const accessModule: KaiwuModule = {
  name: "access",
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
  permissions: [...permissions, ...temporaryArea.permissions!, ...tokensArea.permissions!],
  routes: async (app, rt) => {
    routes(app, rt);
    await temporaryArea.routes!(app, rt);
    await tokensArea.routes!(app, rt);
  },
  jobs: temporaryJobs,
  schedules: temporarySchedules,
  seedDemo: async (rt, demo) => {
    await seedDemo(rt, demo);
    await tokensArea.seedDemo!(rt, demo);
  },
};
