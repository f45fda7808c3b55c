import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows, sql } from "../src/platform/db/database.ts";
import { DB_AVAILABLE, type TestSystem, testSystem } from "./harness.ts";

const MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src/modules");

function schemaFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "migrations" ? [] : schemaFiles(p);
    return e.name === "schema.ts" ? [p] : [];
  });
}

/** The SQL migrations are the source of truth; every typed drizzle mirror must match them. */
describe.skipIf(!DB_AVAILABLE)("drizzle schema mirrors the migrated database", () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await testSystem();
  });
  afterAll(() => sys?.close());

  it("every column of every schema.ts table exists with the same nullability", async () => {
    const columns = await rows<{ table_name: string; column_name: string; is_nullable: string }>(
      sys.rt.database.db,
      sql`select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'public'`,
    );
    const actual = new Map(columns.map((c) => [`${c.table_name}.${c.column_name}`, c.is_nullable === "YES"]));
    const problems: string[] = [];
    let checked = 0;
    for (const file of schemaFiles(MODULES)) {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const value of Object.values(mod)) {
        if (!(value instanceof PgTable)) continue;
        const cfg = getTableConfig(value);
        for (const col of cfg.columns) {
          checked++;
          const key = `${cfg.name}.${col.name}`;
          if (!actual.has(key)) problems.push(`${path.relative(MODULES, file)}: ${key} is not in the database`);
          else if (actual.get(key) !== !col.notNull) problems.push(`${path.relative(MODULES, file)}: ${key} nullability differs`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });
});
