import type { Actor } from "../../../platform/actor.ts";
import { type Executor, one, rows, sql } from "../../../platform/db/database.ts";
import { errors } from "../../../platform/errors.ts";
import { type ListParams, likePattern, listPage } from "../../../platform/listing.ts";
import { D, fixed } from "./common.ts";

export function listRoutings(db: Executor, actor: Actor, params: ListParams & { status?: string; itemId?: number; workCentreId?: number }) {
  const q = params.q ? likePattern(params.q) : null;
  return listPage(db, {
    columns: sql`r.id, r.item_id as "itemId", i.code as "itemCode", i.name_zh as "itemNameZh", i.name_en as "itemNameEn",
      r.version_code as "versionCode", r.description, r.status, r.lot_size::text as "lotSize",
      to_char(r.effective_from, 'YYYY-MM-DD') as "effectiveFrom", to_char(r.effective_to, 'YYYY-MM-DD') as "effectiveTo",
      r.version, r.updated_at as "updatedAt",
      (select count(*)::int8 from routing_operation o where o.routing_id = r.id) as "operationCount"`,
    from: sql`routing r join item i on i.id = r.item_id`,
    where: sql`r.company_id = ${actor.companyId}
      and (${q}::text is null or i.code ilike ${q} or i.name_zh ilike ${q} or i.name_en ilike ${q} or r.version_code ilike ${q} or r.description ilike ${q})
      and (${params.status ?? null}::text is null or r.status = ${params.status ?? null})
      and (${params.itemId ?? null}::int8 is null or r.item_id = ${params.itemId ?? null}::int8)
      and (${params.workCentreId ?? null}::int8 is null or exists (select 1 from routing_operation o
            left join routing_operation_alternative a on a.operation_id = o.id
            where o.routing_id = r.id and (o.work_centre_id = ${params.workCentreId ?? null}::int8 or a.work_centre_id = ${params.workCentreId ?? null}::int8)))`,
    sortable: {
      itemCode: sql`i.code`,
      versionCode: sql`r.version_code`,
      status: sql`r.status`,
      effectiveFrom: sql`r.effective_from`,
      updatedAt: sql`r.updated_at`,
    },
    defaultSort: "itemCode,versionCode",
    params,
  });
}

/** A routing with its operations (work centre, times, skill, alternatives), lead-time totals and the item's other versions. */
export async function getRouting(db: Executor, actor: Actor, id: number) {
  const header = await one<Record<string, unknown> & { itemId: number; lotSize: string }>(
    db,
    sql`select r.id, r.item_id as "itemId", i.code as "itemCode", i.name_zh as "itemNameZh", i.name_en as "itemNameEn",
          u.code as uom, r.version_code as "versionCode", r.description, r.status, r.lot_size::text as "lotSize",
          to_char(r.effective_from, 'YYYY-MM-DD') as "effectiveFrom", to_char(r.effective_to, 'YYYY-MM-DD') as "effectiveTo",
          r.notes, r.activated_at as "activatedAt", au.display_name as "activatedBy", r.obsoleted_at as "obsoletedAt",
          ou.display_name as "obsoletedBy", r.version, r.created_at as "createdAt", r.updated_at as "updatedAt"
        from routing r join item i on i.id = r.item_id join uom u on u.id = i.base_uom_id
        left join app_user au on au.id = r.activated_by left join app_user ou on ou.id = r.obsoleted_by
        where r.id = ${id} and r.company_id = ${actor.companyId}`,
  );
  if (!header) throw errors.notFound("routing");
  const ops = await rows<{
    setupMinutes: string;
    runMinutes: string;
    queueMinutes: string;
    moveMinutes: string;
    alternatives: unknown;
  }>(
    db,
    sql`select o.id, o.seq, o.name_zh as "nameZh", o.name_en as "nameEn", o.work_centre_id as "workCentreId",
          w.code as "workCentreCode", w.name_zh as "workCentreNameZh", w.name_en as "workCentreNameEn", w.active as "workCentreActive",
          o.setup_minutes::text as "setupMinutes", o.run_minutes::text as "runMinutes", o.queue_minutes::text as "queueMinutes",
          o.move_minutes::text as "moveMinutes", o.crew_size as "crewSize", o.required_skill_id as "requiredSkillId",
          s.code as "requiredSkillCode", s.name_zh as "requiredSkillNameZh", s.name_en as "requiredSkillNameEn", o.notes,
          coalesce((select json_agg(json_build_object('workCentreId', a.work_centre_id, 'code', aw.code, 'nameZh', aw.name_zh,
            'nameEn', aw.name_en, 'priority', a.priority) order by a.priority)
            from routing_operation_alternative a join work_centre aw on aw.id = a.work_centre_id where a.operation_id = o.id), '[]'::json) as alternatives
        from routing_operation o join work_centre w on w.id = o.work_centre_id left join skill s on s.id = o.required_skill_id
        where o.routing_id = ${id} order by o.seq`,
  );
  const versions = await rows(
    db,
    sql`select id, version_code as "versionCode", status, to_char(effective_from, 'YYYY-MM-DD') as "effectiveFrom",
          to_char(effective_to, 'YYYY-MM-DD') as "effectiveTo", version
        from routing where item_id = ${header.itemId} and company_id = ${actor.companyId} order by effective_from desc, version_code desc`,
  );
  // Lead time of one standard lot through all operations, in minutes (queue + setup + run × lot + move).
  const lot = new D(header.lotSize);
  let leadMinutes = new D(0);
  let workMinutes = new D(0);
  for (const o of ops) {
    const work = new D(o.setupMinutes).plus(new D(o.runMinutes).times(lot));
    workMinutes = workMinutes.plus(work);
    leadMinutes = leadMinutes.plus(work).plus(o.queueMinutes).plus(o.moveMinutes);
  }
  return {
    ...header,
    operations: ops.map((o) => ({ ...o, alternatives: typeof o.alternatives === "string" ? JSON.parse(o.alternatives) : o.alternatives })),
    totals: { workMinutesPerLot: fixed(workMinutes, 3), leadMinutesPerLot: fixed(leadMinutes, 3) },
    versions,
  };
}
