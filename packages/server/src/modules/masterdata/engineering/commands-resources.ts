import { eq } from "drizzle-orm";
import { can } from "../../../platform/actor.ts";
import { type Executor, one, rows, sql } from "../../../platform/db/database.ts";
import { type FieldError, errors } from "../../../platform/errors.ts";
import { defineCommand } from "../../../platform/pipeline.ts";
import { diff, updateVersioned } from "../../../platform/versioned.ts";
import {
  Code,
  Id,
  Name,
  Nullable,
  Numeric,
  StrictObject,
  Type,
  Version,
  dec,
  idList,
  requireCompany,
  requireRow,
  throwFields,
} from "./common.ts";
import { P } from "./permissions.ts";
import { productionLine, skill, workCentre, workCentreSkill, workshop } from "./schema.ts";

// ---------------------------------------------------------------- skills

export const createSkill = defineCommand({
  name: "masterdata.skill.create",
  permission: P.resourceEdit,
  entity: "skill",
  input: StrictObject({ code: Code, nameZh: Name, nameEn: Name }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    const [row] = await ctx.tx.insert(skill).values({ companyId, ...input }).returning();
    ctx.audit.after = row;
    return row;
  },
});

export const updateSkill = defineCommand({
  name: "masterdata.skill.update",
  permission: P.resourceEdit,
  entity: "skill",
  input: StrictObject({
    id: Id,
    version: Version,
    code: Type.Optional(Code),
    nameZh: Type.Optional(Name),
    nameEn: Type.Optional(Name),
    active: Type.Optional(Type.Boolean()),
  }),
  async run(ctx, { id, version, ...changes }) {
    const companyId = requireCompany(ctx.actor);
    await owned(ctx.tx, "skill", companyId, id);
    if (changes.active === false) {
      // A skill an active routing requires must stay selectable, or the routing could not be scheduled.
      const used = await one(
        ctx.tx,
        sql`select 1 from routing_operation o join routing r on r.id = o.routing_id
            where o.required_skill_id = ${id} and r.status = 'active' limit 1`,
      );
      if (used) throw errors.rule("skill_in_use", "masterdata.error.skill_in_use");
    }
    const { before, after } = await updateVersioned(ctx.tx, skill, "skill", id, version, changes);
    Object.assign(ctx.audit, diff(before, after));
    return after;
  },
});

// ---------------------------------------------------------------- workshops

const WorkshopFields = {
  nameZh: Name,
  nameEn: Name,
  departmentId: Type.Optional(Nullable(Id)),
  calendarId: Type.Optional(Nullable(Id)),
};

export const createWorkshop = defineCommand({
  name: "masterdata.workshop.create",
  permission: P.resourceEdit,
  entity: "workshop",
  input: StrictObject({ code: Code, ...WorkshopFields }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    if (input.departmentId) await requireRow(ctx.tx, "department", companyId, input.departmentId, "/departmentId");
    if (input.calendarId) await requireRow(ctx.tx, "work_calendar", companyId, input.calendarId, "/calendarId");
    const [row] = await ctx.tx
      .insert(workshop)
      .values({ companyId, code: input.code, nameZh: input.nameZh, nameEn: input.nameEn, departmentId: input.departmentId ?? null, calendarId: input.calendarId ?? null })
      .returning();
    ctx.audit.after = row;
    return row;
  },
});

export const updateWorkshop = defineCommand({
  name: "masterdata.workshop.update",
  permission: P.resourceEdit,
  entity: "workshop",
  input: StrictObject({
    id: Id,
    version: Version,
    code: Type.Optional(Code),
    nameZh: Type.Optional(Name),
    nameEn: Type.Optional(Name),
    departmentId: Type.Optional(Nullable(Id)),
    calendarId: Type.Optional(Nullable(Id)),
    active: Type.Optional(Type.Boolean()),
  }),
  async run(ctx, { id, version, ...changes }) {
    const companyId = requireCompany(ctx.actor);
    await owned(ctx.tx, "workshop", companyId, id);
    if (changes.departmentId) await requireRow(ctx.tx, "department", companyId, changes.departmentId, "/departmentId");
    if (changes.calendarId) await requireRow(ctx.tx, "work_calendar", companyId, changes.calendarId, "/calendarId");
    if (changes.active === false) {
      const child = await one(
        ctx.tx,
        sql`select 1 from production_line where workshop_id = ${id} and active
            union all select 1 from work_centre where workshop_id = ${id} and active limit 1`,
      );
      if (child) throw errors.rule("workshop_has_active", "masterdata.error.workshop_has_active");
    }
    const { before, after } = await updateVersioned(ctx.tx, workshop, "workshop", id, version, changes);
    Object.assign(ctx.audit, diff(before, after));
    return after;
  },
});

