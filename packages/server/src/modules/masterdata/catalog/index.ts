import type { ModuleArea } from "../../../platform/module-area.ts";
import { attachmentExists, registerAttachmentEntity } from "./attachments.ts";
import { seedDemo } from "./demo.ts";
import "./messages.ts";
import { P, permissions } from "./permissions.ts";
import { routes } from "./routes.ts";

// Drawings and specifications of items; contracts, licences and certificates of partners.
registerAttachmentEntity({ entity: "item", read: P.itemRead, write: P.itemEdit, exists: (tx, c, id) => attachmentExists(tx, c, "item", id) });
registerAttachmentEntity({ entity: "partner", read: P.partnerRead, write: P.partnerEdit, exists: (tx, c, id) => attachmentExists(tx, c, "partner", id) });

/** Units of measure, items, warehouses and locations, partners and supplier items; attachments, import and export. */
export const catalogArea: ModuleArea = { permissions, routes, seedDemo };
