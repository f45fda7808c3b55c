import { Decimal } from "decimal.js";
import type { Actor } from "../../../platform/actor.ts";
import { type Executor, rows, sql } from "../../../platform/db/database.ts";
import { AppError, type FieldError, errors } from "../../../platform/errors.ts";
import { DecimalString, type Static, StrictObject, type TSchema, Type } from "../../../platform/validation.ts";

/** Engineering arithmetic: exact for everything a BOM holds; divisions (unit ratios) keep 40 digits. */
export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });
export type D = InstanceType<typeof D>;

export const Code = Type.String({ pattern: "^[A-Z0-9][A-Z0-9_-]{0,31}$", description: "upper-case letters, digits, _ or -" });
export const Name = Type.String({ minLength: 1, maxLength: 200 });
export const Id = Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 });
export const Version = Type.Integer({ minimum: 1 });
export const IsoDate = Type.String({ format: "date", description: "YYYY-MM-DD" });
export const VersionCode = Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$", description: "e.g. V1, 2026.1" });
/**
 * A non-negative decimal string that fits its NUMERIC(p, s) column: never rounded or overflowing in the
 * database, so what was validated is what is stored.
 */
export const Numeric = (integerDigits: number, scale: number, description: string) =>
  Type.String({ pattern: `^\\d{1,${integerDigits}}(\\.\\d{1,${scale}})?$`, description, examples: ["1.5"] });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export { DecimalString, type Static, StrictObject, Type };

export function requireCompany(actor: Actor): number {
  if (!actor.companyId) throw errors.rule("no_company", "masterdata.error.no_company");
  return actor.companyId;
}

/** Throws one 400 listing every field problem found (the user fixes them all at once). */
export function throwFields(fields: FieldError[]): void {
  if (fields.length > 0) throw errors.validation(fields);
}

/** A JSON array parameter usable as `x in (select … from jsonb_array_elements_text(…))`, the same on both drivers. */
export function idList(ids: Iterable<number>) {
  return sql`(select (jsonb_array_elements_text(${JSON.stringify([...new Set(ids)])}::jsonb))::int8)`;
}

/**
 * Serialises writes that change the released structure of a company (BOM or routing activations):
 * two activations that would each close half of a cycle cannot pass their checks side by side.
 */
export async function lockStructure(tx: Executor, companyId: number, kind: "bom" | "routing"): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`kaiwu.masterdata.${kind}`}), ${companyId}::int)`);
}

/** The database's exclusion constraint answered 23P01: the caller turns it into its own 422. */
export function isExclusionViolation(e: unknown, constraint: string): boolean {
  for (let err = e as { code?: string; constraint?: string; cause?: unknown } | undefined; err; err = err.cause as typeof err) {
    if (err.code === "23P01" && (!err.constraint || err.constraint === constraint)) return true;
  }
  return false;
}

export interface ItemInfo {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  itemType: string;
  makeOrBuy: string;
  status: string;
  baseUomId: number;
  baseUomCode: string;
  baseUomCategoryId: number;
  baseUomRatio: string;
}

const itemColumns = sql`i.id, i.code, i.name_zh as "nameZh", i.name_en as "nameEn", i.item_type as "itemType",
  i.make_or_buy as "makeOrBuy", i.status, i.base_uom_id as "baseUomId", u.code as "baseUomCode",
  u.category_id as "baseUomCategoryId", u.ratio::text as "baseUomRatio"`;

/** Items of the company by id, in one query. */
export async function loadItems(db: Executor, companyId: number, ids: Iterable<number>): Promise<Map<number, ItemInfo>> {
  const list = [...new Set(ids)];
  if (list.length === 0) return new Map();
  const found = await rows<ItemInfo>(
    db,
    sql`select ${itemColumns} from item i join uom u on u.id = i.base_uom_id
        where i.company_id = ${companyId} and i.id in ${idList(list)}`,
  );
  return new Map(found.map((i) => [i.id, i]));
}

/** One item, or a 400 naming `field`. */
export async function requireItem(db: Executor, companyId: number, id: number, field: string): Promise<ItemInfo> {
  const item = (await loadItems(db, companyId, [id])).get(id);
  if (!item) throw errors.field(field, "exists", "masterdata.error.no_such_item");
  return item;
}

export async function requireRow(db: Executor, table: "department" | "work_calendar" | "workshop" | "skill", companyId: number, id: number, field: string) {
  const key = {
    department: "masterdata.error.no_such_department",
    work_calendar: "masterdata.error.no_such_calendar",
    workshop: "masterdata.error.no_such_workshop",
    skill: "masterdata.error.no_such_skill",
  }[table];
  const found = await rows(db, sql`select 1 from ${sql.identifier(table)} where id = ${id} and company_id = ${companyId}`);
  if (found.length === 0) throw errors.field(field, "exists", key);
}

/** Decimal helpers for validated decimal strings. */
export function dec(text: string): D {
  return new D(text);
}

/** Exact text without exponent or trailing zeros ("2.500000" → "2.5"). */
export function plain(value: D): string {
  return value.isZero() ? "0" : value.toFixed();
}

/** Rounded to `dp` places for display and JSON (quantities 6, costs 6, capacity minutes 2). */
export function fixed(value: D, dp: number): string {
  return value.toDecimalPlaces(dp, Decimal.ROUND_HALF_UP).toFixed(dp);
}

/** A 422 that also points at the field responsible (the row of a lines table). */
export function ruleAt(code: string, messageKey: string, params: Record<string, unknown>, field?: FieldError): AppError {
  return new AppError(422, code, messageKey, params, field ? [field] : []);
}

/** Today's date in the company's time zone (effective dates are calendar days of the plant). */
export async function companyToday(db: Executor, companyId: number): Promise<string> {
  const [r] = await rows<{ d: string }>(
    db,
    sql`select to_char((now() at time zone coalesce((select timezone from company where id = ${companyId}), 'UTC'))::date, 'YYYY-MM-DD') as d`,
  );
  return r.d;
}

export const ReleaseAction = StrictObject({ id: Id, version: Version });
