import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows, sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, type TestSystem, login, testSystem } from "./harness.ts";
import { type InvFixture, inventoryFixture, receive } from "./inventory-fixtures.ts";
import { userWith } from "./masterdata-catalog-helpers.ts";

/**
 * Reads of sensitive data are logged (AUD-1): whoever is shown costs, prices or stock values leaves an
 * audit record naming the fields; whoever reads the same screen without them leaves none.
 */
describe.skipIf(!DB_AVAILABLE)("sensitive reads are audited", () => {
  let sys: TestSystem;
  let admin: Client;
  let clerk: Client;
  let f: InvFixture;

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    f = await inventoryFixture(sys.rt);
    await receive(admin, [{ itemId: f.items.BOLT, quantity: "4", unitCost: "0.25" }], { toLocationId: f.loc.WH1_STOCK, reference: "R-SENS" });
    clerk = await userWith(sys, admin, "stock.clerk", ["masterdata.item.read", "inventory.stock.read"]);
  });
  afterAll(() => sys?.close());

  const sensitiveReads = (actor: string) =>
    rows<{ entity: string; entity_id: string | null; details: { fields: string[]; rows?: number } }>(
      sys.rt.database.db,
      sql`select entity, entity_id, details from audit_log where action = 'data.sensitive.read' and (actor_name = ${actor} or actor_id::text in (select id::text from app_user where username = ${actor})) order by id`,
    );

  it("an item's cost shown to its reader is recorded with the record and the fields", async () => {
    const res = await admin.get(`/api/masterdata/items/${f.items.BOLT}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().standardCost).toBeDefined();
    const list = await admin.get("/api/masterdata/items?pageSize=5");
    expect(list.statusCode).toBe(200);
    const recs = await sensitiveReads("admin");
    expect(recs).toEqual(
      expect.arrayContaining([
        { entity: "item", entity_id: String(f.items.BOLT), details: { fields: ["lotSizeHoldingCost", "lotSizeSetupCost", "standardCost"] } },
        { entity: "item", entity_id: null, details: { fields: ["lotSizeHoldingCost", "lotSizeSetupCost", "standardCost"], rows: 5 } },
      ]),
    );
  });

  it("stock values shown are recorded; the same screens without values leave no record", async () => {
    expect((await admin.get(`/api/inventory/stock?itemId=${f.items.BOLT}`)).statusCode).toBe(200);
    expect((await sensitiveReads("admin")).some((r) => r.entity === "stock_balance")).toBe(true);
    const item = await clerk.get(`/api/masterdata/items/${f.items.BOLT}`);
    expect(item.statusCode).toBe(200);
    expect(item.json().standardCost).toBeUndefined();
    expect((await clerk.get(`/api/inventory/stock?itemId=${f.items.BOLT}`)).statusCode).toBe(200);
    expect(await sensitiveReads("stock.clerk")).toEqual([]);
  });
});
