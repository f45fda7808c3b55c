import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { one, rows, sql } from "../src/platform/db/database.ts";
import { JobWorker } from "../src/platform/jobs.ts";
import { planningModule, registerDemandSource } from "../src/modules/planning/index.ts";
import { unregisterDemandSource } from "../src/modules/planning/demand.ts";
import { type Client, DB_AVAILABLE, type TestSystem, count, login, testSystem } from "./harness.ts";

/** MPS, MRP runs as plan versions, record and pegging, conversion, what-if, on the demo fan family. */
describe.skipIf(!DB_AVAILABLE)("planning", () => {
  let sys: TestSystem;
  let admin: Client;
  let companyId: number;
  const item: Record<string, number> = {};
  const worker = () => new JobWorker(sys.rt, new Map(Object.entries(planningModule.jobs!)));

  beforeAll(async () => {
    sys = await testSystem({ demo: true });
    admin = await login(sys.app, "admin", sys.adminPassword);
    companyId = (await one<{ id: number }>(sys.rt.database.db, sql`select id from company order by id limit 1`))!.id;
    for (const r of await rows<{ id: number; code: string }>(sys.rt.database.db, sql`select id, code from item where code like 'KW-%'`)) item[r.code] = r.id;
  }, 240_000);
  afterAll(() => sys?.close());

  async function runMrp(body: Record<string, unknown> = {}) {
    const start = await admin.post("/api/planning/runs", body);
    expect(start.statusCode, start.body).toBe(202);
    expect(await worker().runOnce()).toBeGreaterThanOrEqual(1);
    const v = await admin.get(`/api/planning/versions/${start.json().id}`);
    expect(v.statusCode).toBe(200);
    return v.json();
  }

  it("the demo holds a plan version with planned orders, pegging and exceptions", async () => {
    const list = (await admin.get("/api/planning/versions")).json();
    const demo = list.items.find((v: { kind: string }) => v.kind === "regenerative");
    expect(demo).toMatchObject({ status: "done", bucket: "week", periods: 12 });
    expect(demo.orderCount).toBeGreaterThan(10);
    expect(demo.exceptionCount).toBeGreaterThan(0);
    expect(demo.inputsAt).toBeTruthy();
    expect(demo.durationMs).toBeGreaterThanOrEqual(0);
    // the demo run's job is left queued; running it later is a no-op, not a failure
    await worker().runOnce();
    expect(await count(sys.rt, "plan_version", "status = 'failed'")).toBe(0);
    expect(await count(sys.rt, "production_order")).toBeGreaterThan(0);
    expect(await count(sys.rt, "purchase_requisition")).toBeGreaterThan(0);
  });

  it("enters forecasts; customer orders from a registered demand source consume them in the MPS", async () => {
    const mps0 = (await admin.get("/api/planning/mps?bucket=week&periods=8")).json();
    const week3 = mps0.buckets[2].start as string;
    const put = await admin.put("/api/planning/forecasts", { entries: [{ itemId: item["KW-FAN-30"], periodStart: week3, quantity: "100" }] });
    expect(put.statusCode, put.body).toBe(200);
    // the sales module does not exist yet: a stand-in source with one order line of 30 in week 3 and one of 150 in week 4
    registerDemandSource({
      name: "test_orders",
      load: async () => [
        { itemId: item["KW-FAN-30"], date: week3, quantity: "30", ref: "SO-T1/1", source: "sales_order", label: "SO-T1" },
        { itemId: item["KW-FAN-30"], date: mps0.buckets[3].start, quantity: "150", ref: "SO-T2/1", source: "sales_order", label: "SO-T2" },
      ],
    });
    try {
      const mps = (await admin.get("/api/planning/mps?bucket=week&periods=8")).json();
      const fan = mps.items.find((i: { code: string }) => i.code === "KW-FAN-30");
      expect([fan.forecast[2], fan.orders[2], fan.consumed[2], fan.demand[2]]).toEqual(["100", "30", "30", "100"]);
      // week 4: the demo forecast (100) is consumed whole by the larger order; demand is the order
      expect(fan.consumed[3]).toBe(fan.forecast[3]);
      expect(fan.demand[3]).toBe("150");

      // the run plans on orders + the forecast left over (70 of FC in week 3)
      const v = await runMrp({ bucket: "week", periods: 8 });
      expect(v.status).toBe("done");
      const demand = await rows<{ ref: string; quantity: string; period: number }>(
        sys.rt.database.db,
        sql`select ref, quantity::text as quantity, period from plan_demand where version_id = ${v.id} and item_id = ${item["KW-FAN-30"]} and period in (3, 4) order by period, ref`,
      );
      expect(demand.map((d) => [d.period, d.ref.startsWith("FC-") ? "FC" : d.ref, Number(d.quantity)])).toEqual([
        [3, "FC", 70],
        [3, "SO-T1/1", 30],
        [4, "SO-T2/1", 150],
      ]);
    } finally {
      unregisterDemandSource("test_orders");
    }
    // quantity 0 removes the forecast
    await admin.put("/api/planning/forecasts", { entries: [{ itemId: item["KW-FAN-30"], periodStart: week3, quantity: "0" }] });
    expect(await count(sys.rt, "forecast", `item_id = ${item["KW-FAN-30"]} and period_start = '${week3}'`)).toBe(0);
    const bad = await admin.put("/api/planning/forecasts", { entries: [{ itemId: 999999, periodStart: week3, quantity: "1" }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe("/entries/0/itemId");
  });

  it("runs MRP as a job: the version keeps its inputs' time stamp, duration, counts and every row", async () => {
    const v = await runMrp({ bucket: "week", periods: 12 });
    expect(v).toMatchObject({ status: "done", jobStatus: "done", kind: "regenerative" });
    expect(v.jobProgress).toMatchObject({ phase: "done", percent: 100 });
    expect(v.buckets).toHaveLength(12);
    expect(v.itemCount).toBe(await count(sys.rt, "plan_item", `version_id = ${v.id}`));
    expect(v.orderCount).toBe(await count(sys.rt, "plan_order", `version_id = ${v.id}`));
    expect(v.exceptionCount).toBe(await count(sys.rt, "plan_exception", `version_id = ${v.id}`));
    expect(v.demandCount).toBe(await count(sys.rt, "plan_demand", `version_id = ${v.id}`));
    expect(new Date(v.inputsAt).getTime()).toBeLessThanOrEqual(new Date(v.finishedAt).getTime());
    // one run at a time
    const first = await admin.post("/api/planning/runs", {});
    const second = await admin.post("/api/planning/runs", {});
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(422);
    expect(second.json().code).toBe("run_in_progress");
    await worker().runOnce();
  });

  it("shows the textbook record of an item and filters items and exceptions", async () => {
    const v = (await admin.get("/api/planning/versions?kind=regenerative")).json().items[0];
    const rec = (await admin.get(`/api/planning/versions/${v.id}/record?itemId=${item["KW-FAN-40"]}`)).json();
    expect(rec.gross).toHaveLength(v.periods);
    expect(rec.itemCode).toBe("KW-FAN-40");
    // projected on hand(t) = projected(t-1) + scheduled receipts + planned receipts − gross requirements
    let prev = Number(rec.onHand) - Number(rec.allocated);
    for (let t = 0; t < v.periods; t++) {
      const expected = prev + Number(rec.scheduled[t]) + Number(rec.plannedReceipts[t]) - Number(rec.gross[t]);
      expect(Number(rec.projected[t])).toBe(expected);
      prev = expected;
    }
    expect(rec.orders.length).toBeGreaterThan(0);
    expect(rec.demand.some((d: { ref: string }) => d.ref.startsWith("FC-"))).toBe(true);

    const high = (await admin.get(`/api/planning/versions/${v.id}/items?severity=3&pageSize=500`)).json();
    expect(high.items.every((i: { maxSeverity: number }) => i.maxSeverity === 3)).toBe(true);
    const planner = await one<{ id: number }>(sys.rt.database.db, sql`select id from app_user where username = 'pur.chen'`);
    const bought = (await admin.get(`/api/planning/versions/${v.id}/items?plannerId=${planner!.id}&pageSize=500`)).json();
    expect(bought.items.length).toBeGreaterThan(0);
    expect(bought.items.every((i: { makeOrBuy: string }) => i.makeOrBuy === "buy")).toBe(true);
    const fans = (await admin.get(`/api/planning/versions/${v.id}/items?group=FANS`)).json();
    expect(fans.items.map((i: { itemCode: string }) => i.itemCode).sort()).toEqual(["KW-FAN-30", "KW-FAN-40"]);
    const exc = (await admin.get(`/api/planning/versions/${v.id}/exceptions?severity=2&pageSize=500`)).json();
    expect(exc.total).toBeGreaterThan(0);
    expect(exc.items.every((e: { severity: number }) => e.severity >= 2)).toBe(true);
  });

  it("pegs a purchased part's planned order up through its parents to the forecasts", async () => {
    const v = (await admin.get("/api/planning/versions?kind=regenerative")).json().items[0];
    const orders = (await admin.get(`/api/planning/versions/${v.id}/orders?itemId=${item["KW-P-BEARING"]}`)).json();
    expect(orders.total).toBeGreaterThan(0);
    const order = orders.items[0];
    const peg = (await admin.get(`/api/planning/versions/${v.id}/pegging?orderKey=${encodeURIComponent(order.orderKey)}`)).json();
    expect(peg.tree).toMatchObject({ kind: "order", orderKey: order.orderKey, itemId: item["KW-P-BEARING"] });
    // flat pegging adds up to the order's quantity
    const total = peg.demand.reduce((s: number, d: { qty: string }) => s + Number(d.qty), 0);
    expect(total).toBe(Number(order.quantity));
    // walking up: bearing → motor → head → fan → forecast
    const path: string[] = [];
    let node = peg.tree;
    while (node.children?.length) {
      const next = node.children.find((c: { kind: string }) => c.kind === "order" || c.kind === "demand") ?? node.children[0];
      if (next.kind === "order") path.push(peg.items[next.itemId].code);
      node = next;
      if (next.kind !== "order") break;
    }
    expect(path.slice(0, 3)).toEqual([expect.stringMatching(/^KW-MOT-/), expect.stringMatching(/^KW-HEAD-/), expect.stringMatching(/^KW-FAN-/)]);
    expect(node.kind === "demand" || node.kind === "safety_stock" || node.kind === "lot_size_excess").toBe(true);
    expect(peg.demand.some((d: { ref: string; label: string | null }) => d.ref.startsWith("FC-") && d.label?.includes("KW-FAN"))).toBe(true);
  });

  it("converts planned purchases to requisitions grouped by supplier and makes to draft production orders, keeping the pegging", async () => {
    const v = (await admin.get("/api/planning/versions?kind=regenerative")).json().items[0];
    const buys = (await admin.get(`/api/planning/versions/${v.id}/orders?kind=buy&status=planned&pageSize=500`)).json().items as {
      orderKey: string;
      itemId: number;
      releaseQuantity: string;
      dueDate: string;
    }[];
    const suppliers = await rows<{ itemId: number; partnerId: number; price: string; leadTimeDays: number }>(
      sys.rt.database.db,
      sql`select item_id as "itemId", partner_id as "partnerId", price::text as price, lead_time_days as "leadTimeDays" from supplier_item
          where active and preferred and uom_id = (select base_uom_id from item where id = item_id)`,
    );
    const bySupplier = new Map<number, typeof buys>();
    for (const b of buys) {
      const s = suppliers.find((x) => x.itemId === b.itemId);
      if (!s) continue;
      bySupplier.set(s.partnerId, [...(bySupplier.get(s.partnerId) ?? []), b]);
    }
    // at least two suppliers, one order of each plus a second order of the first supplier
    const groups = [...bySupplier.values()].slice(0, 2);
    expect(groups).toHaveLength(2);
    const picked = [groups[0][0], groups[1][0], ...(groups[0][1] ? [groups[0][1]] : [])];
    const make = (await admin.get(`/api/planning/versions/${v.id}/orders?kind=make&status=planned&itemId=${item["KW-HEAD-40"]}`)).json().items[0];
    const res = await admin.post("/api/planning/orders/convert", { versionId: v.id, orderKeys: [...picked.map((p) => p.orderKey), make.orderKey] });
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json();
    expect(out.requisitions).toHaveLength(2);
    expect(out.productionOrders).toHaveLength(1);

    for (const r of out.requisitions) {
      const req = (await admin.get(`/api/purchasing/requisitions/${r.id}`)).json();
      expect(req.state).toBe("draft");
      for (const line of req.lines) {
        const s = suppliers.find((x) => x.itemId === line.itemId)!;
        expect(req.supplierId).toBe(s.partnerId);
        expect(Number(line.unitPrice)).toBe(Number(s.price));
        expect(line.leadTimeDays).toBe(s.leadTimeDays);
        const planned = picked.find((p) => p.orderKey === line.sourcePlannedOrder)!;
        expect(Number(line.quantity)).toBe(Number(planned.releaseQuantity));
        expect(line.needDate).toBe(planned.dueDate);
        expect(line.pegging.reduce((s: number, p: { qty: string }) => s + Number(p.qty), 0)).toBe(Number(line.quantity));
      }
    }
    const firstReq = out.requisitions.find((r: { supplierId: number }) => r.supplierId === [...bySupplier.keys()][0]);
    expect(firstReq.lines).toBe(picked.length === 3 ? 2 : 1);

    const mo = (await admin.get(`/api/production/orders/${out.productionOrders[0].id}`)).json();
    expect(mo).toMatchObject({ state: "draft", itemId: item["KW-HEAD-40"], sourcePlannedOrder: make.orderKey, sourcePlanVersionId: v.id });
    expect(mo.bomId).toBeTruthy();
    expect(Number(mo.quantity)).toBe(Number(make.releaseQuantity));
    const peg = (await admin.get(`/api/planning/versions/${v.id}/pegging?orderKey=${encodeURIComponent(make.orderKey)}`)).json();
    expect(mo.pegging).toEqual(peg.demand);

    const after = (await admin.get(`/api/planning/versions/${v.id}/orders?status=converted&pageSize=500`)).json();
    expect(after.items.map((o: { orderKey: string }) => o.orderKey)).toEqual(expect.arrayContaining([...picked.map((p) => p.orderKey), make.orderKey]));
    const again = await admin.post("/api/planning/orders/convert", { versionId: v.id, orderKeys: [make.orderKey] });
    expect(again.statusCode).toBe(422);
    expect(again.json().code).toBe("already_converted");
    const unknown = await admin.post("/api/planning/orders/convert", { versionId: v.id, orderKeys: ["nope:1:1"] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe("/orderKeys/0");

    // the next run sees the draft production order and requisitions as scheduled receipts
    const next = await runMrp({ bucket: "week", periods: 12 });
    const head = (await admin.get(`/api/planning/versions/${next.id}/record?itemId=${item["KW-HEAD-40"]}`)).json();
    expect(head.scheduled.some((q: string) => Number(q) > 0)).toBe(true);
  });

  it("what-if: copies a version, changes demand and parameters, reruns and compares side by side", async () => {
    const base = (await admin.get("/api/planning/versions?kind=regenerative")).json().items[0];
    const res = await admin.post("/api/planning/what-ifs", {
      baseVersionId: base.id,
      name: "Double week 5",
      demand: [{ itemId: item["KW-FAN-40"], period: 5, quantity: "1000" }],
      items: [{ itemId: item["KW-P-GEARBOX"], safetyStock: "0" }],
    });
    expect(res.statusCode, res.body).toBe(202);
    await worker().runOnce();
    const wi = (await admin.get(`/api/planning/versions/${res.json().id}`)).json();
    expect(wi).toMatchObject({ status: "done", kind: "what_if", baseVersionId: base.id, inputsAt: base.inputsAt });
    const cmp = (await admin.get(`/api/planning/compare?a=${base.id}&b=${wi.id}`)).json();
    const fan = cmp.items.find((i: { itemCode: string }) => i.itemCode === "KW-FAN-40");
    expect(Number(fan.grossB)).toBeGreaterThan(Number(fan.grossA));
    expect(Number(fan.plannedB)).toBeGreaterThan(Number(fan.plannedA));
    expect(cmp.items.some((i: { itemCode: string }) => i.itemCode === "KW-P-GEARBOX")).toBe(true);
    // the base is untouched and a what-if's orders are not converted
    expect((await admin.get(`/api/planning/versions/${base.id}`)).json().orderCount).toBe(base.orderCount);
    const order = (await admin.get(`/api/planning/versions/${wi.id}/orders`)).json().items[0];
    const conv = await admin.post("/api/planning/orders/convert", { versionId: wi.id, orderKeys: [order.orderKey] });
    expect(conv.statusCode).toBe(422);
    const bad = await admin.post("/api/planning/what-ifs", { baseVersionId: base.id, demand: [{ itemId: item["KW-FAN-40"], period: 99, quantity: "1" }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe("/demand/0/period");
  });

  it("refuses planning to users without the permissions (403), and audits the attempt", async () => {
    await sys.rt.database.db.execute(sql`insert into role (company_id, code, name_zh, name_en, permissions)
      values (${companyId}, 'plan_viewer', '计划查看', 'Plan viewer', array['planning.plan.read'])`);
    const mk = async (username: string, role: string) => {
      const r = await admin.post("/api/identity/users", { username, displayName: username, roles: [{ role }] });
      if (r.statusCode !== 201) throw new Error(r.body);
      return login(sys.app, username, r.json().oneTimePassword);
    };
    const viewer = await mk("plan.viewer", "plan_viewer");
    const nobody = await mk("plan.nobody", "operator");
    const v = (await viewer.get("/api/planning/versions")).json().items[0];
    expect((await viewer.get(`/api/planning/versions/${v.id}/items`)).statusCode).toBe(200);
    expect((await viewer.post("/api/planning/runs", {})).statusCode).toBe(403);
    expect((await viewer.put("/api/planning/forecasts", { entries: [{ itemId: item["KW-FAN-40"], periodStart: "2030-01-07", quantity: "1" }] })).statusCode).toBe(403);
    expect((await viewer.post("/api/planning/orders/convert", { versionId: v.id, orderKeys: ["x:1:1"] })).statusCode).toBe(403);
    expect((await viewer.get("/api/production/orders")).statusCode).toBe(403);
    expect((await viewer.get("/api/purchasing/requisitions")).statusCode).toBe(403);
    expect((await nobody.get("/api/planning/versions")).statusCode).toBe(403);
    expect((await nobody.get("/api/planning/mps")).statusCode).toBe(403);
    expect(await count(sys.rt, "audit_log", "action = 'planning.run.start' and outcome = 'denied'")).toBeGreaterThan(0);
  });
});
