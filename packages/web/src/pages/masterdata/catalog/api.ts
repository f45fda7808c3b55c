import { useQuery } from "@tanstack/react-query";
import { ApiError, api, type Page, type Problem, uuid } from "../../../api/client";
import { getLang } from "../../../i18n/core";

/** Shapes of /api/masterdata/{uoms,items,warehouses,locations,partners,…}. Quantities and money are decimal strings. */
export const MD = "/api/masterdata";

export interface UomCategory {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  active: boolean;
  version: number;
  unitCount: number;
  referenceCode: string | null;
}

export interface Uom {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  categoryId: number;
  categoryCode: string;
  categoryNameZh: string;
  categoryNameEn: string;
  ratio: string;
  rounding: string;
  isReference: boolean;
  active: boolean;
  version: number;
  itemCount: number;
}

export type ItemType = "raw" | "semi" | "finished" | "consumable" | "service";
export type LotSizeRule = "lot-for-lot" | "fixed" | "multiple" | "min-max-multiple" | "periods-of-supply" | "eoq";
export type ItemStatus = "active" | "blocked" | "obsolete";

export interface ItemRow {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  spec: string | null;
  description: string | null;
  itemType: ItemType;
  baseUomId: number;
  baseUomCode: string;
  baseUomRounding: string;
  purchaseUomId: number | null;
  purchaseUomCode: string | null;
  salesUomId: number | null;
  salesUomCode: string | null;
  makeOrBuy: "make" | "buy";
  leadTimeDays: number;
  safetyStock: string;
  lotSizeRule: LotSizeRule;
  lotSizeQty: string | null;
  lotSizeMin: string | null;
  lotSizeMax: string | null;
  lotSizeMultiple: string | null;
  lotSizePeriods: number | null;
  tracking: "none" | "lot" | "serial";
  shelfLifeDays: number | null;
  valuationMethod: "moving_average" | "fifo" | "standard";
  abcClass: "A" | "B" | "C" | null;
  status: ItemStatus;
  barcode: string | null;
  allowNegativeStock: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Only with masterdata.item.cost.read. */
  standardCost?: string;
  lotSizeSetupCost?: string | null;
  lotSizeHoldingCost?: string | null;
}

export interface AltUnit {
  uomId: number;
  code: string;
  nameZh: string;
  nameEn: string;
  factor: string;
  sameCategory: boolean;
  rounding: string;
}

export interface ItemDetail extends ItemRow {
  alternativeUnits: AltUnit[];
  attachmentCount: number;
  supplierItemCount: number;
  costVisible: boolean;
}

export interface Warehouse {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  departmentId: number | null;
  departmentCode: string | null;
  departmentNameZh: string | null;
  departmentNameEn: string | null;
  address: string | null;
  active: boolean;
  version: number;
  locationCount: number;
}

export type LocationKind = "internal" | "receiving" | "quality_hold" | "production" | "scrap" | "supplier" | "customer" | "adjustment" | "transit";
export const LOCATION_KINDS: LocationKind[] = ["internal", "receiving", "quality_hold", "production", "scrap", "supplier", "customer", "adjustment", "transit"];
export const VIRTUAL_KINDS: LocationKind[] = ["supplier", "customer", "adjustment", "transit"];

export interface Location {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  kind: LocationKind;
  warehouseId: number | null;
  warehouseCode: string | null;
  parentId: number | null;
  parentCode: string | null;
  allowNegativeStock: boolean;
  isDefault: boolean;
  active: boolean;
  version: number;
}

export interface PaymentTerm {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  basis: "invoice" | "end_of_month" | "prepayment";
  daysNet: number;
  discountDays: number | null;
  discountPercent: string | null;
  active: boolean;
  version: number;
  partnerCount: number;
}

export interface PartnerRow {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  shortName: string | null;
  isCustomer: boolean;
  isSupplier: boolean;
  taxId: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  currency: string;
  paymentTermId: number | null;
  paymentTermCode: string | null;
  paymentTermNameZh: string | null;
  paymentTermNameEn: string | null;
  creditLimit: string | null;
  notes: string | null;
  status: "active" | "blocked";
  version: number;
  updatedAt: string;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  province: string | null;
  city: string | null;
  district: string | null;
  street: string | null;
  postcode: string | null;
}

export interface Contact {
  id?: number;
  name: string;
  title?: string | null;
  phone?: string | null;
  mobile?: string | null;
  email?: string | null;
  isPrimary?: boolean;
}

export type AddressKind = "billing" | "shipping" | "office" | "other";

export interface Address {
  id?: number;
  kind: AddressKind;
  country?: string;
  province?: string | null;
  city?: string | null;
  district?: string | null;
  street: string;
  postcode?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  isDefault?: boolean;
}

export interface Bank {
  id?: number;
  bankName: string;
  branch?: string | null;
  accountName: string;
  accountNo: string;
  swift?: string | null;
  currency?: string;
  isDefault?: boolean;
}

export interface PartnerDetail extends PartnerRow {
  contacts: Contact[];
  addresses: Address[];
  banks: Bank[] | null;
  bankVisible: boolean;
  supplierItemCount: number;
  attachmentCount: number;
}

