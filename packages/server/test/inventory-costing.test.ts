import { type ValuationEntry, inventoryValueAsOf } from "@kaiwu/costing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows, sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, login, type TestSystem, testSystem } from "./harness.ts";
import { type InvFixture, doctorOk, inventoryFixture, issue, receive, valuation } from "./inventory-fixtures.ts";

/** The costing engine's worked examples (docs/costing-engine.md), driven through documents and reversals. */
describe.skipIf(!DB_AVAILABLE)("inventory valuation through the costing engine", () => {
  let sys: TestSystem;
  let admin: Client;
  let f: InvFixture;

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    f = await inventoryFixture(sys.rt);
  });
  afterAll(() => sys?.close());

  const moveOf = async (docId: number, line = 1) =>
    (await rows<{ id: number }>(sys.rt.database.db, sql`select id from stock_move where doc_id = ${docId} and doc_line = ${line} and doc_type <> 'count' order by id desc limit 1`))[0].id;
  const reverse = async (doc: { id: number }) => {
    const d = (await admin.get(`/api/inventory/documents/${doc.id}`)).json();
    return admin.post(`/api/inventory/documents/${doc.id}/reverse`, { version: d.version, reason: "test correction" });
  };
  const value = async (itemId: number) => valuation(sys.rt, itemId, f.wh.WH1);

  it("moving average: receipts, issue, return to supplier, customer return, its reversal", async () => {
    const item = f.items.BOLT;
    const at = { toLocationId: f.loc.WH1_STOCK };
    const r1 = await receive(admin, [{ itemId: item, quantity: "100", unitCost: "10" }], at);
    const r2 = await receive(admin, [{ itemId: item, quantity: "50", unitCost: "13" }], at);
    expect(await value(item)).toMatchObject({ quantity: "150", value: "1650.00", unitCost: "11.000000" });
    const i1 = await issue(admin, [{ itemId: item, quantity: "60" }], { fromLocationId: f.loc.WH1_STOCK, partnerId: f.customer });
    expect(await value(item)).toMatchObject({ quantity: "90", value: "990.00" });
    // Back to the supplier at the second receipt's own cost.
    await issue(admin, [{ itemId: item, quantity: "10", toLocationId: f.loc.SUPPLIER, returnOfMoveId: await moveOf(r2.id) }], { fromLocationId: f.loc.WH1_STOCK });
    expect(await value(item)).toMatchObject({ quantity: "80", value: "860.00", unitCost: "10.750000" });
    // Back from the customer at the issue's cost.
    const cr = await receive(admin, [{ itemId: item, quantity: "6", fromLocationId: f.loc.CUSTOMER, returnOfMoveId: await moveOf(i1.id) }], at);
    expect(await value(item)).toMatchObject({ quantity: "86", value: "926.00", unitCost: "10.767442" });
    await receive(admin, [{ itemId: item, quantity: "30", unitCost: "9.95" }], at);
    expect(await value(item)).toMatchObject({ quantity: "116", value: "1224.50", unitCost: "10.556034" });
    expect((await reverse(cr)).statusCode).toBe(201);
    expect(await value(item)).toMatchObject({ quantity: "110", value: "1158.50", unitCost: "10.531818" });
    const last = await issue(admin, [{ itemId: item, quantity: "110" }], { fromLocationId: f.loc.WH1_STOCK });
    expect(await value(item)).toMatchObject({ quantity: "0", value: "0.00" });
    const doc = (await admin.get(`/api/inventory/documents/${last.id}`)).json();
    expect(doc.lines[0]).toMatchObject({ value: "1158.50", unitCost: "10.531818" });
    // Returns cannot exceed what came in, nor come from another receipt's supplier kind.
    const tooMuch = await admin.post("/api/inventory/issues", {
      fromLocationId: f.loc.WH1_STOCK,
      lines: [{ itemId: item, quantity: "41", toLocationId: f.loc.SUPPLIER, returnOfMoveId: await moveOf(r2.id) }],
      post: true,
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().errors[0]).toMatchObject({ field: "/lines/0/quantity", rule: "maximum" });
    const r1move = await moveOf(r1.id);
    const wrong = await admin.post("/api/inventory/receipts", { lines: [{ itemId: item, quantity: "1", fromLocationId: f.loc.CUSTOMER, returnOfMoveId: r1move }], ...at, post: true });
    expect(wrong.json().errors[0]).toMatchObject({ field: "/lines/0/returnOfMoveId", rule: "kind" });
    // A receipt with a return is not reversed before its return.
    const blocked = await reverse(r2);
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().code).toBe("reversal_blocked_by_returns");
    expect(await doctorOk(sys.rt)).toBe(true);
  });

  it("FIFO: layers consumed, returned, restored by reversals; a consumed receipt cannot be reversed", async () => {
    const item = f.items.FIFO;
    const at = { toLocationId: f.loc.WH1_STOCK };
    const r1 = await receive(admin, [{ itemId: item, quantity: "10", unitCost: "10" }], at);
    const r2 = await receive(admin, [{ itemId: item, quantity: "10", unitCost: "12" }], at);
    const r3 = await receive(admin, [{ itemId: item, quantity: "5", unitCost: "11" }], at);
    expect(await value(item)).toMatchObject({ quantity: "25", value: "275.00" });
    const i1 = await issue(admin, [{ itemId: item, quantity: "14" }], { fromLocationId: f.loc.WH1_STOCK });
    const i1doc = (await admin.get(`/api/inventory/documents/${i1.id}`)).json();
    expect(i1doc.lines[0]).toMatchObject({ value: "148.00", unitCost: "10.571429" });
    const sr = await issue(admin, [{ itemId: item, quantity: "3", toLocationId: f.loc.SUPPLIER, returnOfMoveId: await moveOf(r2.id) }], { fromLocationId: f.loc.WH1_STOCK });
    expect((await admin.get(`/api/inventory/documents/${sr.id}`)).json().lines[0]).toMatchObject({ value: "36.00" });
    const cr = await receive(admin, [{ itemId: item, quantity: "7", fromLocationId: f.loc.CUSTOMER, returnOfMoveId: await moveOf(i1.id) }], at);
    expect((await admin.get(`/api/inventory/documents/${cr.id}`)).json().lines[0]).toMatchObject({ value: "74.00" });
    expect((await reverse(sr)).statusCode).toBe(201);
    expect((await reverse(r3)).statusCode).toBe(201);
    const refused = await reverse(r1);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe("reversal_layer_consumed");
    expect((await reverse(cr)).statusCode).toBe(201);
    expect((await reverse(i1)).statusCode).toBe(201);
    const v = await value(item);
    expect(v).toMatchObject({ quantity: "20", value: "220.00" });
    expect(v.state.layers.map((l) => `${l.qty}:${l.value}`)).toEqual(["10:100.00", "10:120.00"]);
    expect(await doctorOk(sys.rt)).toBe(true);
  });

  it("standard cost: receipts at standard with purchase price variance; a new standard revalues stock first", async () => {
    const item = f.items.MOTOR;
    const at = { toLocationId: f.loc.WH1_STOCK };
    await receive(admin, [{ itemId: item, quantity: "1", unitCost: "126", lotNo: "SN-0001" }], at);
    await receive(admin, [{ itemId: item, quantity: "1", unitCost: "118", lotNo: "SN-0002" }], at);
    expect(await value(item)).toMatchObject({ quantity: "2", value: "240.00" });
    const variance = await rows<{ v: string }>(sys.rt.database.db, sql`select sum(variance)::text as v from stock_valuation_entry where item_id = ${item}`);
    expect(Number(variance[0].v)).toBe(4);
    // A serial number is in stock once.
    const dup = await admin.post("/api/inventory/receipts", { ...at, lines: [{ itemId: item, quantity: "1", unitCost: "120", lotNo: "SN-0001" }], post: true });
    expect(dup.json().errors[0]).toMatchObject({ field: "/lines/0/lotNo", rule: "serial" });
    const two = await admin.post("/api/inventory/receipts", { ...at, lines: [{ itemId: item, quantity: "2", lotNo: "SN-0003" }] });
    expect(two.json().errors[0]).toMatchObject({ field: "/lines/0/quantity", rule: "serial" });
    // The catalog changes the standard: the next move revalues the stock on hand, then moves at the new standard.
    await sys.rt.database.db.execute(sql`update item set standard_cost = 130 where id = ${item}`);
    const lot = await rows<{ id: number }>(sys.rt.database.db, sql`select id from stock_lot where item_id = ${item} and lot_no = 'SN-0001'`);
    await issue(admin, [{ itemId: item, quantity: "1", lotId: lot[0].id }], { fromLocationId: f.loc.WH1_STOCK });
    expect(await value(item)).toMatchObject({ quantity: "1", value: "130.00", unitCost: "130.000000" });
    const reval = await rows<{ value: string }>(sys.rt.database.db, sql`select value::text as value from stock_valuation_entry where item_id = ${item} and kind = 'standard_cost_change'`);
    expect(reval.map((r) => Number(r.value))).toEqual([20]);
    expect(await doctorOk(sys.rt)).toBe(true);
  });

  it("inventory value as of a date is Σ entries up to it, per item and warehouse, as the engine computes it", async () => {
    const item = f.items.STEEL;
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    await receive(admin, [{ itemId: item, quantity: "40", unitCost: "8", lotNo: "ST-A" }], { toLocationId: f.loc.WH1_STOCK, postingDate: day(20) });
    await receive(admin, [{ itemId: item, quantity: "60", unitCost: "9", lotNo: "ST-B" }], { toLocationId: f.loc.WH2_STOCK, postingDate: day(15) });
    const lotA = (await rows<{ id: number }>(sys.rt.database.db, sql`select id from stock_lot where item_id = ${item} and lot_no = 'ST-A'`))[0].id;
    await issue(admin, [{ itemId: item, quantity: "15", lotId: lotA }], { fromLocationId: f.loc.WH1_STOCK, postingDate: day(10) });
    const report = async (asOf: string, group = "item_warehouse") =>
      (await admin.get(`/api/inventory/valuation?asOf=${asOf}&group=${group}&q=T-STEEL`)).json();
    const early = await report(day(16));
    expect(early.items).toHaveLength(1);
    expect(early.items[0]).toMatchObject({ warehouseCode: "T-WH1", quantity: "40", value: "320.00" });
    const later = await report(day(5));
    expect(later.items.map((r: { warehouseCode: string; quantity: string; value: string }) => `${r.warehouseCode}:${r.quantity}:${r.value}`)).toEqual([
      "T-WH1:25:200.00",
      "T-WH2:60:540.00",
    ]);
    expect((await report(day(5), "item")).items[0]).toMatchObject({ quantity: "85", value: "740.00" });
    // The same figures from the engine's own as-of function over the stored entries.
    const entries = await rows<{ entry: ValuationEntry; posting_date: string }>(
      sys.rt.database.db,
      sql`select entry, to_char(posting_date, 'YYYY-MM-DD') as posting_date from stock_valuation_entry where item_id = ${item} order by id`,
    );
    const dated = entries.map((e) => ({ ...(typeof e.entry === "string" ? JSON.parse(e.entry) : e.entry), date: e.posting_date }));
    expect(inventoryValueAsOf(dated, day(16)).value).toBe("320.00");
    expect(inventoryValueAsOf(dated, day(5)).value).toBe("740.00");
    // Values are sensitive: no value permission, no report.
    expect((await admin.get(`/api/inventory/valuation?asOf=notadate`)).statusCode).toBe(400);
  });
});
