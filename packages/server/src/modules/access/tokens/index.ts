import type { ModuleArea } from "../../../platform/module-area.ts";
import "./messages.ts";
import "./departure.ts";
import { seedDemo } from "./demo.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";

/**
 * API tokens (INT-1): external systems call the API with `Authorization: Bearer kw_…` and act with
 * exactly the token's permissions (http/app.ts authenticates them with `authenticateBearer`).
 */
export const tokensArea: ModuleArea = { permissions, routes, seedDemo };
export { authenticateBearer } from "./auth.ts";
