import type { Logger } from "pino";
import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { Migration } from "./db/migrate.ts";
import type { KaiwuModule, PermissionDef } from "./module.ts";

/** Everything a command, query, job or route needs from the running system; one per process. */
export interface Runtime {
  config: Config;
  database: Database;
  log: Logger;
  modules: KaiwuModule[];
  migrations: Migration[];
  auditKey: Buffer;
  permissions: Map<string, PermissionDef & { module: string }>;
  version: string;
  startedAt: Date;
}
