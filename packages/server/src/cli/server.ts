import type { Command } from "commander";
import { migrate, migrationStatus } from "../platform/db/migrate.ts";
import { ensureInstalled } from "../setup.ts";
import { startServer } from "../server.ts";
import { openRuntime, withRuntime } from "./context.ts";
import { runDoctor } from "./doctor.ts";

export function registerServerCommands(program: Command): void {
  program
    .command("start")
    .description("Migrate, load the demo company on first start, and serve the web UI and API")
    .option("--no-demo", "on first start, create an empty company instead of the demo company")
    .option("-p, --port <port>", "port (default: $PORT or 3000)")
    .action(async (opts: { demo: boolean; port?: string }, cmd: Command) => {
      const t0 = performance.now();
      const rt = await openRuntime(cmd);
      const install = await ensureInstalled(rt, { demo: opts.demo, onStep: (s) => process.stderr.write(`setup: ${s}\n`) });
      const server = await startServer(rt, { port: opts.port ? Number(opts.port) : undefined });
      const ms = Math.round(performance.now() - t0);
      const lines = [
        "",
        `  Kaiwu ${rt.version} is running at ${server.url}  (ready in ${ms} ms)`,
        `  Database: ${rt.database.description}`,
        `  API docs: ${server.url}/api/docs`,
      ];
      if (install.admin) {
        lines.push(
          "",
          "  First administrator (the password works once: you will be asked to change it):",
          `    username: ${install.admin.username}`,
          `    password: ${install.admin.password}`,
        );
      }
      if (install.demoLogins?.length) {
        lines.push("", "  Demo people (one-time passwords, changed at first login):");
        for (const l of install.demoLogins) lines.push(`    ${l.username.padEnd(14)} ${l.password}   ${l.roles}`);
      }
      process.stdout.write(`${lines.join("\n")}\n\n`);
      const shutdown = async (signal: string) => {
        process.stderr.write(`\n${signal}: stopping…\n`);
        await server.stop();
        await rt.database.close();
        process.exit(0);
      };
      process.once("SIGINT", () => void shutdown("SIGINT"));
      process.once("SIGTERM", () => void shutdown("SIGTERM"));
    });

  program
    .command("migrate")
    .description("Apply pending database migrations and show the schema status")
    .option("--status", "only show what is applied and pending")
    .action(async (opts: { status?: boolean }, cmd: Command) => {
      await withRuntime(
        cmd,
        async (rt) => {
          if (!opts.status) await migrate(rt.database, rt.migrations);
          const s = await migrationStatus(rt.database, rt.migrations);
          process.stdout.write(`applied: ${s.applied.length}, pending: ${s.pending.length}, unknown: ${s.unknown.length}\n`);
          for (const m of s.pending) process.stdout.write(`  pending ${m.id}\n`);
        },
        { migrate: false },
      );
    });

  program
    .command("seed")
    .description("Install the company and first administrator if the database is empty")
    .option("--demo", "load the bilingual demo company")
    .action(async (opts: { demo?: boolean }, cmd: Command) => {
      await withRuntime(cmd, async (rt) => {
        const r = await ensureInstalled(rt, { demo: Boolean(opts.demo), onStep: (s) => process.stderr.write(`seed: ${s}\n`) });
        if (!r.installed) {
          process.stdout.write("The database already holds a company; nothing was seeded.\n");
          return;
        }
        process.stdout.write(`admin one-time password: ${r.admin!.password}\n`);
        for (const l of r.demoLogins ?? []) process.stdout.write(`${l.username.padEnd(14)} ${l.password}   ${l.roles}\n`);
      });
    });

  program
    .command("doctor")
    .description("Check the database: migrations, audit chain, derived balances; exit 0 when all is well")
    .action(async (_opts, cmd: Command) => {
      const ok = await withRuntime(cmd, (rt) => runDoctor(rt, (line) => process.stdout.write(`${line}\n`)), { migrate: false });
      process.exitCode = ok ? 0 : 1;
    });
}
