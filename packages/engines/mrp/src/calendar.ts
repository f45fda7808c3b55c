/**
 * Working calendar helpers: map ISO dates to planning periods (buckets of one
 * working day or one ISO week) and convert lead times in working days to
 * periods. Pure date arithmetic on "YYYY-MM-DD" strings — no Date objects,
 * no clock, no time zones.
 */
import { MrpInputError } from "./errors.ts";

export type BucketKind = "day" | "week";

export interface PlanningBucket {
  /** 1-based period number. */
  readonly period: number;
  /** "2025-03-14" for a day bucket, "2025-W11" for a week bucket. */
  readonly label: string;
  /** First and last calendar date of the bucket (inclusive). */
  readonly start: string;
  readonly end: string;
  readonly workingDays: number;
}

export interface PlanningCalendar {
  readonly bucket: BucketKind;
  /** Sorted, without duplicates. */
  readonly workingDates: readonly string[];
  readonly buckets: readonly PlanningBucket[];
  readonly periods: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 (proleptic Gregorian), H. Hinnant's days_from_civil. */
export function dayNumber(date: string, path = "date"): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new MrpInputError(path, `expected an ISO date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const y0 = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y0, m)) {
    throw new MrpInputError(path, `${JSON.stringify(date)} is not a calendar date`);
  }
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of dayNumber. */
export function dateOfDay(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Day number of the Monday of the ISO week containing `day` (1970-01-01 was a Thursday). */
function mondayOf(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7);
}

/** ISO 8601 week label, e.g. "2026-W01" (the week-year is the year of the week's Thursday). */
export function isoWeekLabel(date: string): string {
  const thursday = mondayOf(dayNumber(date)) + 3;
  const year = Number(dateOfDay(thursday).slice(0, 4));
  const week = Math.floor((thursday - dayNumber(`${String(year).padStart(4, "0")}-01-01`)) / 7) + 1;
  return `${String(year).padStart(4, "0")}-W${String(week).padStart(2, "0")}`;
}

/**
 * Builds the period buckets of a working calendar. Day buckets: one per
 * working date. Week buckets: every ISO week from the first working date's
 * week to the last one's, weeks without working days included (time keeps
 * running through a shutdown week).
 */
export function createPlanningCalendar(workingDates: readonly string[], bucket: BucketKind): PlanningCalendar {
  if (bucket !== "day" && bucket !== "week") {
    throw new MrpInputError("bucket", `expected "day" or "week", got ${JSON.stringify(bucket)}`);
  }
  const days = workingDates.map((date, i) => dayNumber(date, `workingDates[${i}]`));
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 0) throw new MrpInputError("workingDates", "needs at least one working date");
  const dates = sorted.map(dateOfDay);
  const buckets: PlanningBucket[] = [];
  if (bucket === "day") {
    dates.forEach((date, i) => {
      buckets.push({ period: i + 1, label: date, start: date, end: date, workingDays: 1 });
    });
  } else {
    const firstMonday = mondayOf(sorted[0]);
    const weekCount = (mondayOf(sorted[sorted.length - 1]) - firstMonday) / 7 + 1;
    const counts = new Array<number>(weekCount).fill(0);
    for (const day of sorted) counts[(mondayOf(day) - firstMonday) / 7]++;
    for (let w = 0; w < weekCount; w++) {
      const monday = firstMonday + 7 * w;
      buckets.push({
        period: w + 1,
        label: isoWeekLabel(dateOfDay(monday)),
        start: dateOfDay(monday),
        end: dateOfDay(monday + 6),
        workingDays: counts[w],
      });
    }
  }
  return { bucket, workingDates: dates, buckets, periods: buckets.length };
}

/** Index of the last working date <= day, or -1. */
function lastWorkingIndexAtOrBefore(cal: PlanningCalendar, day: number): number {
  let lo = 0;
  let hi = cal.workingDates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dayNumber(cal.workingDates[mid]) <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export type Roll = "backward" | "forward";

/**
 * The period a date falls in. For day buckets a non-working date rolls to
 * the previous working date ("backward", the default: a requirement due on
 * a Sunday must be met by Friday) or to the next ("forward", e.g. for a
 * receipt). Returns 0 for a date before the horizon and periods + 1 after it.
 */
export function periodOfDate(cal: PlanningCalendar, date: string, roll: Roll = "backward"): number {
  const day = dayNumber(date);
  if (cal.bucket === "week") {
    const first = dayNumber(cal.buckets[0].start);
    if (day < first) return 0;
    const week = Math.floor((day - first) / 7);
    return week >= cal.periods ? cal.periods + 1 : week + 1;
  }
  const i = lastWorkingIndexAtOrBefore(cal, day);
  const exact = i >= 0 && dayNumber(cal.workingDates[i]) === day;
  if (exact || roll === "backward") return i + 1; // 0 when before the first working date
  return i + 2; // next working date; periods + 1 past the last
}

/**
 * Moves `days` working days from a date (negative: back). A non-working
 * start date first rolls backward. Returns null when the result falls
 * outside the calendar.
 */
export function addWorkingDays(cal: PlanningCalendar, date: string, days: number): string | null {
  if (!Number.isInteger(days)) throw new MrpInputError("days", `expected an integer, got ${days}`);
  const i = lastWorkingIndexAtOrBefore(cal, dayNumber(date));
  if (i < 0) return null;
  const j = i + days;
  return j >= 0 && j < cal.workingDates.length ? cal.workingDates[j] : null;
}

/**
 * A lead time in working days as a whole number of periods, for an item's
 * constant `leadTime`: day buckets -> the same number; week buckets ->
 * ceil(days / working days of a full week), a full week being the largest
 * number of working days in any bucket of the calendar (5 for a Mon-Fri
 * calendar). Rounding up never plans a release too late.
 */
export function leadTimeToPeriods(cal: PlanningCalendar, workingDays: number): number {
  if (!Number.isInteger(workingDays) || workingDays < 0) {
    throw new MrpInputError("leadTime", `expected a non-negative integer number of working days, got ${workingDays}`);
  }
  if (cal.bucket === "day") return workingDays;
  let fullWeek = 0;
  for (const b of cal.buckets) if (b.workingDays > fullWeek) fullWeek = b.workingDays;
  return Math.ceil(workingDays / fullWeek);
}

/**
 * The exact offset in periods for a specific due date: the period of the
 * due date minus the period of the date `workingDays` working days earlier.
 * Returns null when that release date falls before the calendar.
 */
export function leadTimeToPeriodsAt(cal: PlanningCalendar, dueDate: string, workingDays: number): number | null {
  const release = addWorkingDays(cal, dueDate, -workingDays);
  if (release === null) return null;
  return periodOfDate(cal, dueDate) - periodOfDate(cal, release);
}
