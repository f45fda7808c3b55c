/**
 * Property tests on random acyclic multi-level BOMs (fast-check). decimal.js
 * serves as an independent oracle for the arithmetic.
 *
 * Coverage, precisely: for every item and period t (1-based),
 *   - if t > leadTime, projected on hand(t) >= safety stock: a planned order
 *     released in period 1 or later can arrive in t, so netting always covers
 *     demand and safety stock there;
 *   - if t <= leadTime only a release before period 1 (past due) could add
 *     supply in t; projected on hand may end below safety stock there, and
 *     exactly those periods carry a "below-safety-stock" exception.
 */
import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mrpResultToJson } from "./json.ts";
import { ALLOCATED_PREFIX, LOT_SIZE_EXCESS_PREFIX, SAFETY_STOCK_PREFIX } from "./pegging.ts";
import { runMrp } from "./run-mrp.ts";
import type { LotSizing, MrpInput, MrpItemInput, MrpOutputJson } from "./types.ts";

const D = (value: Decimal.Value) => new Decimal(value);
const sum = (values: readonly Decimal.Value[]) => values.reduce<Decimal>((acc, v) => acc.plus(v), D(0));
const roundUp = (value: Decimal, decimals: number) => value.toDecimalPlaces(decimals, Decimal.ROUND_CEIL);

const quantity = fc.oneof(
  fc.integer({ min: 0, max: 60 }),
  fc.integer({ min: 0, max: 6000 }).map((v) => (v / 100).toFixed(2)),
);
const lotSizing: fc.Arbitrary<LotSizing> = fc.oneof(
  fc.constant<LotSizing>({ rule: "lot-for-lot" }),
  fc.integer({ min: 1, max: 40 }).map((qty): LotSizing => ({ rule: "fixed", qty })),
  fc.integer({ min: 1, max: 40 }).map((qty): LotSizing => ({ rule: "multiple", qty })),
  fc
    .record({ min: fc.integer({ min: 0, max: 30 }), extra: fc.integer({ min: 0, max: 60 }), multiple: fc.integer({ min: 1, max: 10 }) })
    .map(({ min, extra, multiple }): LotSizing => ({
      rule: "min-max-multiple",
      min,
      max: (Math.ceil(Math.max(min, 1) / multiple) + Math.floor(extra / multiple)) * multiple,
      multiple,
    })),
  fc.integer({ min: 1, max: 4 }).map((periods): LotSizing => ({ rule: "periods-of-supply", periods })),
  fc
    .record({ setupCost: fc.integer({ min: 0, max: 500 }), holding: fc.constantFrom(1, "0.5", "2.25") })
    .map(({ setupCost, holding }): LotSizing => ({ rule: "eoq", setupCost, holdingCostPerPeriod: holding })),
);

/** A random MRP input whose BOM only points from earlier to later items (acyclic), ids shuffled. */
const mrpInput: fc.Arbitrary<MrpInput> = fc
  .record({
    ids: fc.uniqueArray(fc.stringMatching(/^[A-Z][0-9]?$/), { minLength: 1, maxLength: 7 }),
    periods: fc.integer({ min: 1, max: 8 }),
  })
  .chain(({ ids, periods }) => {
    const n = ids.length;
    const item = fc.record(
      {
        leadTime: fc.integer({ min: 0, max: 3 }),
        onHand: quantity,
        allocated: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
        safetyStock: fc.option(quantity, { nil: undefined }),
        decimals: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
        yieldPct: fc.option(fc.constantFrom(100, 90, "95.5", 80), { nil: undefined }),
        makeOrBuy: fc.option(fc.constantFrom<"make" | "buy">("make", "buy"), { freq: 4, nil: undefined }),
        lotSizing,
      },
      { requiredKeys: ["leadTime", "onHand", "lotSizing"] },
    );
    const pairs: [number, number][] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]);
    const line = fc.record({
      qtyPer: fc.constantFrom<number | string>(1, 2, 3, "0.5", "1.25", "0.333"),
      scrapPct: fc.option(fc.constantFrom<number | string>("2.5", 10), { freq: 3, nil: undefined }),
    });
    return fc.record({
      periods: fc.constant(periods),
      items: fc.tuple(...ids.map(() => item)).map((list) =>
        list.map((it, i): MrpItemInput => {
          const out: MrpItemInput = { id: ids[i] };
          for (const [key, value] of Object.entries(it)) if (value !== undefined) Object.assign(out, { [key]: value });
          return out;
        }),
      ),
      bom: fc
        .tuple(...pairs.map(() => fc.option(line, { freq: 2, nil: undefined })))
        .map((lines) =>
          lines.flatMap((l, k) => (l ? [{ parent: ids[pairs[k][0]], component: ids[pairs[k][1]], ...strip(l) }] : [])),
        ),
      scheduledReceipts: fc.array(
        fc.record({ item: fc.constantFrom(...ids), period: fc.integer({ min: 1, max: periods }), qty: quantity }),
        { maxLength: 4 },
      ),
      demand: fc.array(
        fc.record({
          item: fc.constantFrom(...ids),
          period: fc.integer({ min: 1, max: periods }),
          qty: quantity,
          ref: fc.constantFrom("SO-1", "SO-2", "SO-3", "FC-9"),
        }),
        { maxLength: 8 },
      ),
    });
  });

