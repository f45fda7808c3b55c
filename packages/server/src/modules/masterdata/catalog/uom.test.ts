import { describe, expect, it } from "vitest";
import { type ItemUnits, UomConversionError, type UnitInfo, canonical, convertQty, fitsUnit, roundToUnit, unitDecimals } from "./uom.ts";

const MASS = 1;
const COUNT = 2;
const LENGTH = 3;
const kg: UnitInfo = { id: 1, code: "kg", categoryId: MASS, ratio: "1", rounding: "0.001" };
const g: UnitInfo = { id: 2, code: "g", categoryId: MASS, ratio: "0.001", rounding: "0.1" };
const t: UnitInfo = { id: 3, code: "t", categoryId: MASS, ratio: "1000", rounding: "0.000001" };
const pcs: UnitInfo = { id: 10, code: "pcs", categoryId: COUNT, ratio: "1", rounding: "1" };
const dozen: UnitInfo = { id: 11, code: "dz", categoryId: COUNT, ratio: "12", rounding: "1" };
const box12: UnitInfo = { id: 12, code: "BOX12", categoryId: COUNT, ratio: "12", rounding: "1" };
const m: UnitInfo = { id: 20, code: "m", categoryId: LENGTH, ratio: "1", rounding: "0.01" };
const third: UnitInfo = { id: 13, code: "third", categoryId: COUNT, ratio: "0.333333333333", rounding: "0.000001" };

describe("convertQty within a category", () => {
  it("uses the ratios and rounds to the target unit", () => {
    expect(convertQty("2.5", kg, g)).toBe("2500");
    expect(convertQty("1234.56", g, kg)).toBe("1.235"); // 1.23456 kg, rounded to 0.001 half-up
    expect(convertQty("1234.56", g, kg, { rounding: "down" })).toBe("1.234");
    expect(convertQty("1234.51", g, kg, { rounding: "up" })).toBe("1.235");
    expect(convertQty("3", t, kg)).toBe("3000");
    expect(convertQty("1", g, t)).toBe("0.000001");
    expect(convertQty("0.4", g, t)).toBe("0"); // below the target's rounding
  });

  it("rounds pieces to whole pieces and dozens to whole dozens", () => {
    expect(convertQty("30", pcs, dozen)).toBe("3"); // 2.5 dozen, half-up
    expect(convertQty("30", pcs, dozen, { rounding: "down" })).toBe("2");
    expect(convertQty("25", pcs, dozen, { rounding: "up" })).toBe("3");
    expect(convertQty("2", dozen, pcs)).toBe("24");
  });

  it("keeps the sign and handles zero", () => {
    expect(convertQty("-1.5", kg, g)).toBe("-1500");
    expect(convertQty("-1234.56", g, kg)).toBe("-1.235");
    expect(convertQty("0", kg, g)).toBe("0");
    expect(convertQty("-0.00001", kg, kg)).toBe("0");
  });

  it("the same unit only rounds", () => {
    expect(convertQty("1.23456", kg, kg)).toBe("1.235");
    expect(convertQty("7", pcs, pcs)).toBe("7");
  });

  it("exact decimal arithmetic, no binary floating point", () => {
    // 0.1 + 0.2 style: 0.3 kg in grams is exactly 300, 0.07 kg is exactly 70
    expect(convertQty("0.3", kg, g)).toBe("300");
    expect(convertQty("0.07", kg, g)).toBe("70");
    expect(convertQty("3", third, pcs, { rounding: "none" })).toBe("0.999999999999");
  });

  it("refuses units of different categories without an item", () => {
    expect(() => convertQty("1", kg, pcs)).toThrow(UomConversionError);
    expect(() => convertQty("1", kg, pcs)).toThrow(/no conversion from kg to pcs/);
  });

  it("refuses what is not a number", () => {
    expect(() => convertQty("abc", kg, g)).toThrow(UomConversionError);
    expect(() => convertQty("Infinity", kg, g)).toThrow(UomConversionError);
  });
});

describe("convertQty with an item's alternative units", () => {
  // Capacitors counted in pieces; this item's box holds 10 (not the category's 12); one piece weighs 0.35 kg.
  const capacitor: ItemUnits = {
    base: pcs,
    alternatives: [
      { unit: box12, factor: "10" },
      { unit: kg, factor: "2.857142857143" },
    ],
  };
  // Steel wire kept in kg, 1 m weighs 0.125 kg: 8 m per kg.
  const wire: ItemUnits = { base: kg, alternatives: [{ unit: m, factor: "0.125" }] };

  it("an item factor overrides the category ratio", () => {
    expect(convertQty("3", box12, pcs, { item: capacitor })).toBe("30");
    expect(convertQty("25", pcs, box12, { item: capacitor, rounding: "up" })).toBe("3");
    expect(convertQty("25", pcs, box12, { item: capacitor, rounding: "down" })).toBe("2");
    // dozen has no item factor: it follows the category ratio from the base unit
    expect(convertQty("1", box12, dozen, { item: capacitor, rounding: "none" })).toBe("0.833333333333");
  });

  it("crosses categories through the base unit", () => {
    expect(convertQty("100", pcs, kg, { item: capacitor })).toBe("35"); // 100 / 2.857142857143 = 34.99999…
    expect(convertQty("7", kg, pcs, { item: capacitor })).toBe("20");
    expect(convertQty("40", m, kg, { item: wire })).toBe("5");
    expect(convertQty("5", kg, m, { item: wire })).toBe("40");
  });

  it("reaches units of an alternative's category (g when the item knows kg)", () => {
    expect(convertQty("3500", g, pcs, { item: capacitor })).toBe("10");
    expect(convertQty("2", kg, g, { item: capacitor })).toBe("2000");
    expect(convertQty("1", t, m, { item: wire })).toBe("8000");
  });

  it("refuses a unit the item cannot reach", () => {
    expect(() => convertQty("1", m, pcs, { item: capacitor })).toThrow(UomConversionError);
  });
});

describe("helpers", () => {
  it("roundToUnit, fitsUnit, unitDecimals, canonical", () => {
    expect(roundToUnit("2.0005", kg)).toBe("2.001");
    expect(roundToUnit("2.0005", kg, "down")).toBe("2");
    expect(roundToUnit("7", { rounding: "5" }, "up")).toBe("10");
    expect(fitsUnit("2.5", pcs)).toBe(false);
    expect(fitsUnit("24", dozen)).toBe(true);
    expect(fitsUnit("1.25", { rounding: "0.25" })).toBe(true);
    expect(unitDecimals("1")).toBe(0);
    expect(unitDecimals("0.001")).toBe(3);
    expect(unitDecimals("0.5")).toBe(1);
    expect(unitDecimals("12")).toBe(0);
    expect(canonical("1.2300")).toBe("1.23");
    expect(canonical("1e-7")).toBe("0.0000001");
    expect(canonical("-0")).toBe("0");
    expect(canonical("120")).toBe("120");
  });
});
