/** pgbench, for the benchmarks that compare Kaiwu with what the same PostgreSQL server does on its own. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function pgbenchBin(): string {
  for (const p of ["pgbench", "/usr/lib/postgresql/15/bin/pgbench"]) {
    try {
      execFileSync(p, ["--version"], { stdio: "ignore" });
      return p;
    } catch {
      // try the next
    }
  }
  throw new Error("pgbench not found (PATH or /usr/lib/postgresql/15/bin)");
}

/** pgbench's connection options and database name for a postgres:// URL: TCP to a host, or a Unix socket (?host=/dir). */
export function pgbenchTarget(url: string): { conn: string[]; dbName: string } {
  const u = new URL(url);
  const conn = ["-h", u.searchParams.get("host") ?? u.hostname, "-p", u.port || "5432", "-U", decodeURIComponent(u.username || "postgres")];
  return { conn, dbName: decodeURIComponent(u.pathname.slice(1)) };
}

/** Runs a custom pgbench script (prepared statements) against the database at `url`; answers tps and mean latency. */
export function runPgbenchScript(url: string, script: string, options: string[]): { tps: number; latencyMs: number } {
  const { conn, dbName } = pgbenchTarget(url);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaiwu-pgbench-"));
  const file = path.join(dir, "script.sql");
  fs.writeFileSync(file, script);
  try {
    const out = execFileSync(pgbenchBin(), [...conn, "-n", "-M", "prepared", ...options, "-f", file, dbName], { encoding: "utf8" });
    return { tps: Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? 0), latencyMs: Number(/latency average = ([\d.]+) ms/.exec(out)?.[1] ?? 0) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
