/**
 * Valuation throughput: 1,000,000 receipts/issues per method, valued in
 * batches of 100,000 with `valueMoves` (state carried from batch to batch),
 * plus 100,000 moves one at a time with `valueMove` (state parsed and
 * serialised on every call, as a server handling single moves would).
 *
 *   node --import tsx packages/engines/costing/bench/costing.bench.ts
 */
import { performance } from "node:perf_hooks";
import { type StockMove, type ValuationMethod, type ValuationState, createValuationState, valueMove, valueMoves } from "../src/index.ts";

const TOTAL_MOVES = 1_000_000;
const BATCH = 100_000;

/** mulberry32: small seeded PRNG so every run values the same moves. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Receipts of 1–100 units at 5.00–15.00 and issues of up to the stock on hand (integer units, so no float maths). */
function* generateMoves(seed: number, count: number): Generator<StockMove[]> {
  const next = random(seed);
  let onHand = 0;
  let batch: StockMove[] = [];
  for (let n = 1; n <= count; n++) {
    const id = `m${n}`;
    const date = "2025-01-01";
    if (onHand === 0 || next() < 0.5) {
      const qty = 1 + Math.floor(next() * 100);
      const cents = 500 + Math.floor(next() * 1001);
      batch.push({ kind: "receipt", id, date, qty: String(qty), unitCost: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}` });
      onHand += qty;
    } else {
      const qty = 1 + Math.floor(next() * Math.min(onHand, 120));
      batch.push({ kind: "issue", id, date, qty: String(qty) });
      onHand -= qty;
    }
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function benchBatches(method: ValuationMethod): void {
  let state: ValuationState = createValuationState({ key: "BENCH", method });
  let elapsed = 0;
  let valued = 0;
  for (const moves of generateMoves(42, TOTAL_MOVES)) {
    const start = performance.now();
    const result = valueMoves(state, moves);
    elapsed += performance.now() - start;
    state = result.state;
    valued += result.entries.length;
  }
  report(`${method} valueMoves`, valued, elapsed, `final qty ${state.qty}, value ${state.value}, ${state.layers.length} open layers`);
}

function benchSingle(method: ValuationMethod, count: number): void {
  let state: ValuationState = createValuationState({ key: "BENCH", method });
  const [moves] = generateMoves(7, count);
  const start = performance.now();
  for (const move of moves) state = valueMove(state, move).state;
  report(`${method} valueMove (one call per move)`, moves.length, performance.now() - start, `state JSON ${JSON.stringify(state).length} bytes`);
}

function report(label: string, moves: number, ms: number, detail: string): void {
  const perSecond = Math.round(moves / (ms / 1000));
  console.log(`${label.padEnd(46)} ${moves.toLocaleString("en")} moves in ${(ms / 1000).toFixed(2)} s → ${perSecond.toLocaleString("en")} moves/s (${detail})`);
}

// Warm up the JIT on a small run first.
valueMoves(createValuationState({ key: "W", method: "fifo" }), [...generateMoves(1, 20_000)].flat());

for (const method of ["moving_average", "fifo"] as const) benchBatches(method);
for (const method of ["moving_average", "fifo"] as const) benchSingle(method, BATCH);
