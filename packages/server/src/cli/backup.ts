import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { readArchive } from "../platform/backup/archive.ts";
import { dataFolderTargets } from "../platform/backup/backup.ts";
import { RestoreRefused, restoreBackup } from "../platform/backup/restore.ts";
import { allMigrations } from "../platform/bootstrap.ts";
import { loadConfig } from "../platform/config.ts";
import { runBackup } from "../modules/ops/backups.ts";
import { readServerInfo } from "../modules/ops/local-control.ts";
import { runDoctor } from "./doctor.ts";
import { openRuntime, withRuntime } from "./context.ts";
import { progress } from "./progress.ts";

function applyGlobals(cmd: Command) {
  const g = cmd.optsWithGlobals() as { dataDir?: string; databaseUrl?: string };
  if (g.dataDir) process.env.KAIWU_DATA_DIR = g.dataDir;
  if (g.databaseUrl) process.env.DATABASE_URL = g.databaseUrl;
  return loadConfig();
}

export function registerBackupCommands(program: Command): void {
  program
    .command("backup")
    .description("Write a verified backup archive from one consistent snapshot (works while the server runs)")
    .option("--out <file>", "archive path (default: <data>/backups/kaiwu-<time>-<id>.kwbackup)")
    .action(async (opts: { out?: string }, cmd: Command) => {
      const config = applyGlobals(cmd);
      const out = opts.out ? path.resolve(opts.out) : undefined;
      const server = config.databaseUrl ? undefined : readServerInfo(config.dataDir);
      let r: { file: string; bytes: number; rows: number; tables: number };
      if (server) {
        // The running server holds the embedded database: it takes the backup for us.
        process.stderr.write(`backup: asking the running server (pid ${server.pid}) to take it…\n`);
        const res = await fetch(`http://127.0.0.1:${server.port}/api/ops/local/backup`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-kaiwu-local-token": server.token },
          body: JSON.stringify(out ? { out } : {}),
        });
        if (!res.ok) throw new Error(`the server refused: ${res.status} ${await res.text()}`);
        r = (await res.json()) as typeof r;
      } else {
        const bar = progress("backup");
        r = await withRuntime(cmd, (rt) => runBackup(rt, { trigger: "cli", outFile: out, onProgress: (d, t, table) => bar.update(d, t, table) }));
        bar.done("done");
      }
      process.stdout.write(`${r.file}\n  ${r.tables} tables, ${r.rows} rows, ${(r.bytes / 1024 / 1024).toFixed(2)} MiB, verified\n`);
    });

  program
    .command("verify-backup <file>")
    .description("Check every part's SHA-256 and row count; exit 0 when sound, 1 naming the damaged part")
    .action(async (file: string) => {
      if (!fs.existsSync(file)) throw new Error(`no such file: ${file}`);
      const t0 = performance.now();
      const r = await readArchive(file);
      const s = ((performance.now() - t0) / 1000).toFixed(2);
      if (r.ok) {
        const m = r.manifest!;
        process.stdout.write(
          `OK ${file}\n  taken ${m.createdAt} from ${m.source.kind} ${m.source.serverVersion}, Kaiwu ${m.kaiwuVersion}\n` +
            `  ${m.totals.tables} tables, ${m.totals.rows} rows, schema ${m.schema.migrations.at(-1)}; checked in ${s} s\n`,
        );
        return;
      }
      process.stdout.write(`DAMAGED ${file}\n`);
      for (const p of r.problems) process.stdout.write(`  ${p.part}: ${p.problem}\n`);
      process.exitCode = 1;
    });

  program
    .command("restore <file>")
    .description("Restore an archive into an EMPTY database (data folder or DATABASE_URL), then check counts and run doctor")
    .action(async (file: string, _opts, cmd: Command) => {
      const config = applyGlobals(cmd);
      if (!config.databaseUrl && readServerInfo(config.dataDir)) throw new Error("stop the server first: it holds the data folder");
      const rt = await openRuntime(cmd, { migrate: false });
      const bar = progress("restore");
      try {
        const r = await restoreBackup(rt.database, path.resolve(file), allMigrations(), {
          onProgress: (step, d, t) => bar.update(d, t, step),
          files: dataFolderTargets(config.dataDir),
        });
        bar.done(
          `${r.tables} tables, ${r.rows} rows, ${r.files} files restored${r.migratedAfter ? `, then ${r.migratedAfter} newer migrations applied` : ""}`,
        );
        const ok = await runDoctor(rt, (line) => process.stdout.write(`${line}\n`));
        if (!ok) {
          process.stdout.write("doctor found problems (an audit chain check fails if this installation's audit key differs from the source's: see docs/operations.md)\n");
          process.exitCode = 1;
        }
      } catch (e) {
        if (e instanceof RestoreRefused) {
          process.stderr.write(`restore refused: ${e.message}\n`);
          for (const p of e.problems) process.stderr.write(`  ${p.part}: ${p.problem}\n`);
          process.exitCode = 1;
          return;
        }
        throw e;
      } finally {
        await rt.database.close();
      }
    });
}
