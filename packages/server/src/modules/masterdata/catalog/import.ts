import { type Actor, can } from "../../../platform/actor.ts";
import { type Executor, one, rows, sql } from "../../../platform/db/database.ts";
import { AppError, type FieldError, errors } from "../../../platform/errors.ts";
import { type Lang, translate } from "../../../platform/i18n.ts";
import { type ListParams, listPage } from "../../../platform/listing.ts";
import { type CommandContext, defineCommand, mapDatabaseError } from "../../../platform/pipeline.ts";
import { StrictObject, Type, validate } from "../../../platform/validation.ts";
import { type ColumnSpec, COLUMNS, IMPORT_KINDS, type ImportKind, columnForHeader, enumCode, header, parseBool } from "./columns.ts";
import { FieldErrors, S, oneOf, requireCompany } from "./common.ts";
import { MAX_IMPORT_ROWS } from "./files.ts";
import { type ItemCreateInput, checkItem, insertItem, itemCreateInput } from "./items.ts";
import { type PartnerCreateInput, checkPartner, checkPartnerChildren, insertPartner, partnerCreateInput } from "./partners.ts";
import { P } from "./permissions.ts";
import { importRun, uomCategory } from "./schema.ts";
import { type SupplierItemCreateInput, checkSupplierItem, insertSupplierItem, supplierItemCreateInput } from "./supplier-items.ts";
import { type UomCreateInput, checkUomCreate, insertUom, uomCreateInput } from "./units.ts";

/**
 * Import (DAT-3) of units, items, partners and supplier prices from CSV or XLSX, in two steps:
 *
 * 1. check: every row is converted, validated with the same rules as the create command and inserted in
 *    a savepoint that is rolled back at the end, so rows may depend on earlier rows of the file (a unit
 *    on a category the file creates) and every problem of every row is listed. Nothing is kept except
 *    the import run (the parsed rows and the errors).
 * 2. execute: the same again for real, once: mode "all" imports every row or, if any row is bad (also
 *    because the data changed since the check), nothing; mode "good" imports the good rows and skips
 *    the bad ones. One audited command per run, with its counts.
 */
export { IMPORT_KINDS };

/** Which permissions each kind needs besides masterdata.import.run (what its create commands need). */
const KIND_PERMISSIONS: Record<ImportKind, string[]> = {
  uom: [P.uomEdit],
  item: [P.itemEdit],
  partner: [P.partnerEdit],
  supplier_item: [P.supplierItemEdit],
  bom: ["masterdata.bom.edit", "masterdata.bom.quantity.read"],
  opening_stock: ["inventory.receipt.edit", "inventory.receipt.post"],
};

function requireKindPermissions(actor: Actor, kind: ImportKind): void {
  for (const p of KIND_PERMISSIONS[kind]) if (!can(actor, p)) throw errors.forbidden(p);
}

export type RowAdd = (field: string, rule: string, messageKey: string, params?: Record<string, unknown>) => void;

/** One row of a unit handed to an import plugin: the converted cells and where its errors go. */
export interface PluginRow {
  line: number;
  /** the cells as text, by column key */
  values: Record<string, string>;
  /** the cells converted by column kind (bad cells are already errors and left out) */
  cells: Record<string, unknown>;
  add: RowAdd;
}

export interface UnitContext {
  /** The unit's savepoint (rolled back when any of its rows is bad). */
  tx: Executor;
  companyId: number;
  actor: Actor;
  lookups: Lookups;
  /** A command context on the savepoint, to run other commands' logic (`someCommand.run(u.command, input)`). */
  command: CommandContext;
  /** Shared by all units of the run and `finish`. */
  state: Map<string, unknown>;
  /** Runs once the unit's savepoint is released (the unit is in). */
  onCommit(fn: () => Promise<void> | void): void;
}

export interface FinishContext {
  companyId: number;
  actor: Actor;
  /** On the run's transaction (rolled back at the end of a check). */
  command: CommandContext;
  state: Map<string, unknown>;
  /** Marks a row bad after its unit was accepted (something only the final write found). */
  fail(line: number, field: string, rule: string, messageKey: string, params?: Record<string, unknown>): void;
}

/**
 * How another area or module imports its kind (BOMs: engineering; opening stock: inventory): the rows
 * with the same unit key are checked and written together in one savepoint, all or none of them (a BOM
 * is never imported without one of its lines); `finish` may then write what the units prepared.
 */