export interface SupplierItem {
  id: number;
  partnerId: number;
  partnerCode: string;
  partnerNameZh: string;
  partnerNameEn: string;
  partnerStatus: string;
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  itemStatus: string;
  supplierItemCode: string | null;
  supplierItemName: string | null;
  uomId: number;
  uomCode: string;
  currency: string;
  minQty: string;
  leadTimeDays: number;
  validFrom: string | null;
  validTo: string | null;
  preferred: boolean;
  active: boolean;
  notes: string | null;
  version: number;
  validNow: boolean;
  /** Only with masterdata.supplier_item.price.read. */
  price?: string;
}

export interface Attachment {
  id: number;
  entity: string;
  entityId: number;
  fileName: string;
  mime: string;
  sizeBytes: number;
  sha256: string;
  description: string | null;
  uploadedByName: string;
  uploadedAt: string;
}

export type ImportKind = "uom" | "item" | "partner" | "supplier_item" | "bom" | "opening_stock";

export interface ImportError {
  line: number;
  field: string;
  column: string;
  value: string;
  rule: string;
  message: string;
}

export interface ImportRun {
  id: number;
  kind: ImportKind;
  fileName: string;
  format: "csv" | "xlsx";
  status: "checked" | "imported";
  rowCount: number;
  errorRowCount: number;
  goodRowCount: number;
  fileErrorCount: number;
  mode: "all" | "good" | null;
  importedCount: number | null;
  skippedCount: number | null;
  createdByName: string;
  createdAt: string;
  importedByName: string | null;
  importedAt: string | null;
  errors: ImportError[];
}

export type ImportRunRow = Omit<ImportRun, "errors" | "goodRowCount" | "fileErrorCount">;

/** Every page of a list (pickers, trees): small master-data lists only. */
export async function fetchAll<T>(url: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page < 200; page++) {
    const res = await api.get<Page<T>>(url, { ...query, page, pageSize: 500 });
    all.push(...res.items);
    if (all.length >= res.total || res.items.length === 0) break;
  }
  return all;
}

export function useUomCategories(enabled = true) {
  return useQuery({ queryKey: ["md", "uom-categories"], queryFn: () => api.get<UomCategory[]>(`${MD}/uom-categories`), enabled, staleTime: 30_000 });
}

export function useAllUoms(enabled = true) {
  return useQuery({ queryKey: ["md", "uoms", "all"], queryFn: () => fetchAll<Uom>(`${MD}/uoms`, { sort: "category,ratio" }), enabled, staleTime: 30_000 });
}

export function useAllWarehouses(enabled = true) {
  return useQuery({ queryKey: ["md", "warehouses", "all"], queryFn: () => fetchAll<Warehouse>(`${MD}/warehouses`, { sort: "code" }), enabled });
}

export function usePaymentTerms(enabled = true) {
  return useQuery({ queryKey: ["md", "payment-terms", "all"], queryFn: () => fetchAll<PaymentTerm>(`${MD}/payment-terms`, { sort: "code" }), enabled, staleTime: 30_000 });
}

async function failure(res: Response, path: string): Promise<ApiError> {
  let p: Partial<Problem> = {};
  try {
    p = JSON.parse(await res.text());
  } catch {
    // not problem+json
  }
  return new ApiError(
    {
      status: res.status,
      code: typeof p.code === "string" ? p.code : `http_${res.status}`,
      detail: typeof p.detail === "string" ? p.detail : res.statusText,
      errors: Array.isArray(p.errors) ? p.errors : [],
    },
    path,
  );
}

/**
 * Downloads a file answer (exports, templates, attachments) and hands it to the browser as a download.
 * Errors come back as ApiError like every other call (a 403 shows a message, not a JSON page).
 */
export async function downloadFile(path: string, query: Record<string, string | number | boolean | null | undefined> = {}): Promise<{ fileName: string; rows: number | null }> {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") sp.set(k, String(v));
  const url = sp.toString() ? `${path}?${sp}` : path;
  let res: Response;
  try {
    res = await fetch(url, { headers: { "Accept-Language": getLang() }, credentials: "same-origin" });
  } catch {
    throw new ApiError({ status: 0, code: "network_error", detail: "" }, path);
  }
  if (!res.ok) throw await failure(res, path);
  const blob = await res.blob();
  const cd = res.headers.get("content-disposition") ?? "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const plain = /filename="([^"]+)"/i.exec(cd);
  const fileName = star ? decodeURIComponent(star[1]) : (plain?.[1] ?? "download");
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  const rows = res.headers.get("x-export-rows");
  return { fileName, rows: rows === null ? null : Number(rows) };
}

/** POSTs a multipart form (uploads) with the session's CSRF token; answers JSON or throws ApiError. */
export async function postForm<T>(path: string, fields: Record<string, string>, file: File | Blob, fileName: string, csrf: string): Promise<T> {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  body.append("file", file, fileName);
  let res: Response;
  try {
    res = await fetch(path, {
      method: "POST",
      headers: { Accept: "application/json", "Accept-Language": getLang(), "x-csrf-token": csrf, "Idempotency-Key": uuid() },
      body,
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError({ status: 0, code: "network_error", detail: "" }, path);
  }
  if (!res.ok) throw await failure(res, path);
  return (await res.json()) as T;
}

/** Decimal strings the way the API wants them: digits, optional point and up to `decimals` places. */
export function decimalRule(decimals = 6) {
  return new RegExp(`^\\d{1,12}(\\.\\d{1,${decimals}})?$`);
}
