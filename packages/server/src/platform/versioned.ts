import { and, eq, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Executor } from "./db/database.ts";
import { errors } from "./errors.ts";

type VersionedTable = PgTable & { id: PgColumn; version: PgColumn; updatedAt?: PgColumn };

/**
 * Optimistic concurrency: updates the row only if it still has the version the caller read.
 * A stale version gets 409 with the current version, never a silent overwrite; a missing row 404.
 * Returns the row before and after, for the audit record.
 */
export async function updateVersioned<T extends VersionedTable>(
  tx: Executor,
  table: T,
  entity: string,
  id: number,
  expectedVersion: number,
  changes: Partial<T["$inferInsert"]>,
): Promise<{ before: T["$inferSelect"]; after: T["$inferSelect"] }> {
  // biome-ignore lint/suspicious/noExplicitAny: drizzle's generic table typing cannot express "has id and version"
  const t = table as any;
  const [before] = await tx.select().from(t).where(eq(t.id, id)).for("update");
  if (!before) throw errors.notFound(entity);
  if ((before as { version: number }).version !== expectedVersion) throw errors.versionConflict((before as { version: number }).version);
  const set = { ...changes, version: sql`${t.version} + 1`, ...(t.updatedAt ? { updatedAt: sql`now()` } : {}) };
  const [after] = await tx.update(t).set(set).where(and(eq(t.id, id), eq(t.version, expectedVersion))).returning();
  return { before, after } as { before: T["$inferSelect"]; after: T["$inferSelect"] };
}

/** The fields that differ between two versions of a row: what the audit record keeps. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === "updatedAt" || key === "version") continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}
