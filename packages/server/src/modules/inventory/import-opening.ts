import { type Executor, one, sql } from "../../platform/db/database.ts";
import { AppError } from "../../platform/errors.ts";
import type { CommandContext } from "../../platform/pipeline.ts";
import { validate } from "../../platform/validation.ts";
import { type RowAdd, addAppError, registerImporter } from "../masterdata/catalog/import.ts";
import { LineInput, receipt } from "./commands.ts";
import { MasterData } from "./common.ts";

/**
 * Opening stock import (DAT-3): each row is a receipt line from the company's adjustment location into a
 * warehouse (its default stock location unless the row names one), with lot, expiry and unit cost. Every
 * row is checked by posting it alone in a savepoint that is rolled back; the good rows are then posted
 * for real as receipts — one document per posting date, up to 1,000 lines each — with their moves,
 * valuation and the `inventory.move.valued` events, in the import's transaction.
 */
interface Prepared {
  line: number;
  postingDate: string | null;
  input: LineInput;
}

const MAX_LINES = 1000;

/** The receipt command's field (/lines/0/toLocationId) → the file's column. */
function column(field: string): string {
  const name = /^\/lines\/\d+\/([^/]+)/.exec(field)?.[1] ?? field.replace(/^\//, "");
  return ({ itemId: "item", toLocationId: "location", fromLocationId: "", quantity: "quantity" } as Record<string, string>)[name] ?? name;
}

async function cached<T>(state: Map<string, unknown>, key: string, load: () => Promise<T>): Promise<T> {
  if (!state.has(key)) state.set(key, await load());
  return state.get(key) as T;
}

async function warehouseByCode(tx: Executor, companyId: number, code: string) {
  return (
    (await one<{ id: number; code: string }>(tx, sql`select id, code from warehouse where company_id = ${companyId} and code = ${code}`)) ??
    (await one<{ id: number; code: string }>(tx, sql`select min(id) as id, min(code) as code from warehouse where company_id = ${companyId} and lower(code) = lower(${code}) having count(*) = 1`))
  );
}

function receiptInput(fromLocationId: number, postingDate: string | null, lines: LineInput[]) {
  return {
    ...(postingDate ? { postingDate } : {}),
    fromLocationId,
    reference: "OPENING-STOCK",
    note: "期初库存导入 / Opening stock import",
    lines,
    post: true,
  };
}

registerImporter("opening_stock", {
  async importUnit(u, [row]) {
    const c = row.cells;
    const master = new MasterData(u.tx, u.companyId);
    const adjustment = await cached(u.state, "adjustment", async () => (await master.defaultLocation("adjustment"))?.id ?? null);
    if (adjustment === null) row.add("", "exists", "masterdata.import.no_adjustment_location");
    let itemId: number | null = null;
    if (typeof c.item === "string") {
      itemId = await u.lookups.id("item", c.item);
      if (itemId === null) row.add("item", "exists", "masterdata.import.unknown_item", { code: c.item });
    }
    let locationId: number | null = null;
    if (typeof c.warehouse === "string") {
      const code = c.warehouse;
      const wh = await cached(u.state, `wh:${code}`, () => warehouseByCode(u.tx, u.companyId, code));
      if (!wh) row.add("warehouse", "exists", "masterdata.import.unknown_warehouse", { code });
      else if (typeof c.location === "string") {
        const loc = c.location;
        const found = await cached(u.state, `loc:${wh.id}:${loc}`, async () =>
          (await one<{ id: number }>(u.tx, sql`select id from location where warehouse_id = ${wh.id} and (code = ${loc} or lower(code) = lower(${loc})) order by (code = ${loc}) desc limit 1`))?.id ?? null,
        );
        if (found === null) row.add("location", "exists", "masterdata.import.unknown_location", { code: loc, warehouse: wh.code });
        locationId = found;
      } else {
        const own = await cached(u.state, `default:${wh.id}`, async () => {
          const d = await master.defaultLocation("internal", wh.id);
          return d && d.warehouseId === wh.id ? d.id : null;
        });
        if (own === null) row.add("location", "required", "masterdata.import.no_default_location", { warehouse: wh.code });
        locationId = own;
      }
    }
    if (adjustment === null || itemId === null || locationId === null || c.quantity === undefined) return false;
    const line: Record<string, unknown> = { itemId, quantity: c.quantity, fromLocationId: adjustment, toLocationId: locationId };
    for (const k of ["unitCost", "lotNo", "expiryDate", "supplierLot"] as const) if (c[k] !== undefined) line[k] = c[k];
    const postingDate = (c.postingDate as string | undefined) ?? null;
    const add: RowAdd = (field, rule, messageKey, params) => row.add(column(field), rule, messageKey, params);
    let input: LineInput;
    try {
      input = validate(LineInput, line);
      // Posted alone and undone: every rule of a receipt (tracking, frozen locations, blocked items…).
      await u.tx.transaction(async (sp) => {
        await receipt.create.run({ ...u.command, tx: sp, audit: {}, emit: () => {} }, receiptInput(adjustment, postingDate, [input]));
        throw ROLLBACK;
      });
    } catch (e) {
      if (e !== ROLLBACK) {
        addAppError(add, e);
        return false;
      }
    }
    u.onCommit(() => {
      const list = (u.state.get("lines") as Prepared[] | undefined) ?? [];
      list.push({ line: row.line, postingDate, input: input! });
      u.state.set("lines", list);
    });
    return true;
  },

  async finish(f) {
    const prepared = (f.state.get("lines") as Prepared[] | undefined) ?? [];
    const adjustment = f.state.get("adjustment") as number | null | undefined;
    if (prepared.length === 0 || !adjustment) return;
    const byDate = new Map<string, Prepared[]>();
    for (const p of prepared) byDate.set(p.postingDate ?? "", [...(byDate.get(p.postingDate ?? "") ?? []), p]);
    for (const [date, all] of byDate) {
      for (let start = 0; start < all.length; start += MAX_LINES) {
        let chunk = all.slice(start, start + MAX_LINES);
        // Rows that pass alone may still clash together (one serial number twice): such a row is dropped
        // with its reason and the rest posted.
        while (chunk.length > 0) {
          const failed = await postChunk(f.command, adjustment, date || null, chunk);
          if (!failed) break;
          const bad = failed.index !== null ? [chunk[failed.index]] : chunk;
          for (const b of bad) f.fail(b.line, column(failed.field), failed.rule, failed.messageKey, failed.params);
          chunk = chunk.filter((p) => !bad.includes(p));
        }
      }
    }
  },
});

const ROLLBACK = Symbol("rollback");

async function postChunk(command: CommandContext, adjustment: number, postingDate: string | null, chunk: Prepared[]) {
  // Events of a chunk that fails are dropped with its savepoint.
  const events: [string, Record<string, unknown>][] = [];
  try {
    await command.tx.transaction(async (sp) => {
      const emit = (type: string, payload: Record<string, unknown>) => void events.push([type, payload]);
      await receipt.create.run({ ...command, tx: sp, audit: {}, emit }, receiptInput(adjustment, postingDate, chunk.map((p) => p.input)));
    });
    for (const [type, payload] of events) command.emit(type, payload);
    return null;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const f = e.fields[0];
    const index = f ? Number(/^\/lines\/(\d+)\//.exec(f.field)?.[1] ?? Number.NaN) : Number.NaN;
    return {
      index: Number.isNaN(index) ? null : index,
      field: f?.field ?? "",
      rule: f?.rule ?? e.code,
      messageKey: f?.messageKey ?? e.messageKey,
      params: f?.params ?? e.params,
    };
  }
}
