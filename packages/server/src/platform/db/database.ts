import fs from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import pg from "pg";
import lockfile from "proper-lockfile";
import { PreparingClient } from "./prepared-client.ts";

/** Anything that runs queries: the database or an open transaction (a transaction is a PgDatabase too). */
// biome-ignore lint/suspicious/noExplicitAny: drizzle's schema parameter is irrelevant without relational queries
export type Executor = PgDatabase<PgQueryResultHKT, any>;

export type DatabaseKind = "pglite" | "postgres";

export interface Database {
  kind: DatabaseKind;
  db: Executor;
  /** Human description for the About page and logs (never contains a password). */
  description: string;
  /** The raw PGlite instance when embedded (used by backup/restore COPY). */
  pglite?: PGlite;
  /** The node-postgres pool when on a server. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

// int8 (count(*), bigserial) comes back as a string from node-postgres and as a number from PGlite;
// ids and counts here stay far below 2^53, so both drivers give numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data folder; "memory://" for a throw-away database. */
  dataDir?: string;
  /** A PGlite data-dir tarball to start from (tests clone a migrated template this way). */
  loadDataDir?: Blob | File;
  poolSize?: number;
  /** Prepare repeated statements on each connection (default on; prepared-client.ts, prepared-pglite.ts). */
  preparedStatements?: boolean;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10,
      ...(opts.preparedStatements === false ? {} : { Client: PreparingClient }),
    });
    pool.on("error", () => {}); // an idle client's error must not crash the process; the next query reports it
    await pool.query("select 1");
    const url = new URL(opts.databaseUrl);
    return {
      kind: "postgres",
      db: drizzlePg(pool),
      pool,
      description: `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: () => pool.end(),
    };
  }
  const dataDir = opts.dataDir ?? "memory://";
  let release: (() => Promise<void>) | undefined;
  if (!dataDir.startsWith("memory://")) {
    fs.mkdirSync(dataDir, { recursive: true });
    release = await lockDataDir(dataDir);
  }
  try {
    // Loaded only for the embedded database: a server deployment never pays for the WASM build.
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle: drizzlePglite } = await import("drizzle-orm/pglite");
    const pglite = await PGlite.create({ dataDir, loadDataDir: opts.loadDataDir, relaxedDurability: false });
    if (opts.preparedStatements !== false) (await import("./prepared-pglite.ts")).prepareRepeatedQueries(pglite);
    return {
      kind: "pglite",
      db: drizzlePglite(pglite),
      pglite,
      description: dataDir.startsWith("memory://") ? "PGlite (in memory)" : `PGlite ${path.resolve(dataDir)}`,
      close: async () => {
        await pglite.close();
        await release?.();
      },
    };
  } catch (e) {
    await release?.();
    throw e;
  }
}

/** PGlite does not stop a second process from opening the same folder, which would corrupt it. */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dataDir, { lockfilePath: path.join(dataDir, ".kaiwu.lock"), stale: 15_000, update: 5_000 });
  } catch (e) {
    if ((e as { code?: string }).code === "ELOCKED") {
      throw new Error(
        `The data folder ${dataDir} is in use by another Kaiwu process. Stop it first, or use DATABASE_URL to run several processes against PostgreSQL.`,
      );
    }
    throw e;
  }
}

/** Plain rows of a raw query, the same shape on both drivers (Dates as ISO strings, int8 as numbers). */
export async function rows<T = Record<string, unknown>>(ex: Executor, query: SQL): Promise<T[]> {
  const result = (await ex.execute(query)) as unknown as { rows: Record<string, unknown>[] };
  return result.rows.map(normaliseRow) as T[];
}

export async function one<T = Record<string, unknown>>(ex: Executor, query: SQL): Promise<T | undefined> {
  return (await rows<T>(ex, query))[0];
}

function normaliseRow(row: Record<string, unknown>): Record<string, unknown> {
  for (const key in row) {
    const v = row[key];
    if (v instanceof Date) row[key] = v.toISOString();
    else if (typeof v === "bigint") row[key] = Number(v);
    else if (typeof v === "string" && PG_TIMESTAMPTZ.test(v)) row[key] = isoTimestamp(v);
  }
  return row;
}

// timestamptz as PostgreSQL prints it ("2026-11-29 00:42:03.145+00"), which drizzle passes through.
const PG_TIMESTAMPTZ = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?[+-]\d\d(:\d\d)?$/;

/** PostgreSQL's timestamptz text to ISO 8601 UTC ("2026-11-29T00:42:03.145Z"); other strings unchanged. */
export function isoTimestamp(v: string): string {
  if (!PG_TIMESTAMPTZ.test(v)) return v;
  const withOffset = /[+-]\d\d$/.test(v) ? `${v}:00` : v;
  return new Date(withOffset.replace(" ", "T")).toISOString();
}

/** Deep-normalises a value about to be sent (command results from drizzle's `returning`). */
export function normaliseOutput(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== "object") {
    return typeof value === "string" ? isoTimestamp(value) : typeof value === "bigint" ? Number(value) : value;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => normaliseOutput(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = normaliseOutput(v, depth + 1);
  return out;
}

export { sql };

/**
 * A text[] parameter. Drizzle's sql`` spreads a JS array into a list of parameters, and the two
 * drivers encode arrays differently; one JSON parameter behaves the same everywhere.
 */
export function textArray(values: readonly string[]): SQL {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))::text[]`;
}
