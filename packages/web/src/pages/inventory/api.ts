import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";

/** Shapes of /api/inventory answers. Quantities and money are decimal strings. */

export type DocType = "receipt" | "issue" | "transfer";
export type DocState = "draft" | "posted" | "reversed" | "cancelled";
export const DOC_PATH: Record<DocType, string> = { receipt: "receipts", issue: "issues", transfer: "transfers" };
export const STOCK_KINDS = ["internal", "receiving", "quality_hold", "transit"];

export interface ItemOption {
  id: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uom: string;
  tracking: "none" | "lot" | "serial";
  barcode: string | null;
  shelfLifeDays: number | null;
}

export interface LocationOption {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  kind: string;
  warehouseId: number | null;
  warehouseCode: string | null;
  warehouseNameZh: string | null;
  warehouseNameEn: string | null;
  isDefault: boolean;
}

export interface WarehouseOption {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface PartnerOption {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface StockRow {
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uom: string;
  tracking: string;
  warehouseId: number | null;
  warehouseCode: string | null;
  locationId: number | null;
  locationCode: string | null;
  locationNameZh: string | null;
  locationNameEn: string | null;
  lotId: number | null;
  lotNo: string | null;
  expiryDate: string | null;
  onHand: string;
  reserved: string;
  available: string;
  incoming: string;
  unitCost?: string | null;
  value?: string | null;
}

export interface MoveRow {
  id: number;
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uom: string;
  lotId: number | null;
  lotNo: string | null;
  quantity: string;
  fromLocationId: number;
  fromLocationCode: string;
  fromKind: string;
  toLocationId: number;
  toLocationCode: string;
  toKind: string;
  moveType: string;
  docType: DocType | "count";
  docId: number;
  docLine: number;
  docNumber: string | null;
  productionRef: string | null;
  unitCost?: string;
  value?: string;
  reversalOf: number | null;
  reversedBy: number | null;
  returnOf: number | null;
  postingDate: string;
  postedAt: string;
  postedByName: string | null;
}

export interface DocListRow {
  id: number;
  docType: DocType;
  number: string;
  state: DocState;
  postingDate: string | null;
  partnerCode: string | null;
  partnerNameZh: string | null;
  partnerNameEn: string | null;
  reference: string | null;
  productionRef: string | null;
  hasReturns: boolean;
  reversalOf: number | null;
  reversedBy: number | null;
  lineCount: number;
  totalQty: string | null;
  totalValue?: string | null;
  createdByName: string;
  createdAt: string;
  postedByName: string | null;
  postedAt: string | null;
  version: number;
}

export interface DocLine {
  id: number;
  lineNo: number;
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uom: string;
  tracking: "none" | "lot" | "serial";
  quantity: string;
  fromLocationId: number;
  fromLocationCode: string;
  fromKind: string;
  toLocationId: number;
  toLocationCode: string;
  toKind: string;
  lotId: number | null;
  lotNo: string | null;
  expiryDate: string | null;
  supplierLot: string | null;
  unitCost?: string | null;
  value?: string | null;
  productionRef: string | null;
  returnOfMoveId: number | null;
  note: string | null;
  moveId: number | null;
}

export interface DocDetail {
  id: number;
  docType: DocType;
  number: string;
  state: DocState;
  postingDate: string | null;
  partnerId: number | null;
  partnerCode: string | null;
  partnerNameZh: string | null;
  partnerNameEn: string | null;
  reference: string | null;
  orderRefType: string | null;
  orderRefId: string | null;
  productionRef: string | null;
  fromLocationId: number | null;
  fromLocationCode: string | null;
  toLocationId: number | null;
  toLocationCode: string | null;
  note: string | null;
  reversalOf: number | null;
  reversalOfNumber: string | null;
  reversedBy: number | null;
  reversedByNumber: string | null;
  reversalReason: string | null;
  createdByName: string;
  createdAt: string;
  postedByName: string | null;
  postedAt: string | null;
  version: number;
  totalValue?: string;
  lines: DocLine[];
}

export interface LotSuggestion {
  lotId: number | null;
  lotNo: string | null;
  expiryDate: string | null;
  locationId: number;
  locationCode: string;
  available: string;
  take?: string;
}

export interface ItemStock {
  item: ItemOption & { valuationMethod: string };
  lines: {
    locationId: number;
    locationCode: string;
    locationNameZh: string;
    locationNameEn: string;
    warehouseCode: string | null;
    lotId: number | null;
    lotNo: string | null;
    expiryDate: string | null;
    onHand: string;
    reserved: string;
    available: string;
  }[];
  valuations: { warehouseId: number | null; warehouseCode: string | null; method: string; quantity: string; value: string; unitCost: string | null }[];
}

export function useWarehouses() {
  return useQuery({ queryKey: ["inventory", "warehouses"], queryFn: () => api.get<WarehouseOption[]>("/api/inventory/lookup/warehouses"), staleTime: 60_000 });
}

export function useLocations(kinds?: string[]) {
  const k = kinds?.join(",");
  return useQuery({
    queryKey: ["inventory", "locations", k ?? "all"],
    queryFn: () => api.get<LocationOption[]>("/api/inventory/lookup/locations", { kinds: k }),
    staleTime: 60_000,
  });
}

export function useItemStock(itemId: number | null | undefined) {
  return useQuery({
    queryKey: ["inventory", "item-stock", itemId],
    queryFn: () => api.get<ItemStock>(`/api/inventory/items/${itemId}/stock`),
    enabled: !!itemId,
  });
}

/** Decimal strings compared without floats: sign of a − b. */
export function cmpDecimal(a: string, b: string): number {
  const norm = (s: string) => {
    const neg = s.startsWith("-");
    const [i, f = ""] = s.replace("-", "").split(".");
    return { neg, i: i.replace(/^0+(?=\d)/, ""), f };
  };
  const x = norm(a);
  const y = norm(b);
  const isZero = (n: { i: string; f: string }) => /^0*$/.test(n.i) && /^0*$/.test(n.f);
  if (isZero(x) && isZero(y)) return 0;
  if (x.neg !== y.neg) return x.neg ? -1 : 1;
  const sign = x.neg ? -1 : 1;
  if (x.i.length !== y.i.length) return (x.i.length > y.i.length ? 1 : -1) * sign;
  if (x.i !== y.i) return (x.i > y.i ? 1 : -1) * sign;
  const len = Math.max(x.f.length, y.f.length);
  const fx = x.f.padEnd(len, "0");
  const fy = y.f.padEnd(len, "0");
  return fx === fy ? 0 : (fx > fy ? 1 : -1) * sign;
}
