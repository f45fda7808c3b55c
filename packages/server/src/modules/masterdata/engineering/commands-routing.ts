import { eq, inArray } from "drizzle-orm";
import { type Executor, rows, sql } from "../../../platform/db/database.ts";
import { type FieldError, errors } from "../../../platform/errors.ts";
import { defineCommand } from "../../../platform/pipeline.ts";
import { diff, updateVersioned } from "../../../platform/versioned.ts";
import { Id, IsoDate, Name, Nullable, Numeric, type Static, StrictObject, Type, ReleaseAction, Version, VersionCode, dec, idList, requireCompany, requireItem, throwFields } from "./common.ts";
import { P } from "./permissions.ts";
import { routing, routingOperation, routingOperationAlternative } from "./schema.ts";
import { ActivateInput, CopyInput, Description, Notes, activateVersion, checkHeader, copyVersion, deleteDraft, lockVersion, obsoleteVersion, requireVersionCodeFree } from "./versioned-document.ts";

const OperationInput = StrictObject({
  seq: Type.Integer({ minimum: 1, maximum: 9999, description: "operation number, e.g. 10, 20, 30" }),
  nameZh: Name,
  nameEn: Name,
  workCentreId: Id,
  setupMinutes: Type.Optional(Numeric(9, 3, "minutes per lot")),
  runMinutes: Type.Optional(Numeric(8, 6, "minutes per base unit of the item")),
  queueMinutes: Type.Optional(Numeric(9, 3, "minutes waiting before the operation")),
  moveMinutes: Type.Optional(Numeric(9, 3, "minutes to move to the next operation")),
  /** People occupied while it runs (0 = unattended machine). Default 1. */
  crewSize: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  requiredSkillId: Type.Optional(Nullable(Id)),
  /** Other work centres able to do it, most preferred first. */
  alternativeWorkCentreIds: Type.Optional(Type.Array(Id, { maxItems: 10 })),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
});
type OperationInput = Static<typeof OperationInput>;
const Operations = Type.Array(OperationInput, { maxItems: 200 });

type NewOperation = Omit<typeof routingOperation.$inferInsert, "routingId"> & { alternatives: number[] };

interface CentreFacts {
  id: number;
  code: string;
  active: boolean;
  peopleCount: number;
  skills: number[];
}

