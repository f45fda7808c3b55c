import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import type { TestProject } from "vitest/node";
import { createRuntime } from "../packages/server/src/platform/bootstrap.ts";
import { loadConfig } from "../packages/server/src/platform/config.ts";
import { openDatabase } from "../packages/server/src/platform/db/database.ts";
import { ensureInstalled } from "../packages/server/src/setup.ts";

export const E2E_AUDIT_KEY = "e2e-audit-key";

/**
 * Installs the demo company once per run — migrations, demo people (argon2 hashes), master data, stock,
 * an MRP plan — and keeps it as a PGlite data-dir tarball plus the data folder (attachments, audit anchor)
 * and the install's one-time passwords. Each end-to-end file then starts from its own copy in about a
 * second instead of seeding again.
 */
export default async function setup(project: TestProject) {
  process.env.KAIWU_AUDIT_KEY ??= E2E_AUDIT_KEY;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaiwu-e2e-template-"));
  const dataDir = path.join(dir, "data");
  fs.mkdirSync(dataDir);
  const database = await openDatabase({ dataDir: "memory://" });
  try {
    const rt = await createRuntime({
      config: loadConfig({ dataDir, backupDir: path.join(dataDir, "backups"), logLevel: "silent" }),
      database,
      logger: pino({ level: "silent" }),
    });
    const install = await ensureInstalled(rt, { demo: true });
    const dump = await database.pglite!.dumpDataDir("gzip");
    fs.writeFileSync(path.join(dir, "db.tar.gz"), Buffer.from(await dump.arrayBuffer()));
    fs.writeFileSync(path.join(dir, "install.json"), JSON.stringify({ adminPassword: install.admin!.password, demoLogins: install.demoLogins ?? [] }));
  } finally {
    await database.close();
  }
  project.provide("e2eTemplate", dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    e2eTemplate: string;
  }
}
