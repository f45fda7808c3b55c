import { Decimal } from "decimal.js";
import type { SQL } from "drizzle-orm";
import { type Actor, can } from "../../platform/actor.ts";
import { type Executor, one, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { warehouseFilter } from "../../platform/scope.ts";
import { P } from "./permissions.ts";

/** Quantities: 6 decimals as stored (numeric(18, 6)); arithmetic in decimal.js, never JS numbers. */
export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });
export type D = InstanceType<typeof D>;
export const dec = (v: Decimal.Value | null | undefined): D => new D(v ?? 0);
/** A decimal as the API sends it: plain notation, no exponent, trailing zeros dropped. */
export const fmt = (v: Decimal.Value): string => new D(v).toFixed();

export const STOCK_KINDS = ["internal", "receiving", "quality_hold", "transit"] as const;
export const isStockKind = (kind: string) => (STOCK_KINDS as readonly string[]).includes(kind);

export function requireCompany(actor: Actor): number {
  if (!actor.companyId) throw errors.rule("no_company", "org.error.no_company");
  return actor.companyId;
}

/** Who acts, as stored on documents: the user's id (null for system actors) and a readable name. */
export function actorRef(actor: Actor): { id: number | null; name: string } {
  return { id: actor.kind === "user" ? actor.id : null, name: actor.name };
}

/**
 * A bigint list parameter (drizzle would spread a JS array into separate parameters), as one int8[]
 * literal: the planner sees how many ids there are and looks each up by its index.
 */
export function idList(ids: Iterable<number>): SQL {
  return sql`(select unnest(${`{${[...new Set(ids)].map((id) => Math.trunc(Number(id))).join(",")}}`}::int8[]))`;
}

export interface ItemRow {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  itemType: string;
  status: "active" | "blocked" | "obsolete";
  tracking: "none" | "lot" | "serial";
  shelfLifeDays: number | null;
  valuationMethod: "moving_average" | "fifo" | "standard";
  standardCost: string;
  allowNegativeStock: boolean;
  uomCode: string;
}

export interface LocationRow {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  kind: string;
  warehouseId: number | null;
  warehouseCode: string | null;
  allowNegativeStock: boolean;
  active: boolean;
}

const ITEM_JSON = sql`json_build_object('id', i.id, 'code', i.code, 'nameZh', i.name_zh, 'nameEn', i.name_en, 'itemType', i.item_type,
  'status', i.status, 'tracking', i.tracking, 'shelfLifeDays', i.shelf_life_days, 'valuationMethod', i.valuation_method,
  'standardCost', i.standard_cost::text, 'allowNegativeStock', i.allow_negative_stock, 'uomCode', u.code)`;
const LOCATION_JSON = sql`json_build_object('id', l.id, 'code', l.code, 'nameZh', l.name_zh, 'nameEn', l.name_en, 'kind', l.kind,
  'warehouseId', l.warehouse_id, 'warehouseCode', w.code, 'allowNegativeStock', l.allow_negative_stock, 'active', l.active)`;

const parseJson = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;

/**
 * The items, locations, default locations of a kind and today's date a command needs, read in one
 * round trip and kept for the rest of the command (each round trip costs more than the query).
 */
export class MasterData {
  readonly items = new Map<number, ItemRow>();
  readonly locations = new Map<number, LocationRow>();
  /** By kind (the company's) and by `kind@warehouse` (a warehouse's own), loaded together per kind. */
  private readonly defaults = new Map<string, LocationRow | null>();
  today: string | null = null;

  constructor(
    private readonly db: Executor,
    readonly companyId: number,
  ) {}

  async load(want: { items?: Iterable<number>; locations?: Iterable<number>; defaultKinds?: Iterable<string>; today?: boolean }): Promise<this> {
    const items = [...new Set(want.items ?? [])].filter((id) => !this.items.has(id));
    const locations = [...new Set(want.locations ?? [])].filter((id) => !this.locations.has(id));
    const kinds = [...new Set(want.defaultKinds ?? [])].filter((k) => !this.defaults.has(k));
    const today = want.today === true && this.today === null;
    if (!items.length && !locations.length && !kinds.length && !today) return this;
    const none = sql`'[]'::json`;
    const r = await one<{ today: string | null; items: unknown; locations: unknown; defaults: unknown; warehouseDefaults: unknown }>(
      this.db,
      sql`select
          ${today ? sql`(select to_char((now() at time zone coalesce(c.timezone, 'Asia/Shanghai'))::date, 'YYYY-MM-DD') from company c where c.id = ${this.companyId})` : sql`null::text`} as today,
          ${items.length ? sql`(select coalesce(json_agg(${ITEM_JSON}), '[]'::json) from item i join uom u on u.id = i.base_uom_id where i.company_id = ${this.companyId} and i.id in ${idList(items)})` : none} as items,
          ${locations.length ? sql`(select coalesce(json_agg(${LOCATION_JSON}), '[]'::json) from location l left join warehouse w on w.id = l.warehouse_id where l.company_id = ${this.companyId} and l.id in ${idList(locations)})` : none} as locations,
          ${
            kinds.length
              ? sql`(select coalesce(json_agg(${LOCATION_JSON}), '[]'::json) from (select distinct on (kind) * from location
                  where company_id = ${this.companyId} and active and kind in (select jsonb_array_elements_text(${JSON.stringify(kinds)}::jsonb))
                  order by kind, is_default desc, id) l left join warehouse w on w.id = l.warehouse_id)`
              : none
          } as defaults,
          ${
            kinds.length
              ? sql`(select coalesce(json_agg(${LOCATION_JSON}), '[]'::json) from (select distinct on (kind, warehouse_id) * from location
                  where company_id = ${this.companyId} and active and warehouse_id is not null
                    and kind in (select jsonb_array_elements_text(${JSON.stringify(kinds)}::jsonb))
                  order by kind, warehouse_id, is_default desc, id) l left join warehouse w on w.id = l.warehouse_id)`
              : none
          } as "warehouseDefaults"`,
    );
    if (today) this.today = r!.today;
    for (const it of parseJson<ItemRow[]>(r!.items)) this.items.set(it.id, it);
    for (const l of parseJson<LocationRow[]>(r!.locations)) this.locations.set(l.id, l);
    for (const k of kinds) this.defaults.set(k, null);
    for (const l of parseJson<LocationRow[]>(r!.defaults)) {
      this.defaults.set(l.kind, l);
      this.locations.set(l.id, l);
    }
    // Each warehouse's own location of these kinds came along (a few rows), so defaultLocation(kind,
    // warehouse) needs no round trip of its own.
    for (const l of parseJson<LocationRow[]>(r!.warehouseDefaults)) {
      this.defaults.set(`${l.kind}@${l.warehouseId}`, l);
      this.locations.set(l.id, l);
    }
    return this;
  }

