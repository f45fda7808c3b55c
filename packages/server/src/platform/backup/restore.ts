import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Database } from "../db/database.ts";
import { type Migration, migrate } from "../db/migrate.ts";
import { type BackupManifest, type VerifyProblem, readArchive } from "./archive.ts";
import { type CopySession, ident, pgCopySession, pgliteCopySession } from "./copy.ts";

export class RestoreRefused extends Error {
  constructor(
    message: string,
    readonly problems: VerifyProblem[] = [],
  ) {
    super(message);
  }
}

export interface RestoreResult {
  manifest: BackupManifest;
  tables: number;
  rows: number;
  migratedAfter: number;
  /** files put back into the data folder (attachments) */
  files: number;
}

/** Runs `fn` in one writable transaction with triggers and foreign-key checks off while loading. */
async function inLoadTransaction<T>(database: Database, fn: (s: CopySession) => Promise<T>): Promise<T> {
  if (database.pglite) {
    return database.pglite.transaction(async (tx) => {
      await tx.query("SET LOCAL session_replication_role = replica");
      return fn(pgliteCopySession(tx));
    });
  }
  const client = await database.pool!.connect();
  try {
    await client.query("BEGIN");
    // Rows arrive table by table, not in foreign-key order, and append-only triggers must not fire.
    await client.query("SET LOCAL session_replication_role = replica");
    const r = await fn(pgCopySession(client));
    await client.query("COMMIT");
    return r;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/**
 * Restores an archive into an EMPTY database: checks the whole archive first (a damaged one is refused
 * before anything is written), rebuilds the schema the backup was taken with, loads every table in one
 * transaction, applies the newer migrations of this version, then compares row counts.
 */
export async function restoreBackup(
  database: Database,
  file: string,
  allMigrations: Migration[],
  opts: {
    onProgress?: (step: string, done: number, total: number) => void;
    /** Where each file set of the archive goes (attachments → <data folder>/attachments). */
    files?: Record<string, string>;
  } = {},
): Promise<RestoreResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "kaiwu-restore-"));
  try {
    opts.onProgress?.("verify", 0, 1);
    const report = await readArchive(file, { extractTo: work });
    if (!report.ok || !report.manifest) throw new RestoreRefused(`The archive ${file} is damaged; nothing was restored.`, report.problems);
    const manifest = report.manifest;
    const known = new Set(allMigrations.map((m) => m.id));
    const unknown = manifest.schema.migrations.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new RestoreRefused(
        `The backup comes from a newer version of Kaiwu (schema ${unknown.join(", ")} unknown here); upgrade Kaiwu first. Nothing was restored.`,
      );
    }
    const existing = await tableCount(database);
    if (existing > 0) {
      throw new RestoreRefused(`The target database is not empty (${existing} tables); restore needs an empty database. Nothing was restored.`);
    }
    const upTo = manifest.schema.migrations.at(-1);
    const schemaOfBackup = allMigrations.filter((m) => manifest.schema.migrations.includes(m.id));
    opts.onProgress?.("schema", 0, 1);
    if (upTo) await migrate(database, schemaOfBackup);
    await inLoadTransaction(database, async (s) => {
      // Migrations may seed rows of their own; the archive holds the complete data as of its snapshot.
      if (manifest.tables.length > 0) await s.query(`truncate ${manifest.tables.map((t) => ident(t.name)).join(", ")}`);
      for (const [i, t] of manifest.tables.entries()) {
        opts.onProgress?.("load", i, manifest.tables.length);
        await s.copyIn(t.name, t.columns, path.join(work, path.basename(t.part)));
      }
      for (const q of manifest.sequences) {
        await s.query(`select setval('${ident(q.name).replaceAll("'", "''")}', ${BigInt(q.lastValue)}, ${q.isCalled})`);
      }
      opts.onProgress?.("load", manifest.tables.length, manifest.tables.length);
    });
    const after = await migrate(database, allMigrations);
    // Counts are compared before later migrations could have changed them only when none ran.
    if (after.length === 0) {
      const mismatches = await compareCounts(database, manifest);
      if (mismatches.length > 0) throw new RestoreRefused("Row counts after the restore differ from the backup.", mismatches);
    }
    // The files (content-addressed, so an existing file of the same name is the same file).
    let restoredFiles = 0;
    for (const f of manifest.files ?? []) {
      const dir = opts.files?.[f.set];
      if (!dir) continue;
      fs.mkdirSync(dir, { recursive: true });
      const target = path.join(dir, f.name);
      if (!fs.existsSync(target)) {
        const tmp = path.join(dir, `.${f.name}.restore.tmp`);
        fs.copyFileSync(path.join(work, f.part), tmp);
        fs.renameSync(tmp, target);
      }
      restoredFiles++;
    }
    return { manifest, tables: manifest.tables.length, rows: manifest.totals.rows, migratedAfter: after.length, files: restoredFiles };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function tableCount(database: Database): Promise<number> {
  const q = "select count(*)::int as n from pg_tables where schemaname = 'public' and tablename <> 'kaiwu_migration'";
  const r = database.pglite ? (await database.pglite.query<{ n: number }>(q)).rows : (await database.pool!.query(q)).rows;
  return Number(r[0].n);
}

async function compareCounts(database: Database, manifest: BackupManifest): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  for (const t of manifest.tables) {
    const q = `select count(*)::int8 as n from ${ident(t.name)}`;
    const r = database.pglite ? (await database.pglite.query<{ n: number }>(q)).rows : (await database.pool!.query(q)).rows;
    if (Number(r[0].n) !== t.rows) problems.push({ part: t.part, problem: `${t.name}: ${r[0].n} rows restored, ${t.rows} in the backup` });
  }
  return problems;
}

/**
 * A checksum per table, computed the same way on PGlite and PostgreSQL (rows as text, sorted, in UTC):
 * equal checksums mean equal data, whichever database it moved through.
 */
export async function tableChecksums(database: Database): Promise<Record<string, string>> {
  const list = "select tablename from pg_tables where schemaname = 'public' order by 1";
  const run = async <T>(q: string): Promise<T[]> =>
    database.pglite ? (await database.pglite.query<T>(q)).rows : ((await database.pool!.query(q)).rows as T[]);
  const out: Record<string, string> = {};
  if (database.pool) {
    // The session time zone decides how timestamptz prints; fix it for the one client used.
    const client = await database.pool.connect();
    try {
      await client.query("set time zone 'UTC'");
      for (const { tablename } of (await client.query(list)).rows as { tablename: string }[]) {
        if (tablename === "kaiwu_migration") continue;
        const r = await client.query(`select md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as h from ${ident(tablename)} t`);
        out[tablename] = r.rows[0].h;
      }
    } finally {
      await client.query("reset time zone").catch(() => {});
      client.release();
    }
    return out;
  }
  await run("set time zone 'UTC'");
  for (const { tablename } of await run<{ tablename: string }>(list)) {
    if (tablename === "kaiwu_migration") continue;
    const [r] = await run<{ h: string }>(`select md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as h from ${ident(tablename)} t`);
    out[tablename] = r.h;
  }
  return out;
}
