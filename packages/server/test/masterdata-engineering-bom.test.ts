import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureItem, fixtureUnits } from "../src/modules/masterdata/engineering/fixtures.ts";
import { one, sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, DB_KIND, type TestSystem, count, dbError, login, testSystem } from "./harness.ts";

interface Line {
  componentItemId: number;
  qty: string;
  uomId?: number;
  scrapPct?: string;
  phantom?: boolean;
  byProduct?: boolean;
  effectiveFrom?: string | null;
  effectiveTo?: string | null;
}

describe.skipIf(!DB_AVAILABLE)("bills of materials", () => {
  let sys: TestSystem;
  let admin: Client;
  let companyId: number;
  const id: Record<string, number> = {};
  let units: Awaited<ReturnType<typeof fixtureUnits>>;

  /** Creates a draft and answers its id (expects 201). */
  async function draft(item: string, versionCode: string, lines: Line[], extra: Record<string, unknown> = {}): Promise<{ id: number; version: number }> {
    const res = await admin.post("/api/masterdata/boms", { itemId: id[item], versionCode, effectiveFrom: "2026-01-01", lines, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }
  async function activate(b: { id: number; version: number }, body: Record<string, unknown> = {}) {
    return admin.post(`/api/masterdata/boms/${b.id}/activate`, { version: b.version, ...body });
  }
  async function released(item: string, versionCode: string, lines: Line[], extra: Record<string, unknown> = {}) {
    const b = await draft(item, versionCode, lines, extra);
    const res = await activate(b);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { id: number; version: number };
  }

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    const db = sys.rt.database.db;
    companyId = (await one<{ id: number }>(db, sql`select id from company limit 1`))!.id;
    units = await fixtureUnits(db, companyId);
    const costs: Record<string, string> = {
      STATOR: "20", ROTOR: "15", CAP: "3.5", BEARING: "1.2", BLADE: "2", BLADE2: "2.5", WIRE: "8", ABS: "12",
      SCREW: "0.05", NUT: "0.03", CARTON: "4",
    };
    for (const code of ["FAN", "HEAD", "MOTOR", "GUARD", "BASE", "KIT"]) {
      id[code] = await fixtureItem(db, companyId, code, { uom: units.pcs, type: code === "FAN" ? "finished" : "semi", makeOrBuy: "make" });
    }
    for (const code of ["STATOR", "ROTOR", "CAP", "BEARING", "BLADE", "BLADE2", "SCREW", "NUT", "CARTON"]) {
      id[code] = await fixtureItem(db, companyId, code, { uom: units.pcs, cost: costs[code] });
    }
    for (const code of ["WIRE", "ABS", "REGRIND"]) id[code] = await fixtureItem(db, companyId, code, { uom: units.kg, cost: costs[code] ?? "0" });
    for (const code of ["P", "Q", "R", "S", "A1", "A2", "A3", "A4", "OLD", "C1", "C2"]) {
      id[code] = await fixtureItem(db, companyId, code, { uom: units.pcs, type: "semi", makeOrBuy: "make" });
    }
    id.BLOCKED = await fixtureItem(db, companyId, "BLOCKED", { uom: units.pcs, status: "blocked" });

    // The demo fan's structure in small: 4 levels, a phantom kit, a by-product, scrap, grams on a kg item.
    await released("MOTOR", "V1", [
      { componentItemId: id.STATOR, qty: "1" },
      { componentItemId: id.ROTOR, qty: "1" },
      { componentItemId: id.CAP, qty: "1" },
      { componentItemId: id.BEARING, qty: "2" },
    ]);
    await released("GUARD", "V1", [{ componentItemId: id.WIRE, qty: "1500", uomId: units.g, scrapPct: "10" }], { baseQty: "10" });
    await released("HEAD", "V1", [
      { componentItemId: id.MOTOR, qty: "1" },
      { componentItemId: id.BLADE, qty: "3", scrapPct: "2", effectiveTo: "2026-06-01" },
      { componentItemId: id.BLADE2, qty: "3", scrapPct: "2", effectiveFrom: "2026-06-01" },
      { componentItemId: id.GUARD, qty: "1" },
    ]);
    await released("BASE", "V1", [
      { componentItemId: id.ABS, qty: "0.5", scrapPct: "4" },
      { componentItemId: id.REGRIND, qty: "0.02", byProduct: true },
      { componentItemId: id.SCREW, qty: "4" },
    ]);
    await released("KIT", "V1", [
      { componentItemId: id.SCREW, qty: "6" },
      { componentItemId: id.NUT, qty: "6" },
    ]);
    await released("FAN", "V1", [
      { componentItemId: id.HEAD, qty: "1" },
      { componentItemId: id.BASE, qty: "1" },
      { componentItemId: id.CARTON, qty: "1" },
      { componentItemId: id.KIT, qty: "1", phantom: true },
    ]);
  });
  afterAll(() => sys?.close());

  it("explodes multi-level: scrap of every level, units converted, phantom blown through, by-product as output", async () => {
    const res = await admin.get(`/api/masterdata/bom-explosion?itemId=${id.FAN}&qty=10&asOf=2026-03-01`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const rows = (body.rows as { level: number; code: string; extendedQty: string; viaPhantom: boolean; byProduct: boolean; hasComponents: boolean }[]).map(
      (r) => [r.level, r.code, r.extendedQty, r.viaPhantom, r.byProduct],
    );
    expect(rows).toEqual([
      [1, "HEAD", "10.000000", false, false],
      [2, "MOTOR", "10.000000", false, false],
      [3, "STATOR", "10.000000", false, false],
      [3, "ROTOR", "10.000000", false, false],
      [3, "CAP", "10.000000", false, false],
      [3, "BEARING", "20.000000", false, false],
      // 3 per head + 2 % scrap; the replacement blade only starts in June
      [2, "BLADE", "30.600000", false, false],
      [2, "GUARD", "10.000000", false, false],
      // 1500 g per 10 guards = 0.15 kg each, + 10 % scrap
      [3, "WIRE", "1.650000", false, false],
      [1, "BASE", "10.000000", false, false],
      [2, "ABS", "5.200000", false, false],
      [2, "REGRIND", "0.200000", false, true],
      [2, "SCREW", "40.000000", false, false],
      [1, "CARTON", "10.000000", false, false],
      // the kit is a phantom: its parts are needed at its level and the kit itself is not
      [1, "SCREW", "60.000000", true, false],
      [1, "NUT", "60.000000", true, false],
    ]);
    expect(body.rows.find((r: { code: string }) => r.code === "WIRE")).toMatchObject({ lineQty: "1500.000000", lineUom: "g", baseQty: "10.000000", qtyPer: "0.15", scrapPct: "10" });
    const req = Object.fromEntries((body.requirements as { code: string; qty: string }[]).map((r) => [r.code, r.qty]));
    expect(req.SCREW).toBe("100.000000");
    expect(req.KIT).toBeUndefined();
    expect(body.byProducts).toEqual([expect.objectContaining({ code: "REGRIND", qty: "0.200000" })]);
  });

  it("takes line effectivity from the date asked", async () => {
    const res = await admin.get(`/api/masterdata/bom-explosion?itemId=${id.FAN}&qty=1&asOf=2026-07-01&maxLevels=2`);
    const codes = (res.json().rows as { code: string }[]).map((r) => r.code);
    expect(codes).toContain("BLADE2");
    expect(codes).not.toContain("BLADE");
    expect(codes).not.toContain("STATOR"); // level 3, beyond maxLevels
  });

  it("summarises the explosion to one total per component", async () => {
    const res = await admin.get(`/api/masterdata/bom-summary?itemId=${id.FAN}&qty=10&asOf=2026-03-01`);
    expect(res.statusCode, res.body).toBe(200);
    const totals = Object.fromEntries((res.json().requirements as { code: string; qty: string }[]).map((r) => [r.code, r.qty]));
    expect(totals).toMatchObject({ SCREW: "100.000000", NUT: "60.000000", WIRE: "1.650000", BEARING: "20.000000", HEAD: "10.000000" });
    expect(totals.KIT).toBeUndefined();
  });

  it("lists where a component is used, single level and through every level", async () => {
    const single = (await admin.get(`/api/masterdata/where-used?itemId=${id.STATOR}&levels=single&asOf=2026-03-01`)).json();
    expect(single.rows.map((r: { code: string; level: number }) => [r.level, r.code])).toEqual([[1, "MOTOR"]]);
    const full = (await admin.get(`/api/masterdata/where-used?itemId=${id.STATOR}&asOf=2026-03-01`)).json();
    expect(full.rows.map((r: { code: string; level: number; topLevel: boolean }) => [r.level, r.code, r.topLevel])).toEqual([
      [1, "MOTOR", false],
      [2, "HEAD", false],
      [3, "FAN", true],
    ]);
    const screw = (await admin.get(`/api/masterdata/where-used?itemId=${id.SCREW}&asOf=2026-03-01`)).json();
    expect(screw.rows.map((r: { code: string; level: number; extendedQty: string; phantom: boolean }) => [r.level, r.code, r.extendedQty, r.phantom])).toEqual([
      [1, "BASE", "4.000000", false],
      [2, "FAN", "4.000000", false],
      [1, "KIT", "6.000000", false],
      [2, "FAN", "6.000000", true],
    ]);
    const wire = (await admin.get(`/api/masterdata/where-used?itemId=${id.WIRE}&asOf=2026-03-01`)).json();
    expect(wire.rows[0]).toMatchObject({ code: "GUARD", qtyPer: "0.15", extendedQty: "0.165000" });
  });

  it("refuses a direct cycle and names it, and a line of the item itself", async () => {
    const before = await count(sys.rt, "bom");
    const res = await admin.post("/api/masterdata/boms", {
      itemId: id.CAP,
      versionCode: "V1",
      effectiveFrom: "2026-01-01",
      lines: [{ componentItemId: id.MOTOR, qty: "1" }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: "bom_cycle", detail: expect.stringContaining("CAP → MOTOR → CAP") });
    expect(res.json().errors).toEqual([expect.objectContaining({ field: "/lines/0/componentItemId", rule: "cycle" })]);
    const self = await admin.post("/api/masterdata/boms", { itemId: id.P, versionCode: "V1", effectiveFrom: "2026-01-01", lines: [{ componentItemId: id.P, qty: "1" }] });
    expect(self.statusCode).toBe(400);
    expect(self.json().errors).toEqual([expect.objectContaining({ field: "/lines/0/componentItemId", rule: "self" })]);
    expect(await count(sys.rt, "bom")).toBe(before);
  });

  it("refuses a cycle three levels deep, naming the whole path", async () => {
    const res = await admin.post("/api/masterdata/boms", {
      itemId: id.STATOR,
      versionCode: "V1",
      effectiveFrom: "2026-01-01",
      lines: [{ componentItemId: id.NUT, qty: "2" }, { componentItemId: id.FAN, qty: "1" }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toContain("STATOR → FAN → HEAD → MOTOR → STATOR");
    expect(res.json().errors[0].field).toBe("/lines/1/componentItemId");
  });

  it("refuses to activate the version that would close a cycle of drafts", async () => {
    const p = await draft("P", "V1", [{ componentItemId: id.Q, qty: "1" }]);
    const q = await draft("Q", "V1", [{ componentItemId: id.R, qty: "1" }]);
    const r = await draft("R", "V1", [{ componentItemId: id.P, qty: "1" }]);
    const pa = await activate(p);
    expect(pa.statusCode, pa.body).toBe(200);
    const qa = await activate(q);
    expect(qa.statusCode, qa.body).toBe(200);
    const refused = await activate(r);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: "bom_cycle" });
    expect(refused.json().detail).toContain("R → P → Q → R");
    const row = await one<{ status: string }>(sys.rt.database.db, sql`select status from bom where id = ${r.id}`);
    expect(row!.status).toBe("draft");
    // A by-product line back to an ancestor is an output, not a loop.
    const s = await draft("S", "V1", [{ componentItemId: id.NUT, qty: "1" }, { componentItemId: id.P, qty: "1", byProduct: true }]);
    const pUsesS = await draft("P", "V2", [{ componentItemId: id.S, qty: "1" }], { effectiveFrom: "2027-01-01" });
    const sa = await activate(s);
    expect(sa.statusCode, sa.body).toBe(200);
    const pa2 = await activate(pUsesS, { supersede: true });
    expect(pa2.statusCode, pa2.body).toBe(200);
  });

  it("allows one active version per item on any day; superseding ends the earlier one", async () => {
    const v1 = await released("A1", "V1", [{ componentItemId: id.NUT, qty: "1" }]);
    const v2 = await draft("A1", "V2", [{ componentItemId: id.NUT, qty: "2" }], { effectiveFrom: "2026-06-01" });
    const overlap = await activate(v2);
    expect(overlap.statusCode).toBe(422);
    expect(overlap.json()).toMatchObject({ code: "bom_overlap" });
    expect(overlap.json().detail).toContain("V1");
    const fresh = (await admin.get(`/api/masterdata/boms/${v2.id}`)).json();
    const ok = await activate(fresh, { supersede: true });
    expect(ok.statusCode, ok.body).toBe(200);
    const old = (await admin.get(`/api/masterdata/boms/${v1.id}`)).json();
    expect(old).toMatchObject({ status: "active", effectiveFrom: "2026-01-01", effectiveTo: "2026-06-01" });
    // Superseding cannot end a version that starts later than the new one.
    const v0 = await draft("A1", "V0", [{ componentItemId: id.NUT, qty: "3" }], { effectiveFrom: "2025-01-01" });
    const refused = await activate(v0, { supersede: true });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe("bom_overlap");
    // The explosion picks the version by date.
    const may = (await admin.get(`/api/masterdata/bom-explosion?itemId=${id.A1}&qty=1&asOf=2026-05-31`)).json();
    const june = (await admin.get(`/api/masterdata/bom-explosion?itemId=${id.A1}&qty=1&asOf=2026-06-01`)).json();
    expect([may.bom.versionCode, may.rows[0].extendedQty]).toEqual(["V1", "1.000000"]);
    expect([june.bom.versionCode, june.rows[0].extendedQty]).toEqual(["V2", "2.000000"]);
    // The database holds the rule whoever writes: a second overlapping active row is refused.
    const err = await dbError(sys.rt.database.db.execute(sql`update bom set status = 'active' where id = ${v0.id}`));
    expect(err).toMatch(/bom_one_active_version/);
  });

  it("of two activations racing for the same dates exactly one wins", async () => {
    const a = await draft("A2", "V1", [{ componentItemId: id.NUT, qty: "1" }]);
    const b = await draft("A2", "V2", [{ componentItemId: id.NUT, qty: "1" }]);
    const results = await Promise.all([activate(a), activate(b)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 422]);
    expect(await count(sys.rt, "bom", `item_id = ${id.A2} and status = 'active'`)).toBe(1);
    if (DB_KIND === "postgres") expect(results.find((r) => r.statusCode === 422)!.json().code).toBe("bom_overlap");
  });

  it("names every bad field and saves nothing", async () => {
    const before = await count(sys.rt, "bom");
    const beforeLines = await count(sys.rt, "bom_line");
    const res = await admin.post("/api/masterdata/boms", {
      itemId: id.A3,
      versionCode: "V1",
      effectiveFrom: "2026-01-01",
      effectiveTo: "2025-12-31",
      baseQty: "0",
      lines: [
        { componentItemId: id.NUT, qty: "0" },
        { componentItemId: id.WIRE, qty: "1", uomId: units.pcs },
        { componentItemId: 999999, qty: "1" },
        { componentItemId: id.REGRIND, qty: "1", phantom: true, byProduct: true, scrapPct: "5" },
        { componentItemId: id.BLOCKED, qty: "1" },
        { componentItemId: id.SCREW, qty: "1", position: 10, effectiveFrom: "2026-05-01", effectiveTo: "2026-04-01" },
      ],
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    // Every problem at once, each under its field, so the form can mark them all.
    expect(res.json().errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`)).toEqual([
      "/effectiveTo:after",
      "/baseQty:minimum",
      "/lines/0/qty:minimum",
      "/lines/1/uomId:convertible",
      "/lines/2/componentItemId:exists",
      "/lines/3/scrapPct:byProduct",
      "/lines/3/byProduct:phantom",
      "/lines/4/componentItemId:usable",
      "/lines/5/effectiveTo:after",
      "/lines/5/position:unique",
    ]);
    // Malformed values are caught by the schema, also naming the field.
    const malformed = await admin.post("/api/masterdata/boms", {
      itemId: id.A3,
      effectiveFrom: "01/01/2026",
      lines: [
        { componentItemId: id.NUT, qty: 2 },
        { componentItemId: id.NUT, qty: "1e3" },
        { componentItemId: id.NUT, qty: "1", extra: true },
        { componentItemId: id.NUT, qty: "-1", scrapPct: "100" },
      ],
    });
    expect(malformed.statusCode).toBe(400);
    const fields = malformed.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(["/versionCode", "/effectiveFrom", "/lines/0/qty", "/lines/1/qty", "/lines/2/extra", "/lines/3/qty", "/lines/3/scrapPct"]),
    );
    // More digits than the column holds is refused, never rounded or overflowing in the database.
    const huge = await admin.post("/api/masterdata/boms", {
      itemId: id.A3,
      versionCode: "V1",
      effectiveFrom: "2026-01-01",
      lines: [{ componentItemId: id.NUT, qty: "1234567890123" }, { componentItemId: id.NUT, qty: "1.1234567" }],
    });
    expect(huge.json().errors.map((e: { field: string }) => e.field)).toEqual(["/lines/0/qty", "/lines/1/qty"]);
    expect(await count(sys.rt, "bom")).toBe(before);
    expect(await count(sys.rt, "bom_line")).toBe(beforeLines);
    const dup = await admin.post("/api/masterdata/boms", { itemId: id.FAN, versionCode: "V1", effectiveFrom: "2026-01-01", lines: [] });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe("/versionCode");
  });

  it("rolls up standard cost: material from bought parts, labour/machine/overhead from routings × rates", async () => {
    const ws = (await admin.post("/api/masterdata/workshops", { code: "WS-C", nameZh: "总装", nameEn: "Assembly" })).json();
    const wc = await admin.post("/api/masterdata/work-centres", {
      workshopId: ws.id,
      code: "WC-ASSY",
      nameZh: "装配台",
      nameEn: "Assembly bench",
      machineCount: 1,
      efficiencyPct: "100",
      peopleCount: 4,
      labourRate: "30",
      machineRate: "10",
      overheadRate: "20",
    });
    expect(wc.statusCode, wc.body).toBe(201);
    const routing = await admin.post("/api/masterdata/routings", {
      itemId: id.MOTOR,
      versionCode: "R1",
      effectiveFrom: "2026-01-01",
      lotSize: "60",
      operations: [{ seq: 10, nameZh: "绕线装配", nameEn: "Wind and assemble", workCentreId: wc.json().id, setupMinutes: "30", runMinutes: "6", crewSize: 2 }],
    });
    expect(routing.statusCode, routing.body).toBe(201);
    expect((await admin.post(`/api/masterdata/routings/${routing.json().id}/activate`, { version: 1 })).statusCode).toBe(200);

    const res = await admin.get(`/api/masterdata/cost-rollup?itemId=${id.FAN}&asOf=2026-03-01`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const motor = body.items.find((i: { code: string }) => i.code === "MOTOR");
    // hours per motor: 0.5 h setup / 60 + 0.1 h run; labour 2 people × 30/h, machine 10/h, overhead 20/h
    expect(motor.thisLevel).toEqual({ material: "40.900000", labour: "6.500000", machine: "1.083333", overhead: "2.166667" });
    expect(motor.unitCost).toBe("50.650000");
    // head 50.65 + 3 × 1.02 × 2 + guard 0.165 kg × 8; base 0.52 kg × 12 + 4 × 0.05; carton 4; kit (phantom) 6 × 0.05 + 6 × 0.03
    expect(body.unitCost).toBe("69.010000");
    expect(body.rolledUp).toEqual({ material: "59.260000", labour: "6.500000", machine: "1.083333", overhead: "2.166667" });
    const stator = body.tree.find((r: { code: string }) => r.code === "STATOR");
    expect(stator).toMatchObject({ level: 3, extendedQty: "1.000000", unitCost: "20.000000", extendedCost: "20.000000" });
    expect(body.tree.find((r: { code: string }) => r.code === "REGRIND")).toMatchObject({ byProduct: true, unitCost: null });
  });

  it("keeps a released version unchanged: edits go to a copy", async () => {
    const list = (await admin.get(`/api/masterdata/boms?itemId=${id.KIT}`)).json();
    const kit = list.items[0];
    const edit = await admin.patch(`/api/masterdata/boms/${kit.id}`, { description: "changed" }, { "if-match": `"${kit.version}"` });
    expect(edit.statusCode).toBe(422);
    expect(edit.json().code).toBe("bom_not_draft");
    const del = await admin.delete(`/api/masterdata/boms/${kit.id}`, { "if-match": `"${kit.version}"` });
    expect(del.statusCode).toBe(422);
    // Even straight SQL cannot change the lines of a released BOM.
    expect(await dbError(sys.rt.database.db.execute(sql`update bom_line set qty = 99 where bom_id = ${kit.id}`))).toMatch(/released BOM/);
    const copy = await admin.post(`/api/masterdata/boms/${kit.id}/copy`, { versionCode: "V2", effectiveFrom: "2026-09-01" });
    expect(copy.statusCode, copy.body).toBe(201);
    const detail = (await admin.get(`/api/masterdata/boms/${copy.json().id}`)).json();
    expect(detail).toMatchObject({ status: "draft", versionCode: "V2", effectiveFrom: "2026-09-01" });
    expect(detail.lines.map((l: { componentCode: string; qty: string }) => [l.componentCode, l.qty])).toEqual([
      ["SCREW", "6.000000"],
      ["NUT", "6.000000"],
    ]);
    expect(detail.versions.map((v: { versionCode: string }) => v.versionCode)).toEqual(["V2", "V1"]);
    const changed = await admin.patch(
      `/api/masterdata/boms/${detail.id}`,
      { lines: [{ componentItemId: id.SCREW, qty: "8" }] },
      { "if-match": `"${detail.version}"` },
    );
    expect(changed.statusCode, changed.body).toBe(200);
    const stale = await admin.patch(`/api/masterdata/boms/${detail.id}`, { description: "late" }, { "if-match": `"${detail.version}"` });
    expect(stale.statusCode).toBe(409);
    const obsolete = await admin.post(`/api/masterdata/boms/${kit.id}/obsolete`, { version: kit.version });
    expect(obsolete.statusCode).toBe(200);
    expect(await dbError(sys.rt.database.db.execute(sql`update bom set status = 'active' where id = ${kit.id}`))).toMatch(/obsolete BOM is final/);
    // Without an effective kit BOM the phantom stays in the explosion as a requirement of its own.
    const fan = (await admin.get(`/api/masterdata/bom-explosion?itemId=${id.FAN}&qty=1&asOf=2026-03-01&maxLevels=1`)).json();
    expect(fan.rows.map((r: { code: string }) => r.code)).toContain("KIT");
    const del2 = await admin.delete(`/api/masterdata/boms/${detail.id}`, { "if-match": `"${detail.version + 1}"` });
    expect(del2.statusCode).toBe(200);
    expect(await count(sys.rt, "bom_line", `bom_id = ${detail.id}`)).toBe(0);
  });

  it("hides BOM quantities, costs and rates from those without the sensitive permissions", async () => {
    const db = sys.rt.database.db;
    await db.execute(sql`insert into role (company_id, code, name_zh, name_en, permissions)
      values (${companyId}, 'bom_viewer', 'BOM 查看', 'BOM viewer', array['masterdata.bom.read', 'masterdata.bom.edit', 'masterdata.workcentre.read']::text[])`);
    const created = await admin.post("/api/identity/users", { username: "eng.viewer", displayName: "Viewer", roles: [{ role: "bom_viewer" }] });
    expect(created.statusCode, created.body).toBe(201);
    const viewer = await login(sys.app, "eng.viewer", created.json().oneTimePassword);

    const list = (await viewer.get(`/api/masterdata/boms?itemId=${id.FAN}`)).json();
    expect(list.items[0].baseQty).toBeNull();
    const detail = (await viewer.get(`/api/masterdata/boms/${list.items[0].id}`)).json();
    expect(detail.quantitiesHidden).toBe(true);
    expect(detail.lines.length).toBe(4);
    expect(detail.lines.every((l: { qty: string | null; scrapPct: string | null }) => l.qty === null && l.scrapPct === null)).toBe(true);
    const tree = (await viewer.get(`/api/masterdata/bom-explosion?itemId=${id.FAN}&qty=10&asOf=2026-03-01`)).json();
    expect(tree.rows.length).toBeGreaterThan(10);
    expect(tree.rows.every((r: { extendedQty: null; qtyPer: null }) => r.extendedQty === null && r.qtyPer === null)).toBe(true);
    expect(tree.requirements.every((r: { qty: null }) => r.qty === null)).toBe(true);
    const used = (await viewer.get(`/api/masterdata/where-used?itemId=${id.SCREW}`)).json();
    expect(used.rows.every((r: { extendedQty: null }) => r.extendedQty === null)).toBe(true);
    expect((await viewer.get(`/api/masterdata/bom-summary?itemId=${id.FAN}&asOf=2026-03-01`)).statusCode).toBe(403);
    expect((await viewer.get(`/api/masterdata/cost-rollup?itemId=${id.FAN}&asOf=2026-03-01`)).statusCode).toBe(403);
    const centres = (await viewer.get("/api/masterdata/work-centres")).json();
    expect(centres.items[0]).toMatchObject({ code: "WC-ASSY", labourRate: null, machineRate: null, overheadRate: null });
    // Writing lines blind is refused too.
    const blind = await viewer.post("/api/masterdata/boms", { itemId: id.A4, versionCode: "V1", effectiveFrom: "2026-01-01", lines: [{ componentItemId: id.NUT, qty: "1" }] });
    expect(blind.statusCode).toBe(403);
    // Releasing needs its own permission.
    const own = await viewer.post("/api/masterdata/boms", { itemId: id.A4, versionCode: "V1", effectiveFrom: "2026-01-01", lines: [] });
    expect(own.statusCode).toBe(201);
    expect((await viewer.post(`/api/masterdata/boms/${own.json().id}/activate`, { version: 1 })).statusCode).toBe(403);
    // The same reads with the permission show the figures.
    const full = (await admin.get(`/api/masterdata/boms/${list.items[0].id}`)).json();
    expect(full.lines[0].qty).toBe("1.000000");
  });

  it("refuses to release an empty BOM or one with a blocked component", async () => {
    const empty = await draft("C1", "V1", [{ componentItemId: id.REGRIND, qty: "1", byProduct: true }]);
    const res = await activate(empty);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe("bom_empty");
    const c2 = await draft("C2", "V1", [{ componentItemId: id.NUT, qty: "1" }]);
    await sys.rt.database.db.execute(sql`update item set status = 'obsolete' where id = ${id.NUT}`);
    const blocked = await activate(c2);
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json()).toMatchObject({ code: "components_not_usable", detail: expect.stringContaining("NUT") });
    await sys.rt.database.db.execute(sql`update item set status = 'active' where id = ${id.NUT}`);
  });
});
