import { one, rows, sql } from "../src/platform/db/database.ts";
import type { Runtime } from "../src/platform/runtime.ts";
import type { Client } from "./harness.ts";

/**
 * Master data the inventory tests work with, written straight into the catalog's tables (the catalog's
 * own tests cover its commands): two warehouses with stock locations, the virtual locations, a supplier,
 * a customer and items of every tracking and valuation kind.
 */
export interface InvFixture {
  companyId: number;
  items: Record<"BOLT" | "PAINT" | "MOTOR" | "STEEL" | "FRAME" | "GLUE" | "FIFO" | "NEG", number>;
  wh: Record<"WH1" | "WH2", number>;
  loc: Record<"WH1_STOCK" | "WH1_RECV" | "WH1_B" | "WH2_STOCK" | "WH2_NEG" | "SUPPLIER" | "CUSTOMER" | "ADJUST" | "TRANSIT" | "PROD" | "SCRAP", number>;
  supplier: number;
  customer: number;
}

export async function inventoryFixture(rt: Runtime): Promise<InvFixture> {
  const db = rt.database.db;
  const companyId = (await one<{ id: number }>(db, sql`select id from company order by id limit 1`))!.id;
  const id = async (q: ReturnType<typeof sql>) => (await one<{ id: number }>(db, q))!.id;
  const cat = await id(sql`insert into uom_category (company_id, code, name_zh, name_en) values (${companyId}, 'T-COUNT', '数量', 'Count') returning id`);
  const pcs = await id(sql`insert into uom (company_id, category_id, code, name_zh, name_en, ratio, rounding, is_reference)
    values (${companyId}, ${cat}, 't-pcs', '个', 'pcs', 1, 1, true) returning id`);
  const item = (code: string, tracking: string, method: string, standardCost: string, extra: { shelf?: number; negative?: boolean; barcode?: string } = {}) =>
    id(sql`insert into item (company_id, code, name_zh, name_en, item_type, base_uom_id, make_or_buy, tracking, valuation_method, standard_cost,
      shelf_life_days, allow_negative_stock, barcode)
      values (${companyId}, ${code}, ${`测试${code}`}, ${`Test ${code}`}, 'raw', ${pcs}, 'buy', ${tracking}, ${method}, ${standardCost},
        ${extra.shelf ?? null}, ${extra.negative ?? false}, ${extra.barcode ?? null}) returning id`);
  const items = {
    BOLT: await item("T-BOLT", "none", "moving_average", "0.5", { barcode: "6900000000011" }),
    PAINT: await item("T-PAINT", "lot", "fifo", "20", { shelf: 180 }),
    MOTOR: await item("T-MOTOR", "serial", "standard", "120"),
    STEEL: await item("T-STEEL", "lot", "moving_average", "8"),
    FRAME: await item("T-FRAME", "lot", "moving_average", "60"),
    GLUE: await item("T-GLUE", "lot", "moving_average", "3", { shelf: 30 }),
    FIFO: await item("T-FIFO", "none", "fifo", "0"),
    NEG: await item("T-NEG", "none", "moving_average", "2", { negative: true }),
  };
  const wh = {
    WH1: await id(sql`insert into warehouse (company_id, code, name_zh, name_en) values (${companyId}, 'T-WH1', '测试一号仓', 'Test WH 1') returning id`),
    WH2: await id(sql`insert into warehouse (company_id, code, name_zh, name_en) values (${companyId}, 'T-WH2', '测试二号仓', 'Test WH 2') returning id`),
  };
  const loc = async (code: string, kind: string, warehouseId: number | null, extra: { negative?: boolean; isDefault?: boolean } = {}) =>
    id(sql`insert into location (company_id, warehouse_id, code, name_zh, name_en, kind, allow_negative_stock, is_default)
      values (${companyId}, ${warehouseId}, ${code}, ${`库位${code}`}, ${`Location ${code}`}, ${kind}, ${extra.negative ?? false}, ${extra.isDefault ?? false}) returning id`);
  const locs = {
    WH1_STOCK: await loc("T-WH1/STOCK", "internal", wh.WH1, { isDefault: true }),
    WH1_RECV: await loc("T-WH1/RECV", "receiving", wh.WH1, { isDefault: true }),
    WH1_B: await loc("T-WH1/B-01", "internal", wh.WH1),
    WH2_STOCK: await loc("T-WH2/STOCK", "internal", wh.WH2, { isDefault: true }),
    WH2_NEG: await loc("T-WH2/NEG", "internal", wh.WH2, { negative: true }),
    SUPPLIER: await loc("T-VIRT/SUPPLIER", "supplier", null, { isDefault: true }),
    CUSTOMER: await loc("T-VIRT/CUSTOMER", "customer", null, { isDefault: true }),
    ADJUST: await loc("T-VIRT/ADJUST", "adjustment", null, { isDefault: true }),
    TRANSIT: await loc("T-VIRT/TRANSIT", "transit", null, { isDefault: true }),
    PROD: await loc("T-WH1/WIP", "production", wh.WH1, { isDefault: true }),
    SCRAP: await loc("T-WH1/SCRAP", "scrap", wh.WH1, { isDefault: true }),
  };
  const supplier = await id(sql`insert into partner (company_id, code, name_zh, name_en, is_supplier) values (${companyId}, 'T-SUP', '测试供应商', 'Test supplier', true) returning id`);
  const customer = await id(sql`insert into partner (company_id, code, name_zh, name_en, is_customer) values (${companyId}, 'T-CUS', '测试客户', 'Test customer', true) returning id`);
  return { companyId, items, wh, loc: locs, supplier, customer };
}

