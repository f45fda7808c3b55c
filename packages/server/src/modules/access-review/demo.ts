import { systemActor } from "../../platform/actor.ts";
import { one, rows, sql } from "../../platform/db/database.ts";
import type { DemoContext } from "../../platform/module.ts";
import { execute } from "../../platform/pipeline.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { updateDepartment } from "../org/commands.ts";
import { decideItem, startReview } from "./commands.ts";

/** An open quarterly review with a few decisions already taken, so the screens show a live campaign. */
export async function seedDemo(runtime: Runtime, demo: DemoContext): Promise<void> {
  const companyId = demo.companyId as number;
  // Reviews go to department managers: appoint the demo ones unless an earlier seed already did.
  for (const [dept, username] of [["PROD", "prod.zhang"], ["PUR", "pur.zhao"]] as const) {
    const d = await one<{ id: number; version: number; manager_user_id: number | null }>(
      runtime.database.db,
      sql`select id, version, manager_user_id from department where company_id = ${companyId} and code = ${dept}`,
    );
    const u = await one<{ id: number }>(runtime.database.db, sql`select id from app_user where username = ${username}`);
    if (d && u && d.manager_user_id === null) {
      await execute(runtime, updateDepartment, { id: d.id, version: d.version, managerUserId: u.id }, systemActor("demo-seed", companyId));
    }
  }
  await execute(
    runtime,
    startReview,
    { nameZh: "2026 年第四季度权限审查", nameEn: "Access review Q4 2026", dueInDays: 14, trigger: "scheduled" },
    systemActor("demo-seed", companyId),
  );
  // Each manager who has items decides the first of them (confirm), so progress is visible.
  const firstPerReviewer = await rows<{ id: number; reviewer_id: number; reviewer_name: string }>(
    runtime.database.db,
    sql`select distinct on (reviewer_id) i.id, i.reviewer_id, u.display_name as reviewer_name
        from access_review_item i join app_user u on u.id = i.reviewer_id
        where i.status = 'pending' order by reviewer_id, i.id`,
  );
  for (const item of firstPerReviewer) {
    // Acts as the manager, named as the audit log names people.
    const reviewer = { ...systemActor("demo-seed", companyId), kind: "user" as const, id: item.reviewer_id, name: item.reviewer_name };
    reviewer.permissions = new Set(["access.review.decide"]);
    await execute(runtime, decideItem, { id: item.id, decision: "confirm", note: "确认 / confirmed" }, reviewer);
  }
}
