import path from "node:path";
import { fileURLToPath } from "node:url";
import type { KaiwuModule } from "../../platform/module.ts";
import "./messages.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";

/** Production orders (for now drafts, many converted from MRP planned orders; later: release, issue, report). */
export const productionModule: KaiwuModule = {
  name: "production",
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
  permissions,
  routes,
};
