/**
 * Seeded generator of large random multi-level MRP inputs for the benchmark.
 *
 * Items are spread evenly over `levels` levels. Every parent (all levels but
 * the last) gets about lines/parents BOM lines: the first to a random item
 * one level down (so the BOM really is `levels` deep), the others to a random
 * item on any deeper level (so components are shared across levels and the
 * low-level code matters). Most demand is on level-0 items, some on
 * lower-level items (service parts). Lot-sizing rules, scrap, yield, safety
 * stock and scheduled receipts are mixed in.
 */
import type {
  LotSizing,
  MrpBomLineInput,
  MrpDemandInput,
  MrpInput,
  MrpItemInput,
  MrpScheduledReceiptInput,
} from "../src/index.ts";

export interface GeneratorOptions {
  items: number;
  lines: number;
  levels: number;
  demand: number;
  periods: number;
  receipts: number;
  seed: number;
}

/** mulberry32: small, fast, seedable PRNG returning [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateInput(o: GeneratorOptions): MrpInput {
  const random = mulberry32(o.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const perLevel = Math.ceil(o.items / o.levels);
  const levelOf = (i: number) => Math.min(Math.floor(i / perLevel), o.levels - 1);
  const firstOfLevel = (l: number) => l * perLevel;
  const countOfLevel = (l: number) => Math.max(0, Math.min(o.items, (l + 1) * perLevel) - l * perLevel);
  const ids = Array.from({ length: o.items }, (_, i) => `L${levelOf(i)}-${i}`);

  const items: MrpItemInput[] = ids.map((id) => {
    const item: MrpItemInput = { id, leadTime: int(0, 3), onHand: int(0, 200) };
    const roll = random();
    let lotSizing: LotSizing;
    if (roll < 0.4) lotSizing = { rule: "lot-for-lot" };
    else if (roll < 0.55) lotSizing = { rule: "fixed", qty: int(50, 500) };
    else if (roll < 0.65) lotSizing = { rule: "multiple", qty: int(5, 50) };
    else if (roll < 0.75) lotSizing = { rule: "min-max-multiple", min: int(10, 100), max: int(500, 2000), multiple: 10 };
    else if (roll < 0.9) lotSizing = { rule: "periods-of-supply", periods: int(2, 4) };
    else lotSizing = { rule: "eoq", setupCost: int(50, 500), holdingCostPerPeriod: "0.25" };
    item.lotSizing = lotSizing;
    if (random() < 0.2) item.safetyStock = int(5, 50);
    if (random() < 0.05) item.yieldPct = "95";
    return item;
  });

  const bom: MrpBomLineInput[] = new Array(o.lines);
  const parentCount = firstOfLevel(o.levels - 1);
  let line = 0;
  for (let p = 0; p < parentCount && line < o.lines; p++) {
    const remainingParents = parentCount - p;
    const share = Math.max(1, Math.round((o.lines - line) / remainingParents + (random() - 0.5) * 4));
    const level = levelOf(p);
    for (let k = 0; k < share && line < o.lines; k++) {
      const componentLevel = k === 0 ? level + 1 : int(level + 1, o.levels - 1);
      const component = firstOfLevel(componentLevel) + int(0, countOfLevel(componentLevel) - 1);
      const r = random();
      const qtyPer = r < 0.6 ? 1 : r < 0.85 ? 2 : r < 0.9 ? 3 : r < 0.95 ? "0.5" : "1.25";
      const bomLine: MrpBomLineInput = { parent: ids[p], component: ids[component], qtyPer };
      if (random() < 0.05) bomLine.scrapPct = "2.5";
      bom[line++] = bomLine;
    }
  }
  bom.length = line;

  const demand: MrpDemandInput[] = new Array(o.demand);
  const topCount = countOfLevel(0);
  for (let k = 0; k < o.demand; k++) {
    const item = random() < 0.9 ? int(0, topCount - 1) : int(0, o.items - 1);
    demand[k] = { item: ids[item], period: int(1, o.periods), qty: int(1, 100), ref: `SO-${k}` };
  }
  const scheduledReceipts: MrpScheduledReceiptInput[] = new Array(o.receipts);
  for (let k = 0; k < o.receipts; k++) {
    scheduledReceipts[k] = { item: ids[int(0, o.items - 1)], period: int(1, Math.min(8, o.periods)), qty: int(10, 300) };
  }
  return { periods: o.periods, items, bom, scheduledReceipts, demand };
}
