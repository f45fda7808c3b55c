import { systemActor } from "../../platform/actor.ts";
import { rows, sql } from "../../platform/db/database.ts";
import { execute } from "../../platform/pipeline.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { escalateStep } from "./commands.ts";

export const ESCALATION_JOB = "workflow.escalate";

/**
 * Finds open levels that waited longer than their chain allows and escalates each in its own command
 * (its own transaction and audit record), so one failure does not hold back the others.
 */
export async function runEscalations(runtime: Runtime): Promise<{ escalated: number; exhausted: number; failed: number }> {
  const due = await rows<{ id: number }>(
    runtime.database.db,
    sql`select s.id from approval_step s join approval_request r on r.id = s.request_id
        where s.status = 'pending' and r.status = 'pending' and not s.escalation_exhausted and s.escalate_after_hours is not null
          and s.waiting_since + make_interval(hours => s.escalate_after_hours) <= now()
        order by s.waiting_since limit 500`,
  );
  const out = { escalated: 0, exhausted: 0, failed: 0 };
  const actor = systemActor(`job:${ESCALATION_JOB}`);
  for (const { id } of due) {
    try {
      const r = await execute(runtime, escalateStep, { stepId: id }, actor);
      if (r.escalatedTo) out.escalated++;
      else if (!r.skipped) out.exhausted++;
    } catch (err) {
      out.failed++;
      runtime.log.warn({ err, stepId: id }, "escalation failed");
    }
  }
  if (out.failed > 0) throw new Error(`${out.failed} of ${due.length} escalations failed`);
  return out;
}