/** Validates operations against work centres and skills, listing every bad field at once. */
async function checkOperations(tx: Executor, companyId: number, ops: OperationInput[], fields: FieldError[]): Promise<NewOperation[]> {
  const at = (field: string, rule: string, messageKey: string, params?: Record<string, unknown>) => fields.push({ field, rule, messageKey, params });
  const centreIds = ops.flatMap((o) => [o.workCentreId, ...(o.alternativeWorkCentreIds ?? [])]);
  const centres = new Map(
    (await rows<CentreFacts>(
      tx,
      sql`select w.id, w.code, w.active, w.people_count as "peopleCount",
            coalesce((select json_agg(s.skill_id) from work_centre_skill s where s.work_centre_id = w.id), '[]'::json) as skills
          from work_centre w where w.company_id = ${companyId} and w.id in ${idList(centreIds)}`,
    )).map((c) => [c.id, { ...c, skills: (typeof c.skills === "string" ? JSON.parse(c.skills) : c.skills).map(Number) }]),
  );
  const skillIds = ops.map((o) => o.requiredSkillId).filter((s): s is number => Boolean(s));
  const skills = new Map(
    (await rows<{ id: number; code: string }>(tx, sql`select id, code from skill where company_id = ${companyId} and id in ${idList(skillIds)}`)).map((s) => [s.id, s]),
  );
  const seqs = new Map<number, number>();
  const out: NewOperation[] = [];
  ops.forEach((o, i) => {
    const base = `/operations/${i}`;
    if (seqs.has(o.seq)) at(`${base}/seq`, "unique", "masterdata.error.duplicate", { other: seqs.get(o.seq)! + 1 });
    seqs.set(o.seq, i);
    const crew = o.crewSize ?? 1;
    const skill = o.requiredSkillId ? skills.get(o.requiredSkillId) : undefined;
    if (o.requiredSkillId && !skill) at(`${base}/requiredSkillId`, "exists", "masterdata.error.no_such_skill");
    // The same checks for the work centre and each alternative: exists, active, enough people, the skill.
    const checkCentre = (id: number, field: string) => {
      const c = centres.get(id);
      if (!c) return at(field, "exists", "masterdata.error.no_such_work_centre");
      if (!c.active) return at(field, "active", "masterdata.error.work_centre_inactive", { code: c.code });
      if (crew > c.peopleCount) at(field === `${base}/workCentreId` ? `${base}/crewSize` : field, "maximum", "masterdata.error.crew_too_large", { code: c.code, people: c.peopleCount });
      if (skill && !c.skills.includes(skill.id)) {
        at(field === `${base}/workCentreId` ? `${base}/requiredSkillId` : field, "skill", "masterdata.error.skill_missing", { code: c.code, skill: skill.code });
      }
    };
    checkCentre(o.workCentreId, `${base}/workCentreId`);
    const alternatives = o.alternativeWorkCentreIds ?? [];
    alternatives.forEach((a, j) => {
      const field = `${base}/alternativeWorkCentreIds/${j}`;
      if (a === o.workCentreId) at(field, "distinct", "masterdata.error.alternative_is_primary");
      else if (alternatives.indexOf(a) !== j) at(field, "unique", "masterdata.error.duplicate", { other: alternatives.indexOf(a) + 1 });
      else checkCentre(a, field);
    });
    const setup = o.setupMinutes ?? "0";
    const run = o.runMinutes ?? "0";
    if (dec(setup).isZero() && dec(run).isZero()) at(`${base}/runMinutes`, "minimum", "masterdata.error.operation_time");
    out.push({
      seq: o.seq,
      nameZh: o.nameZh,
      nameEn: o.nameEn,
      workCentreId: o.workCentreId,
      setupMinutes: setup,
      runMinutes: run,
      queueMinutes: o.queueMinutes ?? "0",
      moveMinutes: o.moveMinutes ?? "0",
      crewSize: crew,
      requiredSkillId: o.requiredSkillId ?? null,
      notes: o.notes ?? null,
      alternatives,
    });
  });
  return out.sort((a, b) => a.seq - b.seq);
}

async function insertOperations(tx: Executor, routingId: number, ops: NewOperation[]): Promise<void> {
  for (const { alternatives, ...o } of ops) {
    const [row] = await tx.insert(routingOperation).values({ ...o, routingId }).returning({ id: routingOperation.id });
    if (alternatives.length > 0) {
      await tx.insert(routingOperationAlternative).values(alternatives.map((workCentreId, k) => ({ operationId: row.id, workCentreId, priority: k + 1 })));
    }
  }
}

async function operationsOf(tx: Executor, routingId: number): Promise<NewOperation[]> {
  const ops = await tx.select().from(routingOperation).where(eq(routingOperation.routingId, routingId)).orderBy(routingOperation.seq);
  const alts = ops.length
    ? await tx
        .select()
        .from(routingOperationAlternative)
        .where(inArray(routingOperationAlternative.operationId, ops.map((o) => o.id)))
        .orderBy(routingOperationAlternative.priority)
    : [];
  return ops.map(({ id, routingId: _r, ...o }) => ({ ...o, alternatives: alts.filter((a) => a.operationId === id).map((a) => a.workCentreId) }));
}

const LotSize = Numeric(12, 6, "standard lot the setup time is spread over in the cost roll-up (default 1)");

export const createRouting = defineCommand({
  name: "masterdata.routing.create",
  permission: P.routingEdit,
  entity: "routing",
  input: StrictObject({
    itemId: Id,
    versionCode: VersionCode,
    description: Description,
    effectiveFrom: IsoDate,
    effectiveTo: Type.Optional(Nullable(IsoDate)),
    lotSize: Type.Optional(LotSize),
    notes: Notes,
    operations: Operations,
  }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    const item = await requireItem(ctx.tx, companyId, input.itemId, "/itemId");
    const fields = checkHeader(input, { field: "lotSize", value: input.lotSize });
    const ops = await checkOperations(ctx.tx, companyId, input.operations, fields);
    throwFields(fields);
    await requireVersionCodeFree(ctx.tx, "routing", companyId, item.id, input.versionCode);
    const [row] = await ctx.tx
      .insert(routing)
      .values({
        companyId,
        itemId: item.id,
        versionCode: input.versionCode,
        description: input.description ?? null,
        effectiveFrom: input.effectiveFrom,
        effectiveTo: input.effectiveTo ?? null,
        lotSize: input.lotSize ?? "1",
        notes: input.notes ?? null,
      })
      .returning();
    await insertOperations(ctx.tx, row.id, ops);
    ctx.audit.after = { ...row, operations: ops };
    return row;
  },
});

