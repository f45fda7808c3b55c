import { type MrpResult, runMrp } from "@kaiwu/mrp";
import { systemActor } from "../../platform/actor.ts";
import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { enqueueJob, type JobContext } from "../../platform/jobs.ts";
import { defineCommand, execute } from "../../platform/pipeline.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { DecimalString, type Static, StrictObject, Type } from "../../platform/validation.ts";
import { companyToday } from "../masterdata/engineering/common.ts";
import { D, requireCompany } from "../inventory/common.ts";
import { bulkInsert } from "./bulk.ts";
import { loadStoredInput, packInput, rememberPlan } from "./engine.ts";
import { type PlanInput, loadPlanInput } from "./load.ts";
import { P } from "./permissions.ts";

export const MRP_JOB = "planning.mrp";
const Id = Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 });

/** Exception severity: 3 high (past due, expedite), 2 medium (below safety stock, cancel), 1 low (defer). */
export const SEVERITY: Record<string, number> = { "past-due": 3, expedite: 3, "below-safety-stock": 2, cancel: 2, defer: 1 };

async function nextCode(tx: Executor, companyId: number, prefix: string): Promise<string> {
  const row = await one<{ n: number }>(tx, sql`select count(*)::int8 + 1 as n from plan_version where company_id = ${companyId}`);
  let n = row!.n;
  // a code is never reused; count + 1 is taken only if free (deleted versions are not a thing, but be safe)
  while (await one(tx, sql`select 1 from plan_version where company_id = ${companyId} and code = ${`${prefix}-${String(n).padStart(4, "0")}`}`)) n++;
  return `${prefix}-${String(n).padStart(4, "0")}`;
}

