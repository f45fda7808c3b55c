import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows, sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, count, dbError, login, plantDay, type TestSystem, testSystem } from "./harness.ts";
import { type InvFixture, doctorOk, inventoryFixture, issue, onHand, receive } from "./inventory-fixtures.ts";

/** Lots (FEFO, trace), physical inventory with maker ≠ checker, reservations, and what each person may see. */
describe.skipIf(!DB_AVAILABLE)("inventory: lots, counts, reservations, permissions", () => {
  let sys: TestSystem;
  let admin: Client;
  let counter: Client;
  let approver: Client;
  let clerk: Client;
  let f: InvFixture;
  const lotId = async (itemId: number, lotNo: string) =>
    (await rows<{ id: number }>(sys.rt.database.db, sql`select id from stock_lot where item_id = ${itemId} and lot_no = ${lotNo}`))[0].id;
  let today = "";
  const day = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    f = await inventoryFixture(sys.rt);
    today = await plantDay(sys.rt);
    // A storekeeper role without the sensitive value permission (roles are the access module's; written here as data).
    await sys.rt.database.db.execute(sql`insert into role (company_id, code, name_zh, name_en, permissions)
      values (${f.companyId}, 'inv_clerk', '仓管员', 'Storekeeper',
        array['inventory.stock.read', 'inventory.receipt.edit', 'inventory.receipt.post', 'inventory.issue.edit', 'inventory.issue.post',
              'inventory.transfer.edit', 'inventory.transfer.post', 'inventory.count.edit', 'inventory.reservation.edit']),
             (${f.companyId}, 'inv_checker', '盘点复核', 'Count reviewer',
        array['inventory.stock.read', 'inventory.value.read', 'inventory.count.approve'])`);
    const mk = async (username: string, role: string) => {
      const r = await admin.post("/api/identity/users", { username, displayName: username, roles: [{ role }] });
      if (r.statusCode !== 201) throw new Error(r.body);
      return login(sys.app, username, r.json().oneTimePassword);
    };
    counter = await mk("inv.counter", "inv_clerk");
    approver = await mk("inv.approver", "inv_checker");
    clerk = counter;
  });
  afterAll(() => sys?.close());

  it("proposes lots first-expiry-first-out, then oldest receipt, skipping expired ones", async () => {
    const at = { toLocationId: f.loc.WH1_STOCK };
    await receive(admin, [{ itemId: f.items.GLUE, quantity: "10", unitCost: "3", lotNo: "G-LATE", expiryDate: day(60) }], at);
    await receive(admin, [{ itemId: f.items.GLUE, quantity: "5", unitCost: "3", lotNo: "G-SOON", expiryDate: day(10) }], at);
    await receive(admin, [{ itemId: f.items.GLUE, quantity: "4", unitCost: "3", lotNo: "G-OLD", expiryDate: day(-2), supplierLot: "SUP-77" }], at);
    await receive(admin, [{ itemId: f.items.GLUE, quantity: "8", unitCost: "3", lotNo: "G-SOON2", expiryDate: day(10) }], at);
    const s = (await admin.get(`/api/inventory/suggest-lots?itemId=${f.items.GLUE}&quantity=12`)).json();
    expect(s.suggestions.map((x: { lotNo: string; take: string }) => `${x.lotNo}:${x.take}`)).toEqual(["G-SOON:5", "G-SOON2:7"]);
    expect(s.expired.map((x: { lotNo: string }) => x.lotNo)).toEqual(["G-OLD"]);
    expect(s.shortfall).toBe("0");
    const all = (await admin.get(`/api/inventory/suggest-lots?itemId=${f.items.GLUE}&quantity=40`)).json();
    expect(all.shortfall).toBe("17");
    // Expired goods are not sold or used; they may be scrapped.
    const expired = await admin.post("/api/inventory/issues", {
      fromLocationId: f.loc.WH1_STOCK,
      lines: [{ itemId: f.items.GLUE, quantity: "1", lotId: await lotId(f.items.GLUE, "G-OLD") }],
      post: true,
    });
    expect(expired.json().errors[0]).toMatchObject({ field: "/lines/0/lotId", rule: "expired" });
    await issue(admin, [{ itemId: f.items.GLUE, quantity: "4", lotId: await lotId(f.items.GLUE, "G-OLD"), toLocationId: f.loc.SCRAP }], { fromLocationId: f.loc.WH1_STOCK });
    // Default expiry from the item's shelf life (30 days).
    await receive(admin, [{ itemId: f.items.GLUE, quantity: "1", unitCost: "3", lotNo: "G-DEF" }], at);
    const lots = (await admin.get(`/api/inventory/lots?itemId=${f.items.GLUE}&q=G-DEF`)).json();
    expect(lots.items[0].expiryDate).toBe(day(30));
  });

  it("traces a supplier lot forward into the products made from it, and a product lot back to its supplier lots", async () => {
    const at = { toLocationId: f.loc.WH1_STOCK };
    await receive(admin, [{ itemId: f.items.STEEL, quantity: "100", unitCost: "8", lotNo: "ST-001", supplierLot: "BAOSTEEL-9981" }], { ...at, partnerId: f.supplier });
    await receive(admin, [{ itemId: f.items.STEEL, quantity: "50", unitCost: "8.4", lotNo: "ST-002", supplierLot: "BAOSTEEL-9990" }], { ...at, partnerId: f.supplier });
    const st1 = await lotId(f.items.STEEL, "ST-001");
    const st2 = await lotId(f.items.STEEL, "ST-002");
    // Work order WO-1 consumes both steel lots and makes frame lot FR-A; WO-2 uses ST-001 for FR-B.
    await issue(
      admin,
      [
        { itemId: f.items.STEEL, quantity: "30", lotId: st1 },
        { itemId: f.items.STEEL, quantity: "20", lotId: st2 },
      ],
      { fromLocationId: f.loc.WH1_STOCK, toLocationId: f.loc.PROD, productionRef: "WO-1" },
    );
    await receive(admin, [{ itemId: f.items.FRAME, quantity: "10", lotNo: "FR-A", unitCost: "62" }], { ...at, fromLocationId: f.loc.PROD, productionRef: "WO-1" });
    await issue(admin, [{ itemId: f.items.STEEL, quantity: "12", lotId: st1 }], { fromLocationId: f.loc.WH1_STOCK, toLocationId: f.loc.PROD, productionRef: "WO-2" });
    await receive(admin, [{ itemId: f.items.FRAME, quantity: "4", lotNo: "FR-B", unitCost: "61" }], { ...at, fromLocationId: f.loc.PROD, productionRef: "WO-2" });
    await issue(admin, [{ itemId: f.items.FRAME, quantity: "6", lotId: await lotId(f.items.FRAME, "FR-A") }], { fromLocationId: f.loc.WH1_STOCK, partnerId: f.customer });

    // Find the lot by the supplier's lot number.
    const found = (await admin.get("/api/inventory/lots?q=BAOSTEEL-9981")).json();
    expect(found.items.map((l: { lotNo: string }) => l.lotNo)).toEqual(["ST-001"]);
    const fwd = (await admin.get(`/api/inventory/trace?lotId=${st1}&direction=forward`)).json();
    expect(fwd).toMatchObject({ lotNo: "ST-001", supplierLot: "BAOSTEEL-9981", itemCode: "T-STEEL" });
    expect(fwd.moves.map((m: { moveType: string }) => m.moveType)).toEqual(["receipt", "production_consumption", "production_consumption"]);
    expect(fwd.onHand).toEqual([{ locationCode: "T-WH1/STOCK", quantity: "58" }]);
    expect(fwd.links.map((l: { productionRef: string; lots: { lotNo: string }[] }) => `${l.productionRef}:${l.lots.map((x) => x.lotNo).join(",")}`)).toEqual([
      "WO-1:FR-A",
      "WO-2:FR-B",
    ]);
    const frA = fwd.links[0].lots[0];
    expect(frA.moves.map((m: { moveType: string; toKind: string }) => `${m.moveType}>${m.toKind}`)).toEqual(["production_output>internal", "issue>customer"]);

    const back = (await admin.get(`/api/inventory/trace?lotId=${await lotId(f.items.FRAME, "FR-A")}&direction=backward`)).json();
    expect(back.links).toHaveLength(1);
    expect(back.links[0].productionRef).toBe("WO-1");
    expect(back.links[0].lots.map((l: { lotNo: string; supplierLot: string }) => `${l.lotNo}/${l.supplierLot}`)).toEqual(["ST-001/BAOSTEEL-9981", "ST-002/BAOSTEEL-9990"]);
    // Moves to and from production need the production reference.
    const noRef = await admin.post("/api/inventory/issues", { fromLocationId: f.loc.WH1_STOCK, toLocationId: f.loc.PROD, lines: [{ itemId: f.items.STEEL, quantity: "1", lotId: st1 }] });
    expect(noRef.json().errors[0]).toMatchObject({ field: "/lines/0/productionRef", rule: "required" });
  });

  it("a count freezes its locations, takes scans, and is approved by someone other than the counter", async () => {
    await receive(admin, [{ itemId: f.items.BOLT, quantity: "200", unitCost: "0.5" }], { toLocationId: f.loc.WH1_B });
    await receive(admin, [{ itemId: f.items.GLUE, quantity: "2", unitCost: "3", lotNo: "G-B01", expiryDate: day(90) }], { toLocationId: f.loc.WH1_B });
    const created = await counter.post("/api/inventory/counts", { warehouseId: f.wh.WH1, locationIds: [f.loc.WH1_B], note: "monthly count" });
    expect(created.statusCode).toBe(201);
    const c = created.json();
    const started = await counter.post(`/api/inventory/counts/${c.id}/start`, { version: c.version });
    expect(started.json()).toMatchObject({ state: "counting" });
    expect(started.json().lines).toBe(2);
    // Frozen: no moves in or out of the counted location.
    const blocked = await admin.post("/api/inventory/issues", { fromLocationId: f.loc.WH1_B, lines: [{ itemId: f.items.BOLT, quantity: "1" }], post: true });
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().code).toBe("stock_frozen");
    expect(blocked.json().detail).toContain(c.number);
    // A blind count: the counter does not see what the system expects; the approver does.
    const blind = (await counter.get(`/api/inventory/counts/${c.id}`)).json();
    expect(blind.expectedHidden).toBe(true);
    expect(blind.lines.find((l: { itemCode: string }) => l.itemCode === "T-BOLT").systemQty).toBeNull();
    // Scans: the barcode resolves to the item; each scan adds.
    const scanned = (await counter.get("/api/inventory/scan?code=6900000000011")).json();
    expect(scanned).toMatchObject({ kind: "item", itemId: f.items.BOLT });
    for (const q of ["150", "45"]) {
      const r = await counter.post(`/api/inventory/counts/${c.id}/record`, { entries: [{ itemId: f.items.BOLT, locationId: f.loc.WH1_B, quantity: q, mode: "add" }] });
      expect(r.statusCode).toBe(200);
    }
    const outside = await counter.post(`/api/inventory/counts/${c.id}/record`, { entries: [{ itemId: f.items.BOLT, locationId: f.loc.WH1_STOCK, quantity: "1" }] });
    expect(outside.json().errors[0]).toMatchObject({ field: "/entries/0/locationId", rule: "scope" });
    // The glue lot was not found: submitting needs the uncounted lines treated as zero, explicitly.
    const v = (await counter.get(`/api/inventory/counts/${c.id}`)).json();
    const incomplete = await counter.post(`/api/inventory/counts/${c.id}/submit`, { version: v.version });
    expect(incomplete.json()).toMatchObject({ code: "count_incomplete" });
    const submitted = await counter.post(`/api/inventory/counts/${c.id}/submit`, { version: v.version, zeroUncounted: true });
    expect(submitted.json()).toMatchObject({ state: "review" });
    const review = (await approver.get(`/api/inventory/counts/${c.id}`)).json();
    const bolt = review.lines.find((l: { itemCode: string }) => l.itemCode === "T-BOLT");
    expect(bolt).toMatchObject({ countedQty: "195", bookQty: "200", variance: "-5", varianceValue: "-2.50" });
    expect(review.lines.find((l: { lotNo: string }) => l.lotNo === "G-B01")).toMatchObject({ countedQty: "0", variance: "-2" });
    expect(review.varianceValue).toBe("-8.50");

    // The storekeeper role cannot approve at all; someone who counted cannot approve either, even with the permission.
    const own = await counter.post(`/api/inventory/counts/${c.id}/approve`, { version: review.version });
    expect(own.statusCode).toBe(403);
    const c2 = (await admin.post("/api/inventory/counts", { warehouseId: f.wh.WH2, locationIds: [f.loc.WH2_STOCK] })).json();
    await admin.post(`/api/inventory/counts/${c2.id}/start`, { version: c2.version });
    await admin.post(`/api/inventory/counts/${c2.id}/record`, { entries: [{ itemId: f.items.BOLT, locationId: f.loc.WH2_STOCK, quantity: "3" }] });
    const c2v = (await admin.get(`/api/inventory/counts/${c2.id}`)).json();
    await admin.post(`/api/inventory/counts/${c2.id}/submit`, { version: c2v.version, zeroUncounted: true });
    const selfApprove = await admin.post(`/api/inventory/counts/${c2.id}/approve`, { version: c2v.version + 1 });
    expect(selfApprove.statusCode).toBe(422);
    expect(selfApprove.json().code).toBe("maker_checker_violation");
    // The database refuses it too, whoever writes.
    expect(
      await dbError(
        sys.rt.database.db.execute(sql`update stock_count set state = 'posted', approved_by = submitted_by, approved_by_name = submitted_by_name, approved_at = now()
          where id = ${c2.id}`),
      ),
    ).toMatch(/approver must not be/);

    const moves = await count(sys.rt, "stock_move");
    const approved = await approver.post(`/api/inventory/counts/${c.id}/approve`, { version: review.version, note: "5 bolts missing, ok" });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ state: "posted" });
    expect(await count(sys.rt, "stock_move")).toBe(moves + approved.json().moves.length);
    expect(await onHand(sys.rt, f.items.BOLT, f.loc.WH1_B)).toBe("195");
    const adj = await rows<{ from_location_id: number; to_location_id: number; quantity: string; move_type: string }>(
      sys.rt.database.db,
      sql`select from_location_id, to_location_id, quantity::text as quantity, move_type from stock_move where doc_type = 'count' and doc_id = ${c.id} and item_id = ${f.items.BOLT}`,
    );
    expect(adj).toHaveLength(1);
    expect(adj[0]).toMatchObject({ from_location_id: f.loc.WH1_B, to_location_id: f.loc.ADJUST, move_type: "adjustment" });
    expect(Number(adj[0].quantity)).toBe(5);
    // Unfrozen again, and a posted count is immutable.
    await issue(admin, [{ itemId: f.items.BOLT, quantity: "1" }], { fromLocationId: f.loc.WH1_B });
    expect(await dbError(sys.rt.database.db.execute(sql`update stock_count_line set counted_qty = 1 where count_id = ${c.id}`))).toMatch(/cannot be changed/);
    expect(await dbError(sys.rt.database.db.execute(sql`update stock_count set note = 'x' where id = ${c.id}`))).toMatch(/cannot be changed/);
    const cancel2 = (await admin.get(`/api/inventory/counts/${c2.id}`)).json();
    expect((await admin.post(`/api/inventory/counts/${c2.id}/cancel`, { version: cancel2.version })).json().state).toBe("cancelled");
    expect(await doctorOk(sys.rt)).toBe(true);
  });

  it("reservations reduce available stock; an issue for the order consumes them, others cannot take reserved stock", async () => {
    await receive(admin, [{ itemId: f.items.BOLT, quantity: "20", unitCost: "0.5" }], { toLocationId: f.loc.WH2_STOCK });
    const res = await clerk.post("/api/inventory/reservations", { itemId: f.items.BOLT, locationId: f.loc.WH2_STOCK, quantity: "15", refType: "sales_order", refId: "SO-1001" });
    expect(res.json()).toMatchObject({ state: "open" });
    const tooMuch = await clerk.post("/api/inventory/reservations", { itemId: f.items.BOLT, locationId: f.loc.WH2_STOCK, quantity: "6", refType: "sales_order", refId: "SO-1002" });
    expect(tooMuch.json()).toMatchObject({ code: "insufficient_stock" });
    const stock = (await clerk.get(`/api/inventory/stock?group=location&itemId=${f.items.BOLT}&locationId=${f.loc.WH2_STOCK}`)).json();
    expect(stock.items[0]).toMatchObject({ onHand: "20", reserved: "15", available: "5" });
    const other = await clerk.post("/api/inventory/issues", { fromLocationId: f.loc.WH2_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "6" }], post: true });
    expect(other.json().code).toBe("insufficient_stock");
    const forOrder = await clerk.post("/api/inventory/issues", {
      fromLocationId: f.loc.WH2_STOCK,
      orderRefType: "sales_order",
      orderRefId: "SO-1001",
      lines: [{ itemId: f.items.BOLT, quantity: "12" }],
      post: true,
    });
    expect(forOrder.json()).toMatchObject({ state: "posted" });
    const after = (await clerk.get(`/api/inventory/stock?group=location&itemId=${f.items.BOLT}&locationId=${f.loc.WH2_STOCK}`)).json();
    expect(after.items[0]).toMatchObject({ onHand: "8", reserved: "3", available: "5" });
    const list = (await clerk.get("/api/inventory/reservations?refId=SO-1001")).json();
    expect(list.items[0]).toMatchObject({ quantity: "3", reservedQty: "15", state: "open" });
    const rel = await clerk.post(`/api/inventory/reservations/${list.items[0].id}/release`, { version: list.items[0].version });
    expect(rel.json()).toMatchObject({ state: "closed", quantity: "0" });
    expect(await doctorOk(sys.rt)).toBe(true);
  });

  it("a count that finds less than is reserved posts the loss and trims the reservations, newest first", async () => {
    await receive(admin, [{ itemId: f.items.BOLT, quantity: "10", unitCost: "0.5" }], { toLocationId: f.loc.WH1_RECV });
    const r1 = await clerk.post("/api/inventory/reservations", { itemId: f.items.BOLT, locationId: f.loc.WH1_RECV, quantity: "4", refType: "sales_order", refId: "SO-T1" });
    const r2 = await clerk.post("/api/inventory/reservations", { itemId: f.items.BOLT, locationId: f.loc.WH1_RECV, quantity: "4", refType: "sales_order", refId: "SO-T2" });
    expect([r1.statusCode, r2.statusCode]).toEqual([201, 201]);
    const c = (await counter.post("/api/inventory/counts", { warehouseId: f.wh.WH1, locationIds: [f.loc.WH1_RECV], itemIds: [f.items.BOLT] })).json();
    const s = (await counter.post(`/api/inventory/counts/${c.id}/start`, { version: c.version })).json();
    await counter.post(`/api/inventory/counts/${c.id}/record`, { entries: [{ itemId: f.items.BOLT, locationId: f.loc.WH1_RECV, quantity: "5" }] });
    await counter.post(`/api/inventory/counts/${c.id}/submit`, { version: s.version });
    const ok = await approver.post(`/api/inventory/counts/${c.id}/approve`, { version: s.version + 1 });
    expect(ok.json()).toMatchObject({ state: "posted" });
    const stock = (await clerk.get(`/api/inventory/stock?group=location&itemId=${f.items.BOLT}&locationId=${f.loc.WH1_RECV}`)).json();
    expect(stock.items[0]).toMatchObject({ onHand: "5", reserved: "5", available: "0" });
    const list = (await clerk.get("/api/inventory/reservations?q=SO-T")).json();
    const by = Object.fromEntries(list.items.map((x: { refId: string; quantity: string }) => [x.refId, x.quantity]));
    expect(by).toEqual({ "SO-T1": "4", "SO-T2": "1" });
    expect(await doctorOk(sys.rt)).toBe(true);
  });

  it("costs and values are shown only with inventory.value.read, and cannot be entered without it", async () => {
    const stock = (await clerk.get(`/api/inventory/stock?group=warehouse&itemId=${f.items.BOLT}`)).json();
    expect(stock.items[0]).not.toHaveProperty("value");
    expect(stock.items[0]).not.toHaveProperty("unitCost");
    const moves = (await clerk.get(`/api/inventory/moves?itemId=${f.items.BOLT}`)).json();
    expect(moves.items[0]).not.toHaveProperty("value");
    const docs = (await clerk.get("/api/inventory/documents?type=receipt")).json();
    expect(docs.items[0]).not.toHaveProperty("totalValue");
    const doc = (await clerk.get(`/api/inventory/documents/${docs.items[0].id}`)).json();
    expect(doc.lines[0]).not.toHaveProperty("unitCost");
    expect(doc).not.toHaveProperty("totalValue");
    expect((await clerk.get("/api/inventory/valuation?asOf=2026-01-01")).statusCode).toBe(403);
    const withCost = await clerk.post("/api/inventory/receipts", { toLocationId: f.loc.WH1_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "1", unitCost: "9" }] });
    expect(withCost.json().errors[0]).toMatchObject({ field: "/lines/0/unitCost", rule: "permission" });
    // A storekeeper editing a draft with a cost neither sees nor erases it.
    const draft = (await admin.post("/api/inventory/receipts", { toLocationId: f.loc.WH1_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "3", unitCost: "0.77" }] })).json();
    const seenByClerk = (await clerk.get(`/api/inventory/documents/${draft.id}`)).json();
    expect(seenByClerk.lines[0]).not.toHaveProperty("unitCost");
    const edited = await clerk.patch(`/api/inventory/receipts/${draft.id}`, { lines: [{ itemId: f.items.BOLT, quantity: "4" }] }, { "if-match": '"1"' });
    expect(edited.statusCode).toBe(200);
    expect((await admin.get(`/api/inventory/documents/${draft.id}`)).json().lines[0]).toMatchObject({ quantity: "4", unitCost: "0.770000" });
    const sneaky = await clerk.patch(`/api/inventory/receipts/${draft.id}`, { lines: [{ itemId: f.items.BOLT, quantity: "4", unitCost: "0.01" }] }, { "if-match": '"2"' });
    expect(sneaky.json().errors[0]).toMatchObject({ field: "/lines/0/unitCost", rule: "permission" });
    // Without a cost the receipt takes the item's current cost.
    const plain = await clerk.post("/api/inventory/receipts", { toLocationId: f.loc.WH1_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "1" }], post: true });
    expect(plain.statusCode).toBe(201);
    const seen = (await admin.get(`/api/inventory/documents/${plain.json().id}`)).json();
    expect(Number(seen.lines[0].unitCost)).toBeGreaterThan(0);
  });

  it("negative stock only where both the item and the location allow it", async () => {
    const neg = await issue(admin, [{ itemId: f.items.NEG, quantity: "5" }], { fromLocationId: f.loc.WH2_NEG });
    expect(neg.moves).toHaveLength(1);
    expect(await onHand(sys.rt, f.items.NEG, f.loc.WH2_NEG)).toBe("-5");
    const refused = await admin.post("/api/inventory/issues", { fromLocationId: f.loc.WH2_STOCK, lines: [{ itemId: f.items.NEG, quantity: "1" }], post: true });
    expect(refused.json().code).toBe("insufficient_stock");
    // The next receipt covers the shortage (the engine books the correction as an adjustment).
    await receive(admin, [{ itemId: f.items.NEG, quantity: "8", unitCost: "2.5" }], { toLocationId: f.loc.WH2_NEG });
    expect(await onHand(sys.rt, f.items.NEG, f.loc.WH2_NEG)).toBe("3");
    expect(await doctorOk(sys.rt)).toBe(true);
  });
});
