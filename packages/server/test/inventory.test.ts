import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows, sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, count, dbError, login, type TestSystem, testSystem } from "./harness.ts";
import { type InvFixture, doctorOk, inventoryFixture, issue, onHand, receive, valuation } from "./inventory-fixtures.ts";

describe.skipIf(!DB_AVAILABLE)("inventory: documents, ledger, balances", () => {
  let sys: TestSystem;
  let admin: Client;
  let f: InvFixture;

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    f = await inventoryFixture(sys.rt);
  });
  afterAll(() => sys?.close());

  it("posting a receipt appends moves, updates balances and valuation in one transaction, and tells finance", async () => {
    const draft = await admin.post(
      "/api/inventory/receipts",
      { partnerId: f.supplier, reference: "DN-001", toLocationId: f.loc.WH1_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "100", unitCost: "0.42" }] },
      { "idempotency-key": "gr-1" },
    );
    expect(draft.statusCode).toBe(201);
    const doc = draft.json();
    expect(doc).toMatchObject({ state: "draft", version: 1 });
    expect(doc.number).toMatch(/^GR-\d{4}-\d{6}$/);
    // A draft moves nothing but shows as incoming.
    expect(await count(sys.rt, "stock_move", `doc_id = ${doc.id}`)).toBe(0);
    const incoming = (await admin.get(`/api/inventory/stock?group=location&itemId=${f.items.BOLT}`)).json();
    expect(incoming.items[0]).toMatchObject({ locationCode: "T-WH1/STOCK", onHand: "0", incoming: "100" });

    const events = await count(sys.rt, "outbox_event", "type = 'inventory.move.valued'");
    const posted = await admin.post(`/api/inventory/receipts/${doc.id}/post`, {}, { "if-match": '"1"' });
    expect(posted.statusCode).toBe(200);
    expect(posted.json()).toMatchObject({ state: "posted", version: 2 });

    const moves = await rows<Record<string, unknown>>(
      sys.rt.database.db,
      sql`select quantity::text as q, unit_cost::text as c, value::text as v, move_type, from_location_id, to_location_id from stock_move where doc_id = ${doc.id} and doc_type = 'receipt'`,
    );
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({ move_type: "receipt", from_location_id: f.loc.SUPPLIER, to_location_id: f.loc.WH1_STOCK });
    expect(Number(moves[0].q)).toBe(100);
    expect(Number(moves[0].v)).toBe(42);
    expect(await onHand(sys.rt, f.items.BOLT, f.loc.WH1_STOCK)).toBe("100");
    expect(await valuation(sys.rt, f.items.BOLT, f.wh.WH1)).toMatchObject({ quantity: "100", value: "42.00" });
    expect(await count(sys.rt, "outbox_event", "type = 'inventory.move.valued'")).toBe(events + 1);
    const [ev] = await rows<{ payload: Record<string, unknown> }>(
      sys.rt.database.db,
      sql`select payload from outbox_event where type = 'inventory.move.valued' order by id desc limit 1`,
    );
    const payload = typeof ev.payload === "string" ? JSON.parse(ev.payload) : ev.payload;
    expect(payload).toMatchObject({
      itemId: f.items.BOLT,
      quantity: "100",
      value: "42.00",
      from: { kind: "supplier" },
      to: { kind: "internal", warehouseId: f.wh.WH1 },
      document: { type: "receipt", id: doc.id, number: doc.number, line: 1 },
    });
    const stock = (await admin.get(`/api/inventory/stock?group=warehouse&itemId=${f.items.BOLT}`)).json();
    expect(stock.items[0]).toMatchObject({ warehouseCode: "T-WH1", onHand: "100", available: "100", value: "42.00", unitCost: "0.420000" });
    expect(await doctorOk(sys.rt)).toBe(true);
  });

  it("exactly the available units are issued when 50 requests race for the last 10", async () => {
    await receive(admin, [{ itemId: f.items.FIFO, quantity: "10", unitCost: "5", toLocationId: f.loc.WH1_B }]);
    const before = await count(sys.rt, "stock_move");
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        admin.post("/api/inventory/issues", { fromLocationId: f.loc.WH1_B, partnerId: f.customer, lines: [{ itemId: f.items.FIFO, quantity: "1" }], post: true }),
      ),
    );
    const ok = results.filter((r) => r.statusCode === 201);
    const refused = results.filter((r) => r.statusCode !== 201);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const r of refused) {
      expect(r.statusCode).toBe(422);
      expect(r.headers["content-type"]).toContain("application/problem+json");
      const p = r.json();
      expect(p.code).toBe("insufficient_stock");
      expect(p.detail).toContain("T-FIFO");
      expect(p.detail).toContain("T-WH1/B-01");
      expect(p.detail).toMatch(/has 0 available/);
    }
    expect(await onHand(sys.rt, f.items.FIFO, f.loc.WH1_B)).toBe("0");
    expect(await count(sys.rt, "stock_move")).toBe(before + 10);
    // Nothing of the refused ones stayed behind: no drafts either (create+post is one transaction).
    expect(await count(sys.rt, "stock_document", `doc_type = 'issue' and state = 'draft'`)).toBe(0);
    expect(await valuation(sys.rt, f.items.FIFO, f.wh.WH1)).toMatchObject({ quantity: "0", value: "0.00" });
    expect(await doctorOk(sys.rt)).toBe(true);
  });

  it("a posted document cannot be changed, through the API or in SQL; the ledger is append-only", async () => {
    const doc = await receive(admin, [{ itemId: f.items.BOLT, quantity: "5", unitCost: "0.5", toLocationId: f.loc.WH1_STOCK }]);
    const patch = await admin.patch(`/api/inventory/receipts/${doc.id}`, { reference: "changed" }, { "if-match": `"${doc.version}"` });
    expect(patch.statusCode).toBe(422);
    expect(patch.json().code).toBe("document_not_draft");
    const again = await admin.post(`/api/inventory/receipts/${doc.id}/post`, { version: doc.version });
    expect(again.json().code).toBe("document_not_draft");
    const db = sys.rt.database.db;
    expect(await dbError(db.execute(sql`update stock_document set reference = 'x' where id = ${doc.id}`))).toMatch(/cannot be changed/);
    expect(await dbError(db.execute(sql`update stock_document set state = 'draft' where id = ${doc.id}`))).toMatch(/cannot be changed/);
    expect(await dbError(db.execute(sql`delete from stock_document where id = ${doc.id}`))).toMatch(/cannot be deleted/);
    expect(await dbError(db.execute(sql`update stock_document_line set quantity = 1 where document_id = ${doc.id}`))).toMatch(/cannot be changed/);
    expect(await dbError(db.execute(sql`delete from stock_document_line where document_id = ${doc.id}`))).toMatch(/cannot be changed/);
    expect(await dbError(db.execute(sql`insert into stock_document_line (document_id, line_no, item_id, quantity, from_location_id, to_location_id)
      values (${doc.id}, 9, ${f.items.BOLT}, 1, ${f.loc.SUPPLIER}, ${f.loc.WH1_STOCK})`))).toMatch(/cannot be added/);
    expect(await dbError(db.execute(sql`update stock_move set quantity = 1 where doc_id = ${doc.id}`))).toMatch(/append-only/);
    expect(await dbError(db.execute(sql`delete from stock_move where doc_id = ${doc.id}`))).toMatch(/append-only/);
    expect(await dbError(db.execute(sql`truncate stock_move cascade`))).toMatch(/append-only/);
    expect(await dbError(db.execute(sql`update stock_valuation_entry set value = 0`))).toMatch(/append-only/);
    // Nor can a reversal be forged that does not mirror its original.
    const [m] = await rows<{ id: number }>(db, sql`select id from stock_move where doc_id = ${doc.id} and doc_type = 'receipt'`);
    expect(
      await dbError(
        db.execute(sql`insert into stock_move (company_id, item_id, quantity, from_location_id, to_location_id, move_type, doc_type, doc_id, doc_line,
          unit_cost, value, reversal_of, posting_date) values (${f.companyId}, ${f.items.BOLT}, 4, ${f.loc.WH1_STOCK}, ${f.loc.SUPPLIER}, 'receipt', 'receipt',
          ${doc.id}, 1, 0, 0, ${m.id}, current_date)`),
      ),
    ).toMatch(/must mirror/);
  });

  it("a reversal restores balances and value exactly, points at the original, and happens once", async () => {
    const start = await valuation(sys.rt, f.items.BOLT, f.wh.WH1);
    const startQty = await onHand(sys.rt, f.items.BOLT, f.loc.WH1_STOCK);
    const doc = await receive(admin, [
      { itemId: f.items.BOLT, quantity: "30", unitCost: "0.7", toLocationId: f.loc.WH1_STOCK },
      { itemId: f.items.BOLT, quantity: "7", unitCost: "0.33", toLocationId: f.loc.WH1_RECV },
    ]);
    expect(await valuation(sys.rt, f.items.BOLT, f.wh.WH1)).not.toMatchObject({ value: start.value });
    const noReason = await admin.post(`/api/inventory/documents/${doc.id}/reverse`, { version: doc.version });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0]).toMatchObject({ field: "/reason", rule: "required" });
    const rev = await admin.post(`/api/inventory/documents/${doc.id}/reverse`, { version: doc.version, reason: "wrong supplier delivery note" });
    expect(rev.statusCode).toBe(201);
    const r = rev.json();
    expect(r).toMatchObject({ state: "posted", reversalOf: doc.id });
    expect(await valuation(sys.rt, f.items.BOLT, f.wh.WH1)).toMatchObject({ quantity: start.quantity, value: start.value });
    expect(await onHand(sys.rt, f.items.BOLT, f.loc.WH1_STOCK)).toBe(startQty);
    expect(await onHand(sys.rt, f.items.BOLT, f.loc.WH1_RECV)).toBe("0");
    const orig = (await admin.get(`/api/inventory/documents/${doc.id}`)).json();
    expect(orig).toMatchObject({ state: "reversed", reversedBy: r.id, reversedByNumber: r.number });
    const revDoc = (await admin.get(`/api/inventory/documents/${r.id}`)).json();
    expect(revDoc).toMatchObject({ reversalOf: doc.id, reversalOfNumber: doc.number, reversalReason: "wrong supplier delivery note" });
    expect(revDoc.lines).toHaveLength(2);
    expect(revDoc.lines[0]).toMatchObject({ fromLocationCode: "T-WH1/STOCK", toLocationCode: "T-VIRT/SUPPLIER", value: "21.00" });
    const pairs = await rows<{ reversal_of: number; original_line: number }>(
      sys.rt.database.db,
      sql`select r.reversal_of, o.doc_line as original_line from stock_move r join stock_move o on o.id = r.reversal_of where r.doc_id = ${r.id} and r.doc_type = 'receipt'`,
    );
    expect(pairs).toHaveLength(2);
    const twice = await admin.post(`/api/inventory/documents/${doc.id}/reverse`, { version: orig.version, reason: "again" });
    expect(twice.json().code).toBe("already_reversed");
    const ofReversal = await admin.post(`/api/inventory/documents/${r.id}/reverse`, { version: revDoc.version, reason: "undo" });
    expect(ofReversal.json().code).toBe("cannot_reverse_reversal");
    expect(await doctorOk(sys.rt)).toBe(true);
  });

  it("refuses to reverse a receipt whose goods are gone, and leaves nothing behind", async () => {
    const doc = await receive(admin, [{ itemId: f.items.NEG, quantity: "3", unitCost: "2", toLocationId: f.loc.WH1_B }]);
    await issue(admin, [{ itemId: f.items.NEG, quantity: "3" }], { fromLocationId: f.loc.WH1_B });
    const docs = await count(sys.rt, "stock_document");
    const res = await admin.post(`/api/inventory/documents/${doc.id}/reverse`, { version: doc.version, reason: "test" });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe("insufficient_stock");
    expect(await count(sys.rt, "stock_document")).toBe(docs);
    expect((await admin.get(`/api/inventory/documents/${doc.id}`)).json().state).toBe("posted");
  });

  it("bad input names the field; a failed post leaves the draft as it was", async () => {
    const bad = await admin.post("/api/inventory/receipts", { lines: [{ itemId: f.items.BOLT, quantity: "-1" }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: "/lines/0/quantity", rule: "pattern" });
    const zero = await admin.post("/api/inventory/receipts", { toLocationId: f.loc.WH1_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "0" }] });
    expect(zero.json().errors[0]).toMatchObject({ field: "/lines/0/quantity", rule: "minimum" });
    const kind = await admin.post("/api/inventory/receipts", { toLocationId: f.loc.CUSTOMER, lines: [{ itemId: f.items.BOLT, quantity: "1" }] });
    expect(kind.json().errors[0]).toMatchObject({ field: "/lines/0/toLocationId", rule: "kind" });
    const noLot = await admin.post("/api/inventory/receipts", { toLocationId: f.loc.WH1_STOCK, lines: [{ itemId: f.items.PAINT, quantity: "1" }], post: true });
    expect(noLot.statusCode).toBe(400);
    expect(noLot.json().errors[0]).toMatchObject({ field: "/lines/0/lotNo", rule: "required" });
    const lotOnUntracked = await admin.post("/api/inventory/receipts", { toLocationId: f.loc.WH1_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "1", lotNo: "L1" }] });
    expect(lotOnUntracked.json().errors[0]).toMatchObject({ field: "/lines/0/lotNo", rule: "forbidden" });
    const future = await admin.post("/api/inventory/receipts", { postingDate: "2999-01-01", toLocationId: f.loc.WH1_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "1" }] });
    expect(future.json().errors[0]).toMatchObject({ field: "/postingDate", rule: "maximum" });
    const unknown = await admin.post("/api/inventory/issues", { fromLocationId: f.loc.WH1_STOCK, lines: [{ itemId: 999999, quantity: "1" }] });
    expect(unknown.json().errors[0]).toMatchObject({ field: "/lines/0/itemId", rule: "exists" });

    // A draft that cannot be posted (not enough stock) stays a draft, unchanged.
    const d = (await admin.post("/api/inventory/issues", { fromLocationId: f.loc.WH1_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "99999" }] })).json();
    const moves = await count(sys.rt, "stock_move");
    const p = await admin.post(`/api/inventory/issues/${d.id}/post`, { version: d.version });
    expect(p.statusCode).toBe(422);
    expect(p.json()).toMatchObject({ code: "insufficient_stock" });
    expect(p.json().errors[0]).toMatchObject({ field: "/lines/0/quantity", rule: "available" });
    expect(await count(sys.rt, "stock_move")).toBe(moves);
    const still = (await admin.get(`/api/inventory/documents/${d.id}`)).json();
    expect(still).toMatchObject({ state: "draft", version: d.version });
    const cancel = await admin.post(`/api/inventory/issues/${d.id}/cancel`, { version: d.version });
    expect(cancel.json().state).toBe("cancelled");
  });

  it("a draft is edited with its version and lines replaced; a stale version gets 409", async () => {
    const d = (await admin.post("/api/inventory/transfers", { fromLocationId: f.loc.WH1_STOCK, toLocationId: f.loc.WH2_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "2" }] })).json();
    const e = await admin.patch(`/api/inventory/transfers/${d.id}`, { note: "two lines", lines: [{ itemId: f.items.BOLT, quantity: "3" }, { itemId: f.items.BOLT, quantity: "1", toLocationId: f.loc.WH1_B }] }, { "if-match": '"1"' });
    expect(e.statusCode).toBe(200);
    expect(e.json().version).toBe(2);
    const stale = await admin.patch(`/api/inventory/transfers/${d.id}`, { note: "lost" }, { "if-match": '"1"' });
    expect(stale.statusCode).toBe(409);
    const doc = (await admin.get(`/api/inventory/documents/${d.id}`)).json();
    expect(doc.note).toBe("two lines");
    expect(doc.lines.map((l: { quantity: string; toLocationCode: string }) => `${l.quantity}@${l.toLocationCode}`)).toEqual(["3@T-WH2/STOCK", "1@T-WH1/B-01"]);
    // Posting: a transfer across warehouses moves value with the goods; one within a warehouse does not.
    const wh1 = await valuation(sys.rt, f.items.BOLT, f.wh.WH1);
    const p = await admin.post(`/api/inventory/transfers/${d.id}/post`, { version: 2 });
    expect(p.statusCode).toBe(200);
    const wh1After = await valuation(sys.rt, f.items.BOLT, f.wh.WH1);
    const wh2After = await valuation(sys.rt, f.items.BOLT, f.wh.WH2);
    expect(Number(wh1.quantity) - Number(wh1After.quantity)).toBe(3);
    expect(wh2After.quantity).toBe("3");
    expect((Number(wh1.value) - Number(wh1After.value)).toFixed(2)).toBe(wh2After.value);
    expect(await doctorOk(sys.rt)).toBe(true);
  });

  it("the doctor check names a balance that no longer agrees with the ledger", async () => {
    const { inventoryChecks } = await import("../src/modules/inventory/doctor.ts");
    await sys.rt.database.db.execute(sql`update stock_balance set on_hand = on_hand + 1 where item_id = ${f.items.BOLT} and location_id = ${f.loc.WH1_STOCK}`);
    const checks = await inventoryChecks(sys.rt.database.db);
    const bal = checks.find((c) => c.name.startsWith("stock balances"))!;
    expect(bal.ok).toBe(false);
    expect(bal.detail).toContain(`item ${f.items.BOLT} location ${f.loc.WH1_STOCK}`);
    expect(checks.find((c) => c.name.startsWith("stock valuation"))!.ok).toBe(false);
    await sys.rt.database.db.execute(sql`update stock_balance set on_hand = on_hand - 1 where item_id = ${f.items.BOLT} and location_id = ${f.loc.WH1_STOCK}`);
    expect(await doctorOk(sys.rt)).toBe(true);
    // The database refuses a negative balance where neither the item nor the location allows it.
    expect(await dbError(sys.rt.database.db.execute(sql`update stock_balance set on_hand = -1 where item_id = ${f.items.BOLT} and location_id = ${f.loc.WH1_STOCK}`))).toMatch(
      /would become negative/,
    );
  });
});
