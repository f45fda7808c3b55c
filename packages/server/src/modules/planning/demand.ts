import { type BucketKind, type PlanningCalendar, createPlanningCalendar, dateOfDay, dayNumber, periodOfDate } from "@kaiwu/mrp";
import { D } from "../inventory/common.ts";
import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";

/** One line of independent demand in the company's own terms (a sales order line, a forecast…). */
export interface DemandLine {
  itemId: number;
  /** Due date (ISO). */
  date: string;
  /** Decimal string, > 0. */
  quantity: string;
  /** Pegging reference, unique per line, e.g. "SO-000123/2" or "FC-17". */
  ref: string;
  /** Which source it came from ("forecast", "sales_order", …). */
  source: string;
  label?: string | null;
}

/**
 * Where customer orders come from. There is no sales module yet: it will register itself here
 * (`registerDemandSource({ name: "sales_order", load })`) and its open order lines then appear in the
 * MPS and consume forecasts of the same item and bucket, with no change to planning.
 */
export interface DemandSource {
  name: string;
  /** Open order lines due in [from, to] (and overdue ones: they are due at the start). */
  load(ex: Executor, companyId: number, from: string, to: string): Promise<DemandLine[]>;
}

const sources = new Map<string, DemandSource>();

export function registerDemandSource(source: DemandSource): void {
  sources.set(source.name, source);
}

export function unregisterDemandSource(name: string): void {
  sources.delete(name);
}

export async function loadOrderDemand(ex: Executor, companyId: number, from: string, to: string): Promise<DemandLine[]> {
  const out: DemandLine[] = [];
  for (const s of sources.values()) out.push(...(await s.load(ex, companyId, from, to)));
  return out;
}

export interface CalendarInfo {
  calendarId: number;
  cal: PlanningCalendar;
}

/** The planning buckets: `periods` days or weeks of the working calendar from `start`. */
export async function planningCalendar(ex: Executor, companyId: number, calendarId: number | null, bucket: BucketKind, start: string, periods: number): Promise<CalendarInfo> {
  const calendar = await one<{ id: number; weekdays: number[] }>(
    ex,
    calendarId
      ? sql`select id, working_weekdays as weekdays from work_calendar where id = ${calendarId} and company_id = ${companyId}`
      : sql`select id, working_weekdays as weekdays from work_calendar where company_id = ${companyId} order by is_default desc, id limit 1`,
  );
  if (!calendar) throw errors.rule("no_calendar", "planning.error.no_calendar");
  const first = dayNumber(start);
  // a week bucket starts on Monday: the horizon is whole weeks from the start's week
  const weekStart = bucket === "week" ? first - ((((first + 3) % 7) + 7) % 7) : first;
  // one week more than needed: when the start week has no working day left, the buckets start a week later
  const span = bucket === "week" ? (periods + 1) * 7 : periods * 3 + 30;
  const last = weekStart + span - 1;
  const exceptions = await rows<{ day: string; kind: string }>(
    ex,
    sql`select to_char(day, 'YYYY-MM-DD') as day, kind from calendar_exception where calendar_id = ${calendar.id}
        and day between ${dateOfDay(first)}::date and ${dateOfDay(last)}::date`,
  );
  const special = new Map(exceptions.map((e) => [e.day, e.kind]));
  const weekdays = new Set((calendar.weekdays ?? []).map(Number));
  const dates: string[] = [];
  for (let d = first; d <= last; d++) {
    const date = dateOfDay(d);
    const isoWeekday = ((((d + 3) % 7) + 7) % 7) + 1; // day 0 = 1970-01-01, a Thursday
    const kind = special.get(date);
    const working = kind === "workday" || (kind !== "holiday" && weekdays.has(isoWeekday));
    if (working) dates.push(date);
    if (bucket === "day" && dates.length === periods) break;
  }
  if (dates.length === 0) throw errors.rule("no_working_days", "planning.error.no_working_days");
  let cal = createPlanningCalendar(dates, bucket);
  if (cal.periods > periods) cal = createPlanningCalendar(dates.filter((d) => periodOfDate(cal, d) <= periods), bucket);
  return { calendarId: calendar.id, cal };
}

export interface PlanDemandLine extends DemandLine {
  period: number;
}

export interface ConsumedCell {
  forecast: D;
  orders: D;
  consumed: D;
}

/**
 * Forecast consumption: in each item's bucket, customer orders consume the forecast of the same bucket;
 * only the rest of the forecast stays demand. Orders before the horizon count in period 1, forecasts
 * before it are stale and dropped. Returns the demand lines the plan runs on and the MPS figures per cell.
 */
export async function buildDemand(ex: Executor, companyId: number, cal: PlanningCalendar) {
  const from = cal.buckets[0].start;
  const to = cal.buckets[cal.periods - 1].end;
  const forecasts = await rows<{ id: number; itemId: number; date: string; quantity: string; code: string }>(
    ex,
    sql`select f.id, f.item_id as "itemId", to_char(f.period_start, 'YYYY-MM-DD') as date, f.quantity::text as quantity, i.code
        from forecast f join item i on i.id = f.item_id
        where f.company_id = ${companyId} and f.period_start between ${from}::date and ${to}::date order by f.period_start, f.id`,
  );
  const orders = await loadOrderDemand(ex, companyId, from, to);
  const cells = new Map<string, ConsumedCell>();
  const cell = (itemId: number, period: number) => {
    const key = `${itemId}:${period}`;
    let c = cells.get(key);
    if (!c) {
      c = { forecast: new D(0), orders: new D(0), consumed: new D(0) };
      cells.set(key, c);
    }
    return c;
  };
  const lines: PlanDemandLine[] = [];
  for (const o of orders) {
    const p = Math.max(1, periodOfDate(cal, o.date));
    if (p > cal.periods) continue;
    cell(o.itemId, p).orders = cell(o.itemId, p).orders.plus(o.quantity);
    lines.push({ ...o, period: p });
  }
  // consume each bucket's forecast lines in date order
  const remaining = new Map<string, D>();
  for (const f of forecasts) {
    const p = periodOfDate(cal, f.date, "forward");
    if (p < 1 || p > cal.periods) continue;
    const c = cell(f.itemId, p);
    c.forecast = c.forecast.plus(f.quantity);
    const key = `${f.itemId}:${p}`;
    const left = remaining.get(key) ?? c.orders;
    const used = D.min(left, new D(f.quantity));
    remaining.set(key, left.minus(used));
    c.consumed = c.consumed.plus(used);
    const rest = new D(f.quantity).minus(used);
    if (rest.gt(0)) {
      lines.push({
        itemId: f.itemId,
        date: f.date,
        quantity: rest.toFixed(),
        ref: `FC-${f.id}`,
        source: "forecast",
        label: `${f.code} ${cal.buckets[p - 1].label}`,
        period: p,
      });
    }
  }
  return { lines, cells };
}
