import { type Actor, can } from "../../../platform/actor.ts";
import { type Executor, one, rows, sql } from "../../../platform/db/database.ts";
import { errors } from "../../../platform/errors.ts";
import { type ListParams, likePattern, listPage } from "../../../platform/listing.ts";
import { calendarDays } from "../../org/queries.ts";
import { D, fixed } from "./common.ts";
import { P } from "./permissions.ts";

const search = (q: string | undefined, ...columns: string[]) =>
  q ? sql`(${sql.join(columns.map((c) => sql`${sql.raw(c)} ilike ${likePattern(q)}`), sql` or `)})` : sql`true`;

export function listSkills(db: Executor, companyId: number, params: ListParams & { active?: boolean }) {
  return listPage(db, {
    columns: sql`s.id, s.code, s.name_zh as "nameZh", s.name_en as "nameEn", s.active, s.version,
      (select count(*)::int8 from work_centre_skill ws where ws.skill_id = s.id) as "workCentreCount"`,
    from: sql`skill s`,
    where: sql`s.company_id = ${companyId} and ${search(params.q, "s.code", "s.name_zh", "s.name_en")}
      and (${params.active ?? null}::boolean is null or s.active = ${params.active ?? null}::boolean)`,
    sortable: { code: sql`s.code`, nameZh: sql`s.name_zh`, nameEn: sql`s.name_en` },
    defaultSort: "code",
    params,
  });
}

const workshopColumns = sql`w.id, w.code, w.name_zh as "nameZh", w.name_en as "nameEn", w.department_id as "departmentId",
  d.code as "departmentCode", d.name_zh as "departmentNameZh", d.name_en as "departmentNameEn",
  w.calendar_id as "calendarId", c.code as "calendarCode", c.name_zh as "calendarNameZh", c.name_en as "calendarNameEn",
  w.active, w.version, w.updated_at as "updatedAt",
  (select count(*)::int8 from production_line l where l.workshop_id = w.id and l.active) as "lineCount",
  (select count(*)::int8 from work_centre x where x.workshop_id = w.id and x.active) as "workCentreCount"`;
const workshopFrom = sql`workshop w left join department d on d.id = w.department_id left join work_calendar c on c.id = w.calendar_id`;

export function listWorkshops(db: Executor, companyId: number, params: ListParams & { active?: boolean }) {
  return listPage(db, {
    columns: workshopColumns,
    from: workshopFrom,
    where: sql`w.company_id = ${companyId} and ${search(params.q, "w.code", "w.name_zh", "w.name_en")}
      and (${params.active ?? null}::boolean is null or w.active = ${params.active ?? null}::boolean)`,
    sortable: { code: sql`w.code`, nameZh: sql`w.name_zh`, nameEn: sql`w.name_en`, updatedAt: sql`w.updated_at` },
    defaultSort: "code",
    params,
  });
}

export async function getWorkshop(db: Executor, companyId: number, id: number) {
  const row = await one(db, sql`select ${workshopColumns} from ${workshopFrom} where w.id = ${id} and w.company_id = ${companyId}`);
  if (!row) throw errors.notFound("workshop");
  return row;
}

const lineColumns = sql`l.id, l.workshop_id as "workshopId", w.code as "workshopCode", l.code, l.name_zh as "nameZh", l.name_en as "nameEn",
  l.calendar_id as "calendarId", c.code as "calendarCode", l.active, l.version, l.updated_at as "updatedAt",
  (select count(*)::int8 from work_centre x where x.line_id = l.id and x.active) as "workCentreCount"`;
const lineFrom = sql`production_line l join workshop w on w.id = l.workshop_id left join work_calendar c on c.id = l.calendar_id`;

