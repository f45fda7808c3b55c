import { useQuery } from "@tanstack/react-query";
import { api, type Page } from "../../../api/client";

/** Shapes of /api/masterdata/{boms,routings,work-centres,…} answers. Quantities and money are decimal strings. */
export type ReleaseStatus = "draft" | "active" | "obsolete";

export interface ItemOption {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  itemType: string;
  makeOrBuy: string;
  status: string;
  baseUomId: number;
  uom: string;
  hasBom: boolean;
  hasRouting: boolean;
}

export interface UnitOption {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  isBase: boolean;
  factor: string;
}

export interface VersionRef {
  id: number;
  versionCode: string;
  status: ReleaseStatus;
  effectiveFrom: string;
  effectiveTo: string | null;
  version: number;
}

export interface BomSummaryRow {
  id: number;
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uom: string;
  versionCode: string;
  description: string | null;
  status: ReleaseStatus;
  effectiveFrom: string;
  effectiveTo: string | null;
  baseQty: string | null;
  version: number;
  updatedAt: string;
  lineCount: number;
}

export interface BomLineRow {
  id: number;
  position: number;
  componentItemId: number;
  componentCode: string;
  componentNameZh: string;
  componentNameEn: string;
  componentType: string;
  componentStatus: string;
  baseUom: string;
  qty: string | null;
  uomId: number;
  uom: string;
  scrapPct: string | null;
  phantom: boolean;
  byProduct: boolean;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  notes: string | null;
  hasBom: boolean;
}

export interface BomDetail extends Omit<BomSummaryRow, "lineCount"> {
  itemType: string;
  notes: string | null;
  activatedAt: string | null;
  activatedBy: string | null;
  obsoletedAt: string | null;
  obsoletedBy: string | null;
  createdAt: string;
  quantitiesHidden: boolean;
  lines: BomLineRow[];
  versions: VersionRef[];
}

export interface ItemBrief {
  itemId: number;
  code: string;
  nameZh: string;
  nameEn: string;
  itemType?: string;
  makeOrBuy: string;
  uom: string;
}

export interface ExplosionRow {
  level: number;
  itemId: number;
  code: string;
  parentItemId: number;
  /** The phantom this row was blown through (its parent on the BOM line). */
  phantomItemId: number | null;
  lineId: number;
  bomVersion: string;
  position: number;
  phantom: boolean;
  viaPhantom: boolean;
  byProduct: boolean;
  hasComponents: boolean;
  lineUom: string;
  notes: string | null;
  lineQty: string | null;
  baseQty: string | null;
  qtyPer: string | null;
  scrapPct: string | null;
  extendedQty: string | null;
}

export interface Total {
  itemId: number;
  code: string;
  qty: string | null;
}

export interface Explosion {
  item: ItemBrief;
  bom: { id: number; versionCode: string; status: ReleaseStatus; baseQty: string | null };
  qty: string | null;
  asOf: string;
  quantitiesHidden: boolean;
  rows: ExplosionRow[];
  requirements: Total[];
  byProducts: Total[];
  /** Names, units and types of every item in the rows, once each. */
  items: Record<number, ItemBrief>;
}

export interface WhereUsedRow extends ItemBrief {
  key: string;
  level: number;
  path: number[];
  lineId: number;
  bomId: number;
  bomVersion: string;
  phantom: boolean;
  topLevel: boolean;
  qtyPer: string | null;
  scrapPct: string | null;
  extendedQty: string | null;
}

export interface WhereUsed {
  item: ItemBrief;
  asOf: string | null;
  levels: "single" | "all";
  quantitiesHidden: boolean;
  rows: WhereUsedRow[];
}

export interface CostElements {
  material: string;
  labour: string;
  machine: string;
  overhead: string;
}

export interface CostRollup {
  item: ItemBrief;
  asOf: string;
  quantitiesHidden: boolean;
  bom: { id: number; versionCode: string } | null;
  routing: { versionCode: string } | null;
  unitCost: string;
  currentStandardCost: string;
  thisLevel: CostElements | null;
  rolledUp: CostElements | null;
  items: (ItemBrief & {
    lowLevelCode: number;
    lotSize: string;
    routingVersion: string | null;
    unitCost: string;
    currentStandardCost: string;
    thisLevel: CostElements;
    rolledUp: CostElements;
  })[];
  tree: (ItemBrief & {
    key: string;
    level: number;
    path: number[];
    manufactured: boolean;
    byProduct: boolean;
    viaPhantom: boolean;
    qtyPer: string | null;
    scrapPct: string | null;
    extendedQty: string | null;
    unitCost: string | null;
    extendedCost: string | null;
  })[];
  zeroCostComponents: string[];
}

export interface RoutingSummaryRow {
  id: number;
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  versionCode: string;
  description: string | null;
  status: ReleaseStatus;
  lotSize: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  version: number;
  updatedAt: string;
  operationCount: number;
}

export interface Alternative {
  workCentreId: number;
  code: string;
  nameZh: string;
  nameEn: string;
  priority: number;
}