export interface ImportPlugin {
  unitKey?(values: Record<string, string>): string;
  importUnit(u: UnitContext, rows: PluginRow[]): Promise<boolean>;
  finish?(f: FinishContext): Promise<void>;
}

const PLUGINS = new Map<ImportKind, ImportPlugin>();

export function registerImporter(kind: ImportKind, plugin: ImportPlugin): void {
  PLUGINS.set(kind, plugin);
}

/** Maps an error thrown by a command's logic onto the row (its field names become the file's columns). */
export function addAppError(add: RowAdd, e: unknown, fieldMap: (field: string) => string = (f) => f): void {
  const mapped = e instanceof AppError ? e : mapDatabaseError(e);
  if (!(mapped instanceof AppError)) throw e;
  if (mapped.fields.length === 0) add("", mapped.code, mapped.messageKey, mapped.params);
  for (const f of mapped.fields) add(fieldMap(f.field), f.rule, f.messageKey, f.params);
}

export interface RowError {
  line: number;
  /** column key ("baseUom"), "" for the row or the file as a whole */
  field: string;
  /** the column's header as written in the file (or the column's name when the file lacks it) */
  column: string;
  value: string;
  rule: string;
  messageKey: string;
  params?: Record<string, unknown>;
}

interface ParsedRow {
  line: number;
  values: Record<string, string>;
}

interface HeaderMap {
  column: string;
  field: string | null;
}

// Command fields → the file's column keys, where they differ.
const FIELD_TO_COLUMN: Record<string, string> = {
  baseUomId: "baseUom",
  purchaseUomId: "purchaseUom",
  salesUomId: "salesUom",
  categoryId: "category",
  paymentTermId: "paymentTerm",
  partnerId: "partner",
  itemId: "item",
  uomId: "uom",
  "contacts/0/name": "contactName",
  "contacts/0/phone": "contactPhone",
  "contacts/0/mobile": "contactPhone",
  "contacts/0/email": "contactEmail",
  "addresses/0/province": "province",
  "addresses/0/city": "city",
  "addresses/0/district": "district",
  "addresses/0/street": "street",
  "addresses/0/postcode": "postcode",
};

