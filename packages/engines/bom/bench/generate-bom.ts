import type { BomLine } from "../src/index.ts";

/** mulberry32: small seeded PRNG, so every run builds the same BOM. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedBom {
  root: string;
  lines: BomLine[];
  /** A bought part used all over the structure (for where-used). */
  sharedPart: string;
}

/**
 * A `levels`-deep BOM with exactly `lineCount` lines under one root. Line counts
 * grow ×2.2 per level. About 70 % of lines create a new item (a sub-assembly,
 * which may get its own lines on the next level), 2 % of them phantoms; 30 % use
 * one of 500 shared bought parts. Among the bought-part lines, 1 in 20 has
 * expired, 1 in 20 only starts in the future and 1 in 20 is a by-product, so about
 * 3 % of the lines drop out of an explosion without cutting off whole sub-trees.
 */
export function generateBom(seed: number, levels: number, lineCount: number): GeneratedBom {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const weights = Array.from({ length: levels }, (_, level) => 2.2 ** level);
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const perLevel = weights.map((weight) => Math.max(1, Math.floor((lineCount * weight) / totalWeight)));
  perLevel[levels - 1] += lineCount - perLevel.reduce((sum, count) => sum + count, 0);

  const sharedParts = Array.from({ length: 500 }, (_, n) => `BUY-${n}`);
  const lines: BomLine[] = [];
  let parents = ["ROOT"];
  let itemNumber = 0;
  for (let level = 1; level <= levels; level++) {
    const made: string[] = [];
    for (let n = 0; n < perLevel[level - 1]; n++) {
      // Always make at least one sub-assembly per level so the structure really is `levels` deep.
      const shared = made.length > 0 && random() < 0.3;
      const component = shared ? pick(sharedParts) : `L${level}-${itemNumber++}`;
      const line: BomLine = {
        id: `line-${lines.length + 1}`,
        parent: pick(parents),
        component,
        qtyPer: (1 + Math.floor(random() * 4000) / 1000).toFixed(3),
        scrapPct: random() < 0.2 ? String(Math.floor(random() * 10)) : "0",
      };
      const roll = random();
      if (!shared && roll < 0.02) line.phantom = true;
      if (shared && roll < 0.05) line.effectiveTo = "2024-06-01";
      else if (shared && roll < 0.1) line.effectiveFrom = "2026-01-01";
      else if (shared && roll < 0.15) line.byProduct = true;
      lines.push(line);
      if (!shared) made.push(component);
    }
    parents = made;
  }
  return { root: "ROOT", lines, sharedPart: sharedParts[0] };
}