/** Posts a receipt at once and returns its answer (throws with the problem on failure). */
export async function receive(
  client: Client,
  lines: Record<string, unknown>[],
  header: Record<string, unknown> = {},
): Promise<{ id: number; number: string; moves: number[]; version: number }> {
  const res = await client.post("/api/inventory/receipts", { ...header, lines, post: true });
  if (res.statusCode !== 201) throw new Error(`receipt failed ${res.statusCode}: ${res.body}`);
  return res.json();
}

export async function issue(
  client: Client,
  lines: Record<string, unknown>[],
  header: Record<string, unknown> = {},
): Promise<{ id: number; number: string; moves: number[]; version: number }> {
  const res = await client.post("/api/inventory/issues", { ...header, lines, post: true });
  if (res.statusCode !== 201) throw new Error(`issue failed ${res.statusCode}: ${res.body}`);
  return res.json();
}

export async function onHand(rt: Runtime, itemId: number, locationId: number, lotId: number | null = null): Promise<string> {
  const r = await one<{ q: string }>(
    rt.database.db,
    sql`select coalesce((select on_hand::text from stock_balance where item_id = ${itemId} and location_id = ${locationId} and lot_id is not distinct from ${lotId}::int8), '0') as q`,
  );
  return String(Number(r!.q));
}

export async function valuation(rt: Runtime, itemId: number, warehouseId: number | null): Promise<{ quantity: string; value: string; unitCost: string | null; state: { layers: { qty: string; value: string }[] } }> {
  const r = await rows<{ quantity: string; value: string; unitCost: string | null; state: unknown }>(
    rt.database.db,
    sql`select quantity::text as quantity, value::text as value, unit_cost::text as "unitCost", state from stock_valuation
        where item_id = ${itemId} and warehouse_id is not distinct from ${warehouseId}::int8`,
  );
  const v = r[0] ?? { quantity: "0", value: "0", unitCost: null, state: { layers: [] } };
  const state = typeof v.state === "string" ? JSON.parse(v.state) : v.state;
  return { quantity: String(Number(v.quantity)), value: Number(v.value).toFixed(2), unitCost: v.unitCost, state };
}

export async function doctorOk(rt: Runtime): Promise<boolean> {
  const { inventoryChecks } = await import("../src/modules/inventory/doctor.ts");
  const checks = await inventoryChecks(rt.database.db);
  const bad = checks.filter((c) => !c.ok);
  if (bad.length) process.stderr.write(`doctor: ${JSON.stringify(bad)}\n`);
  return bad.length === 0;
}
