import { Decimal as GlobalDecimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BomCycleError, buildBomGraph, explodeMultiLevel, summarizedExplosion } from "./index.ts";
import type { BomLine, ComponentTotal, Explosion, ExplosionRequest, ExplosionRow } from "./types.ts";

/**
 * The optimised explosion (scaled BigInt quantities, item indexes, explicit stack)
 * against a deliberately naive one: recursion, a filter over all lines per item,
 * decimal.js arithmetic, string-keyed totals. Every field of every row must match.
 */

const Decimal = GlobalDecimal.clone({ precision: 1000, toExpNeg: -1000, toExpPos: 1000 });
type Decimal = InstanceType<typeof Decimal>;

function referenceExplosion(lines: readonly BomLine[], request: ExplosionRequest): Explosion {
  const { asOf } = request;
  const maxLevels = request.maxLevels ?? Number.POSITIVE_INFINITY;
  const maxRows = request.maxRows ?? 1_000_000;
  const effectiveBom = (item: string) =>
    lines.filter(
      (line) =>
        line.parent === item &&
        (line.effectiveFrom === undefined || line.effectiveFrom <= asOf) &&
        (line.effectiveTo === undefined || asOf < line.effectiveTo),
    );
  const rows: ExplosionRow[] = [];
  const requirements = new Map<string, Decimal>();
  const byProducts = new Map<string, Decimal>();
  const addTo = (totals: Map<string, Decimal>, item: string, qty: Decimal) =>
    totals.set(item, (totals.get(item) ?? new Decimal(0)).plus(qty));

  const explode = (item: string, qty: Decimal, level: number, path: string[], viaPhantom: boolean): void => {
    for (const line of effectiveBom(item)) {
      const scrapPct = line.scrapPct ?? "0";
      const scrapFactor = line.byProduct ? new Decimal(1) : new Decimal(scrapPct).div(100).plus(1);
      const extendedQty = qty.times(line.qtyPer).times(scrapFactor);
      const rowPath = [...path, line.component];
      const row = (hasComponents: boolean): ExplosionRow => {
        const result: ExplosionRow = {
          level,
          path: rowPath,
          parent: line.parent,
          component: line.component,
          qtyPer: line.qtyPer,
          scrapPct,
          extendedQty: extendedQty.toFixed(),
          byProduct: line.byProduct === true,
          viaPhantom,
          hasComponents,
        };
        if (line.id !== undefined) result.lineId = line.id;
        return result;
      };
      if (line.byProduct) {
        rows.push(row(false));
        addTo(byProducts, line.component, extendedQty);
      } else {
        if (path.includes(line.component)) throw new BomCycleError([...path.slice(path.indexOf(line.component)), line.component]);
        const hasComponents = effectiveBom(line.component).length > 0;
        if (line.phantom && hasComponents) {
          explode(line.component, extendedQty, level, rowPath, true);
          continue;
        }
        rows.push(row(hasComponents));
        addTo(requirements, line.component, extendedQty);
        if (rows.length <= maxRows && level < maxLevels) explode(line.component, extendedQty, level + 1, rowPath, false);
      }
      if (rows.length > maxRows) throw new Error(`more than ${maxRows} rows`);
    }
  };
  explode(request.item, new Decimal(request.qty), 1, [request.item], false);
  const sorted = (totals: Map<string, Decimal>): ComponentTotal[] =>
    [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([component, qty]) => ({ component, qty: qty.toFixed() }));
  return { rows, requirements: sorted(requirements), byProducts: sorted(byProducts) };
}

/** What a call gives: its result, or the kind and text of its error. */
function outcome<T>(run: () => T): { result: T } | { error: string } {
  try {
    return { result: run() };
  } catch (error) {
    const { name, message } = error as Error;
    // The reference cannot build a TooManyRowsError; compare only that the limit was hit.
    return { error: name === "TooManyRowsError" || message.startsWith("more than") ? "too many rows" : `${name}: ${message}` };
  }
}