export function listLines(db: Executor, companyId: number, params: ListParams & { workshopId?: number; active?: boolean }) {
  return listPage(db, {
    columns: lineColumns,
    from: lineFrom,
    where: sql`l.company_id = ${companyId} and ${search(params.q, "l.code", "l.name_zh", "l.name_en")}
      and (${params.workshopId ?? null}::int8 is null or l.workshop_id = ${params.workshopId ?? null}::int8)
      and (${params.active ?? null}::boolean is null or l.active = ${params.active ?? null}::boolean)`,
    sortable: { code: sql`l.code`, nameZh: sql`l.name_zh`, nameEn: sql`l.name_en`, workshop: sql`w.code` },
    defaultSort: "code",
    params,
  });
}

export async function getLine(db: Executor, companyId: number, id: number) {
  const row = await one(db, sql`select ${lineColumns} from ${lineFrom} where l.id = ${id} and l.company_id = ${companyId}`);
  if (!row) throw errors.notFound("production_line");
  return row;
}

/** The calendar a work centre works to: its own, else its line's, else its workshop's, else the company default. */
const effectiveCalendar = sql`coalesce(x.calendar_id, l.calendar_id, w.calendar_id,
  (select id from work_calendar dc where dc.company_id = x.company_id and dc.is_default))`;

function centreColumns(actor: Actor) {
  // Rates are sensitive: without the permission they are not even selected.
  const rates = can(actor, P.rateRead)
    ? sql`x.labour_rate::text as "labourRate", x.machine_rate::text as "machineRate", x.overhead_rate::text as "overheadRate"`
    : sql`null as "labourRate", null as "machineRate", null as "overheadRate"`;
  return sql`x.id, x.workshop_id as "workshopId", w.code as "workshopCode", w.name_zh as "workshopNameZh", w.name_en as "workshopNameEn",
    x.line_id as "lineId", l.code as "lineCode", l.name_zh as "lineNameZh", l.name_en as "lineNameEn",
    x.code, x.name_zh as "nameZh", x.name_en as "nameEn", x.calendar_id as "calendarId",
    ${effectiveCalendar} as "effectiveCalendarId",
    (select code from work_calendar ec where ec.id = ${effectiveCalendar}) as "effectiveCalendarCode",
    x.machine_count as "machineCount", x.efficiency_pct::text as "efficiencyPct", x.people_count as "peopleCount",
    ${rates}, x.active, x.version, x.updated_at as "updatedAt",
    coalesce((select json_agg(json_build_object('skillId', s.id, 'code', s.code, 'nameZh', s.name_zh, 'nameEn', s.name_en,
      'peopleCount', ws.people_count) order by s.code) from work_centre_skill ws join skill s on s.id = ws.skill_id
      where ws.work_centre_id = x.id), '[]'::json) as skills`;
}
const centreFrom = sql`work_centre x join workshop w on w.id = x.workshop_id left join production_line l on l.id = x.line_id`;

function parseSkills<T extends { skills: unknown }>(row: T): T {
  return { ...row, skills: typeof row.skills === "string" ? JSON.parse(row.skills) : row.skills };
}

export async function listWorkCentres(
  db: Executor,
  actor: Actor,
  params: ListParams & { workshopId?: number; lineId?: number; active?: boolean },
) {
  const page = await listPage<{ skills: unknown }>(db, {
    columns: centreColumns(actor),
    from: centreFrom,
    where: sql`x.company_id = ${actor.companyId} and ${search(params.q, "x.code", "x.name_zh", "x.name_en")}
      and (${params.workshopId ?? null}::int8 is null or x.workshop_id = ${params.workshopId ?? null}::int8)
      and (${params.lineId ?? null}::int8 is null or x.line_id = ${params.lineId ?? null}::int8)
      and (${params.active ?? null}::boolean is null or x.active = ${params.active ?? null}::boolean)`,
    sortable: { code: sql`x.code`, nameZh: sql`x.name_zh`, nameEn: sql`x.name_en`, workshop: sql`w.code`, line: sql`l.code`, updatedAt: sql`x.updated_at` },
    defaultSort: "code",
    params,
  });
  return { ...page, items: page.items.map(parseSkills) };
}