export interface OperationRow {
  id: number;
  seq: number;
  nameZh: string;
  nameEn: string;
  workCentreId: number;
  workCentreCode: string;
  workCentreNameZh: string;
  workCentreNameEn: string;
  workCentreActive: boolean;
  setupMinutes: string;
  runMinutes: string;
  queueMinutes: string;
  moveMinutes: string;
  crewSize: number;
  requiredSkillId: number | null;
  requiredSkillCode: string | null;
  requiredSkillNameZh: string | null;
  requiredSkillNameEn: string | null;
  notes: string | null;
  alternatives: Alternative[];
}

export interface RoutingDetail extends Omit<RoutingSummaryRow, "operationCount"> {
  uom: string;
  notes: string | null;
  activatedAt: string | null;
  activatedBy: string | null;
  obsoletedAt: string | null;
  obsoletedBy: string | null;
  operations: OperationRow[];
  totals: { workMinutesPerLot: string; leadMinutesPerLot: string };
  versions: VersionRef[];
}

export interface Skill {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  active: boolean;
  version: number;
  workCentreCount: number;
}

export interface Workshop {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  departmentId: number | null;
  departmentCode: string | null;
  departmentNameZh: string | null;
  departmentNameEn: string | null;
  calendarId: number | null;
  calendarCode: string | null;
  calendarNameZh: string | null;
  calendarNameEn: string | null;
  active: boolean;
  version: number;
  updatedAt: string;
  lineCount: number;
  workCentreCount: number;
}

export interface ProductionLine {
  id: number;
  workshopId: number;
  workshopCode: string;
  code: string;
  nameZh: string;
  nameEn: string;
  calendarId: number | null;
  calendarCode: string | null;
  active: boolean;
  version: number;
  updatedAt: string;
  workCentreCount: number;
}

export interface CentreSkill {
  skillId: number;
  code: string;
  nameZh: string;
  nameEn: string;
  peopleCount: number;
}

export interface WorkCentre {
  id: number;
  workshopId: number;
  workshopCode: string;
  workshopNameZh: string;
  workshopNameEn: string;
  lineId: number | null;
  lineCode: string | null;
  lineNameZh: string | null;
  lineNameEn: string | null;
  code: string;
  nameZh: string;
  nameEn: string;
  calendarId: number | null;
  effectiveCalendarId: number | null;
  effectiveCalendarCode: string | null;
  machineCount: number;
  efficiencyPct: string;
  peopleCount: number;
  labourRate: string | null;
  machineRate: string | null;
  overheadRate: string | null;
  active: boolean;
  version: number;
  updatedAt: string;
  skills: CentreSkill[];
}

export interface WorkCentreDetail extends WorkCentre {
  usedBy: { id: number; itemCode: string; itemNameZh: string; itemNameEn: string; versionCode: string; status: ReleaseStatus; primary: boolean }[];
}

export interface CapacityDay {
  day: string;
  working: boolean;
  calendarMinutes: number;
  machineMinutes: string;
  labourMinutes: string;
  availableMinutes: string;
  note: string | null;
}

export interface Capacity {
  workCentreId: number;
  code: string;
  calendarId: number;
  machineCount: number;
  peopleCount: number;
  efficiencyPct: string;
  from: string;
  to: string;
  totalAvailableMinutes: string;
  days: CapacityDay[];
  skills: CentreSkill[];
}

/** Every page of a list (masters are small: a few hundred workshops, lines, centres, skills). */
async function fetchAll<T>(url: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page < 200; page++) {
    const res = await api.get<Page<T>>(url, { ...query, page, pageSize: 500 });
    all.push(...res.items);
    if (all.length >= res.total || res.items.length === 0) break;
  }
  return all;
}

export function useAllWorkshops() {
  return useQuery({ queryKey: ["masterdata", "workshops", "all"], queryFn: () => fetchAll<Workshop>("/api/masterdata/workshops", { sort: "code" }) });
}
export function useAllLines() {
  return useQuery({ queryKey: ["masterdata", "lines", "all"], queryFn: () => fetchAll<ProductionLine>("/api/masterdata/production-lines", { sort: "code" }) });
}
export function useAllWorkCentres() {
  return useQuery({ queryKey: ["masterdata", "work-centres", "all"], queryFn: () => fetchAll<WorkCentre>("/api/masterdata/work-centres", { sort: "code" }) });
}
export function useAllSkills() {
  return useQuery({ queryKey: ["masterdata", "skills", "all"], queryFn: () => fetchAll<Skill>("/api/masterdata/skills", { sort: "code" }) });
}

/** Calendars for the pickers (org module). */
export function useCalendarOptions(enabled = true) {
  return useQuery({
    queryKey: ["org", "calendars", "options"],
    queryFn: () => fetchAll<{ id: number; code: string; nameZh: string; nameEn: string; isDefault: boolean }>("/api/org/calendars", { sort: "code" }),
    enabled,
    staleTime: 60_000,
  });
}
