import path from "node:path";
import { fileURLToPath } from "node:url";
import { composeAreas } from "../../platform/module-area.ts";
import type { KaiwuModule } from "../../platform/module.ts";
import { catalogArea } from "./catalog/index.ts";
import { engineeringArea } from "./engineering/index.ts";

// Catalog first: engineering's demo BOMs use the catalog's demo items.
const areas = composeAreas([catalogArea, engineeringArea]);

/** Items, units of measure, BOMs, routings, work centres, partners, warehouses and locations. */
export const masterdataModule: KaiwuModule = {
  name: "masterdata",
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
  ...areas,
};
