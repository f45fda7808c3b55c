import { bigint, bigserial, boolean, char, date, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

// Typed mirror of migrations 2026112905 (core) and 2026112906…09 (catalog). The SQL is the source of
// truth; test/schema.test.ts checks that they agree. NUMERIC columns are decimal strings.
const id = () => bigserial("id", { mode: "number" }).primaryKey();
const ref = (name: string) => bigint(name, { mode: "number" });
const dec = (name: string) => numeric(name);
const version = () => integer("version").notNull().default(1);
const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow();

export type ItemType = "raw" | "semi" | "finished" | "consumable" | "service";
export type MakeOrBuy = "make" | "buy";
export type LotSizeRule = "lot-for-lot" | "fixed" | "multiple" | "min-max-multiple" | "periods-of-supply" | "eoq";
export type Tracking = "none" | "lot" | "serial";
export type ValuationMethod = "moving_average" | "fifo" | "standard";
export type ItemStatus = "active" | "blocked" | "obsolete";
export type LocationKind =
  | "internal"
  | "receiving"
  | "quality_hold"
  | "production"
  | "scrap"
  | "supplier"
  | "customer"
  | "adjustment"
  | "transit";

export const uomCategory = pgTable("uom_category", {
  id: id(),
  companyId: ref("company_id").notNull(),
  code: text("code").notNull(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  active: boolean("active").notNull().default(true),
  version: version(),
});

export const uom = pgTable("uom", {
  id: id(),
  companyId: ref("company_id").notNull(),
  categoryId: ref("category_id").notNull(),
  code: text("code").notNull(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  ratio: dec("ratio").notNull(),
  rounding: dec("rounding").notNull(),
  isReference: boolean("is_reference").notNull().default(false),
  active: boolean("active").notNull().default(true),
  version: version(),
});

export const item = pgTable("item", {
  id: id(),
  companyId: ref("company_id").notNull(),
  code: text("code").notNull(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  spec: text("spec"),
  description: text("description"),
  itemType: text("item_type").$type<ItemType>().notNull(),
  baseUomId: ref("base_uom_id").notNull(),
  purchaseUomId: ref("purchase_uom_id"),
  salesUomId: ref("sales_uom_id"),
  makeOrBuy: text("make_or_buy").$type<MakeOrBuy>().notNull(),
  leadTimeDays: integer("lead_time_days").notNull().default(0),
  safetyStock: dec("safety_stock").notNull(),
  lotSizeRule: text("lot_size_rule").$type<LotSizeRule>().notNull(),
  lotSizeQty: dec("lot_size_qty"),
  lotSizeMin: dec("lot_size_min"),
  lotSizeMax: dec("lot_size_max"),
  lotSizeMultiple: dec("lot_size_multiple"),
  lotSizePeriods: integer("lot_size_periods"),
  lotSizeSetupCost: dec("lot_size_setup_cost"),
  lotSizeHoldingCost: dec("lot_size_holding_cost"),
  tracking: text("tracking").$type<Tracking>().notNull(),
  shelfLifeDays: integer("shelf_life_days"),
  valuationMethod: text("valuation_method").$type<ValuationMethod>().notNull(),
  standardCost: dec("standard_cost").notNull(),
  abcClass: char("abc_class", { length: 1 }).$type<"A" | "B" | "C">(),
  status: text("status").$type<ItemStatus>().notNull(),
  barcode: text("barcode"),
  allowNegativeStock: boolean("allow_negative_stock").notNull().default(false),
  version: version(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const itemUom = pgTable(
  "item_uom",
  {
    itemId: ref("item_id").notNull(),
    uomId: ref("uom_id").notNull(),
    factor: dec("factor").notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.uomId] })],
);

export const warehouse = pgTable("warehouse", {
  id: id(),
  companyId: ref("company_id").notNull(),
  code: text("code").notNull(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  departmentId: ref("department_id"),
  address: text("address"),
  active: boolean("active").notNull().default(true),
  version: version(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const location = pgTable("location", {
  id: id(),
  companyId: ref("company_id").notNull(),
  warehouseId: ref("warehouse_id"),
  parentId: ref("parent_id"),
  code: text("code").notNull(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  kind: text("kind").$type<LocationKind>().notNull(),
  allowNegativeStock: boolean("allow_negative_stock").notNull().default(false),
  isDefault: boolean("is_default").notNull().default(false),
  active: boolean("active").notNull().default(true),
  version: version(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const paymentTerm = pgTable("payment_term", {
  id: id(),
  companyId: ref("company_id").notNull(),
  code: text("code").notNull(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  basis: text("basis").$type<"invoice" | "end_of_month" | "prepayment">().notNull(),
  daysNet: integer("days_net").notNull().default(0),
  discountDays: integer("discount_days"),
  discountPercent: dec("discount_percent"),
  active: boolean("active").notNull().default(true),
  version: version(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const partner = pgTable("partner", {
  id: id(),
  companyId: ref("company_id").notNull(),
  code: text("code").notNull(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  shortName: text("short_name"),
  isCustomer: boolean("is_customer").notNull().default(false),
  isSupplier: boolean("is_supplier").notNull().default(false),
  taxId: text("tax_id"),
  phone: text("phone"),
  email: text("email"),
  website: text("website"),
  currency: char("currency", { length: 3 }).notNull(),
  paymentTermId: ref("payment_term_id"),
  creditLimit: numeric("credit_limit"),
  notes: text("notes"),
  status: text("status").$type<"active" | "blocked">().notNull(),
  version: version(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const partnerContact = pgTable("partner_contact", {
  id: id(),
  partnerId: ref("partner_id").notNull(),
  name: text("name").notNull(),
  title: text("title"),
  phone: text("phone"),
  mobile: text("mobile"),
  email: text("email"),
  isPrimary: boolean("is_primary").notNull().default(false),
  sort: integer("sort").notNull().default(0),
});

export const partnerAddress = pgTable("partner_address", {
  id: id(),
  partnerId: ref("partner_id").notNull(),
  kind: text("kind").$type<"billing" | "shipping" | "office" | "other">().notNull(),
  country: char("country", { length: 2 }).notNull(),
  province: text("province"),
  city: text("city"),
  district: text("district"),
  street: text("street").notNull(),
  postcode: text("postcode"),
  contactName: text("contact_name"),
  contactPhone: text("contact_phone"),
  isDefault: boolean("is_default").notNull().default(false),
  sort: integer("sort").notNull().default(0),
});

export const partnerBank = pgTable("partner_bank", {
  id: id(),
  partnerId: ref("partner_id").notNull(),
  bankName: text("bank_name").notNull(),
  branch: text("branch"),
  accountName: text("account_name").notNull(),
  accountNo: text("account_no").notNull(),
  swift: text("swift"),
  currency: char("currency", { length: 3 }).notNull(),
  isDefault: boolean("is_default").notNull().default(false),
  sort: integer("sort").notNull().default(0),
});

export const supplierItem = pgTable("supplier_item", {
  id: id(),
  companyId: ref("company_id").notNull(),
  partnerId: ref("partner_id").notNull(),
  itemId: ref("item_id").notNull(),
  supplierItemCode: text("supplier_item_code"),
  supplierItemName: text("supplier_item_name"),
  uomId: ref("uom_id").notNull(),
  price: dec("price").notNull(),
  currency: char("currency", { length: 3 }).notNull(),
  minQty: dec("min_qty").notNull(),
  leadTimeDays: integer("lead_time_days").notNull().default(0),
  validFrom: date("valid_from", { mode: "string" }),
  validTo: date("valid_to", { mode: "string" }),
  preferred: boolean("preferred").notNull().default(false),
  active: boolean("active").notNull().default(true),
  notes: text("notes"),
  version: version(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const attachment = pgTable("attachment", {
  id: id(),
  companyId: ref("company_id").notNull(),
  entity: text("entity").notNull(),
  entityId: ref("entity_id").notNull(),
  fileName: text("file_name").notNull(),
  mime: text("mime").notNull(),
  sizeBytes: ref("size_bytes").notNull(),
  sha256: char("sha256", { length: 64 }).notNull(),
  description: text("description"),
  uploadedBy: ref("uploaded_by"),
  uploadedByName: text("uploaded_by_name").notNull(),
  uploadedAt: timestamp("uploaded_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  removedAt: timestamp("removed_at", { withTimezone: true, mode: "string" }),
  removedBy: ref("removed_by"),
  removedByName: text("removed_by_name"),
});

export const importRun = pgTable("import_run", {
  id: id(),
  companyId: ref("company_id").notNull(),
  kind: text("kind").$type<"uom" | "item" | "partner" | "supplier_item" | "bom" | "opening_stock">().notNull(),
  fileName: text("file_name").notNull(),
  format: text("format").$type<"csv" | "xlsx">().notNull(),
  sha256: char("sha256", { length: 64 }).notNull(),
  status: text("status").$type<"checked" | "imported">().notNull(),
  rowCount: integer("row_count").notNull(),
  errorRowCount: integer("error_row_count").notNull(),
  rows: jsonb("rows").notNull(),
  errors: jsonb("errors").notNull(),
  mode: text("mode").$type<"all" | "good">(),
  importedCount: integer("imported_count"),
  skippedCount: integer("skipped_count"),
  createdBy: ref("created_by"),
  createdByName: text("created_by_name").notNull(),
  createdAt: createdAt(),
  importedBy: ref("imported_by"),
  importedByName: text("imported_by_name"),
  importedAt: timestamp("imported_at", { withTimezone: true, mode: "string" }),
  version: version(),
});
