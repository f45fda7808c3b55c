export interface Bucket {
  period: number;
  label: string;
  start: string;
  end: string;
}

export interface MpsItem {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  uomCode: string;
  forecast: string[];
  orders: string[];
  consumed: string[];
  demand: string[];
}

export interface Mps {
  bucket: "day" | "week";
  startDate: string;
  buckets: Bucket[];
  items: MpsItem[];
}

export interface Version {
  id: number;
  code: string;
  name: string;
  kind: "regenerative" | "what_if";
  baseVersionId: number | null;
  baseCode: string | null;
  status: "queued" | "running" | "done" | "failed";
  bucket: "day" | "week";
  periods: number;
  startDate: string;
  inputsAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  itemCount: number | null;
  bomLineCount: number | null;
  demandCount: number | null;
  receiptCount: number | null;
  orderCount: number | null;
  exceptionCount: number | null;
  error: string | null;
  buckets?: Bucket[];
  jobStatus?: string | null;
  jobProgress?: { phase?: string; percent?: number } | null;
}

export interface ItemInfo {
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uomCode: string;
  itemGroup: string;
  plannerId: number | null;
  plannerName: string | null;
}

export interface VersionItem extends ItemInfo {
  lowLevelCode: number;
  makeOrBuy: "make" | "buy";
  leadTime: number;
  onHand: string;
  safetyStock: string;
  exceptionCount: number;
  maxSeverity: number;
  orderCount: number;
  plannedQty: string;
  grossQty: string;
}

export interface PlanOrder extends Partial<ItemInfo> {
  seq: number;
  orderKey: string;
  kind: "make" | "buy";
  releasePeriod: number;
  receiptPeriod: number;
  releaseDate: string;
  dueDate: string;
  quantity: string;
  releaseQuantity: string;
  status: "planned" | "firm" | "converted";
  convertedType: string | null;
  convertedId: number | null;
}

export interface PlanException extends ItemInfo {
  seq: number;
  type: string;
  severity: number;
  period: number;
  quantity: string;
  rescheduleTo: number | null;
  releasePeriod: number | null;
}

export interface ItemRecord extends ItemInfo {
  lowLevelCode: number;
  makeOrBuy: "make" | "buy";
  leadTime: number;
  leadTimeDays: number;
  onHand: string;
  allocated: string;
  safetyStock: string;
  gross: string[];
  scheduled: string[];
  projected: string[];
  net: string[];
  plannedReceipts: string[];
  plannedReleases: string[];
  buckets: Bucket[];
  orders: PlanOrder[];
  exceptions: { type: string; severity: number; period: number; quantity: string; rescheduleTo: number | null }[];
  demand: { period: number; dueDate: string; quantity: string; ref: string; source: string; label: string | null }[];
}

export interface PegNode {
  kind: "demand" | "order" | "safety_stock" | "lot_size_excess" | "allocated";
  qty: string;
  ref?: string;
  label?: string | null;
  source?: string;
  orderKey?: string;
  itemId?: number;
  orderQty?: string;
  releasePeriod?: number;
  receiptPeriod?: number;
  children?: PegNode[];
}

export interface Pegging {
  orderKey: string;
  tree: PegNode;
  demand: { ref: string; qty: string; label: string | null; source: string | null }[];
  items: Record<string, { id: number; code: string; nameZh: string; nameEn: string }>;
  buckets: Bucket[];
}

export const SEVERITY_COLOR: Record<number, string> = { 3: "red", 2: "orange", 1: "blue", 0: "default" };
