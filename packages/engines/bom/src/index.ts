export { BomGraph, type BomSource, buildBomGraph } from "./graph.ts";
export { assertNoCycle, findCycles, wouldCreateCycle } from "./cycles.ts";
export { lowLevelCodes } from "./low-level-codes.ts";
export { explodeMultiLevel, explodeSingleLevel } from "./explosion.ts";
export { summarizedExplosion } from "./summarized.ts";
export { whereUsed, whereUsedSingleLevel } from "./where-used.ts";
export { BomCycleError, BomError, type BomErrorCode, BomInputError, TooManyRowsError } from "./errors.ts";
export type {
  BomCycle,
  BomLine,
  ComponentTotal,
  Explosion,
  ExplosionRequest,
  ExplosionRow,
  StructureOptions,
  SummarizedExplosion,
  WhereUsedOptions,
  WhereUsedRow,
} from "./types.ts";
