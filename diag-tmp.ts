import { compileModel, planModel } from "./packages/engines/mrp/src/index.ts";
import { generateInput } from "./packages/engines/mrp/bench/generate.ts";
const input = generateInput({ items: 1000, lines: 10000, levels: 10, demand: 5000, periods: 52, receipts: 500, seed: 42 });
const m = compileModel(input);
const r = planModel(m);
console.log("orders", r.plannedOrderCount);
// gross totals per level
const byLevel = new Array(12).fill(0);
for (let i = 0; i < m.itemCount; i++) { let s = 0; for (let t = 0; t < 52; t++) s += r.plan.gross[i*52+t]; byLevel[m.lowLevelCode[i]] = Math.max(byLevel[m.lowLevelCode[i]], s); }
console.log(byLevel);
