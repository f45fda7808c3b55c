import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, DB_AVAILABLE, type TestSystem, count, login, testSystem } from "./harness.ts";

/** The demo company's fan family: what a planner, an engineer and a cost accountant see first. */
describe.skipIf(!DB_AVAILABLE)("engineering demo data", () => {
  let sys: TestSystem;
  let admin: Client;
  const item: Record<string, number> = {};

  beforeAll(async () => {
    sys = await testSystem({ demo: true });
    admin = await login(sys.app, "admin", sys.adminPassword);
    for (const code of ["KW-FAN-40", "KW-P-BEARING", "KW-R-ABS"]) {
      const found = (await admin.get(`/api/masterdata/engineering/item-options?q=${code}`)).json() as { id: number; code: string }[];
      item[code] = found.find((i) => i.code === code)!.id;
    }
  });
  afterAll(() => sys?.close());

  it("explodes the 40 cm fan four levels deep with its phantom kit, by-product, scrap and unit conversions", async () => {
    const res = await admin.get(`/api/masterdata/bom-explosion?itemId=${item["KW-FAN-40"]}&qty=1&asOf=2026-06-01`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.bom.versionCode).toBe("V1");
    const rows = (body.rows as { level: number; code: string; extendedQty: string; viaPhantom: boolean; byProduct: boolean }[]).map((r) => [
      r.level,
      r.code,
      r.extendedQty,
      ...(r.viaPhantom ? ["phantom"] : []),
      ...(r.byProduct ? ["by-product"] : []),
    ]);
    expect(rows).toEqual([
      [1, "KW-HEAD-40", "1.000000"],
      [2, "KW-MOT-40", "1.000000"],
      [3, "KW-P-STATOR-40", "1.000000"],
      [3, "KW-P-ROTOR-40", "1.000000"],
      [3, "KW-P-CAP-1.5", "1.000000"],
      [3, "KW-P-BEARING", "2.000000"],
      [3, "KW-C-GREASE", "0.002000"], // 2 g on a kilogram item
      [2, "KW-P-BLADE-40", "1.010000"],
      [2, "KW-GUARD-40", "1.000000"],
      [3, "KW-R-WIRE-ST", "0.469934"], // 18.5 m × 0.024662 kg/m × 1.03
      [2, "KW-P-GEARBOX", "1.000000"],
      [1, "KW-BASE-01", "1.000000"],
      [2, "KW-M-BASE-SHELL", "1.000000"],
      [3, "KW-R-ABS", "0.430500"], // 42 kg per 100 shells + 2.5 %
      [3, "KW-R-ABS-REGRIND", "0.015000", "by-product"],
      [2, "KW-P-SWITCH", "1.000000"],
      [2, "KW-P-CORD", "1.000000"],
      [1, "KW-R-CARTON-40", "1.000000"],
      [1, "KW-P-SCREW-M4", "8.160000", "phantom"],
    ]);
    // Before the kit existed, the first release had its ten screws straight on the BOM.
    const old = (await admin.get(`/api/masterdata/bom-explosion?itemId=${item["KW-FAN-40"]}&qty=1&asOf=2025-06-01&maxLevels=1`)).json();
    expect(old.bom.versionCode).toBe("2025.1");
    expect(old.rows.find((r: { code: string }) => r.code === "KW-P-SCREW-M4")).toMatchObject({ extendedQty: "10.000000", viaPhantom: false });
  });

  it("finds every product a bearing goes into", async () => {
    const res = (await admin.get(`/api/masterdata/where-used?itemId=${item["KW-P-BEARING"]}&asOf=2026-06-01`)).json();
    const tops = res.rows.filter((r: { topLevel: boolean }) => r.topLevel).map((r: { code: string; extendedQty: string }) => [r.code, r.extendedQty]);
    expect(tops).toEqual([
      ["KW-FAN-40", "2.000000"],
      ["KW-FAN-30", "2.000000"],
    ]);
    const abs = (await admin.get(`/api/masterdata/where-used?itemId=${item["KW-R-ABS"]}&asOf=2026-06-01&levels=single`)).json();
    expect(abs.rows.map((r: { code: string; qtyPer: string }) => [r.code, r.qtyPer])).toEqual([["KW-M-BASE-SHELL", "0.42"]]);
  });

  it("rolls up the fan's cost from its four levels and routings, each cost element adding up", async () => {
    const res = await admin.get(`/api/masterdata/cost-rollup?itemId=${item["KW-FAN-40"]}&asOf=2026-06-01`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.routing.versionCode).toBe("R1");
    expect(body.items.map((i: { code: string; lowLevelCode: number }) => `${i.lowLevelCode}:${i.code}`)).toEqual([
      "0:KW-FAN-40",
      "1:KW-BASE-01",
      "1:KW-HEAD-40",
      "1:KW-KIT-FAST",
      "2:KW-GUARD-40",
      "2:KW-M-BASE-SHELL",
      "2:KW-MOT-40",
    ]);
    const cents = (v: string) => BigInt(v.replace(".", ""));
    for (const i of body.items as { unitCost: string; thisLevel: Record<string, string>; rolledUp: Record<string, string> }[]) {
      const sum = (e: Record<string, string>) => Object.values(e).reduce((a, v) => a + cents(v), 0n);
      expect(sum(i.thisLevel)).toBe(cents(i.unitCost));
      expect(sum(i.rolledUp)).toBe(cents(i.unitCost));
    }
    // Labour of the whole fan = its own operations + every sub-assembly's, so more than the top level alone.
    expect(cents(body.rolledUp.labour)).toBeGreaterThan(cents(body.thisLevel.labour));
    expect(body.zeroCostComponents).toEqual([]);
  });

  it("has two workshops whose work centres know their capacity", async () => {
    const ws = (await admin.get("/api/masterdata/workshops")).json();
    expect(ws.items.map((w: { code: string; departmentCode: string; calendarCode: string }) => [w.code, w.departmentCode, w.calendarCode])).toEqual([
      ["WS1", "WS1", "PLANT"],
      ["WS2", "WS2", "PLANT"],
    ]);
    const centres = (await admin.get("/api/masterdata/work-centres?q=WC-MOULD-1")).json();
    const mould = centres.items[0];
    // Mon 2026-11-30 on the two-shift plant calendar: 2 × 450 min × 3 machines × 85 %
    const cap = (await admin.get(`/api/masterdata/work-centres/${mould.id}/capacity?from=2026-11-30&to=2026-11-30`)).json();
    expect(cap.days[0]).toMatchObject({ calendarMinutes: 900, availableMinutes: "2295.00" });
    expect(await count(sys.rt, "routing", "status = 'active'")).toBe(10);
    expect(await count(sys.rt, "bom", "status = 'draft'")).toBe(1);
  });
});
