import type { Command } from "commander";
import { systemActor } from "../platform/actor.ts";
import { one, sql } from "../platform/db/database.ts";
import { execute } from "../platform/pipeline.ts";
import type { Runtime } from "../platform/runtime.ts";
import { createUser, disableUser, resetPassword } from "../modules/identity/commands.ts";
import { withRuntime } from "./context.ts";
import { verifyAuditChain } from "../modules/audit/verify.ts";
import { anchorFile, verifyChain } from "../modules/audit/chain.ts";

async function userByName(rt: Runtime, username: string) {
  const u = await one<{ id: number; version: number; company_id: number }>(
    rt.database.db,
    sql`select id, version, company_id from app_user where username = ${username}`,
  );
  if (!u) throw new Error(`no user named ${username}`);
  return u;
}

/** Administration for people with shell access; audited as the system ("cli"). */
export function registerAdminCommands(program: Command): void {
  const user = program.command("user").description("Create, disable and reset users (as the system, audited)");
  user
    .command("create <username>")
    .description("Create a user with a one-time password")
    .requiredOption("--name <displayName>", "display name")
    .option("--role <code...>", "role codes (e.g. system_admin operator)", ["readonly"])
    .option("--email <email>")
    .action(async (username: string, opts: { name: string; role: string[]; email?: string }, cmd: Command) => {
      await withRuntime(cmd, async (rt) => {
        const c = await one<{ id: number }>(rt.database.db, sql`select id from company order by id limit 1`);
        if (!c) throw new Error("no company yet: run `kaiwu seed` or `kaiwu start` first");
        const u = await execute(
          rt,
          createUser,
          { username, displayName: opts.name, email: opts.email, roles: opts.role.map((role) => ({ role })) },
          systemActor("cli", c.id),
        );
        process.stdout.write(`created ${u.username} (id ${u.id}); one-time password: ${u.oneTimePassword}\n`);
      });
    });
  user
    .command("disable <username>")
    .description("Disable a user: ends their sessions and roles at once")
    .option("--reason <text>")
    .action(async (username: string, opts: { reason?: string }, cmd: Command) => {
      await withRuntime(cmd, async (rt) => {
        const u = await userByName(rt, username);
        await execute(rt, disableUser, { id: u.id, version: u.version, reason: opts.reason }, systemActor("cli", u.company_id));
        process.stdout.write(`disabled ${username}\n`);
      });
    });
  user
    .command("reset-password <username>")
    .description("Give a user a new one-time password (also unlocks the account)")
    .action(async (username: string, _opts, cmd: Command) => {
      await withRuntime(cmd, async (rt) => {
        const u = await userByName(rt, username);
        const r = await execute(rt, resetPassword, { id: u.id }, systemActor("cli", u.company_id));
        process.stdout.write(`one-time password for ${username}: ${r.oneTimePassword}\n`);
      });
    });

  program
    .command("audit")
    .description("Audit log tools")
    .command("verify")
    .description(
      "Walk the audit hash chain and check the log still reaches the anchor kept outside the database; exit 0 when intact, 1 naming the first bad record",
    )
    .option("--reset-anchor", "after an investigated incident: anchor the chain at its current head again (the chain itself must be intact)")
    .action(async (opts: { resetAnchor?: boolean }, cmd: Command) => {
      await withRuntime(
        cmd,
        async (rt) => {
          const t0 = performance.now();
          const migrated = await one<{ t: string | null }>(rt.database.db, sql`select to_regclass('audit_verification')::text as t`);
          if (!migrated?.t) {
            // Schema not migrated yet: only the chain itself can be walked.
            const r = await verifyAuditChain(rt.database.db, rt.auditKey);
            const s = (performance.now() - t0) / 1000;
            if (r.ok) process.stdout.write(`audit chain intact: ${r.checked} records in ${s.toFixed(2)} s (anchor not checked: run \`kaiwu migrate\`)\n`);
            else process.stdout.write(`audit chain BROKEN at record ${r.firstBad!.id} (${r.firstBad!.problem}); ${r.checked} records before it are intact\n`);
            process.exitCode = r.ok ? 0 : 1;
            return;
          }
          const r = await execute(rt, verifyChain, { trigger: "cli", resetAnchor: opts.resetAnchor ?? false }, systemActor("cli"));
          const s = (performance.now() - t0) / 1000;
          const rate = r.checked >= 10_000 ? ` (${Math.round(r.checked / Math.max(r.durationMs / 1000, 0.001)).toLocaleString("en-US")} records/s)` : "";
          if (r.chainOk) process.stdout.write(`audit chain intact: ${r.checked} records in ${s.toFixed(2)} s${rate}\n`);
          else process.stdout.write(`audit chain BROKEN at record ${r.firstBad!.id} (${r.firstBad!.problem}); ${r.checked} records before it are intact\n`);
          const a = r.anchor;
          if (a.status === "ok") process.stdout.write(`anchor: the log still reaches record ${a.id} (verified ${a.verifiedAt})\n`);
          else if (a.status === "none") process.stdout.write(opts.resetAnchor ? "anchor: reset\n" : "anchor: none yet\n");
          else process.stdout.write(`anchor: ${a.status.toUpperCase()} — the anchor is record ${a.id}, the log now ends at ${r.lastId ?? "nothing"}: records were removed from its end\n`);
          if (r.anchorUpdated) process.stdout.write(`anchor moved to record ${r.head!.id} (${anchorFile(rt)})\n`);
          process.exitCode = r.ok ? 0 : 1;
        },
        { migrate: false },
      );
    });
}