// ---------------------------------------------------------------- production lines

export const createLine = defineCommand({
  name: "masterdata.line.create",
  permission: P.resourceEdit,
  entity: "production_line",
  input: StrictObject({ workshopId: Id, code: Code, nameZh: Name, nameEn: Name, calendarId: Type.Optional(Nullable(Id)) }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    await requireRow(ctx.tx, "workshop", companyId, input.workshopId, "/workshopId");
    if (input.calendarId) await requireRow(ctx.tx, "work_calendar", companyId, input.calendarId, "/calendarId");
    const [row] = await ctx.tx
      .insert(productionLine)
      .values({ companyId, workshopId: input.workshopId, code: input.code, nameZh: input.nameZh, nameEn: input.nameEn, calendarId: input.calendarId ?? null })
      .returning();
    ctx.audit.after = row;
    return row;
  },
});

export const updateLine = defineCommand({
  name: "masterdata.line.update",
  permission: P.resourceEdit,
  entity: "production_line",
  input: StrictObject({
    id: Id,
    version: Version,
    code: Type.Optional(Code),
    nameZh: Type.Optional(Name),
    nameEn: Type.Optional(Name),
    calendarId: Type.Optional(Nullable(Id)),
    active: Type.Optional(Type.Boolean()),
  }),
  async run(ctx, { id, version, ...changes }) {
    const companyId = requireCompany(ctx.actor);
    await owned(ctx.tx, "production_line", companyId, id);
    if (changes.calendarId) await requireRow(ctx.tx, "work_calendar", companyId, changes.calendarId, "/calendarId");
    if (changes.active === false) {
      const child = await one(ctx.tx, sql`select 1 from work_centre where line_id = ${id} and active limit 1`);
      if (child) throw errors.rule("line_has_active", "masterdata.error.line_has_active");
    }
    const { before, after } = await updateVersioned(ctx.tx, productionLine, "production_line", id, version, changes);
    Object.assign(ctx.audit, diff(before, after));
    return after;
  },
});

// ---------------------------------------------------------------- work centres

const Rate = Numeric(12, 6, "per hour, company currency");
const SkillsInput = Type.Array(StrictObject({ skillId: Id, peopleCount: Type.Integer({ minimum: 1, maximum: 10000 }) }), { maxItems: 100 });
const MachineCount = Type.Integer({ minimum: 0, maximum: 10000 });
const Efficiency = Numeric(3, 2, "percent, > 0 and ≤ 200");
const PeopleCount = Type.Integer({ minimum: 0, maximum: 10000 });
const CapacityFields = {
  calendarId: Type.Optional(Nullable(Id)),
  machineCount: MachineCount,
  efficiencyPct: Efficiency,
  peopleCount: PeopleCount,
  labourRate: Type.Optional(Rate),
  machineRate: Type.Optional(Rate),
  overheadRate: Type.Optional(Rate),
  skills: Type.Optional(SkillsInput),
};
const CapacityChanges = {
  ...CapacityFields,
  machineCount: Type.Optional(MachineCount),
  efficiencyPct: Type.Optional(Efficiency),
  peopleCount: Type.Optional(PeopleCount),
};

interface CentreInput {
  workshopId?: number;
  lineId?: number | null;
  calendarId?: number | null;
  machineCount?: number;
  efficiencyPct?: string;
  peopleCount?: number;
  labourRate?: string;
  machineRate?: string;
  overheadRate?: string;
  skills?: { skillId: number; peopleCount: number }[];
}

