/**
 * What other modules read from the catalog. Import from here, not from the files behind it:
 *
 *  - assertItemUsable(tx, companyId, itemId, field?)  an active item for a new document, or 4xx
 *  - convertItemQty(tx, companyId, {qty, fromUomId, toUomId, itemId?, rounding?})  units, decimal string
 *  - itemUnits(tx, companyId, itemId)  base and alternative units for the pure convertQty (./uom.ts)
 *  - findLocationByKind(tx, companyId, kind, warehouseId?) / requireLocationByKind / assertLocationUsable
 *  - assertPartnerUsable(tx, companyId, partnerId, "customer" | "supplier", field?)
 *  - supplierItemsFor(tx, companyId, itemId, { on? })  where an item can be bought, preferred first
 *  - paymentDueDate(term, invoiceDate)  due date and cash-discount date of an invoice
 */
export { type UsableItem, assertItemUsable, getItem, listItems } from "./items.ts";
export { type UsablePartner, assertPartnerUsable, getPartner, listPartners, listPaymentTerms, paymentDueDate } from "./partners.ts";
export { type SupplierSource, getSupplierItem, listSupplierItems, supplierItemsFor } from "./supplier-items.ts";
export { convertItemQty, getUom, itemUnits, listUomCategories, listUoms } from "./units.ts";
export {
  type LocationRef,
  VIRTUAL_KINDS,
  assertLocationUsable,
  findLocationByKind,
  getLocation,
  getWarehouse,
  listLocations,
  listWarehouses,
  requireLocationByKind,
} from "./warehouses.ts";
export { registerAttachmentEntity } from "./attachments.ts";
