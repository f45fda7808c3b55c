import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { rows, sql } from "./database.ts";
import type { Database } from "./database.ts";
import { execScript } from "./scripts.ts";

/** A migration file: `<module>/migrations/YYYYMMDDNN_what.sql`. The id orders migrations across modules. */
export interface Migration {
  id: string;
  module: string;
  file: string;
  checksum: string;
  sql: string;
}

export interface MigrationSource {
  module: string;
  dir: string;
}

const FILE_PATTERN = /^(\d{10})_[a-z0-9_]+\.sql$/;

/** All migrations of all modules, in the one global order that both databases apply. */
export function collectMigrations(sources: MigrationSource[]): Migration[] {
  const found: Migration[] = [];
  for (const { module, dir } of sources) {
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir)) {
      if (!file.endsWith(".sql")) continue;
      if (!FILE_PATTERN.test(file)) throw new Error(`Migration ${module}/${file} must be named YYYYMMDDNN_name.sql`);
      const text = fs.readFileSync(path.join(dir, file), "utf8");
      found.push({
        id: `${file.slice(0, 10)}:${module}:${file.slice(11, -4)}`,
        module,
        file,
        checksum: createHash("sha256").update(text).digest("hex"),
        sql: text,
      });
    }
  }
  return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const HISTORY_DDL = `
create table if not exists kaiwu_migration (
  id text primary key,
  module text not null,
  checksum text not null,
  applied_at timestamptz not null default now()
);`;

export async function appliedMigrations(database: Database): Promise<{ id: string; checksum: string }[]> {
  const exists = await rows<{ t: string | null }>(database.db, sql`select to_regclass('kaiwu_migration')::text as t`);
  if (!exists[0]?.t) return [];
  return rows(database.db, sql`select id, checksum from kaiwu_migration order by id`);
}

export interface MigrationStatus {
  applied: string[];
  pending: Migration[];
  unknown: string[];
  changed: string[];
}

export async function migrationStatus(database: Database, all: Migration[]): Promise<MigrationStatus> {
  const applied = await appliedMigrations(database);
  const byId = new Map(all.map((m) => [m.id, m]));
  const appliedIds = new Set(applied.map((a) => a.id));
  return {
    applied: applied.map((a) => a.id),
    pending: all.filter((m) => !appliedIds.has(m.id)),
    unknown: applied.filter((a) => !byId.has(a.id)).map((a) => a.id),
    changed: applied.filter((a) => byId.has(a.id) && byId.get(a.id)!.checksum !== a.checksum).map((a) => a.id),
  };
}

/**
 * Applies pending migrations, each in its own transaction together with its history row, so a failed
 * migration leaves the database at the previous version. `upTo` stops after that id (restore uses it
 * to rebuild the schema a backup was taken with). An advisory lock keeps two processes from migrating at once.
 */
export async function migrate(
  database: Database,
  all: Migration[],
  opts: { upTo?: string; onProgress?: (m: Migration, index: number, total: number) => void } = {},
): Promise<Migration[]> {
  await execScript(database, HISTORY_DDL);
  const status = await migrationStatus(database, all);
  if (status.unknown.length > 0) {
    throw new Error(
      `The database has migrations this version of Kaiwu does not know (${status.unknown.join(", ")}): it was created by a newer version.`,
    );
  }
  let pending = status.pending;
  if (opts.upTo) pending = pending.filter((m) => m.id <= opts.upTo!);
  const done: Migration[] = [];
  for (const [i, m] of pending.entries()) {
    opts.onProgress?.(m, i, pending.length);
    const record = `insert into kaiwu_migration (id, module, checksum) values (${literal(m.id)}, ${literal(m.module)}, ${literal(m.checksum)});`;
    // One simple-protocol message runs as one implicit transaction: all of it or nothing.
    await execScript(database, `select pg_advisory_xact_lock(7240001);\n${m.sql}\n;\n${record}`).catch((e: Error) => {
      throw new Error(`Migration ${m.module}/${m.file} failed: ${e.message}`);
    });
    done.push(m);
  }
  return done;
}

function literal(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