async function assertNoRunInProgress(tx: Executor, companyId: number) {
  // serialise starts per company: two planners pressing "run" at once get one run and one refusal
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('planning.run'), ${companyId}::int)`);
  const busy = await one(tx, sql`select id from plan_version where company_id = ${companyId} and status in ('queued', 'running') limit 1`);
  if (busy) throw errors.rule("run_in_progress", "planning.error.run_in_progress");
}

/** Starts a regenerative MRP run: a new plan version, computed by the job worker in the background. */
export const startRun = defineCommand({
  name: "planning.run.start",
  permission: P.runExecute,
  entity: "plan_version",
  input: StrictObject({
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    bucket: Type.Optional(Type.Union([Type.Literal("day"), Type.Literal("week")])),
    periods: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
    startDate: Type.Optional(Type.String({ format: "date" })),
    calendarId: Type.Optional(Id),
  }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    await assertNoRunInProgress(ctx.tx, companyId);
    const code = await nextCode(ctx.tx, companyId, "MRP");
    const bucket = input.bucket ?? "week";
    const periods = input.periods ?? (bucket === "week" ? 12 : 30);
    const startDate = input.startDate ?? (await companyToday(ctx.tx, companyId));
    const row = await one<{ id: number }>(
      ctx.tx,
      sql`insert into plan_version (company_id, code, name, kind, bucket, periods, start_date, calendar_id, created_by)
          values (${companyId}, ${code}, ${input.name ?? code}, 'regenerative', ${bucket}, ${periods}, ${startDate}::date,
            ${input.calendarId ?? null}::int8, ${ctx.actor.kind === "user" ? ctx.actor.id : null}::int8) returning id`,
    );
    const jobId = await enqueueJob(ctx.tx, MRP_JOB, { versionId: row!.id, companyId }, { maxAttempts: 1 });
    await ctx.tx.execute(sql`update plan_version set job_id = ${jobId} where id = ${row!.id}`);
    ctx.audit.after = { code, bucket, periods, startDate };
    return { id: row!.id, code, jobId };
  },
});

const ItemChange = StrictObject({
  itemId: Id,
  safetyStock: Type.Optional(DecimalString()),
  leadTime: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: "lead time in buckets" })),
  onHand: Type.Optional(DecimalString()),
});
const DemandChange = StrictObject({
  itemId: Id,
  period: Type.Integer({ minimum: 1, maximum: 1000 }),
  quantity: DecimalString({ description: "the item's total demand in the period (replaces it)" }),
});
export const WhatIfParams = StrictObject({
  demand: Type.Optional(Type.Array(DemandChange, { maxItems: 1000 })),
  items: Type.Optional(Type.Array(ItemChange, { maxItems: 1000 })),
});
type WhatIfParams = Static<typeof WhatIfParams>;

/** Applies a what-if's changes to a copy of the base version's input (demand replaced per item and period). */
export function applyWhatIf(base: PlanInput, params: WhatIfParams): PlanInput {
  const input: PlanInput = structuredClone(base);
  const byId = new Map(input.input.items.map((i) => [i.id, i]));
  for (const [k, c] of (params.items ?? []).entries()) {
    const item = byId.get(String(c.itemId));
    if (!item) throw errors.field(`/items/${k}/itemId`, "exists", "planning.error.item_not_in_plan");
    if (c.safetyStock !== undefined) item.safetyStock = c.safetyStock;
    if (c.leadTime !== undefined) item.leadTime = c.leadTime;
    if (c.onHand !== undefined) item.onHand = c.onHand;
  }
  for (const [k, c] of (params.demand ?? []).entries()) {
    const item = String(c.itemId);
    if (!byId.has(item)) throw errors.field(`/demand/${k}/itemId`, "exists", "planning.error.item_not_in_plan");
    if (c.period > input.input.periods) throw errors.field(`/demand/${k}/period`, "maximum", "planning.error.period", { periods: input.input.periods });
    if (new D(c.quantity).lt(0)) throw errors.field(`/demand/${k}/quantity`, "minimum", "planning.error.quantity");
    input.input.demand = (input.input.demand ?? []).filter((d) => !(d.item === item && d.period === c.period));
    input.demand = input.demand.filter((d) => !(d.item === item && d.period === c.period));
    if (new D(c.quantity).gt(0)) {
      const ref = `WI-${item}-${c.period}`;
      input.input.demand.push({ item, period: c.period, qty: c.quantity, ref });
      const bucket = input.buckets[c.period - 1];
      input.demand.push({ item, period: c.period, date: bucket.start, qty: c.quantity, ref, source: "what_if", label: `what-if ${bucket.label}` });
    }
  }
  return input;
}

/** What-if: a copy of a version's inputs with changed demand or item parameters, run again for comparison. */
export const createWhatIf = defineCommand({
  name: "planning.whatif.create",
  permission: P.runExecute,
  entity: "plan_version",
  input: StrictObject({
    baseVersionId: Id,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    demand: WhatIfParams.properties.demand,
    items: WhatIfParams.properties.items,
  }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    const base = await loadStoredInput(ctx.tx, companyId, input.baseVersionId);
    const params: WhatIfParams = { demand: input.demand ?? [], items: input.items ?? [] };
    applyWhatIf(base.input, params); // refuses bad changes now, not in the job
    await assertNoRunInProgress(ctx.tx, companyId);
    const code = await nextCode(ctx.tx, companyId, "WIF");
    const row = await one<{ id: number }>(
      ctx.tx,
      sql`insert into plan_version (company_id, code, name, kind, base_version_id, bucket, periods, start_date, calendar_id, params, created_by)
          select company_id, ${code}, ${input.name ?? `${code} (${base.code})`}, 'what_if', id, bucket, periods, start_date, calendar_id,
            ${JSON.stringify(params)}::jsonb, ${ctx.actor.kind === "user" ? ctx.actor.id : null}::int8
          from plan_version where id = ${input.baseVersionId} returning id`,
    );
    const jobId = await enqueueJob(ctx.tx, MRP_JOB, { versionId: row!.id, companyId }, { maxAttempts: 1 });
    await ctx.tx.execute(sql`update plan_version set job_id = ${jobId} where id = ${row!.id}`);
    ctx.audit.after = { code, baseVersionId: input.baseVersionId, params };
    return { id: row!.id, code, jobId };
  },
});

interface VersionRow {
  id: number;
  kind: "regenerative" | "what_if";
  baseVersionId: number | null;
  bucket: "day" | "week";
  periods: number;
  startDate: string;
  calendarId: number | null;
  params: WhatIfParams;
}

/** The job takes the version: status running (its own small audited write before the long part). */
export const beginRun = defineCommand({
  name: "planning.run.begin",
  permission: P.runExecute,
  entity: "plan_version",
  input: StrictObject({ versionId: Id }),
  async run(ctx, { versionId }) {
    const v = await one<VersionRow>(
      ctx.tx,
      sql`update plan_version set status = 'running', started_at = now() where id = ${versionId} and status = 'queued'
          returning id, kind, base_version_id as "baseVersionId", bucket, periods, to_char(start_date, 'YYYY-MM-DD') as "startDate",
            calendar_id as "calendarId", params`,
    );
    // null: taken already (a second worker, or a run started directly, e.g. by the demo seed)
    return v ?? null;
  },
});

export const failRun = defineCommand({
  name: "planning.run.fail",
  permission: P.runExecute,
  entity: "plan_version",
  input: StrictObject({ versionId: Id, error: Type.String({ maxLength: 2000 }) }),
  async run(ctx, { versionId, error }) {
    await ctx.tx.execute(sql`update plan_version set status = 'failed', error = ${error}, finished_at = now(),
      duration_ms = (extract(epoch from now() - started_at) * 1000)::int where id = ${versionId}`);
    ctx.audit.details = { error };
    return { id: versionId };
  },
});

/** What the job computed, ready to be written: rows per table (values in column order). */
export interface StoreData {
  inputsAt: string;
  durationMs: number;
  inputGz: Uint8Array;
  buckets: PlanInput["buckets"];
  counts: { items: number; bomLines: number; demand: number; receipts: number; orders: number; exceptions: number };
  demand: (string | number | null)[][];
  items: (string | number | null)[][];
  orders: (string | number | null)[][];
  exceptions: (string | number | null)[][];
}

/** Writes a computed plan into its version in one transaction, with bulk inserts. */
export const storePlan = defineCommand({
  name: "planning.run.store",
  permission: P.runExecute,
  entity: "plan_version",
  input: StrictObject({ versionId: Id, data: Type.Unsafe<StoreData>({}) }),
  async run(ctx, { versionId, data }) {
    const tx = ctx.tx;
    await bulkInsert(
      tx,
      "plan_demand",
      [
        { name: "version_id", type: "int8" },
        { name: "seq", type: "int4" },
        { name: "item_id", type: "int8" },
        { name: "period", type: "int4" },
        { name: "due_date", type: "date" },
        { name: "quantity", type: "numeric" },
        { name: "ref", type: "text" },
        { name: "source", type: "text" },
        { name: "label", type: "text" },
      ],
      data.demand,
    );
    await bulkInsert(
      tx,
      "plan_item",
      [
        { name: "version_id", type: "int8" },
        { name: "item_id", type: "int8" },
        { name: "low_level_code", type: "int4" },
        { name: "make_or_buy", type: "text" },
        { name: "lead_time", type: "int4" },
        { name: "lead_time_days", type: "int4" },
        { name: "on_hand", type: "numeric" },
        { name: "allocated", type: "numeric" },
        { name: "safety_stock", type: "numeric" },
        { name: "planner_user_id", type: "int8" },
        { name: "item_group", type: "text" },
        { name: "exception_count", type: "int4" },
        { name: "max_severity", type: "int4" },
        { name: "gross", type: "numeric[]" },
        { name: "scheduled", type: "numeric[]" },
        { name: "projected", type: "numeric[]" },
        { name: "net", type: "numeric[]" },
        { name: "planned_receipts", type: "numeric[]" },
        { name: "planned_releases", type: "numeric[]" },
      ],
      data.items,
      5000,
    );
    await bulkInsert(
      tx,
      "plan_order",
      [
        { name: "version_id", type: "int8" },
        { name: "seq", type: "int4" },
        { name: "order_key", type: "text" },
        { name: "item_id", type: "int8" },
        { name: "kind", type: "text" },
        { name: "release_period", type: "int4" },
        { name: "receipt_period", type: "int4" },
        { name: "release_date", type: "date" },
        { name: "due_date", type: "date" },
        { name: "quantity", type: "numeric" },
        { name: "release_quantity", type: "numeric" },
      ],
      data.orders,
    );
    await bulkInsert(
      tx,
      "plan_exception",
      [
        { name: "version_id", type: "int8" },
        { name: "seq", type: "int4" },
        { name: "item_id", type: "int8" },
        { name: "type", type: "text" },
        { name: "severity", type: "int4" },
        { name: "period", type: "int4" },
        { name: "quantity", type: "numeric" },
        { name: "reschedule_to", type: "int4" },
        { name: "release_period", type: "int4" },
      ],
      data.exceptions,
    );
    const c = data.counts;
    await tx.execute(sql`update plan_version set status = 'done', finished_at = now(), inputs_at = ${data.inputsAt}::timestamptz,
      -- load + compute (measured by the job) + this transaction's writes so far
      duration_ms = ${data.durationMs} + (extract(epoch from clock_timestamp() - now()) * 1000)::int,
      periods = ${data.buckets.length}, buckets = ${JSON.stringify(data.buckets)}::jsonb, input_gz = ${data.inputGz},
      item_count = ${c.items}, bom_line_count = ${c.bomLines}, demand_count = ${c.demand}, receipt_count = ${c.receipts},
      order_count = ${c.orders}, exception_count = ${c.exceptions} where id = ${versionId}`);
    ctx.audit.details = { counts: c, durationMs: data.durationMs, inputsAt: data.inputsAt };
    return { id: versionId, ...c };
  },
});

function arrayLiteral(result: MrpResult, column: Float64Array, base: number, periods: number): string {
  const parts = new Array<string>(periods);
  for (let t = 0; t < periods; t++) parts[t] = result.format(column[base + t]);
  return `{${parts.join(",")}}`;
}

/** Turns the engine's columns into the rows of plan_item, plan_order, plan_exception and plan_demand. */
export function prepareStore(versionId: number, input: PlanInput, result: MrpResult, inputsAt: string, durationMs: number): StoreData {
  const m = result.model;
  const p = result.plan;
  const periods = m.periods;
  const buckets = input.buckets;
  const excCount = new Map<string, number>();
  const excMax = new Map<string, number>();
  const exceptionRows: (string | number | null)[][] = [];
  result.exceptions().forEach((e, k) => {
    const sev = SEVERITY[e.type] ?? 1;
    excCount.set(e.item, (excCount.get(e.item) ?? 0) + 1);
    excMax.set(e.item, Math.max(excMax.get(e.item) ?? 0, sev));
    exceptionRows.push([versionId, k, e.item, e.type, sev, e.period, e.quantity, e.rescheduleTo ?? null, e.releasePeriod ?? null]);
  });
  const itemRows: (string | number | null)[][] = [];
  for (let r = 0; r < m.itemCount; r++) {
    const id = m.ids[r];
    const meta = input.items[id];
    const base = r * periods;
    itemRows.push([
      versionId,
      id,
      m.lowLevelCode[r],
      m.isMake[r] === 1 ? "make" : "buy",
      m.leadTime[r],
      meta?.leadTimeDays ?? 0,
      result.format(m.onHand[r]),
      result.format(m.allocated[r]),
      result.format(m.safetyStock[r]),
      meta?.plannerId ?? null,
      meta?.group ?? null,
      excCount.get(id) ?? 0,
      excMax.get(id) ?? 0,
      arrayLiteral(result, p.gross, base, periods),
      arrayLiteral(result, m.receiptsByPeriod, base, periods),
      arrayLiteral(result, p.projected, base, periods),
      arrayLiteral(result, p.net, base, periods),
      arrayLiteral(result, p.plannedReceipts, base, periods),
      arrayLiteral(result, p.plannedReleases, base, periods),
    ]);
  }
  const orders = p.orders;
  const orderRows: (string | number | null)[][] = new Array(orders.count);
  let prevItem = -1;
  let prevReceipt = -1;
  let n = 0;
  for (let o = 0; o < orders.count; o++) {
    const r = orders.item[o];
    // the engine's order id (item:receiptPeriod:n), counted here in one pass instead of per order
    if (r === prevItem && orders.receipt[o] === prevReceipt) n++;
    else n = 1;
    prevItem = r;
    prevReceipt = orders.receipt[o];
    orderRows[o] = [
      versionId,
      o,
      `${m.ids[r]}:${orders.receipt[o] + 1}:${n}`,
      m.ids[r],
      m.isMake[r] === 1 ? "make" : "buy",
      orders.release[o] + 1,
      orders.receipt[o] + 1,
      buckets[orders.release[o]].start,
      buckets[orders.receipt[o]].start,
      result.format(orders.qty[o]),
      result.format(orders.releaseQty[o]),
    ];
  }
  const demandRows = input.demand.map((d, k) => [versionId, k, d.item, d.period, [d.date, buckets[0].start].sort()[1], d.qty, d.ref, d.source, d.label]);
  return {
    inputsAt,
    durationMs,
    inputGz: packInput(input),
    buckets,
    counts: {
      items: m.itemCount,
      bomLines: input.input.bom?.length ?? 0,
      demand: input.demand.length,
      receipts: input.input.scheduledReceipts?.length ?? 0,
      orders: orders.count,
      exceptions: exceptionRows.length,
    },
    demand: demandRows,
    items: itemRows,
    orders: orderRows,
    exceptions: exceptionRows,
  };
}

/** Reads the inputs in one consistent snapshot (REPEATABLE READ, read only): stock, orders and BOMs of one moment. */
export async function readInputs(runtime: Runtime, companyId: number, v: Pick<VersionRow, "bucket" | "periods" | "startDate" | "calendarId">) {
  return runtime.database.db.transaction(
    async (tx) => {
      const [at] = await rows<{ now: string }>(tx, sql`select now() as now`);
      const input = await loadPlanInput(tx, companyId, { bucket: v.bucket, startDate: v.startDate, periods: v.periods, calendarId: v.calendarId });
      return { input, inputsAt: at.now };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

export interface RunTimings {
  loadMs: number;
  computeMs: number;
  prepareMs: number;
  storeMs: number;
  totalMs: number;
  orders: number;
  exceptions: number;
  items: number;
}

/** The whole run of one queued version: take it, load, compute, store (or record the failure). */
export async function runPlanVersion(
  runtime: Runtime,
  companyId: number,
  versionId: number,
  progress: (p: Record<string, unknown>) => Promise<void> = async () => {},
): Promise<RunTimings | null> {
  const actor = systemActor(`job:${MRP_JOB}`, companyId);
  const t0 = performance.now();
  const v = await execute(runtime, beginRun, { versionId }, actor);
  if (!v) return null;
  try {
    await progress({ phase: "load", percent: 5 });
    let input: PlanInput;
    let inputsAt: string;
    if (v.kind === "what_if" && v.baseVersionId) {
      const base = await loadStoredInput(runtime.database.db, companyId, v.baseVersionId);
      const row = await one<{ at: string }>(runtime.database.db, sql`select inputs_at as at from plan_version where id = ${v.baseVersionId}`);
      input = applyWhatIf(base.input, v.params ?? {});
      inputsAt = row!.at;
    } else {
      ({ input, inputsAt } = await readInputs(runtime, companyId, v));
    }
    const t1 = performance.now();
    await progress({ phase: "compute", percent: 35, items: input.input.items.length });
    const result = runMrp(input.input);
    const t2 = performance.now();
    await progress({ phase: "store", percent: 60, orders: result.plannedOrderCount });
    const data = prepareStore(versionId, input, result, inputsAt, 0);
    const t3 = performance.now();
    data.durationMs = Math.round(t3 - t0);
    const stored = await execute(runtime, storePlan, { versionId, data }, actor);
    const t4 = performance.now();
    rememberPlan(versionId, { input, result });
    await progress({ phase: "done", percent: 100 });
    return {
      loadMs: t1 - t0,
      computeMs: t2 - t1,
      prepareMs: t3 - t2,
      storeMs: t4 - t3,
      totalMs: t4 - t0,
      orders: stored.orders,
      exceptions: stored.exceptions,
      items: stored.items,
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await execute(runtime, failRun, { versionId, error: message.slice(0, 2000) }, actor).catch(() => {});
    throw e;
  }
}

export async function mrpJob(ctx: JobContext) {
  const versionId = Number(ctx.payload.versionId);
  const companyId = Number(ctx.payload.companyId);
  const t = await runPlanVersion(ctx.runtime, companyId, versionId, ctx.progress);
  if (!t) return { versionId, skipped: true };
  return { versionId, orders: t.orders, exceptions: t.exceptions, durationMs: Math.round(t.totalMs) };
}