/** Checks a work centre's references and numbers against each other, listing every problem. */
async function checkCentre(tx: Executor, companyId: number, input: CentreInput, current?: { id: number; workshopId: number; lineId: number | null; peopleCount: number; machineCount: number }) {
  const fields: FieldError[] = [];
  const workshopId = input.workshopId ?? current?.workshopId;
  if (input.workshopId !== undefined) {
    const ws = await one(tx, sql`select 1 from workshop where id = ${input.workshopId} and company_id = ${companyId}`);
    if (!ws) fields.push({ field: "/workshopId", rule: "exists", messageKey: "masterdata.error.no_such_workshop" });
  }
  const lineId = input.lineId !== undefined ? input.lineId : current?.lineId;
  if (lineId && (input.lineId !== undefined || input.workshopId !== undefined)) {
    const line = await one(tx, sql`select 1 from production_line where id = ${lineId} and workshop_id = ${workshopId ?? 0} and company_id = ${companyId}`);
    if (!line) fields.push({ field: "/lineId", rule: "exists", messageKey: "masterdata.error.no_such_line" });
  }
  if (input.calendarId) {
    const cal = await one(tx, sql`select 1 from work_calendar where id = ${input.calendarId} and company_id = ${companyId}`);
    if (!cal) fields.push({ field: "/calendarId", rule: "exists", messageKey: "masterdata.error.no_such_calendar" });
  }
  if (input.efficiencyPct !== undefined) {
    const e = dec(input.efficiencyPct);
    if (e.lte(0)) fields.push({ field: "/efficiencyPct", rule: "minimum", messageKey: "masterdata.error.positive" });
    else if (e.gt(200)) fields.push({ field: "/efficiencyPct", rule: "maximum", messageKey: "validation.maximum", params: { limit: 200 } });
  }
  const machines = input.machineCount ?? current?.machineCount ?? 0;
  const people = input.peopleCount ?? current?.peopleCount ?? 0;
  if (machines === 0 && people === 0) {
    fields.push({ field: input.machineCount !== undefined ? "/machineCount" : "/peopleCount", rule: "minimum", messageKey: "constraint.work_centre_has_capacity" });
  }
  if (input.skills) {
    const seen = new Map<number, number>();
    const known = new Set(
      (await rows<{ id: number }>(tx, sql`select id from skill where company_id = ${companyId} and id in ${idList(input.skills.map((s) => s.skillId))}`)).map((r) => r.id),
    );
    input.skills.forEach((s, i) => {
      if (!known.has(s.skillId)) fields.push({ field: `/skills/${i}/skillId`, rule: "exists", messageKey: "masterdata.error.no_such_skill" });
      else if (seen.has(s.skillId)) fields.push({ field: `/skills/${i}/skillId`, rule: "unique", messageKey: "masterdata.error.duplicate", params: { other: seen.get(s.skillId)! + 1 } });
      seen.set(s.skillId, i);
      if (s.peopleCount > people) fields.push({ field: `/skills/${i}/peopleCount`, rule: "maximum", messageKey: "masterdata.error.skill_people", params: { people } });
    });
  } else if (current && input.peopleCount !== undefined && input.peopleCount < current.peopleCount) {
    const over = await one(tx, sql`select 1 from work_centre_skill where work_centre_id = ${current.id} and people_count > ${input.peopleCount} limit 1`);
    if (over) fields.push({ field: "/peopleCount", rule: "minimum", messageKey: "constraint.work_centre_skill_people" });
  }
  throwFields(fields);
}

function requireRatePermission(actor: Parameters<typeof can>[0], input: CentreInput) {
  if ((input.labourRate ?? input.machineRate ?? input.overheadRate) !== undefined && !can(actor, P.rateRead)) throw errors.forbidden(P.rateRead);
}

