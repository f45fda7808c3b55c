import path from "node:path";
import { fileURLToPath } from "node:url";
import type { KaiwuModule } from "../../platform/module.ts";
import "./messages.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";
import { seedDemo } from "./demo.ts";
import { registrationArea } from "./registration/index.ts";

/** Own accounts, passwords, sessions with server-enforced idle logout. */
export const identityModule: KaiwuModule = {
  name: "identity",
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
  permissions: [...permissions, ...registrationArea.permissions!],
  routes: async (app, rt) => {
    routes(app, rt);
    await registrationArea.routes!(app, rt);
  },
  seedDemo,
};
