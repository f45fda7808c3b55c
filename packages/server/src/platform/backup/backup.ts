import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Database } from "../db/database.ts";
import { FORMAT, type BackupManifest, type FileEntry, type TableEntry, writeArchive } from "./archive.ts";
import { type CopySession, ident, pgCopySession, pgliteCopySession } from "./copy.ts";

export type BackupProgress = (done: number, total: number, table: string) => void

export interface BackupResult {
  file: string;
  bytes: number;
  sha256: string;
  manifest: BackupManifest;
}

/**
 * Runs `fn` in one read-only REPEATABLE READ transaction, so every table is read from the same
 * snapshot while the server keeps working (on PGlite the single connection serialises instead).
 */
export async function inSnapshot<T>(database: Database, fn: (s: CopySession) => Promise<T>): Promise<T> {
  if (database.pglite) {
    return database.pglite.transaction(async (tx) => {
      await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      return fn(pgliteCopySession(tx));
    });
  }
  const client = await database.pool!.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
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

/** The tables and columns a backup holds: every table of the schema but the migration history. */
export async function tablesToCopy(s: CopySession): Promise<{ name: string; columns: string[] }[]> {
  const cols = await s.query<{ table_name: string; column_name: string }>(
    `select c.table_name, c.column_name from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
       and c.table_name <> 'kaiwu_migration'
     order by c.table_name, c.ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const c of cols) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
  return [...byTable.entries()].map(([name, columns]) => ({ name, columns }));
}

/** A folder of files kept outside the database that a backup takes along (the attachments). */
export interface FileSet {
  name: string;
  dir: string;
}

/** The folders of the data folder a backup takes along: the attachments (files of items, drawings…). */
export function dataFolderFiles(dataDir: string): FileSet[] {
  return [{ name: "attachments", dir: path.join(dataDir, "attachments") }];
}

/** Where a restore puts each file set back. */
export function dataFolderTargets(dataDir: string): Record<string, string> {
  return Object.fromEntries(dataFolderFiles(dataDir).map((f) => [f.name, f.dir]));
}

/**
 * The files of each set, with their SHA-256. Listed after the database snapshot was taken: a file is
 * written before the row that names it commits, so every file the snapshot refers to is there (files
 * added since come along unused). Hidden and temporary files are left out.
 */
async function listFiles(sets: FileSet[]): Promise<{ entries: FileEntry[]; sources: Map<string, string> }> {
  const entries: FileEntry[] = [];
  const sources = new Map<string, string>();
  for (const set of sets) {
    if (!fs.existsSync(set.dir)) continue;
    for (const name of fs.readdirSync(set.dir).sort()) {
      if (name.startsWith(".") || !/^[A-Za-z0-9._-]+$/.test(name)) continue;
      const file = path.join(set.dir, name);
      const stat = fs.statSync(file);
      if (!stat.isFile()) continue;
      const hash = createHash("sha256");
      for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
      const part = `files/${set.name}/${name}`;
      entries.push({ set: set.name, name, part, bytes: stat.size, sha256: hash.digest("hex") });
      sources.set(part, file);
    }
  }
  return { entries, sources };
}

export async function createBackup(
  database: Database,
  opts: { outFile: string; kaiwuVersion: string; onProgress?: BackupProgress; files?: FileSet[] },
): Promise<BackupResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "kaiwu-backup-"));
  try {
    const manifest = await inSnapshot(database, async (s) => {
      const applied = await s.query<{ id: string }>("select id from kaiwu_migration order by id");
      const [version] = await s.query<{ v: string }>("select current_setting('server_version') as v");
      const tables = await tablesToCopy(s);
      const entries: TableEntry[] = [];
      for (const [i, t] of tables.entries()) {
        opts.onProgress?.(i, tables.length, t.name);
        const part = `tables/${String(i + 1).padStart(4, "0")}_${t.name}.copy.gz`;
        const info = await s.copyOut(t.name, t.columns, path.join(work, path.basename(part)));
        entries.push({ name: t.name, columns: t.columns, part, ...info });
      }
      opts.onProgress?.(tables.length, tables.length, "");
      const seqs = await s.query<{ name: string }>(
        "select sequence_name as name from information_schema.sequences where sequence_schema = 'public' order by 1",
      );
      const sequences: BackupManifest["sequences"] = [];
      for (const q of seqs) {
        const [v] = await s.query<{ last_value: string | number; is_called: boolean }>(`select last_value, is_called from ${ident(q.name)}`);
        sequences.push({ name: q.name, lastValue: String(v.last_value), isCalled: v.is_called });
      }
      const m: BackupManifest = {
        format: FORMAT,
        createdAt: new Date().toISOString(),
        kaiwuVersion: opts.kaiwuVersion,
        source: { kind: database.kind, serverVersion: version.v },
        schema: { migrations: applied.map((a) => a.id) },
        tables: entries,
        sequences,
        totals: { tables: entries.length, rows: entries.reduce((n, e) => n + e.rows, 0), bytes: entries.reduce((n, e) => n + e.bytes, 0) },
      };
      return m;
    });
    const files = await listFiles(opts.files ?? []);
    if (opts.files) manifest.files = files.entries;
    fs.mkdirSync(path.dirname(path.resolve(opts.outFile)), { recursive: true });
    const written = await writeArchive(work, manifest, opts.outFile, files.sources);
    return { file: opts.outFile, ...written, manifest };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
