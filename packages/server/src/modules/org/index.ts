import path from "node:path";
import { fileURLToPath } from "node:url";
import type { KaiwuModule } from "../../platform/module.ts";
import "./messages.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";
import { seedDemo } from "./demo.ts";

/** Companies, departments (a tree) and working calendars with shifts and holidays. */
export const orgModule: KaiwuModule = {
  name: "org",
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
  permissions,
  routes,
  seedDemo,
};
