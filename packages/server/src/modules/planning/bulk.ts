import { type Executor, sql } from "../../platform/db/database.ts";

/** A PostgreSQL array literal of text elements, every element quoted (NULL for null). */
export function pgArray(values: readonly (string | number | null)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) parts[i] = "NULL";
    else if (typeof v === "number") parts[i] = String(v);
    else parts[i] = `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  }
  return `{${parts.join(",")}}`;
}

export interface BulkColumn {
  name: string;
  /** SQL type of the column (the array literal is cast from text[] to it), e.g. "int8", "numeric", "numeric[]". */
  type: string;
}

/**
 * Writes many rows in few statements: each chunk is ONE `insert … select from unnest(…)` with one array
 * parameter per column (a handful of parameters however many rows), the fastest way short of COPY and the
 * same on PGlite and PostgreSQL. Array-valued columns (numeric[]) travel as text literals and are cast per row.
 */
export async function bulkInsert(
  ex: Executor,
  table: string,
  columns: BulkColumn[],
  data: readonly (readonly (string | number | null)[])[],
  chunk = 20_000,
): Promise<void> {
  for (let from = 0; from < data.length; from += chunk) {
    const part = data.slice(from, from + chunk);
    const params = columns.map((c, j) => {
      const col = part.map((row) => row[j]);
      const scalar = c.type.endsWith("[]") ? "text" : c.type;
      return sql`${pgArray(col)}::${sql.raw(scalar)}[]`;
    });
    const names = columns.map((_, j) => `c${j}`);
    const select = columns.map((c, j) => (c.type.endsWith("[]") ? `c${j}::${c.type}` : `c${j}`)).join(", ");
    await ex.execute(
      sql`insert into ${sql.identifier(table)} (${sql.raw(columns.map((c) => `"${c.name}"`).join(", "))})
          select ${sql.raw(select)} from unnest(${sql.join(params, sql`, `)}) as t(${sql.raw(names.join(", "))})`,
    );
  }
}
