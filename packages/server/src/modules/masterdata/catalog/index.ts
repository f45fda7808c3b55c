import type { ModuleArea } from "../../../platform/module-area.ts";

/** Units of measure, items, warehouses and locations, partners and supplier items. */
export const catalogArea: ModuleArea = {};
