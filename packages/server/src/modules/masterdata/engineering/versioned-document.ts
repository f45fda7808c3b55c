import { eq } from "drizzle-orm";
import { type Executor, one, rows, sql } from "../../../platform/db/database.ts";
import { type FieldError, errors } from "../../../platform/errors.ts";
import type { CommandContext } from "../../../platform/pipeline.ts";
import { Id, IsoDate, Nullable, StrictObject, Type, Version, VersionCode, companyToday, dec, isExclusionViolation, lockStructure } from "./common.ts";
import { bom, routing } from "./schema.ts";

/*
 * BOMs and routings are both versioned engineering documents: one row per version of an item, with a
 * draft → active → obsolete lifecycle, effective dates that active versions may not overlap, and child
 * rows (lines, operations) replaced as a whole. This is that shared lifecycle, parameterised by the
 * document's kind, which names its table, its audit entity and the prefix of its error codes
 * (`bom_not_draft`, `routing_overlap`…). What a version holds and how it is checked stays with each.
 */

export type DocumentKind = "bom" | "routing";
type Tables = { bom: typeof bom; routing: typeof routing };
export type DocumentRow<K extends DocumentKind> = Tables[K]["$inferSelect"];
const tables: Tables = { bom, routing };

// biome-ignore lint/suspicious/noExplicitAny: drizzle cannot type one query over either of two tables; both share the columns used here
const tableOf = (kind: DocumentKind) => tables[kind] as any;

export const Description = Type.Optional(Nullable(Type.String({ maxLength: 500 })));
export const Notes = Type.Optional(Nullable(Type.String({ maxLength: 2000 })));

export const CopyInput = StrictObject({
  id: Id,
  /** Ignored: copying reads the source, whatever its version. */
  version: Type.Optional(Version),
  versionCode: VersionCode,
  effectiveFrom: Type.Optional(IsoDate),
  description: Description,
});

export const ActivateInput = StrictObject({
  id: Id,
  version: Version,
  /** End the version active until now on the day this one starts, instead of refusing the overlap. */
  supersede: Type.Optional(Type.Boolean()),
});

/** The header's dates in order, and its quantity (BOM base quantity, routing lot size) above zero. */
export function checkHeader(h: { effectiveFrom: string; effectiveTo?: string | null }, quantity: { field: string; value?: string }): FieldError[] {
  const fields: FieldError[] = [];
  if (h.effectiveTo && h.effectiveTo <= h.effectiveFrom) fields.push({ field: "/effectiveTo", rule: "after", messageKey: "masterdata.error.date_order" });
  if (quantity.value !== undefined && dec(quantity.value).lte(0)) fields.push({ field: `/${quantity.field}`, rule: "minimum", messageKey: "masterdata.error.positive" });
  return fields;
}

/** A version code names one version of the item: a second one with the same code is a 409 on `versionCode`. */
export async function requireVersionCodeFree(tx: Executor, kind: DocumentKind, companyId: number, itemId: number, versionCode: string, exceptId = 0) {
  const taken = await one(
    tx,
    sql`select 1 from ${sql.identifier(kind)} where company_id = ${companyId} and item_id = ${itemId} and version_code = ${versionCode} and id <> ${exceptId}`,
  );
  if (taken) throw errors.unique("versionCode");
}

/**
 * Locks a version of the company for a change: 404 if it is not there, 409 if the caller read another
 * version of the row, 422 `<kind>_not_<status>` if it is not in the status the change starts from.
 */
export async function lockVersion<K extends DocumentKind>(
  tx: Executor,
  kind: K,
  companyId: number,
  id: number,
  version: number,
  status: "draft" | "active",
): Promise<DocumentRow<K>> {
  const t = tableOf(kind);
  const [row] = (await tx.select().from(t).where(eq(t.id, id)).for("update")) as DocumentRow<K>[];
  if (!row || row.companyId !== companyId) throw errors.notFound(kind);
  if (row.version !== version) throw errors.versionConflict(row.version);
  if (row.status !== status) throw errors.rule(`${kind}_not_${status}`, `masterdata.error.not_${status}`, { status: row.status });
  return row;
}

/**
 * A new draft version from an existing one, dated today unless told otherwise. `carry` gives the
 * document's own header fields to keep; `copyChildren` copies the lines or operations and returns
 * their count under its name for the audit record.
 */
export async function copyVersion<K extends DocumentKind>(
  ctx: CommandContext,
  kind: K,
  companyId: number,
  input: { id: number; versionCode: string; effectiveFrom?: string; description?: string | null },
  carry: (source: DocumentRow<K>) => Partial<DocumentRow<K>>,
  copyChildren: (sourceId: number, copyId: number) => Promise<Record<string, number>>,
): Promise<DocumentRow<K>> {
  const t = tableOf(kind);
  const [source] = (await ctx.tx.select().from(t).where(eq(t.id, input.id))) as DocumentRow<K>[];
  if (!source || source.companyId !== companyId) throw errors.notFound(kind);
  await requireVersionCodeFree(ctx.tx, kind, companyId, source.itemId, input.versionCode);
  const [row] = (await ctx.tx
    .insert(t)
    .values({
      companyId,
      itemId: source.itemId,
      versionCode: input.versionCode,
      description: input.description !== undefined ? input.description : source.description,
      effectiveFrom: input.effectiveFrom ?? (await companyToday(ctx.tx, companyId)),
      ...carry(source),
      notes: source.notes,
    })
    .returning()) as DocumentRow<K>[];
  const copied = await copyChildren(source.id, row.id);
  ctx.audit.after = { ...row, ...copied };
  ctx.audit.details = { copiedFrom: { id: source.id, versionCode: source.versionCode } };
  return row;
}

