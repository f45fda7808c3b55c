import { systemActor } from "../../../platform/actor.ts";
import { rows, sql } from "../../../platform/db/database.ts";
import { execute } from "../../../platform/pipeline.ts";
import type { Runtime } from "../../../platform/runtime.ts";
import { endGrantOfDisabledUser, expireGrant } from "./commands.ts";

export const SWEEP_JOB = "access.temporary.sweep";

/**
 * The role rows end by themselves (the session's permission query honours valid_until); this records
 * each expiry in the audit log, ends the grants and open requests of people who were disabled, and
 * records grants whose role row was ended elsewhere (access review, revocation by an administrator).
 * One command per grant: its own transaction and audit record.
 */
export async function sweepTemporaryGrants(runtime: Runtime): Promise<{ expired: number; ended: number; failed: number }> {
  const db = runtime.database.db;
  const actor = systemActor(`job:${SWEEP_JOB}`);
  const out = { expired: 0, ended: 0, failed: 0 };
  const leavers = await rows<{ id: number }>(
    db,
    sql`select g.id from temporary_grant g join app_user u on u.id = g.user_id left join user_role ur on ur.id = g.user_role_id
        where (u.status = 'disabled' and g.status in ('approved', 'pending'))
           or (g.status = 'approved' and g.valid_until > now() and (ur.id is null or ur.valid_until <= now()))
        order by g.id limit 1000`,
  );
  for (const { id } of leavers) {
    try {
      await execute(runtime, endGrantOfDisabledUser, { id }, actor);
      out.ended++;
    } catch (err) {
      out.failed++;
      runtime.log.warn({ err, grant: id }, "could not end a temporary grant");
    }
  }
  const due = await rows<{ id: number }>(
    db,
    sql`select id from temporary_grant where status = 'approved' and valid_until <= now() order by valid_until limit 1000`,
  );
  for (const { id } of due) {
    try {
      await execute(runtime, expireGrant, { id }, actor);
      out.expired++;
    } catch (err) {
      out.failed++;
      runtime.log.warn({ err, grant: id }, "could not record the expiry of a temporary grant");
    }
  }
  if (out.failed > 0) throw new Error(`${out.failed} temporary grants could not be swept`);
  return out;
}
