export { createValuationState, type NewValuationState } from "./state.ts";
export { valueMove, valueMoves } from "./value-move.ts";
export { inventoryValueAsOf, type InventoryValue, type InventoryValueLine } from "./inventory-value.ts";
export {
  CostingError,
  type CostingErrorCode,
  InvalidInputError,
  LayerConsumedError,
  NegativeStockError,
  NoKnownCostError,
} from "./errors.ts";
export { MONEY_SCALE, UNIT_COST_SCALE } from "./decimal.ts";
export type {
  Balance,
  CustomerReturnMove,
  EntryLookup,
  FifoLayer,
  IssueMove,
  LayerPiece,
  MoveKind,
  ReceiptMove,
  ReversalMove,
  ShortagePiece,
  StandardCostChangeMove,
  StockMove,
  SupplierReturnMove,
  ValuationEntry,
  ValuationMethod,
  ValuationState,
  ValueMoveOptions,
  ValueMoveResult,
  ValueMovesResult,
} from "./types.ts";
export { rollUpCosts } from "./rollup/cost-rollup.ts";
export type {
  ComponentCost,
  CostElements,
  CostRollupInput,
  RolledUpItemCost,
  RollupBomLine,
  RollupOperation,
  RollupRouting,
  WorkCenterRates,
} from "./rollup/types.ts";