function columnOf(field: string): string {
  const f = field.replace(/^\//, "");
  return FIELD_TO_COLUMN[f] ?? f;
}

export class Lookups {
  private cache = new Map<string, number | null>();
  private codeSets = new Map<string, Promise<Map<string, string>>>();
  /** Units read by the item checks, kept for the run (units do not change during an item import). */
  readonly units = new Map<number, import("./items.ts").UnitRow>();
  constructor(
    private tx: Executor,
    private companyId: number,
  ) {}
  /** id of a code in a table (exact match first, then a case-insensitive one if unique). */
  async id(table: "uom" | "payment_term" | "partner" | "item", code: string): Promise<number | null> {
    const key = `${table}:${code}`;
    if (this.cache.has(key)) return this.cache.get(key)!;
    const t = sql.identifier(table);
    let row = await one<{ id: number }>(this.tx, sql`select id from ${t} where company_id = ${this.companyId} and code = ${code}`);
    if (!row) {
      const ci = await one<{ id: number; n: number }>(
        this.tx,
        sql`select min(id) as id, count(*)::int8 as n from ${t} where company_id = ${this.companyId} and lower(code) = lower(${code})`,
      );
      if (ci && Number(ci.n) === 1) row = { id: ci.id };
    }
    this.cache.set(key, row?.id ?? null);
    return row?.id ?? null;
  }

  /**
   * The codes (or barcodes) already in a table, read once per run; rows imported during the run are
   * added with `remember`. Saves a query per row on large files.
   */
  existing(table: "uom" | "item" | "partner", column: "code" | "barcode" = "code"): Promise<Map<string, string>> {
    const key = `${table}.${column}`;
    let p = this.codeSets.get(key);
    if (!p) {
      p = rows<{ v: string; code: string }>(
        this.tx,
        sql`select ${sql.identifier(column)} as v, code from ${sql.identifier(table)} where company_id = ${this.companyId} and ${sql.identifier(column)} is not null`,
      ).then((r) => new Map(r.map((x) => [x.v, x.code])));
      this.codeSets.set(key, p);
    }
    return p;
  }

  async remember(table: "uom" | "item" | "partner", values: { code: string; barcode?: string | null }): Promise<void> {
    (await this.existing(table)).set(values.code, values.code);
    if (values.barcode && this.codeSets.has(`${table}.barcode`)) (await this.existing(table, "barcode")).set(values.barcode, values.code);
  }
}

interface RowContext {
  tx: Executor;
  companyId: number;
  actor: Actor;
  lookups: Lookups;
  values: Record<string, string>;
  add(field: string, rule: string, messageKey: string, params?: Record<string, unknown>): void;
  /** Runs once the row's savepoint is released (the row is in). */
  onCommit(fn: () => Promise<void>): void;
}

/** Converts a row's cells by column kind; bad cells become errors and are left out of the input. */
function convertCells(kind: ImportKind, values: Record<string, string>, add: RowContext["add"], allowed: (c: ColumnSpec) => boolean) {
  const input: Record<string, unknown> = {};
  for (const c of COLUMNS[kind]) {
    if (c.exportOnly || !allowed(c)) continue;
    const raw = (values[c.key] ?? "").trim();
    if (raw === "") {
      if (c.required) add(c.key, "required", "validation.required");
      continue;
    }
    switch (c.kind) {
      case "text":
        input[c.key] = raw;
        break;
      case "int":
        if (/^-?\d{1,9}$/.test(raw)) input[c.key] = Number(raw);
        else add(c.key, "integer", "masterdata.import.bad_integer");
        break;
      case "decimal": {
        const v = raw.replace(/[,，\s]/g, "");
        if (/^-?\d+(\.\d+)?$/.test(v)) input[c.key] = v.replace(/^(-?)0+(?=\d)/, "$1").replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
        else add(c.key, "decimal", "masterdata.import.bad_number");
        break;
      }
      case "bool": {
        const b = parseBool(raw);
        if (b === undefined) add(c.key, "boolean", "masterdata.import.bad_boolean");
        else input[c.key] = b;
        break;
      }
      case "enum": {
        const code = enumCode(c, raw);
        if (code === undefined) add(c.key, "enum", "validation.enum", { values: Object.keys(c.values ?? {}).join(", ") });
        else input[c.key] = code;
        break;
      }
      case "date": {
        const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(raw);
        const iso = m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : "";
        if (m && !Number.isNaN(Date.parse(iso)) && new Date(iso).toISOString().startsWith(iso)) input[c.key] = iso;
        else add(c.key, "date", "masterdata.import.bad_date");
        break;
      }
    }
  }
  return input;
}

/** Runs the command's input schema; its field errors become the row's, on the file's columns. */
function schemaErrors(schema: Parameters<typeof validate>[0], input: unknown, add: RowContext["add"]): boolean {
  try {
    validate(schema, input);
    return true;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    for (const f of e.fields) add(f.field, f.rule, f.messageKey, f.params);
    return false;
  }
}

async function unitId(r: RowContext, column: string, code: unknown): Promise<number | undefined> {
  if (typeof code !== "string") return undefined;
  const id = await r.lookups.id("uom", code);
  if (id === null) r.add(column, "exists", "masterdata.import.unknown_unit", { code });
  return id ?? undefined;
}

function addAll(r: RowContext, fe: FieldErrors) {
  for (const f of fe.list) r.add(f.field, f.rule, f.messageKey, f.params);
}

type Importer = (r: RowContext, input: Record<string, unknown>, seen: Map<string, number>, line: number) => Promise<boolean>;
type CatalogKind = "uom" | "item" | "partner" | "supplier_item";

function inFile(r: RowContext, seen: Map<string, number>, key: string, field: string, line: number): boolean {
  const first = seen.get(key);
  if (first !== undefined) {
    r.add(field, "duplicate", "masterdata.import.duplicate_in_file", { line: first });
    return true;
  }
  seen.set(key, line);
  return false;
}

async function inDatabase(r: RowContext, table: "uom" | "item" | "partner", code: unknown): Promise<boolean> {
  if (typeof code !== "string") return false;
  const hit = (await r.lookups.existing(table)).has(code);
  if (hit) r.add("code", "unique", "masterdata.import.exists_in_database", { code });
  return hit;
}

const IMPORTERS: Record<CatalogKind, Importer> = {
  async uom(r, cells, seen, line) {
    const { category, categoryNameZh, categoryNameEn, ...rest } = cells as Record<string, string>;
    let categoryId: number | undefined;
    if (category) {
      const cat = await one<{ id: number }>(r.tx, sql`select id from uom_category where company_id = ${r.companyId} and code = ${category}`);
      if (cat) categoryId = cat.id;
      else if (categoryNameZh && categoryNameEn) {
        // A new category named in the file: created with the row (later rows of the file see it).
        const code = category.toUpperCase();
        if (!/^[A-Z0-9][A-Z0-9_-]{0,31}$/.test(code)) r.add("category", "pattern", "validation.pattern");
        else {
          const [created] = await r.tx.insert(uomCategory).values({ companyId: r.companyId, code, nameZh: categoryNameZh, nameEn: categoryNameEn }).returning();
          categoryId = created.id;
        }
      } else r.add("category", "exists", "masterdata.import.unknown_category", { code: category });
    }
    const input = { ...rest, categoryId } as Record<string, unknown>;
    if (categoryId === undefined) delete input.categoryId;
    const okSchema = schemaErrors(uomCreateInput, input, r.add);
    const dup = (typeof rest.code === "string" && inFile(r, seen, rest.code, "code", line)) || (await inDatabase(r, "uom", rest.code));
    if (!okSchema || dup || categoryId === undefined) return false;
    const fe = new FieldErrors();
    await checkUomCreate(r.tx, r.companyId, input as UomCreateInput, fe);
    addAll(r, fe);
    if (fe.any) return false;
    await insertUom(r.tx, r.companyId, input as UomCreateInput);
    r.onCommit(() => r.lookups.remember("uom", { code: String(rest.code) }));
    return true;
  },

  async item(r, cells, seen, line) {
    const { baseUom, purchaseUom, salesUom, ...rest } = cells;
    const input: Record<string, unknown> = { ...rest };
    const ids = { baseUomId: await unitId(r, "baseUom", baseUom), purchaseUomId: await unitId(r, "purchaseUom", purchaseUom), salesUomId: await unitId(r, "salesUom", salesUom) };
    for (const [k, v] of Object.entries(ids)) if (v !== undefined) input[k] = v;
    const okSchema = schemaErrors(itemCreateInput, input, (f, ...a) => (f === "/baseUomId" && baseUom ? undefined : r.add(f, ...a)));
    let dup = (typeof rest.code === "string" && inFile(r, seen, `code:${rest.code}`, "code", line)) || (await inDatabase(r, "item", rest.code));
    if (typeof rest.barcode === "string") {
      if (inFile(r, seen, `barcode:${rest.barcode}`, "barcode", line)) dup = true;
      else {
        const owner = (await r.lookups.existing("item", "barcode")).get(rest.barcode);
        if (owner) {
          r.add("barcode", "unique", "masterdata.import.barcode_exists", { code: owner });
          dup = true;
        }
      }
    }
    if (!okSchema || dup || ids.baseUomId === undefined) return false;
    const fe = new FieldErrors();
    const alternatives = await checkItem(r.tx, r.companyId, input as ItemCreateInput, [], fe, { unitCache: r.lookups.units });
    addAll(r, fe);
    if (fe.any) return false;
    await insertItem(r.tx, r.companyId, input as ItemCreateInput, alternatives);
    r.onCommit(() => r.lookups.remember("item", { code: String(rest.code), barcode: (rest.barcode as string | undefined) ?? null }));
    return true;
  },

  async partner(r, cells, seen, line) {
    const { paymentTerm, contactName, contactPhone, contactEmail, province, city, district, street, postcode, ...rest } = cells as Record<string, string>;
    const input: Record<string, unknown> = { isCustomer: false, isSupplier: false, ...rest };
    if (paymentTerm) {
      const id = await r.lookups.id("payment_term", paymentTerm);
      if (id === null) r.add("paymentTerm", "exists", "masterdata.import.unknown_payment_term", { code: paymentTerm });
      else input.paymentTermId = id;
    }
    if (contactName || contactPhone || contactEmail) {
      const mobile = contactPhone && /^\+?(86)?1\d{10}$/.test(contactPhone.replace(/[\s-]/g, ""));
      input.contacts = [
        {
          name: contactName ?? "",
          ...(contactPhone ? (mobile ? { mobile: contactPhone } : { phone: contactPhone }) : {}),
          ...(contactEmail ? { email: contactEmail } : {}),
          isPrimary: true,
        },
      ];
    }
    if (street || city || province || district || postcode) {
      input.addresses = [{ kind: "billing", street: street ?? "", ...defined({ province, city, district, postcode }), isDefault: true }];
    }
    const okSchema = schemaErrors(partnerCreateInput, input, r.add);
    const dup = (typeof rest.code === "string" && inFile(r, seen, rest.code, "code", line)) || (await inDatabase(r, "partner", rest.code));
    if (!okSchema || dup) return false;
    const fe = new FieldErrors();
    await checkPartner(r.tx, r.companyId, input as PartnerCreateInput, fe);
    const kids = checkPartnerChildren(input as PartnerCreateInput, fe);
    addAll(r, fe);
    if (fe.any) return false;
    await insertPartner(r.tx, r.companyId, input as PartnerCreateInput, kids);
    r.onCommit(() => r.lookups.remember("partner", { code: String(rest.code) }));
    return true;
  },

  async supplier_item(r, cells) {
    const { partner, item, uom, ...rest } = cells as Record<string, string>;
    const input: Record<string, unknown> = { ...rest };
    if (partner) {
      const id = await r.lookups.id("partner", partner);
      if (id === null) r.add("partner", "exists", "masterdata.import.unknown_partner", { code: partner });
      else input.partnerId = id;
    }
    if (item) {
      const id = await r.lookups.id("item", item);
      if (id === null) r.add("item", "exists", "masterdata.import.unknown_item", { code: item });
      else input.itemId = id;
    }
    const u = await unitId(r, "uom", uom);
    if (u !== undefined) input.uomId = u;
    const okSchema = schemaErrors(supplierItemCreateInput, input, (f, ...a) => ((f === "/partnerId" && partner) || (f === "/itemId" && item) ? undefined : r.add(f, ...a)));
    if (!okSchema || input.partnerId === undefined || input.itemId === undefined) return false;
    const fe = new FieldErrors();
    const defaults = await checkSupplierItem(r.tx, r.companyId, input as SupplierItemCreateInput, fe);
    addAll(r, fe);
    if (fe.any || !defaults) return false;
    await insertSupplierItem(r.tx, r.companyId, input as SupplierItemCreateInput, defaults);
    return true;
  },
};

function defined(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "")) as Record<string, string>;
}

