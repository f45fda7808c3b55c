import type { Command } from "commander";
import { createRuntime } from "../platform/bootstrap.ts";
import { loadConfig } from "../platform/config.ts";
import type { Runtime } from "../platform/runtime.ts";
import { progress } from "./progress.ts";

/** Builds the runtime from the environment and the global flags, runs `fn`, and always closes the database. */
export async function withRuntime<T>(cmd: Command, fn: (rt: Runtime) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const rt = await openRuntime(cmd, opts);
  try {
    return await fn(rt);
  } finally {
    await rt.database.close();
  }
}

export async function openRuntime(cmd: Command, opts: { migrate?: boolean } = {}): Promise<Runtime> {
  const g = cmd.optsWithGlobals() as { dataDir?: string; databaseUrl?: string };
  if (g.dataDir) process.env.KAIWU_DATA_DIR = g.dataDir;
  if (g.databaseUrl) process.env.DATABASE_URL = g.databaseUrl;
  const config = loadConfig();
  const bar = progress("migrate");
  return createRuntime({
    config,
    migrate: opts.migrate,
    onMigration: (m, i, total) => bar.update(i + 1, total, `${m.module}/${m.file}`),
  });
}
