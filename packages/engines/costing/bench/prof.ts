import { createValuationState, valueMoves, type StockMove } from "../src/index.ts";
const moves: StockMove[] = [];
let onHand = 0; let seed = 1;
const next = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
for (let n = 1; n <= 200000; n++) {
  if (onHand === 0 || next() < 0.5) { const q = 1 + Math.floor(next() * 100); moves.push({ kind: "receipt", id: `m${n}`, date: "2025-01-01", qty: String(q), unitCost: "10.37" }); onHand += q; }
  else { const q = 1 + Math.floor(next() * Math.min(onHand, 120)); moves.push({ kind: "issue", id: `m${n}`, date: "2025-01-01", qty: String(q) }); onHand -= q; }
}
const t = performance.now();
valueMoves(createValuationState({ key: "B", method: process.argv[2] as "fifo" }), moves);
console.log(performance.now() - t);