/** Problems of the header row: unknown, repeated or missing columns, and columns the user may not set. */
function headerErrors(kind: ImportKind, headers: HeaderMap[], headerLine: number, actor: Actor, lang: Lang): RowError[] {
  const out: RowError[] = [];
  const seen = new Set<string>();
  for (const h of headers) {
    if (h.field === null) {
      if (h.column.trim() !== "") out.push({ line: headerLine, field: "", column: h.column, value: h.column, rule: "unknown_column", messageKey: "masterdata.import.unknown_column" });
      continue;
    }
    const spec = COLUMNS[kind].find((c) => c.key === h.field)!;
    if (seen.has(h.field)) out.push({ line: headerLine, field: h.field, column: h.column, value: h.column, rule: "duplicate_column", messageKey: "masterdata.import.duplicate_column" });
    seen.add(h.field);
    if (spec.sensitive && !can(actor, spec.sensitive)) {
      out.push({ line: headerLine, field: h.field, column: h.column, value: h.column, rule: "forbidden", messageKey: "masterdata.import.forbidden_column", params: { permission: spec.sensitive } });
    }
  }
  for (const c of COLUMNS[kind]) {
    if (c.required && !seen.has(c.key)) {
      out.push({ line: headerLine, field: c.key, column: header(c, lang), value: "", rule: "missing_column", messageKey: "masterdata.import.missing_column" });
    }
  }
  return out;
}

