/**
 * Public types of the valuation engine. Every quantity and amount crossing the
 * API is a decimal string; signs follow the stock: receipts positive, issues negative.
 */

export type ValuationMethod = "moving_average" | "fifo" | "standard";

/** One open FIFO layer: what is left of one inbound move. */
export interface FifoLayer {
  /** Position in FIFO order (lower = older). Unique within a state. */
  seq: number;
  /** Move that created the layer. */
  sourceMoveId: string;
  /** Quantity still in the layer (> 0). */
  qty: string;
  /** Value still in the layer, 2 dp. */
  value: string;
  /** Cost per unit of the layer, 6 dp. */
  unitCost: string;
}

/**
 * Valuation of one item in one valuation scope (company, warehouse...). Plain
 * JSON: store it as is, feed it back to `valueMove` for the next move.
 */
export interface ValuationState {
  schemaVersion: 1;
  /** Opaque valuation key chosen by the caller, e.g. "ACME/WH1/SKU-42". */
  key: string;
  method: ValuationMethod;
  /** On-hand quantity (negative when stock went negative). */
  qty: string;
  /** Inventory value, 2 dp. Always the sum of the values of all moves so far. */
  value: string;
  /**
   * moving_average: the average (value / qty) while qty > 0, else the last known average.
   * fifo: cost of the newest open layer, else the last known incoming cost.
   * standard: the standard cost.
   * null until a cost is known.
   */
  unitCost: string | null;
  /** FIFO only: open layers, oldest first. Empty for the other methods. */
  layers: FifoLayer[];
  /** FIFO only: seq of the next layer. */
  nextLayerSeq: number;
}

interface MoveBase {
  /** Unique id of the move (stock ledger entry). */
  id: string;
  /** ISO date (YYYY-MM-DD) or date-time; only used by `inventoryValueAsOf`. Moves are valued in the order given. */
  date: string;
}

/** Goods in from a supplier or production. Give the cost either per unit or as a total amount. */
export interface ReceiptMove extends MoveBase {
  kind: "receipt";
  qty: string;
  unitCost?: string;
  amount?: string;
}

/** Goods out (sale, consumption, scrap). */
export interface IssueMove extends MoveBase {
  kind: "issue";
  qty: string;
  /** Cost used for quantity beyond stock on hand when the item has no known cost yet. */
  fallbackUnitCost?: string;
}

/** Goods sent back to the supplier, valued at the cost of the receipt they came in with. */
export interface SupplierReturnMove extends MoveBase {
  kind: "supplier_return";
  qty: string;
  /** The receipt being returned. */
  originalMoveId: string;
}

/** Goods coming back from a customer, valued at the cost of the issue they left with. */
export interface CustomerReturnMove extends MoveBase {
  kind: "customer_return";
  qty: string;
  /** The issue being returned. */
  originalMoveId: string;
}

/** Cancels an earlier move: exact opposite quantity and value. */
export interface ReversalMove extends MoveBase {
  kind: "reversal";
  originalMoveId: string;
}

/** Standard method only: sets a new standard cost and revalues stock on hand. */
export interface StandardCostChangeMove extends MoveBase {
  kind: "standard_cost_change";
  standardCost: string;
}

export type StockMove =
  | ReceiptMove
  | IssueMove
  | SupplierReturnMove
  | CustomerReturnMove
  | ReversalMove
  | StandardCostChangeMove;

export type MoveKind = StockMove["kind"];

/** Quantity, value and unit cost of a state at one moment (as in a stock ledger's running balance). */
export interface Balance {
  qty: string;
  value: string;
  unitCost: string | null;
}

/** A piece of a FIFO layer taken out of (or put back into) stock. */
export interface LayerPiece {
  seq: number;
  sourceMoveId: string;
  qty: string;
  /** Value of the piece, positive, 2 dp. */
  value: string;
  unitCost: string;
}

/** Negative stock created or covered by a move: quantity and the value booked for it (negative). */
export interface ShortagePiece {
  qty: string;
  value: string;
}

/**
 * The valuation of one move: what the server stores in its stock ledger and
 * posts to the general ledger. Later returns and reversals are valued from it.
 */
export interface ValuationEntry {
  moveId: string;
  key: string;
  method: ValuationMethod;
  kind: MoveKind;
  date: string;
  /** Signed quantity: receipts positive, issues negative, 0 for a standard cost change. */
  qty: string;
  /** Signed change of inventory value, 2 dp. Includes `adjustment`. */
  value: string;
  /** Cost per unit this move was valued at, 6 dp (|nominal value| / |qty|, or the standard). */
  unitCost: string;
  /**
   * Part of `value` that is not the move's own amount, 2 dp: the correction of earlier
   * negative stock to this receipt's cost, or a residue written off so that zero
   * quantity has zero value (or, for standard, stock stays at quantity × standard).
   * Post it to a price-difference / stock-adjustment account.
   */
  adjustment: string;
  /**
   * Standard method: amount at actual (or original) cost minus `value`, 2 dp.
   * Positive = debit to the variance account (e.g. paid more than standard). Not part of `value`.
   * "0.00" for moving average and FIFO.
   */
  variance: string;
  /** For returns and reversals: the move they refer to. */
  originalMoveId?: string;
  /** FIFO: pieces of layers taken out by this move. */
  layersConsumed?: LayerPiece[];
  /** FIFO: pieces put back into layers (reversal of an outbound move). */
  layersRestored?: LayerPiece[];
  /** FIFO: the layer this move created. */
  layerCreated?: LayerPiece;
  /** Negative stock created by this move (the part issued beyond stock on hand). */
  shortage?: ShortagePiece;
  /** Negative stock covered by this inbound move, with the value that had been booked for it. */
  shortageFilled?: ShortagePiece;
  before: Balance;
  after: Balance;
}

/** Finds the stored entry of an earlier move (returns and reversals need it). */
export type EntryLookup = (moveId: string) => ValuationEntry | undefined;

export interface ValueMoveOptions {
  /** Allow issues beyond stock on hand (default false: NegativeStockError). */
  allowNegativeStock?: boolean;
  /** Where to find the original of a return or reversal. */
  lookup?: EntryLookup;
}

export interface ValueMoveResult {
  state: ValuationState;
  entry: ValuationEntry;
}

export interface ValueMovesResult {
  state: ValuationState;
  entries: ValuationEntry[];
}