export async function getWorkCentre(db: Executor, actor: Actor, id: number) {
  const row = await one<{ skills: unknown }>(db, sql`select ${centreColumns(actor)} from ${centreFrom} where x.id = ${id} and x.company_id = ${actor.companyId}`);
  if (!row) throw errors.notFound("work_centre");
  const usedBy = await rows(
    db,
    sql`select distinct r.id, i.code as "itemCode", i.name_zh as "itemNameZh", i.name_en as "itemNameEn", r.version_code as "versionCode",
          r.status, (o.work_centre_id = ${id}) as "primary"
        from routing r join routing_operation o on o.routing_id = r.id join item i on i.id = r.item_id
        left join routing_operation_alternative a on a.operation_id = o.id
        where r.company_id = ${actor.companyId} and r.status <> 'obsolete' and (o.work_centre_id = ${id} or a.work_centre_id = ${id})
        order by i.code, r.version_code, 7 limit 200`,
  );
  return { ...parseSkills(row), usedBy };
}

export interface CapacityDay {
  day: string;
  working: boolean;
  /** Working minutes of the calendar that day (shifts less breaks). */
  calendarMinutes: number;
  /** calendar minutes × machines × efficiency. */
  machineMinutes: string;
  /** calendar minutes × people. */
  labourMinutes: string;
  /** What the scheduler may load: machine minutes, or for a manual work centre (no machines) labour minutes × efficiency. */
  availableMinutes: string;
  note: string | null;
}

/**
 * Available minutes per day between two dates, for the scheduler and the capacity screen: the
 * calendar's working minutes (org module, holidays and swaps included) × machines × efficiency %.
 * A work centre without machines is limited by its people instead.
 */
export async function workCentreCapacity(db: Executor, companyId: number, id: number, from: string, to: string) {
  const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (!(span >= 0 && span <= 366)) throw errors.field("/querystring/to", "range", "masterdata.error.day_range");
  const wc = await one<{ code: string; calendarId: number | null; machineCount: number; peopleCount: number; efficiencyPct: string }>(
    db,
    sql`select x.code, ${effectiveCalendar} as "calendarId", x.machine_count as "machineCount", x.people_count as "peopleCount",
          x.efficiency_pct::text as "efficiencyPct"
        from ${centreFrom} where x.id = ${id} and x.company_id = ${companyId}`,
  );
  if (!wc) throw errors.notFound("work_centre");
  if (!wc.calendarId) throw errors.rule("no_calendar", "masterdata.error.no_calendar", { code: wc.code });
  const days = await calendarDays(db, companyId, wc.calendarId, from, to);
  const efficiency = new D(wc.efficiencyPct).div(100);
  let total = new D(0);
  const out: CapacityDay[] = days.map((d) => {
    const machine = new D(d.minutes).times(wc.machineCount).times(efficiency);
    const labour = new D(d.minutes).times(wc.peopleCount);
    const available = wc.machineCount > 0 ? machine : labour.times(efficiency);
    total = total.plus(available);
    return {
      day: d.day,
      working: d.working,
      calendarMinutes: d.minutes,
      machineMinutes: fixed(machine, 2),
      labourMinutes: fixed(labour, 2),
      availableMinutes: fixed(available, 2),
      note: d.note,
    };
  });
  const skills = await rows(
    db,
    sql`select s.id as "skillId", s.code, s.name_zh as "nameZh", s.name_en as "nameEn", ws.people_count as "peopleCount"
        from work_centre_skill ws join skill s on s.id = ws.skill_id where ws.work_centre_id = ${id} order by s.code`,
  );
  return {
    workCentreId: id,
    code: wc.code,
    calendarId: wc.calendarId,
    machineCount: wc.machineCount,
    peopleCount: wc.peopleCount,
    efficiencyPct: wc.efficiencyPct,
    from,
    to,
    totalAvailableMinutes: fixed(total, 2),
    days: out,
    skills,
  };
}
