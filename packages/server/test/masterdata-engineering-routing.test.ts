import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureItem, fixtureUnits } from "../src/modules/masterdata/engineering/fixtures.ts";
import { one, sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, type TestSystem, count, dbError, login, testSystem } from "./harness.ts";

describe.skipIf(!DB_AVAILABLE)("workshops, work centres, capacity and routings", () => {
  let sys: TestSystem;
  let admin: Client;
  let companyId: number;
  let calendarId: number;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    const db = sys.rt.database.db;
    companyId = (await one<{ id: number }>(db, sql`select id from company limit 1`))!.id;
    const units = await fixtureUnits(db, companyId);
    ids.MOTOR = await fixtureItem(db, companyId, "MOTOR", { uom: units.pcs, type: "semi", makeOrBuy: "make" });
    ids.BASE = await fixtureItem(db, companyId, "BASE", { uom: units.pcs, type: "semi", makeOrBuy: "make" });
    // Two shifts of 7.5 h net, Monday to Saturday, with one holiday and one extra working Sunday.
    const cal = await admin.post("/api/org/calendars", {
      code: "TWO-SHIFT",
      nameZh: "两班制",
      nameEn: "Two shifts",
      workingWeekdays: [1, 2, 3, 4, 5, 6],
      shifts: [
        { code: "A", nameZh: "早班", nameEn: "Early", startTime: "07:00", endTime: "15:00", breakMinutes: 30 },
        { code: "B", nameZh: "中班", nameEn: "Late", startTime: "15:00", endTime: "23:00", breakMinutes: 30 },
      ],
    });
    expect(cal.statusCode, cal.body).toBe(201);
    calendarId = cal.json().id;
    await admin.put("/api/org/calendar-exceptions", { calendarId, day: "2026-10-01", kind: "holiday", nameZh: "国庆节", nameEn: "National Day" });
    await admin.put("/api/org/calendar-exceptions", { calendarId, day: "2026-10-11", kind: "workday", nameZh: "调休", nameEn: "Swap" });
  });
  afterAll(() => sys?.close());

  it("builds workshops, lines and work centres, refusing what does not fit together", async () => {
    const ws1 = await admin.post("/api/masterdata/workshops", { code: "WS1", nameZh: "总装车间", nameEn: "Assembly", calendarId });
    expect(ws1.statusCode, ws1.body).toBe(201);
    ids.WS1 = ws1.json().id;
    ids.WS2 = (await admin.post("/api/masterdata/workshops", { code: "WS2", nameZh: "注塑车间", nameEn: "Moulding" })).json().id;
    const line = await admin.post("/api/masterdata/production-lines", { workshopId: ids.WS1, code: "L1", nameZh: "一线", nameEn: "Line 1" });
    expect(line.statusCode, line.body).toBe(201);
    ids.L1 = line.json().id;
    for (const [code, name] of [["WIND", "Winding"], ["TEST", "Testing"]] as const) {
      ids[code] = (await admin.post("/api/masterdata/skills", { code, nameZh: name, nameEn: name })).json().id;
    }
    const wc = await admin.post("/api/masterdata/work-centres", {
      workshopId: ids.WS1,
      lineId: ids.L1,
      code: "ASSY1",
      nameZh: "电机装配",
      nameEn: "Motor assembly",
      machineCount: 2,
      efficiencyPct: "85",
      peopleCount: 4,
      labourRate: "32.5",
      machineRate: "12",
      overheadRate: "18",
      skills: [{ skillId: ids.WIND, peopleCount: 3 }],
    });
    expect(wc.statusCode, wc.body).toBe(201);
    ids.ASSY1 = wc.json().id;

    // A line of another workshop, a skill held by more people than work there, no capacity at all.
    const before = await count(sys.rt, "work_centre");
    const bad = await admin.post("/api/masterdata/work-centres", {
      workshopId: ids.WS2,
      lineId: ids.L1,
      code: "BAD",
      nameZh: "坏",
      nameEn: "Bad",
      machineCount: 0,
      efficiencyPct: "0",
      peopleCount: 0,
      skills: [{ skillId: ids.WIND, peopleCount: 1 }, { skillId: 999999, peopleCount: 1 }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual([
      "/lineId",
      "/efficiencyPct",
      "/machineCount",
      "/skills/0/peopleCount",
      "/skills/1/skillId",
      "/skills/1/peopleCount",
    ]);
    const malformed = await admin.post("/api/masterdata/work-centres", {
      workshopId: ids.WS1,
      code: "bad code",
      nameZh: "",
      nameEn: "x",
      machineCount: -1,
      efficiencyPct: "85.555",
      peopleCount: 1,
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(["/code", "/nameZh", "/machineCount", "/efficiencyPct"]),
    );
    expect(await count(sys.rt, "work_centre")).toBe(before);

    // Fewer people than hold a skill: refused, naming the head count.
    const shrink = await admin.patch(`/api/masterdata/work-centres/${ids.ASSY1}`, { peopleCount: 2 }, { "if-match": '"1"' });
    expect(shrink.statusCode).toBe(400);
    expect(shrink.json().errors[0].field).toBe("/peopleCount");
    // The database holds it too, whoever writes.
    expect(await dbError(sys.rt.database.db.execute(sql`update work_centre set people_count = 1 where id = ${ids.ASSY1}`))).toMatch(/qualified people/);

    ids.MOULD = (
      await admin.post("/api/masterdata/work-centres", {
        workshopId: ids.WS2,
        code: "MOULD",
        nameZh: "注塑机",
        nameEn: "Moulding machine",
        machineCount: 3,
        efficiencyPct: "90",
        peopleCount: 1,
        calendarId,
      })
    ).json().id;
    ids.BENCH = (
      await admin.post("/api/masterdata/work-centres", {
        workshopId: ids.WS1,
        code: "BENCH",
        nameZh: "手工台",
        nameEn: "Manual bench",
        machineCount: 0,
        efficiencyPct: "100",
        peopleCount: 2,
        skills: [{ skillId: ids.WIND, peopleCount: 2 }, { skillId: ids.TEST, peopleCount: 1 }],
      })
    ).json().id;

    const listed = (await admin.get(`/api/masterdata/work-centres?workshopId=${ids.WS1}`)).json();
    expect(listed.items.map((w: { code: string }) => w.code)).toEqual(["ASSY1", "BENCH"]);
    expect(listed.items[0]).toMatchObject({ lineCode: "L1", labourRate: "32.500000", effectiveCalendarCode: "TWO-SHIFT", skills: [expect.objectContaining({ code: "WIND", peopleCount: 3 })] });
    const wsList = (await admin.get("/api/masterdata/workshops")).json();
    expect(wsList.items.find((w: { code: string }) => w.code === "WS1")).toMatchObject({ lineCount: 1, workCentreCount: 2 });
  });

  it("answers available minutes per day: calendar minutes × machines × efficiency, holidays included", async () => {
    const res = await admin.get(`/api/masterdata/work-centres/${ids.ASSY1}/capacity?from=2026-09-30&to=2026-10-11`);
    expect(res.statusCode, res.body).toBe(200);
    const days = Object.fromEntries((res.json().days as { day: string; calendarMinutes: number; availableMinutes: string }[]).map((d) => [d.day, [d.calendarMinutes, d.availableMinutes]]));
    // 900 min × 2 machines × 85 %
    expect(days["2026-09-30"]).toEqual([900, "1530.00"]);
    expect(days["2026-10-01"]).toEqual([0, "0.00"]); // holiday
    expect(days["2026-10-04"]).toEqual([0, "0.00"]); // Sunday
    expect(days["2026-10-10"]).toEqual([900, "1530.00"]); // Saturday works in this calendar
    expect(days["2026-10-11"]).toEqual([900, "1530.00"]); // swapped Sunday
    // 10 working days of 12 (the holiday and the ordinary Sunday are off)
    expect(res.json().totalAvailableMinutes).toBe("15300.00");
    // A manual bench (no machines) is limited by its people; it works to its workshop's calendar.
    const bench = await admin.get(`/api/masterdata/work-centres/${ids.BENCH}/capacity?from=2026-09-30&to=2026-09-30`);
    expect(bench.statusCode, bench.body).toBe(200);
    expect(bench.json().days[0]).toMatchObject({ calendarMinutes: 900, machineMinutes: "0.00", labourMinutes: "1800.00", availableMinutes: "1800.00" });
    const tooLong = await admin.get(`/api/masterdata/work-centres/${ids.ASSY1}/capacity?from=2026-01-01&to=2027-06-01`);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0].field).toBe("/querystring/to");
  });

  it("validates routing operations against work centres, people and skills", async () => {
    const before = await count(sys.rt, "routing");
    const res = await admin.post("/api/masterdata/routings", {
      itemId: ids.MOTOR,
      versionCode: "R1",
      effectiveFrom: "2026-01-01",
      lotSize: "0",
      operations: [
        { seq: 10, nameZh: "绕线", nameEn: "Wind", workCentreId: ids.MOULD, setupMinutes: "10", runMinutes: "2", requiredSkillId: ids.WIND, crewSize: 2 },
        { seq: 10, nameZh: "装配", nameEn: "Assemble", workCentreId: ids.ASSY1, alternativeWorkCentreIds: [ids.ASSY1, ids.MOULD] },
        { seq: 30, nameZh: "测试", nameEn: "Test", workCentreId: 999999, setupMinutes: "0", runMinutes: "0" },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`)).toEqual([
      "/lotSize:minimum",
      "/operations/0/crewSize:maximum",
      "/operations/0/requiredSkillId:skill",
      "/operations/1/seq:unique",
      "/operations/1/alternativeWorkCentreIds/0:distinct",
      "/operations/1/runMinutes:minimum",
      "/operations/2/workCentreId:exists",
      "/operations/2/runMinutes:minimum",
    ]);
    expect(await count(sys.rt, "routing")).toBe(before);
  });

  it("drafts, releases, supersedes and freezes routings", async () => {
    const create = await admin.post("/api/masterdata/routings", {
      itemId: ids.MOTOR,
      versionCode: "R1",
      effectiveFrom: "2026-01-01",
      lotSize: "50",
      operations: [
        { seq: 10, nameZh: "绕线", nameEn: "Wind", workCentreId: ids.ASSY1, setupMinutes: "20", runMinutes: "3", queueMinutes: "60", requiredSkillId: ids.WIND, alternativeWorkCentreIds: [ids.BENCH] },
        { seq: 20, nameZh: "测试", nameEn: "Test", workCentreId: ids.BENCH, runMinutes: "1.5", moveMinutes: "15", crewSize: 1 },
      ],
    });
    expect(create.statusCode, create.body).toBe(201);
    const r1 = create.json();
    const detail = (await admin.get(`/api/masterdata/routings/${r1.id}`)).json();
    expect(detail.operations.map((o: { seq: number; workCentreCode: string }) => [o.seq, o.workCentreCode])).toEqual([
      [10, "ASSY1"],
      [20, "BENCH"],
    ]);
    expect(detail.operations[0].alternatives).toEqual([expect.objectContaining({ code: "BENCH", priority: 1 })]);
    // per lot of 50: work 20 + 3×50 + 1.5×50 = 245 min; lead adds queue 60 and move 15
    expect(detail.totals).toEqual({ workMinutesPerLot: "245.000", leadMinutesPerLot: "320.000" });
    expect((await admin.post(`/api/masterdata/routings/${r1.id}/activate`, { version: r1.version })).statusCode).toBe(200);

    // A work centre in an active routing cannot be deactivated.
    const wc = (await admin.get(`/api/masterdata/work-centres/${ids.BENCH}`)).json();
    // BENCH runs operation 20 and stands in for ASSY1 on operation 10.
    expect(wc.usedBy).toEqual([
      expect.objectContaining({ itemCode: "MOTOR", versionCode: "R1", status: "active", primary: false }),
      expect.objectContaining({ itemCode: "MOTOR", versionCode: "R1", status: "active", primary: true }),
    ]);
    const off = await admin.patch(`/api/masterdata/work-centres/${ids.BENCH}`, { active: false }, { "if-match": `"${wc.version}"` });
    expect(off.statusCode).toBe(422);
    expect(off.json()).toMatchObject({ code: "work_centre_in_use", detail: expect.stringContaining("MOTOR/R1") });

    const frozen = await admin.patch(`/api/masterdata/routings/${r1.id}`, { lotSize: "10" }, { "if-match": '"2"' });
    expect(frozen.statusCode).toBe(422);
    expect(await dbError(sys.rt.database.db.execute(sql`delete from routing_operation where routing_id = ${r1.id}`))).toMatch(/released routing/);

    const copy = await admin.post(`/api/masterdata/routings/${r1.id}/copy`, { versionCode: "R2", effectiveFrom: "2026-07-01" });
    expect(copy.statusCode, copy.body).toBe(201);
    const r2 = copy.json();
    const overlap = await admin.post(`/api/masterdata/routings/${r2.id}/activate`, { version: r2.version });
    expect(overlap.statusCode).toBe(422);
    expect(overlap.json()).toMatchObject({ code: "routing_overlap", detail: expect.stringContaining("R1") });
    const ok = await admin.post(`/api/masterdata/routings/${r2.id}/activate`, { version: r2.version, supersede: true });
    expect(ok.statusCode, ok.body).toBe(200);
    const old = (await admin.get(`/api/masterdata/routings/${r1.id}`)).json();
    expect(old).toMatchObject({ status: "active", effectiveTo: "2026-07-01" });
    expect(old.versions.map((v: { versionCode: string }) => v.versionCode)).toEqual(["R2", "R1"]);
    const list = (await admin.get(`/api/masterdata/routings?workCentreId=${ids.BENCH}&status=active`)).json();
    expect(list.total).toBe(2);
  });

  it("keeps skill and workshop deactivation consistent with what uses them", async () => {
    const skill = (await admin.get("/api/masterdata/skills?q=WIND")).json().items[0];
    const res = await admin.patch(`/api/masterdata/skills/${skill.id}`, { active: false }, { "if-match": `"${skill.version}"` });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe("skill_in_use");
    const ws = (await admin.get(`/api/masterdata/workshops/${ids.WS1}`)).json();
    const off = await admin.patch(`/api/masterdata/workshops/${ids.WS1}`, { active: false }, { "if-match": `"${ws.version}"` });
    expect(off.statusCode).toBe(422);
    expect(off.json().code).toBe("workshop_has_active");
  });
});