export const updateRouting = defineCommand({
  name: "masterdata.routing.update",
  permission: P.routingEdit,
  entity: "routing",
  input: StrictObject({
    id: Id,
    version: Version,
    versionCode: Type.Optional(VersionCode),
    description: Description,
    effectiveFrom: Type.Optional(IsoDate),
    effectiveTo: Type.Optional(Nullable(IsoDate)),
    lotSize: Type.Optional(LotSize),
    notes: Notes,
    /** When given, replaces every operation. */
    operations: Type.Optional(Operations),
  }),
  async run(ctx, { id, version, operations, ...changes }) {
    const companyId = requireCompany(ctx.actor);
    const current = await lockVersion(ctx.tx, "routing", companyId, id, version, "draft");
    const fields = checkHeader(
      { effectiveFrom: changes.effectiveFrom ?? current.effectiveFrom, effectiveTo: changes.effectiveTo !== undefined ? changes.effectiveTo : current.effectiveTo },
      { field: "lotSize", value: changes.lotSize },
    );
    const ops = operations ? await checkOperations(ctx.tx, companyId, operations, fields) : undefined;
    throwFields(fields);
    if (changes.versionCode) await requireVersionCodeFree(ctx.tx, "routing", companyId, current.itemId, changes.versionCode, id);
    const { before, after } = await updateVersioned(ctx.tx, routing, "routing", id, version, changes);
    const d = diff(before, after);
    if (ops) {
      d.before.operations = await operationsOf(ctx.tx, id);
      await ctx.tx.delete(routingOperation).where(eq(routingOperation.routingId, id));
      await insertOperations(ctx.tx, id, ops);
      d.after.operations = ops;
    }
    Object.assign(ctx.audit, d);
    return after;
  },
});

export const copyRouting = defineCommand({
  name: "masterdata.routing.copy",
  permission: P.routingEdit,
  entity: "routing",
  input: CopyInput,
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    return copyVersion(ctx, "routing", companyId, input, (source) => ({ lotSize: source.lotSize }), async (sourceId, copyId) => {
      const ops = await operationsOf(ctx.tx, sourceId);
      await insertOperations(ctx.tx, copyId, ops);
      return { operations: ops.length };
    });
  },
});

export const activateRouting = defineCommand({
  name: "masterdata.routing.activate",
  permission: P.routingRelease,
  entity: "routing",
  input: ActivateInput,
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    return activateVersion(ctx, "routing", companyId, input, async (current) => {
      const centres = await rows<{ code: string; active: boolean }>(
        ctx.tx,
        sql`select distinct w.code, w.active from routing_operation o
            left join routing_operation_alternative a on a.operation_id = o.id
            join work_centre w on w.id = o.work_centre_id or w.id = a.work_centre_id
            where o.routing_id = ${current.id}`,
      );
      if (centres.length === 0) throw errors.rule("routing_empty", "masterdata.error.routing_empty");
      const inactive = centres.filter((c) => !c.active).map((c) => c.code);
      if (inactive.length > 0) throw errors.rule("work_centres_inactive", "masterdata.error.work_centres_inactive", { codes: inactive.sort().join(", ") });
    });
  },
});

export const obsoleteRouting = defineCommand({
  name: "masterdata.routing.obsolete",
  permission: P.routingRelease,
  entity: "routing",
  input: ReleaseAction,
  async run(ctx, input) {
    const { after } = await obsoleteVersion(ctx, "routing", requireCompany(ctx.actor), input);
    return after;
  },
});

export const deleteRouting = defineCommand({
  name: "masterdata.routing.delete",
  permission: P.routingEdit,
  entity: "routing",
  input: ReleaseAction,
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    return deleteDraft(ctx, "routing", companyId, input, async (id) => ({ operations: await operationsOf(ctx.tx, id) }));
  },
});
