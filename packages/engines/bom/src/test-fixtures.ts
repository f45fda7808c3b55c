import type { BomLine } from "./types.ts";

/**
 * Test fixture: a bike.
 *
 *   BIKE
 *   ├─ FRAME-ASSY ×1
 *   │  ├─ TUBE ×3 (10 % scrap)
 *   │  └─ PAINT ×0.25
 *   ├─ WHEEL ×2
 *   │  ├─ RIM ×1
 *   │  ├─ SPOKE ×32 (5 % scrap)
 *   │  └─ HUB ×1
 *   │     ├─ BEARING ×2
 *   │     ├─ SHELL ×1
 *   │     └─ SWARF 0.05 (by-product)
 *   ├─ KIT ×1 (phantom)
 *   │  ├─ BOLT ×4
 *   │  └─ MANUAL ×1
 *   ├─ OLD-BOX ×1   until 2025-03-01 (exclusive)
 *   └─ PACKAGING ×1 from 2025-03-01
 */
export const bikeLines: BomLine[] = [
  { id: "L1", parent: "BIKE", component: "FRAME-ASSY", qtyPer: "1" },
  { id: "L2", parent: "BIKE", component: "WHEEL", qtyPer: "2" },
  { id: "L3", parent: "BIKE", component: "KIT", qtyPer: "1", phantom: true },
  { id: "L4", parent: "BIKE", component: "OLD-BOX", qtyPer: "1", effectiveTo: "2025-03-01" },
  { id: "L5", parent: "BIKE", component: "PACKAGING", qtyPer: "1", effectiveFrom: "2025-03-01" },
  { id: "L6", parent: "FRAME-ASSY", component: "TUBE", qtyPer: "3", scrapPct: "10" },
  { id: "L7", parent: "FRAME-ASSY", component: "PAINT", qtyPer: "0.25" },
  { id: "L8", parent: "WHEEL", component: "RIM", qtyPer: "1" },
  { id: "L9", parent: "WHEEL", component: "SPOKE", qtyPer: "32", scrapPct: "5" },
  { id: "L10", parent: "WHEEL", component: "HUB", qtyPer: "1" },
  { id: "L11", parent: "HUB", component: "BEARING", qtyPer: "2" },
  { id: "L12", parent: "HUB", component: "SHELL", qtyPer: "1" },
  { id: "L13", parent: "HUB", component: "SWARF", qtyPer: "0.05", byProduct: true },
  { id: "L14", parent: "KIT", component: "BOLT", qtyPer: "4" },
  { id: "L15", parent: "KIT", component: "MANUAL", qtyPer: "1" },
];
