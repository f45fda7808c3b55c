import { gunzipSync, gzipSync } from "node:zlib";
import { type MrpResult, runMrp } from "@kaiwu/mrp";
import { type Executor, one, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { D } from "../inventory/common.ts";
import type { PlanInput } from "./load.ts";

export function packInput(input: PlanInput): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(input)), { level: 1 });
}

export function unpackInput(data: Uint8Array): PlanInput {
  return JSON.parse(gunzipSync(data).toString("utf8")) as PlanInput;
}

/** A version's run, recomputed from its stored input on demand (deterministic) and kept for a while. */
export interface CachedPlan {
  input: PlanInput;
  result: MrpResult;
  orderIndex?: Map<string, number>;
  demandByRef?: Map<string, { label: string | null; source: string; item: string; period: number }>;
}

const cache = new Map<number, CachedPlan>();
const CACHE_SIZE = 4;

export function rememberPlan(versionId: number, plan: CachedPlan): void {
  cache.delete(versionId);
  cache.set(versionId, plan);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as number);
}

export async function loadStoredInput(ex: Executor, companyId: number, versionId: number): Promise<{ input: PlanInput; code: string; status: string; kind: string }> {
  const row = await one<{ data: Uint8Array | null; code: string; status: string; kind: string }>(
    ex,
    sql`select input_gz as data, code, status, kind from plan_version where id = ${versionId} and company_id = ${companyId}`,
  );
  if (!row) throw errors.notFound("plan_version");
  if (!row.data || row.status !== "done") throw errors.rule("version_not_done", "planning.error.version_not_done", { code: row.code });
  return { input: unpackInput(row.data), code: row.code, status: row.status, kind: row.kind };
}

export async function planOf(ex: Executor, companyId: number, versionId: number): Promise<CachedPlan> {
  const hit = cache.get(versionId);
  if (hit) return hit;
  const { input } = await loadStoredInput(ex, companyId, versionId);
  const plan: CachedPlan = { input, result: runMrp(input.input) };
  rememberPlan(versionId, plan);
  return plan;
}

function orderIndex(plan: CachedPlan): Map<string, number> {
  if (!plan.orderIndex) {
    const m = new Map<string, number>();
    for (let o = 0; o < plan.result.plannedOrderCount; o++) m.set(plan.result.orderId(o), o);
    plan.orderIndex = m;
  }
  return plan.orderIndex;
}

export function orderSeq(plan: CachedPlan, key: string): number | undefined {
  return orderIndex(plan).get(key);
}

export function demandInfo(plan: CachedPlan, ref: string) {
  if (!plan.demandByRef) {
    plan.demandByRef = new Map(plan.input.demand.map((d) => [d.ref, { label: d.label, source: d.source, item: d.item, period: d.period }]));
  }
  return plan.demandByRef.get(ref);
}

export type PegKind = "demand" | "order" | "safety_stock" | "lot_size_excess" | "allocated";

/** One requirement a planned order's units meet, one level up: a demand line or a parent's planned order. */
interface Piece {
  kind: PegKind;
  ref?: string;
  parentOrder?: string;
  len: number;
}

/**
 * Single-level pegging of planned order `o`: the same first-in-first-out match of the item's supply and
 * requirement sequences the engine uses (docs/mrp-engine.md, Pegging), stopped at the first level, so the
 * tree can be walked up parent order by parent order to the demand lines.
 */
export function singleLevel(plan: CachedPlan, o: number): Piece[] {
  const { result } = plan;
  const m = result.model;
  const orders = result.plan.orders;
  const r = orders.item[o];
  const a = orders.supplyStart[o];
  const b = a + orders.qty[o];
  const scale = new D(10).pow(m.scaleDigits);
  const out: Piece[] = [];
  let pos = 0;
  const seg = (len: number, piece: Omit<Piece, "len">) => {
    const lo = Math.max(pos, a);
    const hi = Math.min(pos + len, b);
    if (hi > lo) {
      const last = out[out.length - 1];
      if (last && last.kind === piece.kind && last.ref === piece.ref && last.parentOrder === piece.parentOrder) last.len += hi - lo;
      else out.push({ ...piece, len: hi - lo });
    }
    pos += len;
  };
  seg(m.allocated[r], { kind: "allocated" });
  seg(m.safetyStock[r], { kind: "safety_stock" });
  const deps = result.dependentRequirements(m.ids[r], false);
  let di = 0;
  for (let t = 0; t < m.periods && pos < b; t++) {
    const cell = r * m.periods + t;
    for (let d = m.demandStart[cell]; d < m.demandStart[cell + 1]; d++) seg(m.demandQty[d], { kind: "demand", ref: m.demandRef[d] });
    while (di < deps.length && deps[di].period === t + 1) {
      seg(Number(new D(deps[di].qty).times(scale).toFixed(0)), { kind: "order", parentOrder: deps[di].parentOrder });
      di++;
    }
  }
  if (b > pos) seg(b - pos, { kind: "lot_size_excess" });
  return out;
}

export interface PegNode {
  kind: PegKind;
  /** The part of the child's quantity that serves this node. */
  qty: string;
  ref?: string;
  label?: string | null;
  source?: string;
  orderKey?: string;
  itemId?: number;
  orderQty?: string;
  releasePeriod?: number;
  receiptPeriod?: number;
  children?: PegNode[];
}

/** The pegging tree of a planned order, up through its parents' planned orders to the demand lines. */
export function peggingTree(plan: CachedPlan, o: number, maxNodes = 400): PegNode {
  const { result } = plan;
  const orders = result.plan.orders;
  let budget = maxNodes;
  const node = (k: number, qty: string, depth: number): PegNode => {
    budget--;
    const n: PegNode = {
      kind: "order",
      qty,
      orderKey: result.orderId(k),
      itemId: Number(result.model.ids[orders.item[k]]),
      orderQty: result.format(orders.qty[k]),
      releasePeriod: orders.release[k] + 1,
      receiptPeriod: orders.receipt[k] + 1,
      children: [],
    };
    if (depth > 30) return n;
    for (const p of singleLevel(plan, k)) {
      if (budget <= 0) break;
      const q = result.format(p.len);
      if (p.kind === "order") {
        const parent = orderSeq(plan, p.parentOrder!);
        if (parent !== undefined) n.children!.push(node(parent, q, depth + 1));
      } else if (p.kind === "demand") {
        budget--;
        const info = demandInfo(plan, p.ref!);
        n.children!.push({ kind: "demand", qty: q, ref: p.ref, label: info?.label ?? null, source: info?.source });
      } else {
        budget--;
        n.children!.push({ kind: p.kind, qty: q });
      }
    }
    return n;
  };
  return node(o, result.format(orders.qty[o]), 0);
}

/** Top-level pegging of a planned order: the demand lines (and pseudo-refs) it serves, with labels. */
export function orderPegging(plan: CachedPlan, o: number) {
  return plan.result.pegging(o).map((p) => {
    const info = demandInfo(plan, p.ref);
    return { ref: p.ref, qty: p.qty, label: info?.label ?? null, source: info?.source ?? null };
  });
}
