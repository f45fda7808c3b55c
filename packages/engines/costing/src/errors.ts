/** Machine-readable reason carried by every error the engine throws. */
export type CostingErrorCode =
  | "INVALID_INPUT"
  | "NEGATIVE_STOCK"
  | "NO_KNOWN_COST"
  | "ORIGINAL_NOT_FOUND"
  | "ORIGINAL_MISMATCH"
  | "ALREADY_REVERSED"
  | "RETURN_EXCEEDS_ORIGINAL"
  | "LAYER_CONSUMED"
  | "REVERSAL_BLOCKED"
  | "BOM_CYCLE"
  | "MISSING_COST";

export class CostingError extends Error {
  readonly code: CostingErrorCode;
  constructor(code: CostingErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Malformed move, state or roll-up input (bad decimal, unknown kind, wrong method...). */
export class InvalidInputError extends CostingError {
  constructor(message: string) {
    super("INVALID_INPUT", message);
  }
}

/** The move would take (or push further) the on-hand quantity below zero and negative stock is not allowed. */
export class NegativeStockError extends CostingError {
  constructor(
    readonly key: string,
    readonly moveId: string,
    readonly onHand: string,
    readonly requested: string,
    reason = "negative stock is not allowed",
  ) {
    super("NEGATIVE_STOCK", `move ${moveId} on ${key}: needs ${requested} but only ${onHand} on hand (${reason})`);
  }
}

/** Negative stock must be valued but no cost has ever been known for the item and the move gave no fallback. */
export class NoKnownCostError extends CostingError {
  constructor(
    readonly key: string,
    readonly moveId: string,
  ) {
    super(
      "NO_KNOWN_COST",
      `move ${moveId} on ${key}: issuing beyond stock on hand needs a cost, but none is known; pass fallbackUnitCost`,
    );
  }
}

/** A FIFO layer that a reversal must remove was already (partly) consumed. */
export class LayerConsumedError extends CostingError {
  constructor(
    readonly key: string,
    readonly moveId: string,
    readonly originalMoveId: string,
    readonly remainingQty: string,
    readonly originalQty: string,
  ) {
    super(
      "LAYER_CONSUMED",
      `cannot reverse ${originalMoveId} on ${key} (move ${moveId}): only ${remainingQty} of its FIFO layer of ${originalQty} is left; ` +
        "reverse the moves that consumed it first",
    );
  }
}
