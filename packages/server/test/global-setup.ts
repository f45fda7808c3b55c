import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import pg from "pg";
import { openDatabase } from "../src/platform/db/database.ts";
import { allMigrations } from "../src/platform/bootstrap.ts";
import { migrate } from "../src/platform/db/migrate.ts";

export const PG_ADMIN_URL = process.env.KAIWU_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * Builds one migrated template per run: a PGlite data-dir tarball, or a PostgreSQL template database.
 * Each test file then starts from a copy in well under a second instead of migrating again.
 */
export default async function setup(project: TestProject) {
  const kind = (project.config.env?.KAIWU_TEST_DB as string | undefined) ?? "pglite";
  const migrations = allMigrations();
  const fingerprint = createHash("sha256").update(migrations.map((m) => `${m.id}:${m.checksum}`).join("\n")).digest("hex").slice(0, 12);
  if (kind === "pglite") {
    const file = path.join(os.tmpdir(), `kaiwu-test-template-${fingerprint}.tar.gz`);
    if (!fs.existsSync(file)) {
      const db = await openDatabase({ dataDir: "memory://" });
      await migrate(db, migrations);
      const dump = await db.pglite!.dumpDataDir("gzip");
      fs.writeFileSync(`${file}.tmp`, Buffer.from(await dump.arrayBuffer()));
      fs.renameSync(`${file}.tmp`, file);
      await db.close();
    }
    project.provide("pgliteTemplate", file);
    return;
  }
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
  } catch (e) {
    if (process.env.CI === "true") throw new Error(`PostgreSQL is required under CI=true: ${(e as Error).message}`);
    process.stderr.write(`\n*** PostgreSQL not reachable at ${PG_ADMIN_URL}: PostgreSQL tests are SKIPPED ***\n\n`);
    project.provide("pgTemplate", "");
    return;
  }
  const template = `kaiwu_tpl_${fingerprint}`;
  const exists = await admin.query("select 1 from pg_database where datname = $1", [template]);
  if (exists.rowCount === 0) {
    const building = `${template}_${process.pid}`;
    await admin.query(`create database ${building}`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${building}`;
    const db = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
    await migrate(db, migrations);
    await db.close();
    await admin.query(`alter database ${building} rename to ${template}`).catch(() => admin.query(`drop database ${building}`));
  }
  await admin.end();
  project.provide("pgTemplate", template);
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
  }
}
