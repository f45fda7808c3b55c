import { dateOfDay, dayNumber } from "@kaiwu/mrp";
import { systemActor } from "../../platform/actor.ts";
import { rows, sql } from "../../platform/db/database.ts";
import type { DemoContext } from "../../platform/module.ts";
import { execute } from "../../platform/pipeline.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { companyToday } from "../masterdata/engineering/common.ts";
import { convertOrders, setForecasts, setPlanningItems } from "./commands.ts";
import { runPlanVersion, startRun } from "./run.ts";

// Weekly forecasts for the two desk fans over the next 10 weeks (the season ramps up), planners for the
// fan family, and one MRP run over 12 weeks on the plant calendar, so the MRP screens open on a full plan:
// planned orders on every level, pegging up to the forecasts, exceptions (the stock of some purchased
// parts is below safety stock, some lead times reach back before today). One purchase and one make
// order are converted, so production and purchasing have drafts to show.
const FORECAST: Record<string, number[]> = {
  "KW-FAN-40": [120, 150, 150, 200, 240, 260, 300, 300, 260, 220],
  "KW-FAN-30": [80, 100, 100, 120, 150, 160, 180, 180, 150, 120],
};

export async function seedDemo(runtime: Runtime, demo: DemoContext): Promise<void> {
  const companyId = demo.companyId as number;
  const actor = systemActor("demo-seed", companyId);
  const db = runtime.database.db;
  const items = await rows<{ id: number; code: string; itemType: string; makeOrBuy: string }>(
    db,
    sql`select id, code, item_type as "itemType", make_or_buy as "makeOrBuy" from item where company_id = ${companyId} and code like 'KW-%'
        and item_type <> 'service' order by code`,
  );
  const byCode = new Map(items.map((i) => [i.code, i]));
  if (!byCode.has("KW-FAN-40")) return; // no fan family in this demo: nothing to plan

  const users = await rows<{ id: number; username: string }>(
    db,
    sql`select id, username from app_user where company_id = ${companyId} and username in ('prod.zhang', 'pur.chen')`,
  );
  const user = new Map(users.map((u) => [u.username, u.id]));
  await execute(
    runtime,
    setPlanningItems,
    {
      items: items.map((i) => ({
        itemId: i.id,
        plannerUserId: (i.makeOrBuy === "make" ? user.get("prod.zhang") : user.get("pur.chen")) ?? null,
        itemGroup: i.itemType === "finished" ? "FANS" : i.makeOrBuy === "make" ? "SUBASSY" : i.itemType === "raw" && /-R-/.test(i.code) ? "RAW" : "PARTS",
      })),
    },
    actor,
  );

  const today = await companyToday(db, companyId);
  const day = dayNumber(today);
  const monday = day - ((((day + 3) % 7) + 7) % 7);
  const entries = Object.entries(FORECAST).flatMap(([code, qty]) =>
    qty.map((q, w) => ({ itemId: byCode.get(code)!.id, periodStart: dateOfDay(monday + 7 * (w + 1)), quantity: String(q) })),
  );
  await execute(runtime, setForecasts, { entries }, actor);

  const plant = (demo.calendars as { plant?: number } | undefined)?.plant;
  const run = await execute(
    runtime,
    startRun,
    { name: "演示计划 / Demo plan", bucket: "week", periods: 12, startDate: today, ...(plant ? { calendarId: plant } : {}) },
    actor,
  );
  const timings = await runPlanVersion(runtime, companyId, run.id);
  // Computed here, so the run's queued job is done: no worker should pick it up after the first start.
  await db.execute(sql`update job set status = 'done', finished_at = now(), progress = ${JSON.stringify({ phase: "done", percent: 100 })}::jsonb,
      result = ${JSON.stringify({ seededInline: true, ...(timings ?? {}) })}::jsonb where id = ${run.jobId} and status = 'queued'`);

  // one planned purchase and one planned make order converted, so the other modules have drafts
  const picks = await rows<{ orderKey: string }>(
    db,
    sql`(select order_key as "orderKey" from plan_order where version_id = ${run.id} and kind = 'buy' order by release_date, seq limit 2)
        union all (select order_key from plan_order where version_id = ${run.id} and kind = 'make' order by release_date, seq limit 1)`,
  );
  if (picks.length > 0) await execute(runtime, convertOrders, { versionId: run.id, orderKeys: picks.map((p) => p.orderKey) }, actor);
  demo.planVersionId = run.id;
}
