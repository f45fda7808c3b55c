import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readArchive } from "../src/platform/backup/archive.ts";
import { createBackup } from "../src/platform/backup/backup.ts";
import { RestoreRefused, restoreBackup, tableChecksums } from "../src/platform/backup/restore.ts";
import { allMigrations } from "../src/platform/bootstrap.ts";
import { openDatabase, sql } from "../src/platform/db/database.ts";
import { JobWorker } from "../src/platform/jobs.ts";
import { opsModule } from "../src/modules/ops/index.ts";
import { PG_ADMIN_URL } from "./global-setup.ts";
import { DB_AVAILABLE, DB_KIND, type TestSystem, count, login, testSystem } from "./harness.ts";

/** Byte offsets of each member's data in a tar file (512-byte headers, data padded to 512). */
function tarMembers(buf: Buffer): { name: string; offset: number; size: number }[] {
  const out = [];
  let pos = 0;
  while (pos + 512 <= buf.length && buf[pos] !== 0) {
    const name = buf.subarray(pos, pos + 100).toString().replace(/\0.*$/s, "");
    const size = Number.parseInt(buf.subarray(pos + 124, pos + 136).toString().replace(/\0.*$/s, "").trim(), 8);
    out.push({ name, offset: pos + 512, size });
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

async function emptyPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `kaiwu_restore_${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

async function postgresReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!DB_AVAILABLE)("verified backups", () => {
  let sys: TestSystem;
  let dir: string;
  let archive: string;

  beforeAll(async () => {
    sys = await testSystem({ demo: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaiwu-backup-test-"));
    archive = path.join(dir, "a.kwbackup");
    await createBackup(sys.rt.database, { outFile: archive, kaiwuVersion: "test" });
  });
  afterAll(async () => {
    await sys?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes a self-describing archive that verifies", async () => {
    const r = await readArchive(archive);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    const m = r.manifest!;
    expect(m.source.kind).toBe(DB_KIND);
    expect(m.schema.migrations).toEqual(allMigrations().map((x) => x.id));
    const dept = m.tables.find((t) => t.name === "department")!;
    expect(dept.rows).toBe(await count(sys.rt, "department"));
    expect(m.tables.find((t) => t.name === "audit_log")!.rows).toBe(await count(sys.rt, "audit_log"));
  });

  it("names the damaged part when one byte changes", async () => {
    const buf = fs.readFileSync(archive);
    const part = tarMembers(buf).find((x) => x.name.includes("_department."))!;
    buf[part.offset + Math.floor(part.size / 2)] ^= 0xff;
    const damaged = path.join(dir, "damaged.kwbackup");
    fs.writeFileSync(damaged, buf);
    const r = await readArchive(damaged);
    expect(r.ok).toBe(false);
    expect(r.problems[0].part).toBe(part.name);

    const buf2 = fs.readFileSync(archive);
    const manifest = tarMembers(buf2).find((x) => x.name === "manifest.json")!;
    buf2[manifest.offset + 20] ^= 0x01;
    fs.writeFileSync(damaged, buf2);
    const r2 = await readArchive(damaged);
    expect(r2.ok).toBe(false);
    expect(r2.problems.map((p) => p.part)).toContain("manifest.json");

    const target = await openDatabase({ dataDir: "memory://" });
    fs.writeFileSync(damaged, buf);
    await expect(restoreBackup(target, damaged, allMigrations())).rejects.toBeInstanceOf(RestoreRefused);
    const tables = await target.pglite!.query<{ n: number }>("select count(*)::int as n from pg_tables where schemaname = 'public'");
    expect(tables.rows[0].n).toBe(0);
    await target.close();
  });

  it("refuses a non-empty target and an archive from a newer schema", async () => {
    await expect(restoreBackup(sys.rt.database, archive, allMigrations())).rejects.toThrow(/not empty/);
    const target = await openDatabase({ dataDir: "memory://" });
    await expect(restoreBackup(target, archive, allMigrations().slice(0, -1))).rejects.toThrow(/newer version/);
    await target.close();
  });

  it.skipIf(DB_KIND !== "pglite")("moves from PGlite to PostgreSQL and back with identical table checksums", async () => {
    if (!(await postgresReachable())) {
      if (process.env.CI === "true") throw new Error("PostgreSQL is required under CI=true");
      return;
    }
    const source = await tableChecksums(sys.rt.database);
    const server = await emptyPostgres();
    try {
      const onPg = await openDatabase({ databaseUrl: server.url });
      const r = await restoreBackup(onPg, archive, allMigrations());
      expect(r.migratedAfter).toBe(0);
      expect(await tableChecksums(onPg)).toEqual(source);
      const back = path.join(dir, "from-pg.kwbackup");
      await createBackup(onPg, { outFile: back, kaiwuVersion: "test" });
      await onPg.close();
      const again = await openDatabase({ dataDir: "memory://" });
      await restoreBackup(again, back, allMigrations());
      expect(await tableChecksums(again)).toEqual(source);
      // Sequences continue where they were: a new row does not collide with a restored one.
      await again.db.execute(sql`insert into department (company_id, code, name_zh, name_en) values (1, 'AFTER', '后', 'After')`);
      await again.close();
    } finally {
      await server.drop();
    }
  });

  it("a backup started from the API runs as a job, is recorded, verified and listed", async () => {
    const admin = await login(sys.app, "admin", sys.adminPassword);
    const start = await admin.post("/api/ops/backups", {});
    expect(start.statusCode).toBe(202);
    const again = await admin.post("/api/ops/backups", {});
    expect(again.statusCode).toBe(422);
    const worker = new JobWorker(sys.rt, new Map(Object.entries(opsModule.jobs!)));
    expect(await worker.runOnce()).toBe(1);
    const list = (await admin.get("/api/ops/backups")).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ status: "succeeded", trigger: "manual", verifyStatus: "ok" });
    expect(fs.existsSync(list.items[0].fileName)).toBe(true);

    // Damage the kept archive: the verification job notices, alerts, and queues a new backup.
    fs.appendFileSync(list.items[0].fileName, "garbage");
    const buf = fs.readFileSync(list.items[0].fileName);
    const part = tarMembers(buf).find((x) => x.name.startsWith("tables/"))!;
    buf[part.offset + 1] ^= 0xff;
    fs.writeFileSync(list.items[0].fileName, buf);
    const verify = await admin.post(`/api/ops/backups/${list.items[0].id}/verify`, {});
    expect(verify.statusCode).toBe(202);
    await worker.runOnce();
    const after = (await admin.get("/api/ops/backups?sort=id")).json();
    expect(after.items[0].verifyStatus).toBe("damaged");
    expect(after.items.length).toBe(2); // the re-made backup
    expect(after.items[1]).toMatchObject({ status: "succeeded", verifyStatus: "ok" });
    const alerts = (await admin.get("/api/system/alerts")).json();
    expect(alerts[0].message).toMatch(/failed verification/);
  });
});
