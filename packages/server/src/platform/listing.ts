import { type SQL, sql } from "drizzle-orm";
import Type, { type TSchema } from "typebox";
import { type Executor, rows } from "./db/database.ts";
import { errors } from "./errors.ts";

/**
 * The one list convention of the API: `?page=1&pageSize=50&sort=-createdAt,code&q=text` plus each
 * list's own filter fields. Answers `{ items, total, page, pageSize }`.
 */
export function listQuerySchema<F extends Record<string, TSchema>>(filters: F = {} as F) {
  return Type.Object(
    {
      page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: "1-based page number" })),
      pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: "rows per page (default 50)" })),
      sort: Type.Optional(
        Type.String({ maxLength: 200, pattern: "^-?[a-zA-Z_]+(,-?[a-zA-Z_]+)*$", description: "fields, '-' for descending" }),
      ),
      q: Type.Optional(Type.String({ maxLength: 200, description: "free-text search" })),
      ...filters,
    },
    { additionalProperties: false },
  );
}

export interface ListParams {
  page?: number;
  pageSize?: number;
  sort?: string;
  q?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const pageSchema = (item: TSchema) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

/**
 * Runs `select <columns> from <from> where <where>` with the caller's sort and page. `sortable` maps the
 * API's field names to SQL expressions, so only declared fields can be sorted on (no injection).
 */
export async function listPage<T>(
  ex: Executor,
  opts: { columns: SQL; from: SQL; where?: SQL; sortable: Record<string, SQL>; defaultSort: string; params: ListParams },
): Promise<Page<T>> {
  const page = opts.params.page ?? 1;
  const pageSize = opts.params.pageSize ?? 50;
  const order: SQL[] = [];
  for (const part of (opts.params.sort || opts.defaultSort).split(",")) {
    const desc = part.startsWith("-");
    const name = desc ? part.slice(1) : part;
    const expr = opts.sortable[name];
    if (!expr) throw errors.field("/querystring/sort", "enum", "validation.enum", { values: Object.keys(opts.sortable).join(", ") });
    order.push(desc ? sql`${expr} desc nulls last` : sql`${expr} asc nulls last`);
  }
  const where = opts.where ?? sql`true`;
  const result = await rows<T & { __total: number }>(
    ex,
    sql`select ${opts.columns}, count(*) over () as __total from ${opts.from} where ${where}
        order by ${sql.join(order, sql`, `)} limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  let total = result[0]?.__total ?? 0;
  if (result.length === 0 && page > 1) {
    const c = await rows<{ n: number }>(ex, sql`select count(*)::int8 as n from ${opts.from} where ${where}`);
    total = c[0]?.n ?? 0;
  }
  const items = result.map(({ __total, ...rest }) => rest as unknown as T);
  return { items, total: Number(total), page, pageSize };
}

/** `%text%` for ILIKE, with the wildcard characters of the user's text escaped. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