function strip<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const RUNS = { numRuns: 300 };

function itemInput(input: MrpInput, id: string): MrpItemInput {
  return input.items.find((i) => i.id === id) as MrpItemInput;
}

describe("properties on random multi-level BOMs", () => {
  it("records balance exactly and cover demand and safety stock wherever a release can still arrive", () => {
    fc.assert(
      fc.property(mrpInput, (input) => {
        const json = mrpResultToJson(runMrp(input));
        for (const record of json.items) {
          const spec = itemInput(input, record.id);
          const ss = D(spec.safetyStock ?? 0);
          let previous = D(spec.onHand ?? 0).minus(spec.allocated ?? 0);
          const belowSs = new Set(
            json.exceptions.filter((e) => e.item === record.id && e.type === "below-safety-stock").map((e) => e.period),
          );
          for (let t = 1; t <= input.periods; t++) {
            const i = t - 1;
            const beforePlanning = previous.plus(record.scheduledReceipts[i]).minus(record.grossRequirements[i]);
            const projected = D(record.projectedOnHand[i]);
            expect(projected.equals(beforePlanning.plus(record.plannedOrderReceipts[i]))).toBe(true);
            expect(D(record.netRequirements[i]).equals(Decimal.max(0, ss.minus(beforePlanning)))).toBe(true);
            if (t > (spec.leadTime ?? 0)) expect(projected.gte(ss)).toBe(true);
            else expect(D(record.plannedOrderReceipts[i]).isZero()).toBe(true);
            expect(belowSs.has(t)).toBe(projected.lt(ss));
            previous = projected;
          }
        }
      }),
      RUNS,
    );
  });

  it("explodes exactly: gross = demand + parents' releases × qtyPer × (1 + scrap), rounded up", () => {
    fc.assert(
      fc.property(mrpInput, (input) => {
        const json = mrpResultToJson(runMrp(input));
        const decimalsOf = (id: string) => itemInput(input, id).decimals ?? 0;
        const isMake = (id: string) =>
          (itemInput(input, id).makeOrBuy ?? ((input.bom ?? []).some((l) => l.parent === id) ? "make" : "buy")) === "make";
        for (const record of json.items) {
          for (let t = 1; t <= input.periods; t++) {
            const independent = sum((input.demand ?? []).filter((d) => d.item === record.id && d.period === t).map((d) => d.qty));
            const dependent = (input.bom ?? [])
              .filter((l) => l.component === record.id && isMake(l.parent))
              .flatMap((l) =>
                json.plannedOrders
                  .filter((o) => o.item === l.parent && o.releasePeriod === t)
                  .map((o) =>
                    roundUp(D(o.releaseQuantity).times(l.qtyPer).times(D(100).plus(l.scrapPct ?? 0)).div(100), decimalsOf(record.id)),
                  ),
              );
            expect(D(record.grossRequirements[t - 1]).equals(independent.plus(sum(dependent)))).toBe(true);
          }
        }
        for (const order of json.plannedOrders) {
          const spec = itemInput(input, order.item);
          const expected = roundUp(D(order.quantity).times(100).div(spec.yieldPct ?? 100), spec.decimals ?? 0);
          expect(D(order.releaseQuantity).equals(expected)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("sizes every order by its item's rule and adds orders up to the record rows", () => {
    fc.assert(
      fc.property(mrpInput, (input) => {
        const json = mrpResultToJson(runMrp(input));
        for (const record of json.items) {
          const spec = itemInput(input, record.id);
          const step = D(10).pow(-(spec.decimals ?? 0));
          const orders = json.plannedOrders.filter((o) => o.item === record.id);
          for (let t = 1; t <= input.periods; t++) {
            const received = orders.filter((o) => o.receiptPeriod === t);
            expect(sum(received.map((o) => o.quantity)).equals(record.plannedOrderReceipts[t - 1])).toBe(true);
            const released = orders.filter((o) => o.releasePeriod === t);
            expect(sum(released.map((o) => o.releaseQuantity)).equals(record.plannedOrderReleases[t - 1])).toBe(true);
            const net = D(record.netRequirements[t - 1]);
            if (received.length === 0) continue;
            const total = sum(received.map((o) => o.quantity));
            expect(total.gte(net)).toBe(true);
            const rule = spec.lotSizing ?? { rule: "lot-for-lot" };
            if (rule.rule === "lot-for-lot") expect(total.equals(roundUp(net, spec.decimals ?? 0))).toBe(true);
            if (rule.rule === "fixed") for (const o of received) expect(D(o.quantity).equals(rule.qty)).toBe(true);
            if (rule.rule === "multiple") expect(total.mod(rule.qty).isZero()).toBe(true);
            if (rule.rule === "min-max-multiple") {
              for (const o of received) {
                expect(D(o.quantity).mod(rule.multiple ?? 1).isZero()).toBe(true);
                expect(D(o.quantity).lte(rule.max ?? Number.POSITIVE_INFINITY)).toBe(true);
                expect(D(o.quantity).gte(rule.min ?? 0)).toBe(true);
              }
            }
          }
          for (const o of orders) expect(D(o.quantity).mod(step).isZero()).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("pegs every planned order and every dependent requirement exactly, to known refs", () => {
    fc.assert(
      fc.property(mrpInput, (input) => {
        const json = mrpResultToJson(runMrp(input));
        const ids = new Set(input.items.map((i) => i.id));
        const refs = new Set((input.demand ?? []).map((d) => d.ref));
        const known = (ref: string) =>
          refs.has(ref) ||
          [SAFETY_STOCK_PREFIX, LOT_SIZE_EXCESS_PREFIX, ALLOCATED_PREFIX].some(
            (p) => ref.startsWith(p) && ids.has(ref.slice(p.length)),
          );
        for (const order of json.plannedOrders) {
          expect(sum(order.pegging.map((p) => p.qty)).equals(order.quantity)).toBe(true);
          for (const p of order.pegging) {
            expect(known(p.ref)).toBe(true);
            expect(D(p.qty).gt(0)).toBe(true);
          }
        }
        for (const record of json.items) {
          for (const dep of record.dependentRequirements) {
            expect(sum(dep.pegging.map((p) => p.qty)).equals(dep.qty)).toBe(true);
            for (const p of dep.pegging) expect(known(p.ref)).toBe(true);
          }
          // the dependent requirements and the demand lines make up the gross requirements
          for (let t = 1; t <= input.periods; t++) {
            const deps = record.dependentRequirements.filter((d) => d.period === t).map((d) => d.qty);
            const demand = (input.demand ?? []).filter((d) => d.item === record.id && d.period === t).map((d) => d.qty);
            expect(sum([...deps, ...demand]).equals(record.grossRequirements[t - 1])).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it("does not depend on the engine's internal quantity scale", () => {
    // an unrelated item with 6 decimals forces the internal scale to 10^-6
    fc.assert(
      fc.property(mrpInput, (input) => {
        const widened: MrpInput = {
          ...input,
          items: [...input.items, { id: "zz-fine", decimals: 6 }],
          demand: [...(input.demand ?? []), { item: "zz-fine", period: 1, qty: "0.000001", ref: "FINE" }],
        };
        const a = mrpResultToJson(runMrp(input));
        const b = mrpResultToJson(runMrp(widened));
        expect(b.items.filter((i) => i.id !== "zz-fine")).toEqual(a.items);
        expect(b.plannedOrders.filter((o) => o.item !== "zz-fine")).toEqual(a.plannedOrders);
        expect(b.exceptions.filter((e) => e.item !== "zz-fine")).toEqual(a.exceptions);
      }),
      RUNS,
    );
  });

  it("does not depend on the order of the input lists", () => {
    fc.assert(
      fc.property(mrpInput, fc.integer(), (input, seed) => {
        const random = lcg(seed);
        const shuffled: MrpInput = {
          periods: input.periods,
          items: shuffle(input.items, random),
          bom: shuffle(input.bom ?? [], random),
          scheduledReceipts: shuffle(input.scheduledReceipts ?? [], random),
          demand: shuffle(input.demand ?? [], random),
        };
        const a: MrpOutputJson = mrpResultToJson(runMrp(input));
        const b: MrpOutputJson = mrpResultToJson(runMrp(shuffled));
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      RUNS,
    );
  });
});

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function shuffle<T>(list: readonly T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
