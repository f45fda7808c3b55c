import { can } from "../../platform/actor.ts";
import { one, rows, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { defineCommand } from "../../platform/pipeline.ts";
import { StrictObject, Type } from "../../platform/validation.ts";
import { P } from "./permissions.ts";
import { reviewerFor } from "./reviewers.ts";

/**
 * Opens a campaign: one item for every role every active person holds now, each assigned to the
 * person's manager. The snapshot is what gets reviewed; roles granted later wait for the next one.
 */
export const startReview = defineCommand({
  name: "access.review.start",
  permission: P.manage,
  entity: "access_review_campaign",
  input: StrictObject({
    nameZh: Type.String({ minLength: 1, maxLength: 200 }),
    nameEn: Type.String({ minLength: 1, maxLength: 200 }),
    dueInDays: Type.Integer({ minimum: 1, maximum: 90 }),
    trigger: Type.Optional(Type.Union([Type.Literal("manual"), Type.Literal("scheduled")])),
  }),
  async run(ctx, input) {
    const companyId = ctx.actor.companyId!;
    const open = await one(ctx.tx, sql`select 1 from access_review_campaign where company_id = ${companyId} and status = 'open'`);
    if (open) throw errors.rule("review_open", "review.error.open_campaign");
    const campaign = await one<{ id: number; due_at: string }>(
      ctx.tx,
      sql`insert into access_review_campaign (company_id, name_zh, name_en, due_at, started_by, trigger)
          values (${companyId}, ${input.nameZh}, ${input.nameEn}, now() + make_interval(days => ${input.dueInDays}), ${ctx.actor.id},
                  ${input.trigger ?? "manual"}) returning id, due_at`,
    );
    const held = await rows<{ id: number; user_id: number; role_id: number; department_id: number | null; user_department: number | null }>(
      ctx.tx,
      sql`select ur.id, ur.user_id, ur.role_id, ur.department_id, u.department_id as user_department
          from user_role ur join app_user u on u.id = ur.user_id
          where u.company_id = ${companyId} and u.status = 'active' and ur.valid_from <= now()
            and (ur.valid_until is null or ur.valid_until > now())
          order by u.username, ur.id`,
    );
    for (const h of held) {
      const reviewer = await reviewerFor(ctx.tx, h.user_id, h.user_department);
      await ctx.tx.execute(sql`insert into access_review_item (campaign_id, user_role_id, user_id, role_id, department_id, reviewer_id,
          original_reviewer_id, due_at)
        values (${campaign!.id}, ${h.id}, ${h.user_id}, ${h.role_id}, ${h.department_id}, ${reviewer}, ${reviewer}, ${campaign!.due_at})`);
    }
    ctx.audit.after = { ...input, items: held.length };
    return { id: campaign!.id, items: held.length };
  },
});

export const decideItem = defineCommand({
  name: "access.review.decide",
  permission: P.decide,
  entity: "access_review_item",
  input: StrictObject({
    id: Type.Integer({ minimum: 1 }),
    decision: Type.Union([Type.Literal("confirm"), Type.Literal("revoke")]),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  }),
  async run(ctx, { id, decision, note }) {
    const item = await one<{ reviewer_id: number | null; user_id: number; status: string; user_role_id: number; campaign_status: string; company_id: number }>(
      ctx.tx,
      sql`select i.reviewer_id, i.user_id, i.status, i.user_role_id, c.status as campaign_status, c.company_id
          from access_review_item i join access_review_campaign c on c.id = i.campaign_id where i.id = ${id} for update of i`,
    );
    if (!item || item.company_id !== ctx.actor.companyId) throw errors.notFound("access_review_item");
    if (item.campaign_status !== "open") throw errors.rule("review_closed", "review.error.closed");
    if (item.status !== "pending") throw errors.rule("review_decided", "review.error.decided");
    // The assigned reviewer decides; unassigned items (nobody above) go to the review administrators.
    const mine = item.reviewer_id === ctx.actor.id || (item.reviewer_id === null && can(ctx.actor, P.manage));
    if (!mine || item.user_id === ctx.actor.id) throw errors.rule("not_reviewer", "review.error.not_reviewer");
    if (decision === "revoke" && !note) throw errors.field("/note", "required", "validation.required");
    await ctx.tx.execute(sql`update access_review_item set status = ${decision === "confirm" ? "confirmed" : "revoked"},
        decided_by = ${ctx.actor.id}, decided_at = now(), note = ${note ?? null} where id = ${id}`);
    if (decision === "revoke") {
      await ctx.tx.execute(sql`update user_role set valid_until = greatest(now(), valid_from + interval '1 microsecond')
          where id = ${item.user_role_id} and (valid_until is null or valid_until > now())`);
    }
    ctx.audit.entityId = id;
    ctx.audit.after = { decision, note: note ?? null, userRoleId: item.user_role_id };
    return { id, status: decision === "confirm" ? "confirmed" : "revoked" };
  },
});

export const closeReview = defineCommand({
  name: "access.review.close",
  permission: P.manage,
  entity: "access_review_campaign",
  input: StrictObject({ id: Type.Integer({ minimum: 1 }) }),
  async run(ctx, { id }) {
    const c = await one<{ status: string; pending: number }>(
      ctx.tx,
      sql`select status, (select count(*)::int8 from access_review_item where campaign_id = ${id} and status = 'pending') as pending
          from access_review_campaign where id = ${id} and company_id = ${ctx.actor.companyId} for update`,
    );
    if (!c) throw errors.notFound("access_review_campaign");
    if (c.status !== "open") throw errors.rule("review_closed", "review.error.closed");
    if (c.pending > 0) throw errors.rule("review_open_items", "review.error.open_items", { n: c.pending });
    await ctx.tx.execute(sql`update access_review_campaign set status = 'closed', closed_at = now() where id = ${id}`);
    ctx.audit.entityId = id;
    return { id, status: "closed" };
  },
});

/** Overdue items move one manager up (and get a new due date); the outcome of each step is kept. */
export const escalateOverdue = defineCommand({
  name: "access.review.escalate",
  permission: P.manage,
  entity: "access_review_item",
  input: StrictObject({}),
  async run(ctx) {
    const overdue = await rows<{ id: number; user_id: number; user_department: number | null; escalation_level: number; reviewer_id: number | null }>(
      ctx.tx,
      sql`select i.id, i.user_id, u.department_id as user_department, i.escalation_level, i.reviewer_id
          from access_review_item i join access_review_campaign c on c.id = i.campaign_id join app_user u on u.id = i.user_id
          where c.status = 'open' and i.status = 'pending' and i.due_at < now()
            and (${ctx.actor.companyId}::int8 is null or c.company_id = ${ctx.actor.companyId})
          for update of i`,
    );
    let moved = 0;
    for (const o of overdue) {
      // Already with the administrators: nobody further to escalate to; it stays overdue and visible.
      if (o.reviewer_id === null) continue;
      const next = await reviewerFor(ctx.tx, o.user_id, o.user_department, o.escalation_level + 1);
      await ctx.tx.execute(sql`update access_review_item set reviewer_id = ${next}, escalation_level = escalation_level + 1,
          escalated_at = now(), due_at = now() + interval '3 days' where id = ${o.id}`);
      moved++;
    }
    ctx.audit.details = { escalated: moved };
    return { escalated: moved };
  },
});