const ROLLBACK = Symbol("rollback");

class DryRun {
  constructor(readonly result: { errors: RowError[]; imported: number; badLines: Set<number> }) {}
}

/**
 * Processes every unit (a row, or the rows of one BOM) in its own savepoint; collects the errors. In
 * "check" mode all is undone.
 */
async function processRows(ctx: CommandContext, kind: ImportKind, headers: HeaderMap[], rows: ParsedRow[], headerLine: number, mode: "check" | "all" | "good") {
  const companyId = requireCompany(ctx.actor);
  const errorsOut: RowError[] = headerErrors(kind, headers, headerLine, ctx.actor, ctx.actor.lang);
  const columnName = new Map<string, string>();
  for (const h of headers) if (h.field && !columnName.has(h.field)) columnName.set(h.field, h.column);
  const nameOf = (key: string) => {
    const spec = COLUMNS[kind].find((c) => c.key === key);
    return columnName.get(key) ?? (spec ? header(spec, ctx.actor.lang) : key);
  };
  const allowed = (c: ColumnSpec) => !c.sensitive || can(ctx.actor, c.sensitive);
  const badLines = new Set<number>();
  let imported = 0;
  const plugin = PLUGINS.get(kind);
  // Events of what a unit wrote go out with the import, never with a check.
  const emit: CommandContext["emit"] = mode === "check" ? () => {} : (type, payload) => ctx.emit(type, payload);

  // Units in the order of their first row.
  const units = new Map<string, ParsedRow[]>();
  for (const row of rows) {
    const key = plugin?.unitKey ? `k:${plugin.unitKey(row.values)}` : `l:${row.line}`;
    units.set(key, [...(units.get(key) ?? []), row]);
  }

  const run = async (tx: Executor) => {
    const lookups = new Lookups(tx, companyId);
    const seen = new Map<string, number>();
    const state = new Map<string, unknown>();
    for (const unit of units.values()) {
      const rowErrors = new Map<number, RowError[]>();
      const adder = (row: ParsedRow): RowAdd => (field, rule, messageKey, params) => {
        const key = columnOf(field);
        const list = rowErrors.get(row.line) ?? [];
        rowErrors.set(row.line, list);
        if (list.some((e) => e.field === key && (e.rule === rule || rule === "required"))) return;
        list.push({ line: row.line, field: key, column: key ? nameOf(key) : "", value: (row.values[key] ?? "").slice(0, 200), rule, messageKey, params });
      };
      const hasErrors = () => [...rowErrors.values()].some((l) => l.length > 0);
      const committed: (() => Promise<void> | void)[] = [];
      try {
        await tx.transaction(async (sp) => {
          const pluginRows: PluginRow[] = unit.map((row) => {
            const add = adder(row);
            return { line: row.line, values: row.values, cells: convertCells(kind, row.values, add, allowed), add };
          });
          let ok: boolean;
          if (plugin) {
            const command: CommandContext = { ...ctx, tx: sp, audit: {}, emit: (type, payload) => void committed.push(() => emit(type, payload)) };
            ok = await plugin.importUnit({ tx: sp, companyId, actor: ctx.actor, lookups, command, state, onCommit: (fn) => committed.push(fn) }, pluginRows);
          } else {
            const [row] = pluginRows;
            const r: RowContext = { tx: sp, companyId, actor: ctx.actor, lookups, values: row.values, add: row.add, onCommit: (fn) => committed.push(fn) };
            ok = await IMPORTERS[kind as CatalogKind](r, row.cells, seen, row.line);
          }
          if (!ok || hasErrors()) throw ROLLBACK;
        });
        for (const fn of committed) await fn();
        imported += unit.length;
      } catch (e) {
        if (e !== ROLLBACK) {
          // A rule only the database knew (a constraint): named as well as it can be.
          const mapped = mapDatabaseError(e);
          if (!(mapped instanceof AppError)) throw e;
          const f: FieldError | undefined = mapped.fields[0];
          adder(unit[0])(f?.field ?? "", f?.rule ?? mapped.code, f?.messageKey ?? mapped.messageKey, f?.params ?? mapped.params);
        }
        const badOnes = unit.filter((r) => (rowErrors.get(r.line) ?? []).length > 0).map((r) => r.line);
        for (const row of unit) {
          // A row that is fine itself but belongs to a unit with a bad row (a BOM with a bad line).
          if ((rowErrors.get(row.line) ?? []).length === 0) {
            if (badOnes.length > 0) adder(row)("", "unit", "masterdata.import.unit_has_errors", { lines: badOnes.join(", ") });
            else adder(row)("", "invalid", "validation.invalid");
          }
          badLines.add(row.line);
          errorsOut.push(...(rowErrors.get(row.line) ?? []));
        }
      }
    }
    if (plugin?.finish) {
      const command: CommandContext = { ...ctx, tx, emit };
      await plugin.finish({
        companyId,
        actor: ctx.actor,
        command,
        state,
        fail(line, field, rule, messageKey, params) {
          const row = rows.find((r) => r.line === line);
          if (!row) return;
          const key = columnOf(field);
          errorsOut.push({ line, field: key, column: key ? nameOf(key) : "", value: (row.values[key] ?? "").slice(0, 200), rule, messageKey, params });
          if (!badLines.has(line)) {
            badLines.add(line);
            imported--;
          }
        },
      });
    }
  };

  if (mode === "check") {
    try {
      await ctx.tx.transaction(async (outer) => {
        await run(outer);
        throw new DryRun({ errors: errorsOut, imported, badLines });
      });
    } catch (e) {
      if (!(e instanceof DryRun)) throw e;
    }
  } else {
    await run(ctx.tx);
  }
  errorsOut.sort((a, b) => a.line - b.line);
  return { errors: errorsOut, imported, badLines };
}

