import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { modules as allModules } from "../modules/index.ts";
import { loadAuditKey } from "./audit.ts";
import type { Config } from "./config.ts";
import { type Database, openDatabase } from "./db/database.ts";
import { type Migration, type MigrationSource, collectMigrations, migrate } from "./db/migrate.ts";
import type { KaiwuModule, PermissionDef } from "./module.ts";
import type { Runtime } from "./runtime.ts";

const here = path.dirname(fileURLToPath(import.meta.url));

export const VERSION: string = JSON.parse(fs.readFileSync(path.resolve(here, "../../../../package.json"), "utf8")).version;

export function migrationSources(modules: KaiwuModule[] = allModules): MigrationSource[] {
  return [
    { module: "platform", dir: path.join(here, "migrations") },
    ...modules.filter((m) => m.migrationsDir).map((m) => ({ module: m.name, dir: m.migrationsDir! })),
  ];
}

export function allMigrations(): Migration[] {
  return collectMigrations(migrationSources());
}

function permissionRegistry(modules: KaiwuModule[]): Map<string, PermissionDef & { module: string }> {
  const map = new Map<string, PermissionDef & { module: string }>();
  for (const m of modules) {
    for (const p of m.permissions ?? []) {
      if (map.has(p.key)) throw new Error(`Permission ${p.key} is declared twice (${map.get(p.key)!.module}, ${m.name})`);
      map.set(p.key, { ...p, module: m.name });
    }
  }
  return map;
}

export interface RuntimeOptions {
  config: Config;
  database?: Database;
  logger?: pino.Logger;
  migrate?: boolean;
  onMigration?: (m: Migration, i: number, total: number) => void;
}

/** Opens the database, applies pending migrations and assembles the runtime every entry point shares. */
export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { config } = opts;
  const database =
    opts.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, "pglite"),
      preparedStatements: config.preparedStatements,
    }));
  const migrations = allMigrations();
  if (opts.migrate !== false) await migrate(database, migrations, { onProgress: opts.onMigration });
  return {
    config,
    database,
    log: opts.logger ?? pino({ level: config.logLevel }),
    modules: allModules,
    migrations,
    auditKey: loadAuditKey(config.dataDir),
    permissions: permissionRegistry(allModules),
    version: VERSION,
    startedAt: new Date(),
  };
}
