/**
 * Seeded generator of large random multi-level MRP inputs for the benchmark.
 *
 * Shape, chosen to look like real product structures rather than a uniform
 * random graph (which multiplies quantities by ~10 per level and makes
 * 10-level explosions meaningless):
 * - items are spread evenly over `levels` levels; the last level holds
 *   purchased parts;
 * - every parent (all levels but the last) gets about lines/parents BOM lines:
 *   one to a subassembly one level down (so the BOM really is `levels` deep),
 *   with probability 0.3 one more to an item on any deeper level (components
 *   shared across levels: the low-level code matters), the rest to purchased
 *   parts (screws used by thousands of parents);
 * - 90 % of demand is on level-0 items, 10 % on random items (service parts);
 * - lot sizes, on hand, safety stock and scheduled receipts are scaled to each
 *   item's average usage per period, estimated by a quick explosion.
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
  /** When > 0: 10 % of the items get this many decimals, with decimal demand quantities. */
  decimals?: number;
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
  const randomItemOn = (l: number) => firstOfLevel(l) + int(0, countOfLevel(l) - 1);
  const ids = Array.from({ length: o.items }, (_, i) => `L${levelOf(i)}-${i}`);
  const usage = new Float64Array(o.items); // estimated total gross requirement per item

  const demand: MrpDemandInput[] = new Array(o.demand);
  const topCount = countOfLevel(0);
  for (let k = 0; k < o.demand; k++) {
    const item = random() < 0.9 ? int(0, topCount - 1) : int(0, o.items - 1);
    const qty = int(1, 100);
    usage[item] += qty;
    demand[k] = { item: ids[item], period: int(1, o.periods), qty, ref: `SO-${k}` };
    if (decimalItem(item)) demand[k].qty = (qty + int(1, 99) / 100).toFixed(2);
  }

  const bom: MrpBomLineInput[] = new Array(o.lines);
  const parentCount = Math.min(o.items, firstOfLevel(o.levels - 1));
  const lastLevel = o.levels - 1;
  let line = 0;
  for (let p = 0; p < parentCount && line < o.lines; p++) {
    const share = Math.max(1, Math.round((o.lines - line) / (parentCount - p) + (random() - 0.5) * 4));
    const level = levelOf(p);
    for (let k = 0; k < share && line < o.lines; k++) {
      let component: number;
      if (k === 0) component = randomItemOn(level + 1);
      else if (k === 1 && random() < 0.3) component = randomItemOn(int(level + 1, lastLevel));
      else component = randomItemOn(lastLevel);
      const r = random();
      const qtyPer = r < 0.6 ? 1 : r < 0.85 ? 2 : r < 0.9 ? 3 : r < 0.95 ? "0.5" : "1.25";
      const bomLine: MrpBomLineInput = { parent: ids[p], component: ids[component], qtyPer };
      if (random() < 0.05) bomLine.scrapPct = "2.5";
      bom[line++] = bomLine;
    }
  }
  bom.length = line;
  // lines only point to deeper levels, so one pass in item order propagates usage
  for (let k = 0; k < bom.length; k++) {
    const parent = indexOfId(bom[k].parent);
    usage[indexOfId(bom[k].component)] += usage[parent] * Number(bom[k].qtyPer);
  }

  const items: MrpItemInput[] = ids.map((id, i) => {
    const perPeriod = Math.max(1, Math.round(usage[i] / o.periods));
    const item: MrpItemInput = { id, leadTime: int(0, 3), onHand: Math.round(perPeriod * random() * 3) };
    const roll = random();
    let lotSizing: LotSizing;
    if (roll < 0.4) lotSizing = { rule: "lot-for-lot" };
    else if (roll < 0.55) lotSizing = { rule: "fixed", qty: perPeriod * int(1, 4) };
    else if (roll < 0.65) lotSizing = { rule: "multiple", qty: Math.max(1, Math.round(perPeriod / int(2, 5))) };
    else if (roll < 0.75) {
      const multiple = Math.max(1, Math.round(perPeriod / 10));
      lotSizing = { rule: "min-max-multiple", min: perPeriod, max: multiple * int(20, 60), multiple };
    } else if (roll < 0.9) lotSizing = { rule: "periods-of-supply", periods: int(2, 4) };
    else lotSizing = { rule: "eoq", setupCost: int(50, 500), holdingCostPerPeriod: "0.25" };
    item.lotSizing = lotSizing;
    if (random() < 0.2) item.safetyStock = Math.round(perPeriod * random());
    if (random() < 0.05) item.yieldPct = "95";
    if (decimalItem(i)) item.decimals = o.decimals;
    return item;
  });

  const scheduledReceipts: MrpScheduledReceiptInput[] = new Array(o.receipts);
  for (let k = 0; k < o.receipts; k++) {
    const item = int(0, o.items - 1);
    const qty = Math.max(1, Math.round((usage[item] / o.periods) * (0.5 + random() * 2)));
    scheduledReceipts[k] = { item: ids[item], period: int(1, Math.min(8, o.periods)), qty };
  }
  return { periods: o.periods, items, bom, scheduledReceipts, demand };

  function decimalItem(i: number): boolean {
    return (o.decimals ?? 0) > 0 && i % 10 === 7;
  }

  function indexOfId(id: string): number {
    return Number(id.slice(id.indexOf("-") + 1));
  }
}
