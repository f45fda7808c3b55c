import type { Database } from "./database.ts";

/**
 * Runs a multi-statement SQL script (migrations, restore DDL). Drizzle sends parameterised
 * statements, which PostgreSQL refuses to hold several commands; scripts go to the driver directly.
 */
export async function execScript(database: Database, script: string): Promise<void> {
  if (database.pglite) {
    await database.pglite.exec(script);
  } else {
    await database.pool!.query(script);
  }
}