const RowsInput = Type.Array(
  StrictObject({ line: Type.Integer({ minimum: 1 }), values: Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 4000 })) }),
  { maxItems: MAX_IMPORT_ROWS },
);

export const checkImport = defineCommand({
  name: "masterdata.import.check",
  permission: P.importRun,
  entity: "import_run",
  input: StrictObject({
    kind: oneOf(IMPORT_KINDS),
    fileName: Type.String({ minLength: 1, maxLength: 255 }),
    format: oneOf(["csv", "xlsx"] as const),
    sha256: Type.String({ pattern: "^[0-9a-f]{64}$" }),
    headerLine: Type.Integer({ minimum: 1 }),
    headers: Type.Array(StrictObject({ column: Type.String({ maxLength: 200 }), field: S.Nullable(Type.String({ maxLength: 64 })) }), { maxItems: 200 }),
    rows: RowsInput,
  }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    requireKindPermissions(ctx.actor, input.kind);
    const result = await processRows(ctx, input.kind, input.headers, input.rows, input.headerLine, "check");
    const [row] = await ctx.tx
      .insert(importRun)
      .values({
        companyId,
        kind: input.kind,
        fileName: input.fileName,
        format: input.format,
        sha256: input.sha256,
        status: "checked",
        rowCount: input.rows.length,
        errorRowCount: result.badLines.size,
        rows: { headerLine: input.headerLine, headers: input.headers, rows: input.rows },
        errors: result.errors,
        createdBy: ctx.actor.kind === "user" ? ctx.actor.id : null,
        createdByName: ctx.actor.name,
      })
      .returning();
    ctx.audit.entityId = row.id;
    ctx.audit.details = { kind: input.kind, fileName: input.fileName, format: input.format, rows: input.rows.length, badRows: result.badLines.size };
    return presentRun(row, ctx.actor.lang);
  },
});

