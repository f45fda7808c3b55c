import path from "node:path";
import { fileURLToPath } from "node:url";
import { systemActor } from "../../platform/actor.ts";
import { rows, sql } from "../../platform/db/database.ts";
import type { KaiwuModule } from "../../platform/module.ts";
import { execute } from "../../platform/pipeline.ts";
import { escalateOverdue, startReview } from "./commands.ts";
import { seedDemo } from "./demo.ts";
import "./messages.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";

/**
 * Periodic access reviews (IAM-8): a campaign asks each manager to confirm or revoke each role their
 * people hold; overdue items climb the department tree; the outcome is kept.
 */
export const accessReviewModule: KaiwuModule = {
  name: "access-review",
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
  permissions,
  routes,
  seedDemo,
  jobs: {
    "access.review.escalate": async ({ runtime, actor }) => execute(runtime, escalateOverdue, {}, actor),
    "access.review.quarterly": async ({ runtime }) => {
      const companies = await rows<{ id: number }>(runtime.database.db, sql`select id from company order by id`);
      const started: number[] = [];
      for (const c of companies) {
        const q = Math.floor(new Date().getUTCMonth() / 3) + 1;
        const year = new Date().getUTCFullYear();
        const r = await execute(
          runtime,
          startReview,
          { nameZh: `${year} 年第 ${q} 季度权限审查`, nameEn: `Access review Q${q} ${year}`, dueInDays: 14, trigger: "scheduled" },
          systemActor("job:access.review.quarterly", c.id),
        ).catch(() => null); // a campaign still open: this quarter's waits
        if (r) started.push(r.id);
      }
      return { started };
    },
  },
  schedules: [
    { name: "access-review-escalation", job: "access.review.escalate", cron: "15 * * * *" },
    { name: "access-review-quarterly", job: "access.review.quarterly", cron: "0 6 1 1,4,7,10 *" },
  ],
};
