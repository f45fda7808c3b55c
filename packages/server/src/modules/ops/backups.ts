import fs from "node:fs";
import path from "node:path";
import { createBackup, dataFolderFiles } from "../../platform/backup/backup.ts";
import { readArchive } from "../../platform/backup/archive.ts";
import { one, rows, sql } from "../../platform/db/database.ts";
import { enqueueJob, raiseAlert } from "../../platform/jobs.ts";
import type { Runtime } from "../../platform/runtime.ts";

export const BACKUP_JOB = "ops.backup";
export const VERIFY_JOB = "ops.backup.verify";

export function backupKeepCount(): number {
  const n = Number(process.env.KAIWU_BACKUP_KEEP ?? 14);
  return Number.isInteger(n) && n > 0 ? n : 14;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

/**
 * Takes a backup, reads it back in full to verify it, and records the run. A failure is recorded and
 * raised as an alert for administrators, never swallowed.
 */
export async function runBackup(
  rt: Runtime,
  opts: { trigger: "manual" | "scheduled" | "cli"; requestedBy?: number | null; outFile?: string; onProgress?: (done: number, total: number, table: string) => void },
): Promise<{ id: number; file: string; bytes: number; rows: number; tables: number; verified: boolean }> {
  const db = rt.database.db;
  const run = await one<{ id: number }>(
    db,
    sql`insert into backup_run (trigger, requested_by) values (${opts.trigger}, ${opts.requestedBy ?? null}) returning id`,
  );
  const id = run!.id;
  const file = path.resolve(opts.outFile ?? path.join(rt.config.backupDir, `kaiwu-${stamp(new Date())}-${id}.kwbackup`));
  try {
    const result = await createBackup(rt.database, {
      outFile: file,
      kaiwuVersion: rt.version,
      onProgress: opts.onProgress,
      files: dataFolderFiles(rt.config.dataDir),
    });
    const check = await readArchive(file);
    await db.execute(sql`update backup_run set status = 'succeeded', finished_at = now(), file_name = ${file},
        size_bytes = ${result.bytes}, table_count = ${result.manifest.totals.tables}, row_count = ${result.manifest.totals.rows},
        sha256 = ${result.sha256}, schema_version = ${result.manifest.schema.migrations.at(-1) ?? null},
        verified_at = now(), verify_status = ${check.ok ? "ok" : "damaged"},
        verify_detail = ${check.ok ? null : check.problems.map((p) => `${p.part}: ${p.problem}`).join("; ")}
      where id = ${id}`);
    if (!check.ok) throw new Error(`the new archive failed its own verification: ${check.problems[0]?.part}`);
    if (!opts.outFile) await applyRetention(rt);
    return { id, file, bytes: result.bytes, rows: result.manifest.totals.rows, tables: result.manifest.totals.tables, verified: check.ok };
  } catch (e) {
    const message = (e as Error).message;
    await db.execute(sql`update backup_run set status = 'failed', finished_at = now(), error = ${message} where id = ${id} and status <> 'succeeded'`);
    await raiseAlert(db, "critical", "ops.backup", "ops.alert.backup_failed", { id, error: message });
    throw e;
  }
}

/** Re-reads a kept archive. A damaged or missing one raises an alert and a new backup is queued. */
export async function verifyBackupRun(rt: Runtime, id: number): Promise<{ id: number; status: "ok" | "damaged" | "missing"; detail: string | null }> {
  const db = rt.database.db;
  const run = await one<{ file_name: string | null; sha256: string | null }>(
    db,
    sql`select file_name, sha256 from backup_run where id = ${id} and status = 'succeeded'`,
  );
  if (!run?.file_name) throw new Error(`backup ${id} has no archive to verify`);
  let status: "ok" | "damaged" | "missing";
  let detail: string | null = null;
  if (!fs.existsSync(run.file_name)) {
    status = "missing";
    detail = `${run.file_name} is gone`;
  } else {
    const report = await readArchive(run.file_name);
    status = report.ok ? "ok" : "damaged";
    detail = report.ok ? null : report.problems.map((p) => `${p.part}: ${p.problem}`).join("; ");
  }
  await db.execute(sql`update backup_run set verified_at = now(), verify_status = ${status}, verify_detail = ${detail} where id = ${id}`);
  if (status !== "ok") {
    await raiseAlert(db, "critical", "ops.backup", "ops.alert.backup_damaged", { id, detail });
    await enqueueJob(db, BACKUP_JOB, { trigger: "scheduled", reason: `backup ${id} ${status}` });
  }
  return { id, status, detail };
}

/** Keeps the newest N successful archives; older files are deleted and their runs marked so. */
export async function applyRetention(rt: Runtime): Promise<number> {
  const old = await rows<{ id: number; file_name: string }>(
    rt.database.db,
    sql`select id, file_name from backup_run where status = 'succeeded' order by started_at desc offset ${backupKeepCount()}`,
  );
  for (const r of old) {
    fs.rmSync(r.file_name, { force: true });
    await rt.database.db.execute(sql`update backup_run set status = 'deleted' where id = ${r.id}`);
  }
  return old.length;
}

export async function verifyAllKept(rt: Runtime): Promise<number> {
  const kept = await rows<{ id: number }>(rt.database.db, sql`select id from backup_run where status = 'succeeded' order by id`);
  for (const k of kept) await verifyBackupRun(rt, k.id);
  return kept.length;
}
