import path from "node:path";
import { fileURLToPath } from "node:url";
import type { KaiwuModule } from "../../platform/module.ts";

/** Operations: backups (and later import/export, archiving, change requests, tickets, training). */
export const opsModule: KaiwuModule = {
  name: "ops",
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
  permissions: [],
};
