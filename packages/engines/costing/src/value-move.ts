import { type ApplyOptions, applyMove } from "./apply-move.ts";
import { Dec, ZERO, parseDecimal } from "./decimal.ts";
import { CostingError, InvalidInputError } from "./errors.ts";
import { toStateJson, toWorkingState } from "./state.ts";
import type {
  StockMove,
  ValuationEntry,
  ValuationState,
  ValueMoveOptions,
  ValueMoveResult,
  ValueMovesResult,
} from "./types.ts";

/**
 * Values one move. Pure: the given state is not modified, a new one is returned
 * with the entry to store in the stock ledger.
 *
 * Returns and reversals need the entry of the move they refer to: pass
 * `options.lookup`. The engine cannot see the whole ledger, so preventing a
 * double reversal or returning more than was received across calls is up to the
 * caller (`valueMoves` checks it within its batch).
 */
export function valueMove(state: ValuationState, move: StockMove, options: ValueMoveOptions = {}): ValueMoveResult {
  const working = toWorkingState(state);
  const entry = applyMove(working, move, applyOptions(options, options.lookup));
  return { state: toStateJson(working), entry };
}

/**
 * Values moves in order, starting from `initial`. Returns and reversals may refer
 * to moves of the same batch or, through `options.lookup`, to earlier ones.
 * Within the batch a move can be reversed once, returns cannot exceed the
 * original quantity, and a move with returns cannot be reversed.
 * All or nothing: the first failing move throws.
 */
export function valueMoves(
  initial: ValuationState,
  moves: readonly StockMove[],
  options: ValueMoveOptions = {},
): ValueMovesResult {
  const working = toWorkingState(initial);
  const entries: ValuationEntry[] = [];
  const byId = new Map<string, ValuationEntry>();
  const guard = new BatchGuard();
  const lookup = (moveId: string) => byId.get(moveId) ?? options.lookup?.(moveId);
  const apply = applyOptions(options, lookup);
  for (const move of moves) {
    if (byId.has(move.id)) throw new InvalidInputError(`move id ${move.id} appears twice in the batch`);
    guard.check(move, lookup);
    const previous = entries.at(-1);
    const entry = applyMove(working, move, apply, previous && { ...previous.after });
    guard.record(entry);
    byId.set(entry.moveId, entry);
    entries.push(entry);
  }
  return { state: toStateJson(working), entries };
}

function applyOptions(options: ValueMoveOptions, lookup: ApplyOptions["lookup"]): ApplyOptions {
  return { allowNegativeStock: options.allowNegativeStock === true, lookup };
}

/** Tracks, within one batch, which moves were reversed and how much of each was returned. */
class BatchGuard {
  private readonly reversed = new Set<string>();
  /** Original move id → quantity returned so far. */
  private readonly returned = new Map<string, Dec>();
  /** Return move id → what it returned, so reversing a return frees that quantity again. */
  private readonly returnOf = new Map<string, { original: string; qty: Dec }>();

  check(move: StockMove, lookup: (moveId: string) => ValuationEntry | undefined): void {
    if (move.kind === "reversal") {
      if (this.reversed.has(move.originalMoveId)) {
        throw new CostingError("ALREADY_REVERSED", `move ${move.id}: ${move.originalMoveId} is already reversed`);
      }
      if (this.returned.get(move.originalMoveId)?.gt(0)) {
        throw new CostingError(
          "REVERSAL_BLOCKED",
          `move ${move.id}: ${move.originalMoveId} has returns; reverse them before reversing it`,
        );
      }
      return;
    }
    if (move.kind !== "supplier_return" && move.kind !== "customer_return") return;
    const original = lookup(move.originalMoveId);
    if (original === undefined) return; // applyMove reports the missing original
    if (this.reversed.has(move.originalMoveId)) {
      throw new CostingError("ALREADY_REVERSED", `move ${move.id}: ${move.originalMoveId} was reversed`);
    }
    const qty = parseDecimal(move.qty, `move ${move.id} qty`, (message) => new InvalidInputError(message));
    const total = (this.returned.get(move.originalMoveId) ?? ZERO).plus(qty);
    const limit = new Dec(original.qty).abs();
    if (total.gt(limit)) {
      throw new CostingError(
        "RETURN_EXCEEDS_ORIGINAL",
        `move ${move.id}: returns of ${move.originalMoveId} would total ${total.toFixed()}, more than its ${limit.toFixed()}`,
      );
    }
  }

  record(entry: ValuationEntry): void {
    const originalId = entry.originalMoveId;
    if (originalId === undefined) return;
    if (entry.kind === "reversal") {
      this.reversed.add(originalId);
      const reversedReturn = this.returnOf.get(originalId);
      if (reversedReturn !== undefined) {
        const returned = this.returned.get(reversedReturn.original) ?? ZERO;
        this.returned.set(reversedReturn.original, returned.minus(reversedReturn.qty));
      }
      return;
    }
    const qty = new Dec(entry.qty).abs();
    this.returned.set(originalId, (this.returned.get(originalId) ?? ZERO).plus(qty));
    this.returnOf.set(entry.moveId, { original: originalId, qty });
  }
}
