import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { type ListParams, likePattern, listPage } from "../../platform/listing.ts";

export async function getCompany(db: Executor, companyId: number) {
  const row = await one(
    db,
    sql`select id, code, name_zh as "nameZh", name_en as "nameEn", base_currency as "baseCurrency", timezone, version
        from company where id = ${companyId}`,
  );
  if (!row) throw errors.notFound("company");
  return row;
}

const departmentColumns = sql`d.id, d.parent_id as "parentId", d.code, d.name_zh as "nameZh", d.name_en as "nameEn",
  d.manager_user_id as "managerUserId", d.active, d.version, d.updated_at as "updatedAt"`;

/** Departments of the company, flat with parentId (the UI builds the tree); paged like every list. */
export function listDepartments(db: Executor, companyId: number, params: ListParams & { active?: boolean }) {
  const where = [sql`d.company_id = ${companyId}`];
  if (params.q) where.push(sql`(d.code ilike ${likePattern(params.q)} or d.name_zh ilike ${likePattern(params.q)} or d.name_en ilike ${likePattern(params.q)})`);
  if (params.active !== undefined) where.push(sql`d.active = ${params.active}`);
  return listPage(db, {
    columns: departmentColumns,
    from: sql`department d`,
    where: sql.join(where, sql` and `),
    sortable: { code: sql`d.code`, nameZh: sql`d.name_zh`, nameEn: sql`d.name_en`, updatedAt: sql`d.updated_at` },
    defaultSort: "code",
    params,
  });
}

export async function getDepartment(db: Executor, companyId: number, id: number) {
  const row = await one(db, sql`select ${departmentColumns} from department d where d.id = ${id} and d.company_id = ${companyId}`);
  if (!row) throw errors.notFound("department");
  return row;
}

/** The department and all below it: what a department-scoped role covers. */
export async function departmentSubtree(db: Executor, rootId: number): Promise<number[]> {
  const r = await rows<{ id: number }>(
    db,
    sql`with recursive t(id) as (select ${rootId}::int8 union all select d.id from department d join t on d.parent_id = t.id)
        select id from t`,
  );
  return r.map((x) => x.id);
}

export function listCalendars(db: Executor, companyId: number, params: ListParams) {
  return listPage(db, {
    columns: sql`c.id, c.code, c.name_zh as "nameZh", c.name_en as "nameEn", c.working_weekdays as "workingWeekdays",
      c.is_default as "isDefault", c.version,
      (select count(*)::int8 from calendar_shift s where s.calendar_id = c.id) as "shiftCount",
      (select count(*)::int8 from calendar_exception e where e.calendar_id = c.id) as "exceptionCount"`,
    from: sql`work_calendar c`,
    where: params.q
      ? sql`c.company_id = ${companyId} and (c.code ilike ${likePattern(params.q)} or c.name_zh ilike ${likePattern(params.q)} or c.name_en ilike ${likePattern(params.q)})`
      : sql`c.company_id = ${companyId}`,
    sortable: { code: sql`c.code`, nameZh: sql`c.name_zh`, nameEn: sql`c.name_en` },
    defaultSort: "code",
    params,
  });
}

export async function getCalendar(db: Executor, companyId: number, id: number) {
  const cal = await one<Record<string, unknown>>(
    db,
    sql`select id, code, name_zh as "nameZh", name_en as "nameEn", working_weekdays as "workingWeekdays",
        is_default as "isDefault", version from work_calendar where id = ${id} and company_id = ${companyId}`,
  );
  if (!cal) throw errors.notFound("work_calendar");
  cal.shifts = await rows(
    db,
    sql`select code, name_zh as "nameZh", name_en as "nameEn", to_char(start_time, 'HH24:MI') as "startTime",
        to_char(end_time, 'HH24:MI') as "endTime", break_minutes as "breakMinutes"
        from calendar_shift where calendar_id = ${id} order by start_time`,
  );
  cal.exceptions = await rows(
    db,
    sql`select id, to_char(day, 'YYYY-MM-DD') as day, kind, name_zh as "nameZh", name_en as "nameEn"
        from calendar_exception where calendar_id = ${id} order by day`,
  );
  return cal;
}

export interface CalendarDay {
  day: string;
  working: boolean;
  /** Working minutes of the day, from the shifts less their breaks (0 on days off). */
  minutes: number;
  note: string | null;
}

/**
 * The calendar's days from..to (inclusive): weekday pattern, overridden by holidays and extra working
 * days. Planning maps dates to buckets and lead times to working days with this.
 */
export async function calendarDays(db: Executor, companyId: number, calendarId: number, from: string, to: string): Promise<CalendarDay[]> {
  const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (!(span >= 0 && span <= 1100)) throw errors.field("/querystring/to", "range", "org.error.day_range");
  return rows<CalendarDay>(
    db,
    sql`with cal as (select id, working_weekdays from work_calendar where id = ${calendarId} and company_id = ${companyId}),
        shift_minutes as (
          select coalesce(sum(((extract(epoch from (end_time - start_time)) / 60 + 1440)::int % 1440) - break_minutes), 0)::int as m
          from calendar_shift where calendar_id = ${calendarId})
        select to_char(g.day, 'YYYY-MM-DD') as day,
          coalesce(e.kind = 'workday', extract(isodow from g.day)::int = any(cal.working_weekdays)) as working,
          case when coalesce(e.kind = 'workday', extract(isodow from g.day)::int = any(cal.working_weekdays))
               then (select m from shift_minutes) else 0 end as minutes,
          e.name_zh || ' / ' || e.name_en as note
        from cal cross join generate_series(${from}::date, ${to}::date, interval '1 day') as g(day)
        left join calendar_exception e on e.calendar_id = cal.id and e.day = g.day::date
        order by g.day`,
  );
}
