import type { ModuleArea } from "../../../platform/module-area.ts";

/** Bills of materials, routings, workshops, production lines and work centres. */
export const engineeringArea: ModuleArea = {};