export const createWorkCentre = defineCommand({
  name: "masterdata.work_centre.create",
  permission: P.resourceEdit,
  entity: "work_centre",
  input: StrictObject({ workshopId: Id, lineId: Type.Optional(Nullable(Id)), code: Code, nameZh: Name, nameEn: Name, ...CapacityFields }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    requireRatePermission(ctx.actor, input);
    await checkCentre(ctx.tx, companyId, input);
    const [row] = await ctx.tx
      .insert(workCentre)
      .values({
        companyId,
        workshopId: input.workshopId,
        lineId: input.lineId ?? null,
        code: input.code,
        nameZh: input.nameZh,
        nameEn: input.nameEn,
        calendarId: input.calendarId ?? null,
        machineCount: input.machineCount,
        efficiencyPct: input.efficiencyPct,
        peopleCount: input.peopleCount,
        labourRate: input.labourRate ?? "0",
        machineRate: input.machineRate ?? "0",
        overheadRate: input.overheadRate ?? "0",
      })
      .returning();
    const skills = input.skills ?? [];
    if (skills.length > 0) await ctx.tx.insert(workCentreSkill).values(skills.map((s) => ({ workCentreId: row.id, ...s })));
    ctx.audit.after = { ...row, skills };
    return { ...row, skills };
  },
});

export const updateWorkCentre = defineCommand({
  name: "masterdata.work_centre.update",
  permission: P.resourceEdit,
  entity: "work_centre",
  input: StrictObject({
    id: Id,
    version: Version,
    workshopId: Type.Optional(Id),
    lineId: Type.Optional(Nullable(Id)),
    code: Type.Optional(Code),
    nameZh: Type.Optional(Name),
    nameEn: Type.Optional(Name),
    ...CapacityChanges,
    active: Type.Optional(Type.Boolean()),
  }),
  async run(ctx, { id, version, skills, ...changes }) {
    const companyId = requireCompany(ctx.actor);
    requireRatePermission(ctx.actor, changes);
    const current = await one<{ id: number; workshopId: number; lineId: number | null; peopleCount: number; machineCount: number; code: string }>(
      ctx.tx,
      sql`select id, workshop_id as "workshopId", line_id as "lineId", people_count as "peopleCount", machine_count as "machineCount", code
          from work_centre where id = ${id} and company_id = ${companyId}`,
    );
    if (!current) throw errors.notFound("work_centre");
    // Moving to another workshop without naming a line leaves the old workshop's line behind.
    if (changes.workshopId !== undefined && changes.workshopId !== current.workshopId && changes.lineId === undefined) changes.lineId = null;
    await checkCentre(ctx.tx, companyId, { ...changes, skills }, current);
    if (changes.active === false) {
      const used = await rows<{ item: string; version: string }>(
        ctx.tx,
        sql`select distinct i.code as item, r.version_code as version from routing r
            join routing_operation o on o.routing_id = r.id join item i on i.id = r.item_id
            left join routing_operation_alternative a on a.operation_id = o.id
            where r.status = 'active' and (o.work_centre_id = ${id} or a.work_centre_id = ${id}) order by 1, 2 limit 10`,
      );
      if (used.length > 0) {
        throw errors.rule("work_centre_in_use", "masterdata.error.work_centre_in_use", {
          code: current.code,
          routings: used.map((u) => `${u.item}/${u.version}`).join(", "),
        });
      }
    }
    const { before, after } = await updateVersioned(ctx.tx, workCentre, "work_centre", id, version, changes);
    const d = diff(before, after);
    if (skills) {
      const old = await ctx.tx.select().from(workCentreSkill).where(eq(workCentreSkill.workCentreId, id));
      await ctx.tx.delete(workCentreSkill).where(eq(workCentreSkill.workCentreId, id));
      if (skills.length > 0) await ctx.tx.insert(workCentreSkill).values(skills.map((s) => ({ workCentreId: id, ...s })));
      d.before.skills = old.map(({ skillId, peopleCount }) => ({ skillId, peopleCount }));
      d.after.skills = skills;
    }
    Object.assign(ctx.audit, d);
    return after;
  },
});

async function owned(tx: Executor, table: "skill" | "workshop" | "production_line", companyId: number, id: number) {
  const row = await one(tx, sql`select 1 from ${sql.identifier(table)} where id = ${id} and company_id = ${companyId}`);
  if (!row) throw errors.notFound(table);
}
