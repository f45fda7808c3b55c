import path from "node:path";
import { fileURLToPath } from "node:url";
import type { KaiwuModule } from "../../platform/module.ts";

/** Items, units of measure, BOMs, routings, work centres, partners, warehouses and locations. */
export const masterdataModule: KaiwuModule = {
  name: "masterdata",
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
  permissions: [],
};