export const executeImport = defineCommand({
  name: "masterdata.import.execute",
  permission: P.importRun,
  entity: "import_run",
  input: StrictObject({ id: S.Id, mode: oneOf(["all", "good"] as const) }),
  async run(ctx, { id, mode }) {
    const companyId = requireCompany(ctx.actor);
    const [run] = await ctx.tx.select().from(importRun).where(sql`${importRun.id} = ${id} and ${importRun.companyId} = ${companyId}`).for("update");
    if (!run) throw errors.notFound("import_run");
    if (run.status !== "checked") throw errors.rule("import_done", "masterdata.import.already_imported");
    requireKindPermissions(ctx.actor, run.kind);
    const stored = run.rows as { headerLine: number; headers: HeaderMap[]; rows: ParsedRow[] };
    const result = await processRows(ctx, run.kind, stored.headers, stored.rows, stored.headerLine, mode);
    if (mode === "all" && result.errors.length > 0) {
      throw new AppError(422, "import_has_errors", "masterdata.import.has_errors", { rows: result.badLines.size, errors: result.errors.length });
    }
    if (result.imported === 0) throw errors.rule("import_nothing", "masterdata.import.nothing_to_import");
    const [after] = await ctx.tx
      .update(importRun)
      .set({
        status: "imported",
        mode,
        importedCount: result.imported,
        skippedCount: stored.rows.length - result.imported,
        errors: result.errors,
        errorRowCount: result.badLines.size,
        importedBy: ctx.actor.kind === "user" ? ctx.actor.id : null,
        importedByName: ctx.actor.name,
        importedAt: sql`now()` as unknown as string,
        version: sql`${importRun.version} + 1` as unknown as number,
      })
      .where(sql`${importRun.id} = ${id}`)
      .returning();
    ctx.audit.entityId = id;
    ctx.audit.details = {
      kind: run.kind,
      fileName: run.fileName,
      mode,
      rows: stored.rows.length,
      imported: result.imported,
      skipped: stored.rows.length - result.imported,
    };
    ctx.emit("masterdata.import.done", { id, companyId, kind: run.kind, imported: result.imported });
    return presentRun(after, ctx.actor.lang);
  },
});