/**
 * Releases a draft: `checkContent` refuses one that cannot be used (no lines, blocked components or
 * work centres, a cycle); overlapping active versions are refused or superseded; emits
 * `masterdata.<kind>.activated`. Activations of a company are serialised (see lockStructure).
 */
export async function activateVersion<K extends DocumentKind>(
  ctx: CommandContext,
  kind: K,
  companyId: number,
  { id, version, supersede }: { id: number; version: number; supersede?: boolean },
  checkContent: (current: DocumentRow<K>) => Promise<void>,
): Promise<DocumentRow<K>> {
  await lockStructure(ctx.tx, companyId, kind);
  const current = await lockVersion(ctx.tx, kind, companyId, id, version, "draft");
  await checkContent(current);
  const superseded = await resolveOverlaps(ctx.tx, kind, current, supersede ?? false);
  const t = tableOf(kind);
  let after: DocumentRow<K>;
  try {
    [after] = (await ctx.tx
      .update(t)
      .set({ status: "active", activatedAt: sql`now()`, activatedBy: ctx.actor.id, version: sql`${t.version} + 1`, updatedAt: sql`now()` })
      .where(eq(t.id, id))
      .returning()) as DocumentRow<K>[];
  } catch (e) {
    // The exclusion constraint is the last word if anything slipped past the check above.
    if (isExclusionViolation(e, `${kind}_one_active_version`)) {
      throw errors.rule(`${kind}_overlap`, `masterdata.error.${kind}_overlap`, { version: "?", from: current.effectiveFrom, to: current.effectiveTo ?? "∞" });
    }
    throw e;
  }
  ctx.audit.before = { status: "draft" };
  ctx.audit.after = { status: "active" };
  if (superseded.length > 0) ctx.audit.details = { superseded };
  ctx.emit(`masterdata.${kind}.activated`, { id, companyId, itemId: current.itemId, versionCode: current.versionCode });
  return after;
}

/** Makes an active version obsolete; returns the row before and after. */
export async function obsoleteVersion<K extends DocumentKind>(
  ctx: CommandContext,
  kind: K,
  companyId: number,
  { id, version }: { id: number; version: number },
): Promise<{ current: DocumentRow<K>; after: DocumentRow<K> }> {
  const current = await lockVersion(ctx.tx, kind, companyId, id, version, "active");
  const t = tableOf(kind);
  const [after] = (await ctx.tx
    .update(t)
    .set({ status: "obsolete", obsoletedAt: sql`now()`, obsoletedBy: ctx.actor.id, version: sql`${t.version} + 1`, updatedAt: sql`now()` })
    .where(eq(t.id, id))
    .returning()) as DocumentRow<K>[];
  ctx.audit.before = { status: "active" };
  ctx.audit.after = { status: "obsolete" };
  return { current, after };
}

/** Deletes a draft; the audit record keeps it whole, with the children `children` reads (`{ lines: […] }`). */
export async function deleteDraft(
  ctx: CommandContext,
  kind: DocumentKind,
  companyId: number,
  { id, version }: { id: number; version: number },
  children: (id: number) => Promise<Record<string, unknown>>,
): Promise<{ id: number; deleted: true }> {
  const current = await lockVersion(ctx.tx, kind, companyId, id, version, "draft");
  ctx.audit.before = { ...current, ...(await children(id)) };
  const t = tableOf(kind);
  await ctx.tx.delete(t).where(eq(t.id, id));
  return { id, deleted: true };
}

interface Released {
  id: number;
  itemId: number;
  versionCode: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

/**
 * Active versions of the same item whose dates overlap `current`'s. With `supersede`, one that started
 * earlier is ended the day `current` starts; any other overlap is refused, naming the version and dates.
 */
export async function resolveOverlaps(
  tx: Executor,
  table: DocumentKind,
  current: Released,
  supersede: boolean,
): Promise<{ id: number; versionCode: string; effectiveTo: string | null }[]> {
  const overlapping = await rows<{ id: number; versionCode: string; effectiveFrom: string; effectiveTo: string | null }>(
    tx,
    sql`select id, version_code as "versionCode", to_char(effective_from, 'YYYY-MM-DD') as "effectiveFrom",
          to_char(effective_to, 'YYYY-MM-DD') as "effectiveTo"
        from ${sql.identifier(table)} where item_id = ${current.itemId} and status = 'active' and id <> ${current.id}
          and daterange(effective_from, effective_to, '[)') && daterange(${current.effectiveFrom}::date, ${current.effectiveTo}::date, '[)')
        order by effective_from for update`,
  );
  const done: { id: number; versionCode: string; effectiveTo: string | null }[] = [];
  for (const o of overlapping) {
    if (!supersede || o.effectiveFrom >= current.effectiveFrom) {
      throw errors.rule(`${table}_overlap`, `masterdata.error.${table}_overlap`, { version: o.versionCode, from: o.effectiveFrom, to: o.effectiveTo ?? "∞" });
    }
    await tx.execute(sql`update ${sql.identifier(table)} set effective_to = ${current.effectiveFrom}::date, version = version + 1, updated_at = now() where id = ${o.id}`);
    done.push({ id: o.id, versionCode: o.versionCode, effectiveTo: o.effectiveTo });
  }
  return done;
}
