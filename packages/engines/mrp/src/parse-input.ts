/**
 * `parseMrpInput`: untrusted JSON in, a clean `MrpInput` out, or an
 * `MrpInputError` naming the first bad field.
 */
import { compileModel } from "./compile.ts";
import type {
  LotSizing,
  MrpBomLineInput,
  MrpDemandInput,
  MrpInput,
  MrpItemInput,
  MrpScheduledReceiptInput,
} from "./types.ts";
import { describe, expectArray, expectObject, fail, optionalArray } from "./validate.ts";

const RULES = ["lot-for-lot", "fixed", "multiple", "min-max-multiple", "periods-of-supply", "eoq"];

function pick<T extends object>(source: Record<string, unknown>, keys: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out as T;
}

function normalizeLotSizing(value: unknown, path: string): LotSizing {
  const obj = expectObject(value, path);
  const rule = obj.rule;
  if (typeof rule !== "string" || !RULES.includes(rule)) {
    fail(`${path}.rule`, `unknown lot-sizing rule ${describe(rule)} (expected one of ${RULES.join(", ")})`);
  }
  return pick<LotSizing>(obj, ["rule", "qty", "min", "max", "multiple", "periods", "setupCost", "holdingCostPerPeriod"]);
}

/**
 * Validates untrusted JSON and returns a clean `MrpInput` (only the known
 * fields, rules checked, references resolved, BOM checked for cycles).
 * Throws `MrpInputError` naming the first offending field.
 */
export function parseMrpInput(json: unknown): MrpInput {
  const root = expectObject(json, "input");
  const items = expectArray(root.items, "items").map((raw, i): MrpItemInput => {
    const obj = expectObject(raw, `items[${i}]`);
    const item = pick<MrpItemInput>(obj, [
      "id", "leadTime", "onHand", "allocated", "safetyStock", "yieldPct", "makeOrBuy", "decimals",
    ]);
    if (obj.lotSizing !== undefined) item.lotSizing = normalizeLotSizing(obj.lotSizing, `items[${i}].lotSizing`);
    return item;
  });
  const bom = optionalArray(root.bom, "bom").map((raw, i) =>
    pick<MrpBomLineInput>(expectObject(raw, `bom[${i}]`), ["parent", "component", "qtyPer", "scrapPct"]),
  );
  const scheduledReceipts = optionalArray(root.scheduledReceipts, "scheduledReceipts").map((raw, i) =>
    pick<MrpScheduledReceiptInput>(expectObject(raw, `scheduledReceipts[${i}]`), ["item", "period", "qty"]),
  );
  const demand = optionalArray(root.demand, "demand").map((raw, i) =>
    pick<MrpDemandInput>(expectObject(raw, `demand[${i}]`), ["item", "period", "qty", "ref"]),
  );
  const input: MrpInput = { periods: root.periods as number, items, bom, scheduledReceipts, demand };
  compileModel(input); // every semantic check lives there; runMrp repeats it for direct callers
  return input;
}