  /**
   * The company's location of a kind when a document does not name one: the one marked default, else the
   * oldest active one; with a warehouse, that warehouse's own (its production line, its scrap area) first.
   */
  async defaultLocation(kind: string, warehouseId?: number | null): Promise<LocationRow | undefined> {
    await this.load({ defaultKinds: [kind] });
    if (warehouseId) {
      const own = this.defaults.get(`${kind}@${warehouseId}`);
      if (own) return own;
    }
    return this.defaults.get(kind) ?? undefined;
  }

  /** Today in the company's time zone, and a posting date checked against it (no future, ≤ 1 year back). */
  async postingDate(postingDate: string | undefined | null, field = "/postingDate"): Promise<string> {
    await this.load({ today: true });
    return checkDate(this.today!, postingDate ?? undefined, field);
  }
}

export async function loadItems(db: Executor, companyId: number, ids: Iterable<number>): Promise<Map<number, ItemRow>> {
  return (await new MasterData(db, companyId).load({ items: ids })).items;
}

export async function loadLocations(db: Executor, companyId: number, ids: Iterable<number>): Promise<Map<number, LocationRow>> {
  return (await new MasterData(db, companyId).load({ locations: ids })).locations;
}

export async function defaultLocation(db: Executor, companyId: number, kind: string): Promise<LocationRow | undefined> {
  return new MasterData(db, companyId).defaultLocation(kind);
}

/** Today in the company's time zone, and the posting date checked against it (no future, ≤ 1 year back). */
export async function checkPostingDate(db: Executor, companyId: number, postingDate: string | undefined, field = "/postingDate"): Promise<string> {
  return new MasterData(db, companyId).postingDate(postingDate, field);
}

function checkDate(today: string, postingDate: string | undefined, field: string): string {
  if (!postingDate) return today;
  if (postingDate > today) throw errors.field(field, "maximum", "inventory.error.posting_date_future", { today });
  const oldest = new Date(Date.parse(`${today}T00:00:00Z`) - 366 * 86_400_000).toISOString().slice(0, 10);
  if (postingDate < oldest) throw errors.field(field, "minimum", "inventory.error.posting_date_old", { oldest });
  return postingDate;
}

const PREFIX = { receipt: "GR", issue: "GI", transfer: "TR", count: "PI" } as const;

/** The number of a new document, drawn inside its INSERT (no extra round trip): GR-2026-000042. */
export function numberSql(kind: keyof typeof PREFIX, date: string): SQL {
  const prefix = PREFIX[kind];
  return sql`${`${prefix}-${date.slice(0, 4)}-`} || lpad(nextval(${`stock_no_${prefix.toLowerCase()}`}::regclass)::text, 6, '0')`;
}

/** GR-2026-000042: series per document kind, year of the posting date. */
export async function nextNumber(db: Executor, kind: keyof typeof PREFIX, date: string): Promise<string> {
  const prefix = PREFIX[kind];
  const r = await one<{ n: number }>(db, sql.raw(`select nextval('stock_no_${prefix.toLowerCase()}')::int8 as n`));
  return `${prefix}-${date.slice(0, 4)}-${String(r!.n).padStart(6, "0")}`;
}

/**
 * Where a reader sees unit costs and values: `false` nowhere (no inventory.value.read), `null` in every
 * warehouse, else only in these — a value permission held for one warehouse shows that warehouse's values,
 * however wide the reader's stock permission.
 */
export type ValueSight = readonly number[] | null | false;
export const valueSight = (actor: Actor): ValueSight => (can(actor, P.valueRead) ? warehouseFilter(actor, P.valueRead) : false);

/** Keeps what a caller may see: unit costs and values only with inventory.value.read. */
export function stripValues<T extends Record<string, unknown>>(row: T, showValue: boolean, keys: readonly string[] = VALUE_KEYS): T {
  if (showValue) return row;
  const out: Record<string, unknown> = { ...row };
  for (const k of keys) delete out[k];
  return out as T;
}
export const VALUE_KEYS = ["unitCost", "value", "adjustment", "variance", "valueIn", "valueOut", "totalValue", "varianceValue"] as const;
