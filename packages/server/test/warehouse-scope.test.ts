import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, type TestSystem, login, testSystem } from "./harness.ts";
import { type InvFixture, inventoryFixture, receive } from "./inventory-fixtures.ts";

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
      values (${f.companyId}, 'wh_keeper', '仓管员', 'Storekeeper', array['inventory.stock.read', 'inventory.receipt.edit', 'masterdata.export'])`);
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

  it("a second role without a warehouse widens the scope again", async () => {
    const me = (await admin.get("/api/identity/users?q=wh1.keeper")).json().items[0];
    expect((await admin.post("/api/access/user-roles", { userId: me.id, role: "wh_keeper" })).statusCode).toBe(201);
    expect((await keeper1.get(`/api/inventory/documents/${docs.in2}`)).statusCode).toBe(200);
  });
});
