import type { ModuleArea } from "../../../platform/module-area.ts";
import { seedDemo } from "./demo.ts";
import "./import-bom.ts";
import "./messages.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";

/** Bills of materials, routings, workshops, production lines and work centres. */
export const engineeringArea: ModuleArea = { permissions, routes, seedDemo };
