import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { one, sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, type TestSystem, login, testSystem } from "./harness.ts";
import { type InvFixture, inventoryFixture, issue, receive } from "./inventory-fixtures.ts";

/**
 * Data scope by warehouse (IAM-5): a role held with a warehouse limits stock, moves, documents and
 * counts to that warehouse — in lists, details and exports; a document elsewhere answers 404.
 */
describe.skipIf(!DB_AVAILABLE)("warehouse data scope", () => {
  let sys: TestSystem;
  let admin: Client;
  let f: InvFixture;
  let keeper1: Client; // storekeeper of WH1 only
  let keeperAll: Client; // the same role, every warehouse
  const docs: Record<string, number> = {};
  const counts: Record<string, number> = {};

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    f = await inventoryFixture(sys.rt);
    await sys.rt.database.db.execute(sql`insert into role (company_id, code, name_zh, name_en, permissions)
      values (${f.companyId}, 'wh_keeper', '仓管员', 'Storekeeper', array['inventory.stock.read', 'inventory.receipt.edit', 'inventory.reservation.edit', 'masterdata.export'])`);
    const mk = async (username: string, role: Record<string, unknown>) => {
      const r = await admin.post("/api/identity/users", { username, displayName: username, roles: [role] });
      if (r.statusCode !== 201) throw new Error(r.body);
      return login(sys.app, username, r.json().oneTimePassword);
    };
    keeper1 = await mk("wh1.keeper", { role: "wh_keeper", warehouseId: f.wh.WH1 });
    keeperAll = await mk("all.keeper", { role: "wh_keeper" });
    docs.in1 = (await receive(admin, [{ itemId: f.items.BOLT, quantity: "10", unitCost: "0.5" }], { toLocationId: f.loc.WH1_STOCK, reference: "R-WH1" })).id;
    docs.in2 = (await receive(admin, [{ itemId: f.items.BOLT, quantity: "7", unitCost: "0.5" }], { toLocationId: f.loc.WH2_STOCK, reference: "R-WH2" })).id;
    const t = await admin.post("/api/inventory/transfers", { fromLocationId: f.loc.WH1_STOCK, toLocationId: f.loc.WH2_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "2" }], post: true });
    expect(t.statusCode, t.body).toBe(201);
    docs.transfer = t.json().id;
    for (const w of ["WH1", "WH2"] as const) {
      const c = await admin.post("/api/inventory/counts", { warehouseId: f.wh[w] });
      expect(c.statusCode, c.body).toBe(201);
      counts[w] = c.json().id;
    }
  });
  afterAll(() => sys?.close());

  it("the role shows where it is held, and an unknown warehouse is refused", async () => {
    const me = (await admin.get("/api/identity/users?q=wh1.keeper")).json().items[0];
    const held = (await admin.get(`/api/access/users/${me.id}/roles`)).json();
    expect(held[0]).toMatchObject({ role: "wh_keeper", warehouseId: f.wh.WH1, warehouseCode: "T-WH1", departmentId: null });
    const bad = await admin.post("/api/access/user-roles", { userId: me.id, role: "wh_keeper", warehouseId: 999_999 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: "/warehouseId", rule: "exists" });
    // The grant form offers the company's active warehouses to whoever may read roles.
    const offered = (await admin.get("/api/access/scope-warehouses")).json();
    expect(offered.map((w: { code: string }) => w.code)).toEqual(expect.arrayContaining(["T-WH1", "T-WH2"]));
    expect((await keeper1.get("/api/access/scope-warehouses")).statusCode).toBe(403);
  });

  it("stock and moves of other warehouses are absent from lists and exports", async () => {
    const stock = (await keeper1.get(`/api/inventory/stock?group=warehouse&itemId=${f.items.BOLT}`)).json().items;
    expect(stock.map((r: { warehouseCode: string }) => r.warehouseCode)).toEqual(["T-WH1"]);
    const all = (await keeperAll.get(`/api/inventory/stock?group=warehouse&itemId=${f.items.BOLT}`)).json().items;
    expect(all.map((r: { warehouseCode: string }) => r.warehouseCode).sort()).toEqual(["T-WH1", "T-WH2"]);
    // Item level: only what lies in the reader's warehouse counts (10 received − 2 sent on).
    const items = (await keeper1.get(`/api/inventory/stock?itemId=${f.items.BOLT}`)).json().items;
    expect(items[0].onHand).toMatch(/^8(\.0+)?$/);

    const moves = (await keeper1.get(`/api/inventory/moves?itemId=${f.items.BOLT}`)).json().items as { fromLocationCode: string; toLocationCode: string }[];
    expect(moves.length).toBe(2); // the receipt into WH1 and the transfer out of it
    expect(moves.every((m) => m.fromLocationCode.startsWith("T-WH1") || m.toLocationCode.startsWith("T-WH1"))).toBe(true);
    expect((await keeperAll.get(`/api/inventory/moves?itemId=${f.items.BOLT}`)).json().items.length).toBe(3);

    const csv = await keeper1.get("/api/inventory/stock/export?format=csv&group=warehouse");
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.body).toContain("T-WH1");
    expect(csv.body).not.toContain("T-WH2");
  });

  it("an item's value at item level adds up only the valuation areas of the reader's warehouses", async () => {
    await sys.rt.database.db.execute(sql`insert into role (company_id, code, name_zh, name_en, permissions)
      values (${f.companyId}, 'wh_valuer', '仓库核算', 'Warehouse costing', array['inventory.stock.read', 'inventory.value.read'])`);
    const r = await admin.post("/api/identity/users", { username: "wh1.valuer", displayName: "wh1.valuer", roles: [{ role: "wh_valuer", warehouseId: f.wh.WH1 }] });
    expect(r.statusCode, r.body).toBe(201);
    const valuer = await login(sys.app, "wh1.valuer", r.json().oneTimePassword);
    // WH1 holds 8 at 0.50 (10 received, 2 sent on); the company 17.
    const mine = (await valuer.get(`/api/inventory/stock?group=item&itemId=${f.items.BOLT}`)).json().items;
    expect(mine[0]).toMatchObject({ value: "4.00", unitCost: "0.500000" });
    const all = (await admin.get(`/api/inventory/stock?group=item&itemId=${f.items.BOLT}`)).json().items;
    expect(all[0]).toMatchObject({ value: "8.50" });
  });

  it("values show only in the warehouses of the value permission, however wide the stock permission", async () => {
    // Stock of every warehouse (the storekeeper's role, unlimited), values of WH1 only.
    const r = await admin.post("/api/identity/users", {
      username: "wide.valuer",
      displayName: "wide.valuer",
      roles: [{ role: "wh_keeper" }, { role: "wh_valuer", warehouseId: f.wh.WH1 }],
    });
    expect(r.statusCode, r.body).toBe(201);
    const wide = await login(sys.app, "wide.valuer", r.json().oneTimePassword);
    const byWh = (await wide.get(`/api/inventory/stock?group=warehouse&itemId=${f.items.BOLT}`)).json().items as Record<string, string | null>[];
    expect(Object.fromEntries(byWh.map((x) => [x.warehouseCode, x.value]))).toEqual({ "T-WH1": "4.00", "T-WH2": null });
    expect((await wide.get(`/api/inventory/stock?group=item&itemId=${f.items.BOLT}`)).json().items[0]).toMatchObject({ onHand: "17", value: "4.00" });
    const itemStock = (await wide.get(`/api/inventory/items/${f.items.BOLT}/stock`)).json();
    expect(itemStock.lines.length).toBe(2);
    expect(itemStock.valuations.map((v: { warehouseCode: string }) => v.warehouseCode)).toEqual(["T-WH1"]);
    // The ledger: the receipt into WH2 shows without value, those touching WH1 with theirs.
    const moves = (await wide.get(`/api/inventory/moves?itemId=${f.items.BOLT}`)).json().items as Record<string, unknown>[];
    const into2 = moves.find((m) => m.docId === docs.in2)!;
    expect(into2).not.toHaveProperty("value");
    expect(moves.find((m) => m.docId === docs.in1)).toMatchObject({ value: "5.00" });
    // sorted by value, the hidden one ranks as empty, not by what it hides
    const sorted = (await wide.get(`/api/inventory/moves?itemId=${f.items.BOLT}&sort=-value`)).json().items as Record<string, unknown>[];
    expect(sorted.map((m) => m.value ?? null)).toEqual(["5.00", "1.00", null]);
    // Documents and counts alike.
    const listed = (await wide.get("/api/inventory/documents?type=receipt")).json().items as Record<string, unknown>[];
    expect(listed.find((d) => d.id === docs.in2)).not.toHaveProperty("totalValue");
    expect(listed.find((d) => d.id === docs.in1)).toMatchObject({ totalValue: "5.00" });
    const doc2 = (await wide.get(`/api/inventory/documents/${docs.in2}`)).json();
    expect(doc2.totalValue).toBeUndefined();
    expect(doc2.lines[0]).not.toHaveProperty("value");
    expect((await wide.get(`/api/inventory/documents/${docs.in1}`)).json().totalValue).toBe("5.00");
    const csv = await wide.get("/api/inventory/moves/export?format=csv");
    expect(csv.statusCode, csv.body).toBe(200);
    expect((await admin.get(`/api/inventory/stock?group=warehouse&itemId=${f.items.BOLT}`)).json().items.every((x: { value: string }) => x.value !== null)).toBe(true);
  });

  it("a granter holding a permission for one warehouse grants roles carrying it only limited to that warehouse", async () => {
    await sys.rt.database.db.execute(sql`insert into role (company_id, code, name_zh, name_en, permissions) values
      (${f.companyId}, 'wh_lead', '仓库主管', 'Warehouse lead', array['inventory.stock.read', 'access.user_role.assign']),
      (${f.companyId}, 'wh_viewer', '库存查询', 'Stock viewer', array['inventory.stock.read'])`);
    const made = await admin.post("/api/identity/users", { username: "wh1.lead", displayName: "wh1.lead", roles: [{ role: "wh_lead", warehouseId: f.wh.WH1 }] });
    expect(made.statusCode, made.body).toBe(201);
    const lead = await login(sys.app, "wh1.lead", made.json().oneTimePassword);
    const target = await admin.post("/api/identity/users", { username: "wh.viewer", displayName: "wh.viewer", roles: [] });
    expect(target.statusCode, target.body).toBe(201);
    const userId = target.json().id;
    for (const warehouseId of [undefined, f.wh.WH2]) {
      const refused = await lead.post("/api/access/user-roles", { userId, role: "wh_viewer", warehouseId });
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().errors[0]).toMatchObject({ field: "/warehouseId", rule: "outOfScope" });
    }
    const granted = await lead.post("/api/access/user-roles", { userId, role: "wh_viewer", warehouseId: f.wh.WH1 });
    expect(granted.statusCode, granted.body).toBe(201);
  });

  it("documents: those touching the warehouse are listed (a transfer shows to both ends); others answer 404", async () => {
    const list = (await keeper1.get("/api/inventory/documents")).json().items.map((d: { id: number }) => d.id).sort();
    expect(list).toEqual([docs.in1, docs.transfer].sort());
    expect((await keeper1.get(`/api/inventory/documents/${docs.in1}`)).statusCode).toBe(200);
    expect((await keeper1.get(`/api/inventory/documents/${docs.transfer}`)).statusCode).toBe(200);
    const other = await keeper1.get(`/api/inventory/documents/${docs.in2}`);
    expect(other.statusCode).toBe(404);
    expect((await keeperAll.get(`/api/inventory/documents/${docs.in2}`)).statusCode).toBe(200);
    const csv = await keeper1.get("/api/inventory/documents/export?format=csv");
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain("R-WH2");
    expect(csv.body).toContain("R-WH1");
  });

  it("counts of other warehouses are absent and answer 404", async () => {
    const list = (await keeper1.get("/api/inventory/counts")).json().items.map((c: { id: number }) => c.id);
    expect(list).toEqual([counts.WH1]);
    expect((await keeper1.get(`/api/inventory/counts/${counts.WH1}`)).statusCode).toBe(200);
    expect((await keeper1.get(`/api/inventory/counts/${counts.WH2}`)).statusCode).toBe(404);
    expect((await keeperAll.get("/api/inventory/counts")).json().items).toHaveLength(2);
  });

  it("an item's stock, the lot proposal and the value report show only the reader's warehouses", async () => {
    const mine = (await keeper1.get(`/api/inventory/items/${f.items.BOLT}/stock`)).json();
    expect(mine.lines.map((l: { warehouseCode: string }) => l.warehouseCode)).toEqual(["T-WH1"]);
    const every = (await keeperAll.get(`/api/inventory/items/${f.items.BOLT}/stock`)).json();
    expect(every.lines.map((l: { warehouseCode: string }) => l.warehouseCode).sort()).toEqual(["T-WH1", "T-WH2"]);
    const lots = (await keeper1.get(`/api/inventory/suggest-lots?itemId=${f.items.BOLT}&quantity=100`)).json();
    expect(lots.suggestions.map((x: { locationId: number }) => x.locationId)).toEqual([f.loc.WH1_STOCK]);
    expect(lots.shortfall).toBe("92");
    // The pickers offer the reader's warehouses and the locations outside any warehouse, nothing of the others.
    const warehouses = (await keeper1.get("/api/inventory/lookup/warehouses")).json();
    expect(warehouses.map((w: { code: string }) => w.code)).toEqual(["T-WH1"]);
    const locations = (await keeper1.get("/api/inventory/lookup/locations")).json() as { code: string; warehouseCode: string | null }[];
    expect(locations.some((l) => l.warehouseCode === null)).toBe(true);
    expect(locations.filter((l) => l.warehouseCode !== null).every((l) => l.warehouseCode === "T-WH1")).toBe(true);
  });

  it("commands touch only the actor's warehouses: a location elsewhere is unknown, a document elsewhere answers 404", async () => {
    const elsewhere = await keeper1.post("/api/inventory/receipts", { toLocationId: f.loc.WH2_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "1" }] });
    expect(elsewhere.statusCode, elsewhere.body).toBe(400);
    expect(elsewhere.json().errors[0]).toMatchObject({ field: "/lines/0/toLocationId", rule: "exists" });
    const own = await keeper1.post("/api/inventory/receipts", { toLocationId: f.loc.WH1_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "1" }] });
    expect(own.statusCode, own.body).toBe(201);
    // Someone else's draft in the other warehouse can be neither changed nor cancelled by the keeper of WH1.
    const draft = await admin.post("/api/inventory/receipts", { toLocationId: f.loc.WH2_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "3" }] });
    expect(draft.statusCode, draft.body).toBe(201);
    const { id } = draft.json();
    const edit = await keeper1.patch(`/api/inventory/receipts/${id}`, { version: 1, note: "mine now" });
    expect(edit.statusCode, edit.body).toBe(404);
    const cancel = await keeper1.post(`/api/inventory/receipts/${id}/cancel`, { version: 1 });
    expect(cancel.statusCode, cancel.body).toBe(404);
    expect((await keeperAll.post(`/api/inventory/receipts/${id}/cancel`, { version: 1 })).statusCode).toBe(200);
  });

  it("a warehouse-limited actor's moves touch one of their warehouses: not supplier → transit, not transit → customer", async () => {
    const viaTransit = await keeper1.post("/api/inventory/receipts", { fromLocationId: f.loc.SUPPLIER, toLocationId: f.loc.TRANSIT, lines: [{ itemId: f.items.BOLT, quantity: "1" }] });
    expect(viaTransit.statusCode, viaTransit.body).toBe(400);
    expect(viaTransit.json().errors[0]).toMatchObject({ field: "/lines/0/toLocationId", rule: "scope" });
    // Out of transit into their own warehouse is theirs to receive; without a warehouse limit anything goes.
    const intoOwn = await keeper1.post("/api/inventory/receipts", { fromLocationId: f.loc.SUPPLIER, toLocationId: f.loc.WH1_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "1" }] });
    expect(intoOwn.statusCode, intoOwn.body).toBe(201);
    const unlimited = await keeperAll.post("/api/inventory/receipts", { fromLocationId: f.loc.SUPPLIER, toLocationId: f.loc.TRANSIT, lines: [{ itemId: f.items.BOLT, quantity: "1" }] });
    expect(unlimited.statusCode, unlimited.body).toBe(201);
  });

  describe("lots, their trace and reservations", () => {
    // Steel lot S-1 comes into WH1 and half of it moves on to WH2; each warehouse makes a frame lot of
    // it on its own production line (WO-W1 in WH1, WO-W2 in WH2). Frame lot F-2 never was in WH1.
    const lot: Record<string, number> = {};
    const reservations: Record<string, number> = {};
    const lotIdOf = async (lotNo: string) => (await admin.get(`/api/inventory/lots?q=${lotNo}`)).json().items[0].id as number;

    beforeAll(async () => {
      const wip2 = (await one<{ id: number }>(
        sys.rt.database.db,
        sql`insert into location (company_id, warehouse_id, code, name_zh, name_en, kind)
          values (${f.companyId}, ${f.wh.WH2}, 'T-WH2/WIP', '二号仓产线', 'WH2 line', 'production') returning id`,
      ))!;
      await receive(admin, [{ itemId: f.items.STEEL, quantity: "100", unitCost: "8", lotNo: "S-1" }], { toLocationId: f.loc.WH1_STOCK });
      lot.S1 = await lotIdOf("S-1");
      const t = await admin.post("/api/inventory/transfers", {
        fromLocationId: f.loc.WH1_STOCK, toLocationId: f.loc.WH2_STOCK, lines: [{ itemId: f.items.STEEL, quantity: "50", lotId: lot.S1 }], post: true,
      });
      expect(t.statusCode, t.body).toBe(201);
      await issue(admin, [{ itemId: f.items.STEEL, quantity: "20", lotId: lot.S1 }], { fromLocationId: f.loc.WH1_STOCK, toLocationId: f.loc.PROD, productionRef: "WO-W1" });
      await receive(admin, [{ itemId: f.items.FRAME, quantity: "2", unitCost: "80", lotNo: "F-1" }], { fromLocationId: f.loc.PROD, toLocationId: f.loc.WH1_STOCK, productionRef: "WO-W1" });
      await issue(admin, [{ itemId: f.items.STEEL, quantity: "30", lotId: lot.S1 }], { fromLocationId: f.loc.WH2_STOCK, toLocationId: Number(wip2.id), productionRef: "WO-W2" });
      await receive(admin, [{ itemId: f.items.FRAME, quantity: "3", unitCost: "80", lotNo: "F-2" }], { fromLocationId: Number(wip2.id), toLocationId: f.loc.WH2_STOCK, productionRef: "WO-W2" });
      lot.F1 = await lotIdOf("F-1");
      lot.F2 = await lotIdOf("F-2");
      for (const [ref, locationId] of [["SO-W1", f.loc.WH1_STOCK], ["SO-W2", f.loc.WH2_STOCK]] as const) {
        const r = await admin.post("/api/inventory/reservations", { itemId: f.items.BOLT, locationId, quantity: "1", refType: "sales_order", refId: ref });
        expect(r.statusCode, r.body).toBe(201);
        reservations[ref] = r.json().id;
      }
    });

    it("the lot list shows the lots that were in the reader's warehouses, with their stock there", async () => {
      type Lot = { lotNo: string; onHand: string };
      const mine = (await keeper1.get(`/api/inventory/lots?q=F-`)).json().items as Lot[];
      expect(mine.map((l) => l.lotNo)).toEqual(["F-1"]);
      expect((await keeperAll.get(`/api/inventory/lots?q=F-`)).json().items.map((l: Lot) => l.lotNo).sort()).toEqual(["F-1", "F-2"]);
      // S-1 went on to WH2 in part: listed for both, each with the stock in their own warehouses.
      expect((await keeper1.get(`/api/inventory/lots?itemId=${f.items.STEEL}&q=S-1`)).json().items).toMatchObject([{ lotNo: "S-1", onHand: "30" }]);
      expect((await keeperAll.get(`/api/inventory/lots?itemId=${f.items.STEEL}&q=S-1`)).json().items).toMatchObject([{ lotNo: "S-1", onHand: "50" }]);
    });

    it("the trace leaves out moves and stock elsewhere and stops where the lot left; a lot never in scope answers 404", async () => {
      type Node = { lotNo: string; moves: { moveType: string; productionRef: string | null }[]; onHand: { locationCode: string }[]; links: { productionRef: string; lots: Node[] }[] };
      const refs = (n: Node) => n.links.map((l) => `${l.productionRef}:${l.lots.map((x) => x.lotNo).join(",")}`);
      const fwd = (await keeper1.get(`/api/inventory/trace?lotId=${lot.S1}&direction=forward`)).json() as Node;
      // The transfer out of WH1 shows (it leaves from there); WH2's consumption does not, nor what WH2 made.
      expect(fwd.moves.map((m) => m.moveType)).toEqual(["receipt", "transfer", "production_consumption"]);
      expect(fwd.moves.every((m) => m.productionRef !== "WO-W2")).toBe(true);
      expect(fwd.onHand.map((o) => o.locationCode)).toEqual(["T-WH1/STOCK"]);
      expect(refs(fwd)).toEqual(["WO-W1:F-1"]);
      const every = (await keeperAll.get(`/api/inventory/trace?lotId=${lot.S1}&direction=forward`)).json() as Node;
      expect(every.moves).toHaveLength(4);
      expect(every.onHand.map((o) => o.locationCode)).toEqual(["T-WH1/STOCK", "T-WH2/STOCK"]);
      expect(refs(every)).toEqual(["WO-W1:F-1", "WO-W2:F-2"]);

      const back = (await keeper1.get(`/api/inventory/trace?lotId=${lot.F1}&direction=backward`)).json() as Node;
      expect(refs(back)).toEqual(["WO-W1:S-1"]);
      for (const direction of ["forward", "backward"]) {
        const other = await keeper1.get(`/api/inventory/trace?lotId=${lot.F2}&direction=${direction}`);
        expect(other.statusCode, other.body).toBe(404);
      }
      expect(refs((await keeperAll.get(`/api/inventory/trace?lotId=${lot.F2}&direction=backward`)).json())).toEqual(["WO-W2:S-1"]);
    });

    it("the lot proposal comes only from the reader's locations", async () => {
      type S = { lotNo: string; locationId: number; take: string };
      const mine = (await keeper1.get(`/api/inventory/suggest-lots?itemId=${f.items.STEEL}&quantity=45`)).json();
      expect(mine.suggestions.map((x: S) => `${x.locationId}:${x.take}`)).toEqual([`${f.loc.WH1_STOCK}:30`]);
      expect(mine.shortfall).toBe("15");
      const every = (await keeperAll.get(`/api/inventory/suggest-lots?itemId=${f.items.STEEL}&quantity=45`)).json();
      expect(every.shortfall).toBe("0");
      expect(every.suggestions.map((x: S) => x.locationId).sort()).toEqual([f.loc.WH1_STOCK, f.loc.WH2_STOCK].sort());
    });

    it("reservations of other warehouses are absent, and can be neither made nor released there", async () => {
      const refsOf = async (c: Client) => (await c.get("/api/inventory/reservations?q=SO-W")).json().items.map((r: { refId: string }) => r.refId).sort();
      expect(await refsOf(keeper1)).toEqual(["SO-W1"]);
      expect(await refsOf(keeperAll)).toEqual(["SO-W1", "SO-W2"]);
      const elsewhere = await keeper1.post("/api/inventory/reservations", { itemId: f.items.BOLT, locationId: f.loc.WH2_STOCK, quantity: "1", refType: "sales_order", refId: "SO-W3" });
      expect(elsewhere.statusCode, elsewhere.body).toBe(400);
      expect(elsewhere.json().errors[0]).toMatchObject({ field: "/locationId", rule: "exists" });
      const release = await keeper1.post(`/api/inventory/reservations/${reservations["SO-W2"]}/release`, { version: 1 });
      expect(release.statusCode, release.body).toBe(404);
      expect((await keeper1.post(`/api/inventory/reservations/${reservations["SO-W1"]}/release`, { version: 1 })).statusCode).toBe(200);
    });

    it("a scanned lot number resolves wherever the books hold it (no stock is shown; a count may find it here)", async () => {
      const scanned = await keeper1.get("/api/inventory/scan?code=F-2");
      expect(scanned.statusCode, scanned.body).toBe(200);
      expect(scanned.json()).toEqual(expect.objectContaining({ kind: "lot", lotId: lot.F2 }));
      expect(Object.keys(scanned.json())).not.toContain("onHand");
    });
  });

  it("a second role without a warehouse widens the scope again", async () => {
    const me = (await admin.get("/api/identity/users?q=wh1.keeper")).json().items[0];
    expect((await admin.post("/api/access/user-roles", { userId: me.id, role: "wh_keeper" })).statusCode).toBe(201);
    expect((await keeper1.get(`/api/inventory/documents/${docs.in2}`)).statusCode).toBe(200);
  });
});
