import { Decimal as GlobalDecimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildBomGraph,
  explodeMultiLevel,
  findCycles,
  lowLevelCodes,
  summarizedExplosion,
  whereUsed,
  wouldCreateCycle,
} from "./index.ts";
import type { BomLine, ComponentTotal } from "./types.ts";

/** Test-side arithmetic at high precision, so it never rounds what the engine keeps exact. */
const Decimal = GlobalDecimal.clone({ precision: 100, toExpNeg: -100 });
type Decimal = InstanceType<typeof Decimal>;

const DATES = ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"];
const item = (n: number) => `I${n}`;

interface DagOptions {
  phantoms: boolean;
  byProducts: boolean;
  dates: boolean;
}

/** Random acyclic BOM: lines only go from a lower to a higher item number; I0 is the root. */
const dagArb = (options: DagOptions) =>
  fc.integer({ min: 2, max: 10 }).chain((itemCount) =>
    fc.array(
      fc.record({
        from: fc.nat(itemCount - 2),
        step: fc.integer({ min: 1, max: itemCount - 1 }),
        qtyPer: fc.integer({ min: 1, max: 5000 }),
        scrapPct: fc.integer({ min: 0, max: 20 }),
        phantom: options.phantoms ? fc.boolean() : fc.constant(false),
        byProduct: options.byProducts ? fc.integer({ min: 0, max: 9 }).map((n) => n === 0) : fc.constant(false),
        window: options.dates ? fc.tuple(fc.nat(DATES.length), fc.nat(DATES.length)) : fc.constant([0, 0] as [number, number]),
      }),
      { minLength: 1, maxLength: 25 },
    ).map((specs) =>
      specs.map((spec): BomLine => {
        const to = Math.min(spec.from + spec.step, itemCount - 1);
        const line: BomLine = {
          parent: item(spec.from),
          component: item(to),
          qtyPer: new Decimal(spec.qtyPer).div(1000).toFixed(),
          scrapPct: String(spec.scrapPct),
          phantom: spec.phantom,
          byProduct: spec.byProduct,
        };
        const [a, b] = spec.window;
        if (a > 0) line.effectiveFrom = DATES[a - 1];
        if (b > a && b < DATES.length) line.effectiveTo = DATES[b];
        return line;
      }),
    ),
  );

const sumRows = (rows: { component: string; extendedQty: string; byProduct: boolean }[], byProduct: boolean) => {
  const totals = new Map<string, Decimal>();
  for (const row of rows) {
    if (row.byProduct !== byProduct) continue;
    totals.set(row.component, (totals.get(row.component) ?? new Decimal(0)).plus(row.extendedQty));
  }
  return [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([component, qty]): ComponentTotal => ({ component, qty: qty.toFixed() }));
};

describe("BOM properties", () => {
  it("summarised explosion = totals of the indented explosion = sum of its rows", () => {
    fc.assert(
      fc.property(dagArb({ phantoms: true, byProducts: true, dates: true }), fc.constantFrom(...DATES), fc.integer({ min: 1, max: 999 }), (lines, asOf, qty) => {
        const graph = buildBomGraph(lines);
        const request = { item: "I0", qty: String(qty), asOf };
        const exploded = explodeMultiLevel(graph, request);
        expect(exploded.requirements).toEqual(sumRows(exploded.rows, false));
        expect(exploded.byProducts).toEqual(sumRows(exploded.rows, true));
        expect(summarizedExplosion(graph, request)).toEqual({ requirements: exploded.requirements, byProducts: exploded.byProducts });
        // phantoms that were blown through never show up as requirements
        for (const row of exploded.rows) expect(row.path.length).toBeGreaterThan(row.level);
      }),
      { numRuns: 300 },
    );
  });

  it("low-level code = one more than the deepest parent", () => {
    fc.assert(
      fc.property(dagArb({ phantoms: true, byProducts: true, dates: false }), (lines) => {
        const codes = lowLevelCodes(lines);
        for (const [name, code] of codes) {
          const parents = lines.filter((line) => line.component === name && !line.byProduct).map((line) => codes.get(line.parent) as number);
          expect(code).toBe(parents.length === 0 ? 0 : Math.max(...parents) + 1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("wouldCreateCycle agrees with findCycles on the BOM with the line added", () => {
    fc.assert(
      fc.property(dagArb({ phantoms: false, byProducts: false, dates: false }), fc.nat(9), fc.nat(9), (lines, a, b) => {
        expect(findCycles(lines)).toEqual([]);
        const extra = { parent: item(Math.max(a, b)), component: item(Math.min(a, b)), qtyPer: "1" };
        const predicted = wouldCreateCycle(lines, extra);
        const cycles = findCycles([...lines, extra]);
        expect(predicted !== null).toBe(cycles.length > 0);
        if (predicted !== null) {
          // the predicted loop uses only existing lines plus the new one
          const edges = new Set([...lines, extra].map((line) => `${line.parent}>${line.component}`));
          for (let i = 0; i + 1 < predicted.items.length; i++) {
            expect(edges.has(`${predicted.items[i]}>${predicted.items[i + 1]}`)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("where-used up to the root gives back the explosion's requirement", () => {
    fc.assert(
      fc.property(dagArb({ phantoms: false, byProducts: false, dates: false }), fc.integer({ min: 1, max: 99 }), (lines, qty) => {
        const graph = buildBomGraph(lines);
        const { requirements } = explodeMultiLevel(graph, { item: "I0", qty: String(qty), asOf: "2025-01-01" });
        for (const { component, qty: required } of requirements) {
          const perRoot = whereUsed(graph, component)
            .filter((row) => row.parent === "I0")
            .reduce((sum, row) => sum.plus(row.extendedQty), new Decimal(0));
          expect(perRoot.times(qty).toFixed()).toBe(required);
        }
      }),
      { numRuns: 300 },
    );
  });
});
