import { systemActor } from "../../platform/actor.ts";
import type { DemoContext } from "../../platform/module.ts";
import { execute } from "../../platform/pipeline.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { createCalendar, createDepartment, setCalendarException } from "./commands.ts";

const DEPARTMENTS: [code: string, parent: string | null, zh: string, en: string][] = [
  ["GM", null, "总经理办公室", "General Management"],
  ["PROD", "GM", "生产部", "Production"],
  ["WS1", "PROD", "一车间（总装）", "Workshop 1 (Assembly)"],
  ["WS2", "PROD", "二车间（机加工）", "Workshop 2 (Machining)"],
  ["PMC", "PROD", "生产计划科", "Production Planning"],
  ["PUR", "GM", "采购部", "Purchasing"],
  ["WH", "GM", "仓储部", "Warehousing"],
  ["QA", "GM", "质量部", "Quality"],
  ["SALES", "GM", "销售部", "Sales"],
  ["FIN", "GM", "财务部", "Finance"],
  ["IT", "GM", "信息部（ERP 项目组）", "IT (ERP project team)"],
  ["AUDIT", "GM", "内审部", "Internal Audit"],
];

// Public holidays of the demo calendar (a sample, not an official schedule).
const HOLIDAYS: [day: string, kind: "holiday" | "workday", zh: string, en: string][] = [
  ["2026-10-01", "holiday", "国庆节", "National Day"],
  ["2026-10-02", "holiday", "国庆节", "National Day"],
  ["2026-10-05", "holiday", "国庆节", "National Day"],
  ["2026-10-06", "holiday", "国庆节", "National Day"],
  ["2026-10-07", "holiday", "国庆节", "National Day"],
  ["2026-10-10", "workday", "国庆节调休上班", "Working Saturday (National Day swap)"],
  ["2027-01-01", "holiday", "元旦", "New Year's Day"],
  ["2027-02-05", "holiday", "春节", "Spring Festival"],
  ["2027-02-08", "holiday", "春节", "Spring Festival"],
  ["2027-02-09", "holiday", "春节", "Spring Festival"],
  ["2027-02-10", "holiday", "春节", "Spring Festival"],
  ["2027-02-11", "holiday", "春节", "Spring Festival"],
  ["2027-02-20", "workday", "春节调休上班", "Working Saturday (Spring Festival swap)"],
  ["2027-04-05", "holiday", "清明节", "Qingming Festival"],
  ["2027-05-03", "holiday", "劳动节", "Labour Day"],
  ["2027-05-04", "holiday", "劳动节", "Labour Day"],
  ["2027-05-05", "holiday", "劳动节", "Labour Day"],
];

/** The demo company's departments and its two calendars (offices; two-shift production). */
export async function seedDemo(runtime: Runtime, demo: DemoContext): Promise<void> {
  const actor = systemActor("demo-seed", demo.companyId as number);
  const ids: Record<string, number> = {};
  for (const [code, parent, nameZh, nameEn] of DEPARTMENTS) {
    const d = await execute(runtime, createDepartment, { code, parentId: parent ? ids[parent] : null, nameZh, nameEn }, actor);
    ids[code] = d.id;
  }
  demo.departments = ids;
  const office = await execute(
    runtime,
    createCalendar,
    {
      code: "OFFICE",
      nameZh: "行政日历",
      nameEn: "Office calendar",
      workingWeekdays: [1, 2, 3, 4, 5],
      isDefault: true,
      shifts: [{ code: "DAY", nameZh: "白班", nameEn: "Day", startTime: "08:30", endTime: "17:30", breakMinutes: 60 }],
    },
    actor,
  );
  const plant = await execute(
    runtime,
    createCalendar,
    {
      code: "PLANT",
      nameZh: "车间两班制日历",
      nameEn: "Plant two-shift calendar",
      workingWeekdays: [1, 2, 3, 4, 5, 6],
      shifts: [
        { code: "A", nameZh: "早班", nameEn: "Early shift", startTime: "07:00", endTime: "15:00", breakMinutes: 30 },
        { code: "B", nameZh: "中班", nameEn: "Late shift", startTime: "15:00", endTime: "23:00", breakMinutes: 30 },
      ],
    },
    actor,
  );
  for (const cal of [office.id, plant.id]) {
    for (const [day, kind, nameZh, nameEn] of HOLIDAYS) {
      await execute(runtime, setCalendarException, { calendarId: cal, day, kind, nameZh, nameEn }, actor);
    }
  }
  demo.calendars = { office: office.id, plant: plant.id };
}
