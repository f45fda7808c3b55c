import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PG_ADMIN_URL } from "./global-setup.ts";
import { DB_AVAILABLE, DB_KIND } from "./harness.ts";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/kaiwu.js");
const run = promisify(execFile);

async function kaiwu(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: "silent", ...env }, timeout: 170_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A data folder (and on the PostgreSQL project, an empty database) for one CLI "installation". */
async function installation(name: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kaiwu-cli-${name}-`));
  const env: Record<string, string> = { KAIWU_DATA_DIR: dataDir, KAIWU_AUDIT_KEY: "cli-test-key" };
  let dbName: string | undefined;
  if (DB_KIND === "postgres") {
    dbName = `kaiwu_cli_${name}_${process.pid}`;
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists ${dbName} with (force)`);
    await c.query(`create database ${dbName}`);
    await c.end();
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${dbName}`;
    env.DATABASE_URL = u.toString();
  }
  return {
    env,
    dataDir,
    async remove() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (dbName) {
        const c = new pg.Client({ connectionString: PG_ADMIN_URL });
        await c.connect();
        await c.query(`drop database if exists ${dbName} with (force)`);
        await c.end();
      }
    },
  };
}

describe.skipIf(!DB_AVAILABLE)("the kaiwu command", () => {
  let source: Awaited<ReturnType<typeof installation>>;
  let target: Awaited<ReturnType<typeof installation>>;
  let archive: string;

  beforeAll(async () => {
    source = await installation("src");
    target = await installation("dst");
    archive = path.join(source.dataDir, "out.kwbackup");
  });
  afterAll(async () => {
    await source?.remove();
    await target?.remove();
  });

  it("seeds, backs up, verifies, detects damage, restores and passes doctor", async () => {
    const seed = await kaiwu(["seed", "--demo"], source.env);
    expect(seed.code, seed.stderr).toBe(0);
    expect(seed.stdout).toMatch(/admin one-time password: \S{14}/);

    const backup = await kaiwu(["backup", "--out", archive], source.env);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain("verified");

    const ok = await kaiwu(["verify-backup", archive], source.env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^OK /);

    const damaged = path.join(source.dataDir, "damaged.kwbackup");
    const buf = fs.readFileSync(archive);
    buf[1024 + 100] ^= 0xff; // inside the first table part's data
    fs.writeFileSync(damaged, buf);
    const bad = await kaiwu(["verify-backup", damaged], source.env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/DAMAGED[\s\S]*tables\/0001_/);
    const refused = await kaiwu(["restore", damaged], target.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("restore refused");

    const restore = await kaiwu(["restore", archive], target.env);
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    expect(restore.stdout).toContain("ok   audit chain");

    const doctor = await kaiwu(["doctor"], target.env);
    expect(doctor.code).toBe(0);
    const audit = await kaiwu(["audit", "verify"], target.env);
    expect(audit.stdout).toContain("intact");

    const again = await kaiwu(["restore", archive], target.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("not empty");
  }, 400_000);

  it("manages users from the shell, audited as the system", async () => {
    const created = await kaiwu(["user", "create", "shell.user", "--name", "Shell User", "--role", "operator"], source.env);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/one-time password: \S+/);
    const reset = await kaiwu(["user", "reset-password", "shell.user"], source.env);
    expect(reset.code).toBe(0);
    const disabled = await kaiwu(["user", "disable", "shell.user", "--reason", "test"], source.env);
    expect(disabled.code).toBe(0);
    const unknown = await kaiwu(["user", "disable", "nobody"], source.env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no user named nobody");
  }, 120_000);

  it.skipIf(DB_KIND !== "pglite")("runs the MRP engine on a file and refuses bad input without output", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaiwu-mrp-"));
    const input = path.join(dir, "in.json");
    fs.writeFileSync(
      input,
      JSON.stringify({
        periods: 8,
        items: [
          { id: "A", leadTime: 1, onHand: 20, safetyStock: 0, lotSizing: { rule: "lot-for-lot" } },
          { id: "D", leadTime: 1, onHand: 25, lotSizing: { rule: "multiple", qty: 50 } },
        ],
        bom: [{ parent: "A", component: "D", qtyPer: 2 }],
        scheduledReceipts: [{ item: "D", period: 1, qty: 30 }],
        demand: [{ item: "A", period: 6, qty: 60, ref: "SO-1" }],
      }),
    );
    const out = path.join(dir, "out.json");
    const r = await kaiwu(["mrp", "--input", input, "--output", out], {});
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(fs.readFileSync(out, "utf8"));
    const a = result.items.find((i: { id: string }) => i.id === "A");
    expect(a.plannedOrderReleases).toEqual(["0", "0", "0", "0", "40", "0", "0", "0"]);
    const d = result.items.find((i: { id: string }) => i.id === "D");
    expect(d.lowLevelCode).toBe(1);
    expect(d.grossRequirements[4]).toBe("80");

    fs.writeFileSync(input, JSON.stringify({ periods: 2, items: [], bom: [{ parent: "X", component: "Y", qtyPer: 1 }], demand: [] }));
    const bad = await kaiwu(["mrp", "--input", input, "--output", path.join(dir, "bad.json")], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown item "X"');
    expect(fs.existsSync(path.join(dir, "bad.json"))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
