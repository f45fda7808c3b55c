/** Working-calendar helpers: dates to periods, lead times in working days to periods. */
import { describe, expect, it } from "vitest";
import {
  addWorkingDays,
  createPlanningCalendar,
  dateOfDay,
  dayNumber,
  isoWeekLabel,
  leadTimeToPeriods,
  leadTimeToPeriodsAt,
  periodOfDate,
} from "./calendar.ts";
import { MrpInputError } from "./errors.ts";

/** Monday-to-Friday working dates from `start` for `days` calendar days, minus holidays. */
function weekdays(start: string, days: number, holidays: readonly string[] = []): string[] {
  const out: string[] = [];
  for (let d = dayNumber(start); d < dayNumber(start) + days; d++) {
    const date = dateOfDay(d);
    const weekday = (((d + 3) % 7) + 7) % 7; // 0 = Monday
    if (weekday < 5 && !holidays.includes(date)) out.push(date);
  }
  return out;
}

describe("date arithmetic", () => {
  it("converts dates to day numbers and back", () => {
    expect(dayNumber("1970-01-01")).toBe(0);
    expect(dayNumber("2000-03-01")).toBe(11017);
    expect(dateOfDay(dayNumber("2024-02-29"))).toBe("2024-02-29");
    for (const date of ["1999-12-31", "2000-02-29", "2100-03-01", "2026-11-29"]) expect(dateOfDay(dayNumber(date))).toBe(date);
  });

  it("labels ISO weeks across year boundaries", () => {
    expect(isoWeekLabel("2020-12-31")).toBe("2020-W53");
    expect(isoWeekLabel("2021-01-03")).toBe("2020-W53");
    expect(isoWeekLabel("2021-01-04")).toBe("2021-W01");
    expect(isoWeekLabel("2024-12-30")).toBe("2025-W01");
    expect(isoWeekLabel("2026-06-15")).toBe("2026-W25");
  });

  it("rejects malformed and impossible dates, naming them", () => {
    expect(() => dayNumber("2025-02-29")).toThrow(/not a calendar date/);
    expect(() => dayNumber("2025-2-3")).toThrow(MrpInputError);
    expect(() => createPlanningCalendar(["2025-01-02", "2025-13-01"], "day")).toThrow(/workingDates\[1\]/);
    expect(() => createPlanningCalendar([], "week")).toThrow(/at least one working date/);
  });
});

describe("day buckets", () => {
  // Mon 2025-03-03 .. Fri 2025-03-14, Friday 2025-03-07 a holiday: 9 working days
  const cal = createPlanningCalendar(weekdays("2025-03-03", 12, ["2025-03-07"]).reverse(), "day");

  it("makes one period per working date, sorted", () => {
    expect(cal.periods).toBe(9);
    expect(cal.buckets[0]).toEqual({ period: 1, label: "2025-03-03", start: "2025-03-03", end: "2025-03-03", workingDays: 1 });
    expect(cal.workingDates[4]).toBe("2025-03-10");
  });

  it("maps non-working dates backward (default) or forward", () => {
    expect(periodOfDate(cal, "2025-03-06")).toBe(4);
    expect(periodOfDate(cal, "2025-03-07")).toBe(4); // holiday -> Thursday
    expect(periodOfDate(cal, "2025-03-09")).toBe(4); // Sunday -> Thursday
    expect(periodOfDate(cal, "2025-03-09", "forward")).toBe(5); // Sunday -> Monday
    expect(periodOfDate(cal, "2025-03-01")).toBe(0); // before the horizon
    expect(periodOfDate(cal, "2025-03-15", "forward")).toBe(10); // after it
  });

  it("counts lead times in working days", () => {
    expect(leadTimeToPeriods(cal, 3)).toBe(3);
    expect(addWorkingDays(cal, "2025-03-11", -3)).toBe("2025-03-05"); // skips the weekend and the holiday
    expect(addWorkingDays(cal, "2025-03-04", -2)).toBeNull();
    expect(leadTimeToPeriodsAt(cal, "2025-03-11", 3)).toBe(3);
  });
});

describe("ISO week buckets", () => {
  // Mon 2024-12-23 .. Fri 2025-01-24, with a shutdown week 2024-12-30..2025-01-03
  const dates = weekdays("2024-12-23", 33).filter((d) => d < "2024-12-30" || d > "2025-01-03");
  const cal = createPlanningCalendar(dates, "week");

  it("makes one period per ISO week, a week without working days included", () => {
    expect(cal.buckets.map((b) => [b.period, b.label, b.start, b.end, b.workingDays])).toEqual([
      [1, "2024-W52", "2024-12-23", "2024-12-29", 5],
      [2, "2025-W01", "2024-12-30", "2025-01-05", 0],
      [3, "2025-W02", "2025-01-06", "2025-01-12", 5],
      [4, "2025-W03", "2025-01-13", "2025-01-19", 5],
      [5, "2025-W04", "2025-01-20", "2025-01-26", 5],
    ]);
  });

  it("maps any date of a week to that week's period", () => {
    expect(periodOfDate(cal, "2025-01-01")).toBe(2);
    expect(periodOfDate(cal, "2025-01-12")).toBe(3);
    expect(periodOfDate(cal, "2024-12-22")).toBe(0);
    expect(periodOfDate(cal, "2025-01-27")).toBe(6);
  });

  it("converts working-day lead times to weeks, rounding up", () => {
    expect([0, 1, 5, 6, 10, 11].map((days) => leadTimeToPeriods(cal, days))).toEqual([0, 1, 1, 2, 2, 3]);
    expect(() => leadTimeToPeriods(cal, -1)).toThrow(/non-negative/);
    // exact for a due date: 5 working days before Wed 2025-01-08 (Tue, Mon, then Fri, Thu, Wed across the
    // shutdown week) is Wed 2024-12-25: week 3 minus week 1
    expect(addWorkingDays(cal, "2025-01-08", -5)).toBe("2024-12-25");
    expect(leadTimeToPeriodsAt(cal, "2025-01-08", 5)).toBe(2);
  });
});
