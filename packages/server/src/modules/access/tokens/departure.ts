import { rows, sql } from "../../../platform/db/database.ts";
import { onDeparture } from "../../identity/departure.ts";

/**
 * Departure (IAM-8): the API tokens a leaver created are revoked with the disabling — they saw each
 * secret once and may have kept it. An administrator who hands an integration over keeps them with
 * `keepTokens` (recorded in the disabling's audit record, with the tokens kept).
 */
onDeparture("apiTokens", async (ctx, leaver) => {
  const active = await rows<{ id: number }>(
    ctx.tx,
    sql`select id from api_token where created_by = ${leaver.userId} and revoked_at is null and expires_at > now() order by id for update`,
  );
  const ids = active.map((t) => t.id);
  if (leaver.keepTokens || ids.length === 0) return { revoked: [], kept: ids };
  const reason = `departure of ${leaver.username}${leaver.reason ? `: ${leaver.reason}` : ""}`.slice(0, 500);
  for (const id of ids) {
    await ctx.tx.execute(sql`update api_token set revoked_at = now(), revoked_by = ${ctx.actor.kind === "user" ? ctx.actor.id : null},
        revoked_by_name = ${ctx.actor.name}, revoke_reason = ${reason}, version = version + 1 where id = ${id}`);
  }
  return { revoked: ids, kept: [] };
});
