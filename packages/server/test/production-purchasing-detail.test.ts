import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { one, rows, sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, type TestSystem, count, login, testSystem } from "./harness.ts";
import { userWith } from "./masterdata-catalog-helpers.ts";

/** What the production order and requisition detail screens read, and the manual order form's errors. */
describe.skipIf(!DB_AVAILABLE)("production order and requisition details", () => {
  let sys: TestSystem;
  let admin: Client;
  const item: Record<string, number> = {};

  beforeAll(async () => {
    sys = await testSystem({ demo: true });
    admin = await login(sys.app, "admin", sys.adminPassword);
    for (const r of await rows<{ id: number; code: string }>(sys.rt.database.db, sql`select id, code from item where code like 'KW-%'`)) item[r.code] = r.id;
  }, 240_000);
  afterAll(() => sys?.close());

  it("creates a manual draft order; the detail names its creator, BOM and routing and has no plan source", async () => {
    const before = await count(sys.rt, "production_order");
    const bad = await admin.post("/api/production/orders", { itemId: item["KW-FAN-30"], quantity: "0", dueDate: "2027-01-15" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(["/quantity"]);
    const notDecimal = await admin.post("/api/production/orders", { itemId: item["KW-FAN-30"], quantity: 12.5, dueDate: "2027-01-15" });
    expect(notDecimal.statusCode).toBe(400);
    expect(notDecimal.json().errors[0].field).toBe("/quantity");
    const bought = await admin.post("/api/production/orders", { itemId: item["KW-P-BEARING"], quantity: "5", dueDate: "2027-01-15" });
    expect(bought.statusCode).toBe(422);
    expect(bought.json().code).toBe("item_not_made");
    expect(await count(sys.rt, "production_order")).toBe(before);

    const created = await admin.post("/api/production/orders", { itemId: item["KW-FAN-30"], quantity: "12.5", dueDate: "2027-01-15", note: "trial" });
    expect(created.statusCode, created.body).toBe(201);
    const d = (await admin.get(`/api/production/orders/${created.json().id}`)).json();
    expect(d).toMatchObject({ orderNo: created.json().orderNo, quantity: "12.5", dueDate: "2027-01-15", state: "draft", note: "trial", sourcePlanVersionId: null, pegging: [] });
    expect(d.createdByName).toBeTruthy();
    expect(d.updatedAt).toBeTruthy();
    expect(d.bomVersion).toBeTruthy();
    // the form's history card reads the audit log by entity
    const log = (await admin.get(`/api/audit/log?entity=production_order&entityId=${d.id}`)).json();
    expect(log.items.map((a: { action: string }) => a.action)).toContain("production.order.create");
  });

  it("a converted order shows its plan version and pegging", async () => {
    const o = await one<{ id: number }>(sys.rt.database.db, sql`select id from production_order where source_plan_version_id is not null order by id limit 1`);
    const d = (await admin.get(`/api/production/orders/${o!.id}`)).json();
    expect(d.sourcePlanVersionId).toBeGreaterThan(0);
    expect(d.sourcePlannedOrder).toBeTruthy();
    expect(d.pegging.length).toBeGreaterThan(0);
  });

  it("the requisition detail has lines with lead time and need date; prices only with the price permission", async () => {
    const r = await one<{ id: number }>(
      sys.rt.database.db,
      sql`select r.id from purchase_requisition r where exists (select 1 from purchase_requisition_line l where l.requisition_id = r.id and l.unit_price is not null) order by r.id limit 1`,
    );
    const full = (await admin.get(`/api/purchasing/requisitions/${r!.id}`)).json();
    expect(full).toHaveProperty("note");
    expect(full).toHaveProperty("createdByName");
    expect(full.lines.length).toBeGreaterThan(0);
    expect(full.lines[0].unitPrice).toMatch(/^\d+(\.\d+)?$/);
    expect(full.lines[0].needDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const viewer = await userWith(sys, admin, "pur.viewer", ["purchasing.requisition.read", "production.order.read"]);
    const hidden = (await viewer.get(`/api/purchasing/requisitions/${r!.id}`)).json();
    expect(hidden.total).toBeNull();
    expect(hidden.lines.every((l: { unitPrice: string | null; amount: string | null }) => l.unitPrice === null && l.amount === null)).toBe(true);
    expect(hidden.lines[0].leadTimeDays).toBe(full.lines[0].leadTimeDays);
  });
});
