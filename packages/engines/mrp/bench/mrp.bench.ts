/**
 * MRP engine benchmark.
 *
 *   node --import tsx packages/engines/mrp/bench/mrp.bench.ts \
 *     [--items 100000] [--lines 1000000] [--levels 10] [--demand 500000] \
 *     [--periods 52] [--receipts 50000] [--seed 42] [--peg-sample 1000] [--decimals 0]
 *
 * Prints wall time per phase and the peak resident set size. "Engine" is
 * compile (validation, indexing, low-level codes) + plan (netting, lot
 * sizing, explosion, exceptions); input generation is excluded. Pegging is
 * resolved lazily, so it is timed separately on a sample of planned orders.
 * --decimals N gives 10 % of the items N decimals and decimal demand, which
 * moves the engine's internal quantity scale to 10^-N.
 */
import { performance } from "node:perf_hooks";
import { compileModel, planModel } from "../src/index.ts";
import { type GeneratorOptions, generateInput, mulberry32 } from "./generate.ts";

function parseArgs(argv: readonly string[]): GeneratorOptions & { pegSample: number } {
  const options = {
    items: 100_000,
    lines: 1_000_000,
    levels: 10,
    demand: 500_000,
    periods: 52,
    receipts: 50_000,
    seed: 42,
    pegSample: 1000,
    decimals: 0,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "").replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    if (!(key in options)) throw new Error(`unknown flag ${argv[i]}`);
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`flag ${argv[i]} needs a non-negative integer`);
    (options as Record<string, number>)[key] = value;
  }
  return options;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
let peakRss = 0;
function sampleRss(): number {
  const rss = process.memoryUsage().rss;
  if (rss > peakRss) peakRss = rss;
  return rss;
}

function phase<T>(name: string, run: () => T): T {
  const start = performance.now();
  const value = run();
  const ms = performance.now() - start;
  console.log(`${name.padEnd(28)} ${ms.toFixed(0).padStart(7)} ms   rss ${mib(sampleRss())}`);
  return value;
}

const options = parseArgs(process.argv.slice(2));
console.log(
  `MRP benchmark: ${options.items} items, ${options.lines} BOM lines, ${options.levels} levels, ` +
    `${options.demand} demand lines, ${options.receipts} scheduled receipts, ${options.periods} periods, seed ${options.seed}`,
);
const input = phase("generate input", () => generateInput(options));
const engineStart = performance.now();
const model = phase("compile (validate + index)", () => compileModel(input));
const result = phase("plan (net, size, explode)", () => planModel(model));
const engineMs = performance.now() - engineStart;
console.log(`${"engine total".padEnd(28)} ${engineMs.toFixed(0).padStart(7)} ms`);

const sample = Math.min(options.pegSample, result.plannedOrderCount);
if (sample > 0) {
  const random = mulberry32(options.seed + 1);
  let entries = 0;
  phase(`pegging of ${sample} random orders`, () => {
    for (let k = 0; k < sample; k++) {
      entries += result.pegging(Math.floor(random() * result.plannedOrderCount)).length;
    }
  });
  console.log(`  (${entries} pegging entries, ${(entries / sample).toFixed(1)} refs per order on average)`);
}

sampleRss();
const maxRssKb = process.resourceUsage().maxRSS;
console.log(
  `planned orders: ${result.plannedOrderCount}, exceptions: ${result.exceptionCount}, ` +
    `quantity scale: 10^-${model.scaleDigits}`,
);
console.log(`peak rss: ${mib(Math.max(peakRss, maxRssKb * 1024))} (process maxRSS ${mib(maxRssKb * 1024)})`);
