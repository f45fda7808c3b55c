import { Decimal } from "decimal.js";
import { type Actor, can } from "../../../platform/actor.ts";
import { type Executor, one, rows, sql } from "../../../platform/db/database.ts";
import { type FieldError, errors } from "../../../platform/errors.ts";
import type { TLiteral, TUnion } from "typebox";
import { Type } from "../../../platform/validation.ts";

type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K]> };

/** One of fixed string values (a validation error lists the allowed ones). */
export function oneOf<const T extends readonly string[]>(values: T): TUnion<Literals<T>> {
  return Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<Literals<T>>;
}

/** Input schemas shared by the catalog's commands (and reused by its import). */
export const S = {
  Id: Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 }),
  Version: Type.Integer({ minimum: 1 }),
  /** Codes of warehouses, partners, categories, payment terms. */
  Code: Type.String({ pattern: "^[A-Z0-9][A-Z0-9_-]{0,31}$", description: "upper-case letters, digits, _ or -" }),
  ItemCode: Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$", description: "letters, digits, _ . or -" }),
  UomCode: Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$", description: "letters, digits, _ . or -" }),
  LocationCode: Type.String({ pattern: "^[A-Z0-9][A-Z0-9_./-]{0,39}$", description: "upper-case letters, digits, _ . / or -" }),
  Name: Type.String({ minLength: 1, maxLength: 200 }),
  ShortName: Type.String({ minLength: 1, maxLength: 100 }),
  Text: (max: number) => Type.String({ maxLength: max }),
  /** A quantity ≥ 0 in NUMERIC(18, 6). */
  Qty: Type.String({ pattern: "^\\d{1,12}(\\.\\d{1,6})?$", description: "decimal ≥ 0 as a string, up to 6 decimals", examples: ["12.5"] }),
  /** Money ≥ 0 in NUMERIC(18, 6) (unit prices and costs need more than 2 decimals). */
  Money: Type.String({ pattern: "^\\d{1,12}(\\.\\d{1,6})?$", description: "amount ≥ 0 as a string, up to 6 decimals", examples: ["3.85"] }),
  /** A conversion ratio or factor in NUMERIC(24, 12). */
  Ratio: Type.String({ pattern: "^\\d{1,12}(\\.\\d{1,12})?$", description: "decimal > 0 as a string, up to 12 decimals", examples: ["0.001"] }),
  Currency: Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217 code such as CNY" }),
  Date: Type.String({ format: "date" }),
  Email: Type.String({ maxLength: 200, pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$" }),
  Phone: Type.String({ maxLength: 50, pattern: "^[0-9+()\\- ,;/#*a-zA-Z.]{1,50}$" }),
  Nullable: <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]),
};

export function requireCompany(actor: Actor): number {
  if (!actor.companyId) throw errors.rule("no_company", "org.error.no_company");
  return actor.companyId;
}

/** Writing a sensitive field needs its read permission too: nobody sets what they may not see. */
export function requireSensitive(actor: Actor, permission: string, given: boolean): void {
  if (given && !can(actor, permission)) throw errors.forbidden(permission);
}

/** Collects every field error of one input, then throws them together (the user fixes all at once). */
export class FieldErrors {
  readonly list: FieldError[] = [];
  add(field: string, rule: string, messageKey: string, params?: Record<string, unknown>): void {
    this.list.push({ field, rule, messageKey, params });
  }
  get any(): boolean {
    return this.list.length > 0;
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw errors.validation(this.list);
  }
}

export const isZero = (v: string | null | undefined) => v === null || v === undefined || new Decimal(v).isZero();
export const gt0 = (v: string | null | undefined) => v !== null && v !== undefined && new Decimal(v).gt(0);

// Foreign keys that point at a table, read once from the catalog (the schema does not change at run time).
const fkCache = new Map<string, Promise<{ table: string; column: string }[]>>();

function foreignKeysTo(tx: Executor, table: string) {
  let p = fkCache.get(table);
  if (!p) {
    p = rows<{ table: string; column: string }>(
      tx,
      sql`select c.conrelid::regclass::text as "table", a.attname as "column"
          from pg_constraint c
          join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
          where c.contype = 'f' and c.confrelid = ${table}::regclass and array_length(c.conkey, 1) = 1
          order by 1, 2`,
    );
    fkCache.set(table, p);
    p.catch(() => fkCache.delete(table));
  }
  return p;
}

/**
 * Which tables still refer to a row (through any foreign key, whichever module declared it). A record
 * that is referenced is deactivated, not deleted; the answer names the tables for the message.
 */
export async function referencedBy(tx: Executor, table: string, id: number, ignore: string[] = []): Promise<string[]> {
  const fks = (await foreignKeysTo(tx, table)).filter((f) => !ignore.includes(f.table));
  const found: string[] = [];
  for (const fk of fks) {
    const hit = await one(tx, sql`select 1 as x from ${sql.identifier(fk.table)} where ${sql.identifier(fk.column)} = ${id} limit 1`);
    if (hit && !found.includes(fk.table)) found.push(fk.table);
  }
  return found;
}

/** Refuses to delete a referenced row, naming who uses it. */
export async function assertUnreferenced(tx: Executor, table: string, id: number, ignore: string[] = []): Promise<void> {
  const used = await referencedBy(tx, table, id, ignore);
  if (used.length > 0) throw errors.rule("in_use", "masterdata.error.in_use", { tables: used.join(", ") });
}

/** GTIN-8/12/13/14 check digit; other barcodes (Code 128 text) are not checked. */
export function gtinValid(code: string): boolean {
  if (!/^\d+$/.test(code) || ![8, 12, 13, 14].includes(code.length)) return true;
  const digits = [...code].map(Number);
  const check = digits.pop()!;
  let sum = 0;
  for (let i = digits.length - 1, w = 3; i >= 0; i--, w = w === 3 ? 1 : 3) sum += digits[i] * w;
  return (10 - (sum % 10)) % 10 === check;
}

/** Keeps only what was given: PATCH inputs leave out what does not change. */
export function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** "12.500000" → "12.5" for the named NUMERIC fields of a row returned by drizzle (never for codes). */
export function trimDecimals<T extends Record<string, unknown>>(row: T, keys: readonly string[]): T {
  const out: Record<string, unknown> = { ...row };
  for (const k of keys) {
    const v = out[k];
    if (typeof v === "string" && /^-?\d+\.\d+$/.test(v)) out[k] = v.replace(/0+$/, "").replace(/\.$/, "");
  }
  return out as T;
}
