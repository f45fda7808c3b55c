/**
 * The catalog's commands (each runs through the pipeline: permission, validation, transaction, audit).
 * They live next to their reads, one file per subject; this is the index.
 */
export { createUom, createUomCategory, deleteUom, updateUom, updateUomCategory } from "./units.ts";
export { createItem, deleteItem, setItemStatus, setItemUnits, updateItem } from "./items.ts";
export { createLocation, createWarehouse, deleteLocation, deleteWarehouse, ensureVirtualLocations, updateLocation, updateWarehouse } from "./warehouses.ts";
export {
  createPartner,
  createPaymentTerm,
  deletePartner,
  deletePaymentTerm,
  setPartnerStatus,
  updatePartner,
  updatePaymentTerm,
} from "./partners.ts";
export { createSupplierItem, deleteSupplierItem, updateSupplierItem } from "./supplier-items.ts";
export { removeAttachment, uploadAttachment } from "./attachments.ts";
export { checkImport, executeImport } from "./import.ts";
export { exportList } from "./export.ts";