type RunRow = typeof importRun.$inferSelect;

/** An import run for the screen: counts and every error with its message in the reader's language. */
export function presentRun(run: RunRow, lang: Lang) {
  const errs = (run.errors as RowError[]).map((e) => ({
    line: e.line,
    field: e.field,
    column: e.column,
    value: e.value,
    rule: e.rule,
    message: translate(e.messageKey, lang, e.params ?? {}),
  }));
  const headerLine = (run.rows as { headerLine?: number }).headerLine ?? 1;
  return {
    id: run.id,
    kind: run.kind,
    fileName: run.fileName,
    format: run.format,
    status: run.status,
    rowCount: run.rowCount,
    errorRowCount: run.errorRowCount,
    goodRowCount: run.rowCount - run.errorRowCount,
    fileErrorCount: errs.filter((e) => e.line === headerLine).length,
    mode: run.mode,
    importedCount: run.importedCount,
    skippedCount: run.skippedCount,
    createdByName: run.createdByName,
    createdAt: run.createdAt,
    importedByName: run.importedByName,
    importedAt: run.importedAt,
    version: run.version,
    errors: errs,
  };
}

export async function getImportRun(db: Executor, actor: Actor, id: number) {
  const [run] = await db.select().from(importRun).where(sql`${importRun.id} = ${id} and ${importRun.companyId} = ${actor.companyId}`);
  if (!run) throw errors.notFound("import_run");
  return presentRun(run, actor.lang);
}

export function listImportRuns(db: Executor, companyId: number, params: ListParams & { kind?: string }) {
  const where = [sql`r.company_id = ${companyId}`];
  if (params.kind) where.push(sql`r.kind = ${params.kind}`);
  return listPage(db, {
    columns: sql`r.id, r.kind, r.file_name as "fileName", r.format, r.status, r.row_count as "rowCount", r.error_row_count as "errorRowCount",
      r.mode, r.imported_count as "importedCount", r.skipped_count as "skippedCount", r.created_by_name as "createdByName",
      r.created_at as "createdAt", r.imported_by_name as "importedByName", r.imported_at as "importedAt"`,
    from: sql`import_run r`,
    where: sql.join(where, sql` and `),
    sortable: { createdAt: sql`r.created_at`, id: sql`r.id` },
    defaultSort: "-createdAt",
    params,
  });
}

/**
 * Turns a parsed table into the check command's input: the first row is the header; each header is
 * matched to a column of the kind; each data row becomes {line, values by column key}.
 */
export function tableToInput(kind: ImportKind, table: { rows: { line: number; cells: string[] }[] }) {
  if (table.rows.length === 0) throw new AppError(422, "empty_file", "masterdata.import.empty_file");
  const [head, ...data] = table.rows;
  if (data.length > MAX_IMPORT_ROWS) throw new AppError(422, "too_many_rows", "masterdata.error.too_many_rows", { limit: MAX_IMPORT_ROWS });
  const headers: HeaderMap[] = head.cells.map((column) => ({ column: column.trim().slice(0, 200), field: columnForHeader(kind, column)?.key ?? null }));
  const rows: ParsedRow[] = data.map((r) => {
    const values: Record<string, string> = {};
    headers.forEach((h, i) => {
      if (h.field && values[h.field] === undefined) values[h.field] = (r.cells[i] ?? "").trim().slice(0, 4000);
    });
    return { line: r.line, values };
  });
  return { headerLine: head.line, headers, rows };
}
