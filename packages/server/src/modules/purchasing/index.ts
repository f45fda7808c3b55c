import path from "node:path";
import { fileURLToPath } from "node:url";
import type { KaiwuModule } from "../../platform/module.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";

/** Purchase requisitions (for now drafts converted from MRP planned purchases; later: approval, purchase orders). */
export const purchasingModule: KaiwuModule = {
  name: "purchasing",
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
  permissions,
  routes,
};
