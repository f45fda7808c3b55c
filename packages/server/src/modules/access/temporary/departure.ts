import { systemActor } from "../../../platform/actor.ts";
import { rows, sql } from "../../../platform/db/database.ts";
import type { CommandContext } from "../../../platform/pipeline.ts";
import { onDeparture } from "../../identity/departure.ts";
import { withdraw } from "../../workflow/engine.ts";

/**
 * Departure (IAM-8): a leaver's temporary grants end with the disabling itself, not at the next sweep —
 * current ones are ended (their role row is cut short), open requests are withdrawn, in the same
 * transaction. The sweep stays as the safety net for accounts disabled some other way.
 */
onDeparture("temporaryGrants", async (ctx, leaver) => {
  const grants = await rows<{ id: number; status: string; approvalRequestId: number | null; userRoleId: number | null }>(
    ctx.tx,
    sql`select id, status, approval_request_id as "approvalRequestId", user_role_id as "userRoleId" from temporary_grant
        where user_id = ${leaver.userId} and status in ('approved', 'pending') order by id for update`,
  );
  const ended: number[] = [];
  const withdrawn: number[] = [];
  // The withdrawal is the system's (the maker cannot act any more); its bookkeeping must not overwrite
  // the disabling command's audit record, so it writes into a scratch record.
  const asSystem: CommandContext = { ...ctx, actor: systemActor("identity.user.disable", leaver.companyId), audit: {} };
  for (const g of grants) {
    if (g.status === "pending") {
      const open = g.approvalRequestId
        ? await rows(ctx.tx, sql`select 1 from approval_request where id = ${g.approvalRequestId} and status = 'pending'`)
        : [];
      if (open.length > 0) await withdraw(asSystem, g.approvalRequestId!, "user disabled");
      await ctx.tx.execute(sql`update temporary_grant set status = 'withdrawn', decided_at = coalesce(decided_at, now()), version = version + 1
          where id = ${g.id} and status = 'pending'`);
      withdrawn.push(g.id);
      continue;
    }
    if (g.userRoleId) {
      await ctx.tx.execute(sql`delete from user_role where id = ${g.userRoleId} and valid_from >= now()`);
      await ctx.tx.execute(sql`update user_role set valid_until = now() where id = ${g.userRoleId} and valid_from < now()
          and (valid_until is null or valid_until > now())`);
    }
    await ctx.tx.execute(sql`update temporary_grant set status = 'ended', ended_at = now(), end_reason = 'user disabled', version = version + 1
        where id = ${g.id}`);
    ended.push(g.id);
  }
  return { ended, withdrawn };
});
