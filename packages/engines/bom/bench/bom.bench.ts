/**
 * BOM engine timings on a seeded 10-level BOM of 50,000 lines.
 *
 *   node --import tsx packages/engines/bom/bench/bom.bench.ts
 */
import { performance } from "node:perf_hooks";
import {
  buildBomGraph,
  explodeMultiLevel,
  findCycles,
  lowLevelCodes,
  summarizedExplosion,
  whereUsed,
} from "../src/index.ts";
import { generateBom } from "./generate-bom.ts";

const LEVELS = 10;
const LINES = 50_000;
const RUNS = 7;
const AS_OF = "2025-06-30";

/**
 * Runs `task` RUNS times and prints the first (cold) run, the fastest and the
 * median. Only the last result is kept, so earlier results do not weigh on the
 * garbage collector of later runs.
 */
function time<T>(label: string, task: () => T, describe: (result: T) => string): void {
  const durations: number[] = [];
  let summary = "";
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const result = task();
    durations.push(performance.now() - start);
    if (run === RUNS - 1) summary = describe(result);
  }
  const sorted = [...durations].sort((a, b) => a - b);
  const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`;
  console.log(
    `${label.padEnd(44)} cold ${ms(durations[0])}  best ${ms(sorted[0])}  median ${ms(sorted[Math.floor(RUNS / 2)])}   ${summary}`,
  );
}

const { root, lines, sharedPart } = generateBom(20250101, LEVELS, LINES);
console.log(`generated ${lines.length.toLocaleString("en")} lines, ${LEVELS} levels (seed 20250101), as of ${AS_OF}`);

const graph = buildBomGraph(lines);
const request = { item: root, qty: "100", asOf: AS_OF };

time("explodeMultiLevel (indexed graph)", () => explodeMultiLevel(graph, request), (r) => {
  const depth = r.rows.reduce((max, row) => Math.max(max, row.level), 0);
  return `${r.rows.length.toLocaleString("en")} rows, depth ${depth}, ${r.requirements.length.toLocaleString("en")} components`;
});
time("buildBomGraph (parse + index lines)", () => buildBomGraph(lines), (g) => `${g.items.length.toLocaleString("en")} items`);
time("explodeMultiLevel (raw lines, incl. index)", () => explodeMultiLevel(lines, request), (r) => `${r.rows.length.toLocaleString("en")} rows`);
time("summarizedExplosion", () => summarizedExplosion(graph, request), (r) => `${r.requirements.length.toLocaleString("en")} components`);
time("lowLevelCodes", () => lowLevelCodes(graph), (codes) => `max code ${Math.max(...codes.values())}`);
time("findCycles", () => findCycles(graph), (cycles) => `${cycles.length} cycles`);
time(`whereUsed(${sharedPart})`, () => whereUsed(graph, sharedPart), (rows) => `${rows.length.toLocaleString("en")} rows`);
