import type { KaiwuModule } from "../platform/module.ts";
import { accessModule } from "./access/index.ts";
import { accessReviewModule } from "./access-review/index.ts";
import { auditModule } from "./audit/index.ts";
import { identityModule } from "./identity/index.ts";
import { inventoryModule } from "./inventory/index.ts";
import { masterdataModule } from "./masterdata/index.ts";
import { opsModule } from "./ops/index.ts";
import { orgModule } from "./org/index.ts";
import { planningModule } from "./planning/index.ts";
import { productionModule } from "./production/index.ts";
import { purchasingModule } from "./purchasing/index.ts";
import { systemModule } from "./system/index.ts";
import { workflowModule } from "./workflow/index.ts";

/**
 * Every business module, in dependency order (demo data is loaded in this order). Adding a module is
 * adding its folder and one line here.
 */
export const modules: KaiwuModule[] = [
  systemModule,
  orgModule,
  identityModule,
  accessModule,
  auditModule,
  workflowModule,
  opsModule,
  masterdataModule,
  inventoryModule,
  productionModule,
  purchasingModule,
  planningModule,
  // After workflow: its demo appoints the department managers who review their people's access.
  accessReviewModule,
];