const DATES = ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"];
// Plain decimals of varied scale, some with trailing or leading zeros (echoed as given, computed as values).
const decimalText = fc.oneof(
  fc.integer({ min: 1, max: 9999 }).map((n) => (n / 1000).toFixed(3)),
  fc.integer({ min: 1, max: 50 }).map(String),
  fc.constantFrom("0.5", "2.50", "1.000", "007.25", "0.0001", "123456789.987654321"),
);
const scrapText = fc.oneof(fc.constant(undefined), fc.constantFrom("0", "0.00", "5", "12.5", "33.333", "100"));

/** Random BOM over a few items: shared sub-assemblies, phantoms, by-products, date windows, and sometimes a loop. */
const bomArb = fc.integer({ min: 2, max: 8 }).chain((itemCount) =>
  fc
    .array(
      fc.record({
        parent: fc.nat(itemCount - 1),
        component: fc.nat(itemCount - 1),
        qtyPer: decimalText,
        scrapPct: scrapText,
        phantom: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
        byProduct: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
        window: fc.tuple(fc.nat(DATES.length), fc.nat(DATES.length)),
        withId: fc.boolean(),
        // Mostly downwards (a DAG); upward lines can close a loop.
        upward: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
      }),
      { minLength: 1, maxLength: 30 },
    )
    .map((specs) =>
      specs.flatMap((spec, n): BomLine[] => {
        let [from, to] = spec.parent <= spec.component ? [spec.parent, spec.component] : [spec.component, spec.parent];
        if (spec.upward) [from, to] = [to, from];
        else if (from === to) return [];
        const line: BomLine = { parent: `I${from}`, component: `I${to}`, qtyPer: spec.qtyPer };
        if (spec.withId) line.id = `line-${n}`;
        if (spec.scrapPct !== undefined) line.scrapPct = spec.scrapPct;
        if (spec.phantom) line.phantom = true;
        if (spec.byProduct) line.byProduct = true;
        const [a, b] = spec.window;
        if (a > 0) line.effectiveFrom = DATES[a - 1];
        if (b > a && b < DATES.length) line.effectiveTo = DATES[b];
        return [line];
      }),
    ),
);

const requestArb = fc.record({
  qty: fc.constantFrom("1", "10", "0.001", "250.50", "3.14159"),
  asOf: fc.constantFrom(...DATES),
  maxLevels: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  maxRows: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
});

describe("explosion against a naive reference", () => {
  it("gives the same rows, totals and errors on random BOMs", () => {
    fc.assert(
      fc.property(bomArb, requestArb, (lines, options) => {
        const request: ExplosionRequest = { item: "I0", qty: options.qty, asOf: options.asOf };
        if (options.maxLevels !== undefined) request.maxLevels = options.maxLevels;
        if (options.maxRows !== undefined) request.maxRows = options.maxRows;
        const expected = outcome(() => referenceExplosion(lines, request));
        // Same result from raw lines and from a graph built once (and reused, so its cached state is exercised).
        const graph = buildBomGraph(lines);
        expect(outcome(() => explodeMultiLevel(lines, request))).toStrictEqual(expected);
        expect(outcome(() => explodeMultiLevel(graph, request))).toStrictEqual(expected);
        expect(outcome(() => explodeMultiLevel(graph, request))).toStrictEqual(expected);

        if (request.maxLevels === undefined && request.maxRows === undefined) {
          const summarized = outcome(() => summarizedExplosion(graph, request));
          if ("result" in expected) {
            expect(summarized).toStrictEqual({ result: { requirements: expected.result.requirements, byProducts: expected.result.byProducts } });
          } else {
            expect("error" in summarized && summarized.error.startsWith("BomCycleError")).toBe(true);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps sums exact when totals of different scales meet", () => {
    const lines: BomLine[] = [
      { parent: "A", component: "X", qtyPer: "0.1" },
      { parent: "A", component: "X", qtyPer: "2.000", scrapPct: "0.05" },
      { parent: "A", component: "X", qtyPer: "7" },
    ];
    const request = { item: "A", qty: "1.5", asOf: "2025-01-01" };
    // 1.5 × (0.1 + 2 × 1.0005 + 7) = 1.5 × 9.101 = 13.6515
    expect(explodeMultiLevel(lines, request).requirements).toEqual([{ component: "X", qty: "13.6515" }]);
    expect(explodeMultiLevel(lines, request)).toStrictEqual(referenceExplosion(lines, request));
  });
});
