import { createHash } from "node:crypto";
import pg from "pg";

/**
 * A node-postgres client that turns the statements an application runs over and over into server-side
 * prepared statements, as JDBC's `prepareThreshold` does. Drizzle sends every query unnamed, so the
 * server parses and plans each one again; for the short statements of a command (a receipt runs a dozen)
 * that parsing and planning is a third of the server's work. A text seen PREPARE_AFTER times gets a name
 * derived from its text; each connection then parses it once and PostgreSQL keeps the plan
 * (`plan_cache_mode` auto still re-plans per value where a generic plan would be worse).
 *
 * Only statements that already use the extended protocol (they have parameters) are named, so a
 * parameterless script still runs as a simple query. At most MAX_NAMED texts are ever named, so a
 * connection's prepared statements stay bounded however many one-off texts (dynamic filters) pass by.
 */
const PREPARE_AFTER = 3;
const MAX_NAMED = 2_000;
/** Occurrences of texts not (yet) named; forgotten in bulk when full, which only delays naming. */
const MAX_COUNTED = 20_000;

const named = new Map<string, string>();
const seen = new Map<string, number>();

export function statementName(text: string): string | undefined {
  const name = named.get(text);
  if (name !== undefined) return name;
  if (named.size >= MAX_NAMED) return undefined;
  const count = (seen.get(text) ?? 0) + 1;
  if (count < PREPARE_AFTER) {
    if (seen.size >= MAX_COUNTED) seen.clear();
    seen.set(text, count);
    return undefined;
  }
  seen.delete(text);
  const fresh = `k${createHash("sha1").update(text).digest("base64url").slice(0, 20)}`;
  named.set(text, fresh);
  return fresh;
}

type QueryConfig = { text?: unknown; name?: string; values?: unknown[] };

export class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: node-postgres's query() is heavily overloaded
  override query(config: any, values?: any, callback?: any): any {
    const c = config as QueryConfig | string;
    if (c && typeof c === "object" && typeof c.text === "string" && c.name === undefined) {
      const params = Array.isArray(values) ? values : c.values;
      const name = params && params.length > 0 ? statementName(c.text) : undefined;
      if (name) return Reflect.apply(pg.Client.prototype.query, this, [{ ...c, name }, values, callback]);
    }
    return super.query(config, values, callback);
  }
}
