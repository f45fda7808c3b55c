import { type Dec, ZERO, parseDecimal, roundMoney } from "./decimal.ts";
import { CostingError, InvalidInputError } from "./errors.ts";
import type { LayerPiece, MoveKind, ShortagePiece, StockMove, ValuationEntry, ValuationMethod } from "./types.ts";

const invalid = (message: string) => new InvalidInputError(message);

/** A move with its decimals parsed and validated. */
export interface ParsedMove {
  kind: MoveKind;
  id: string;
  date: string;
  /** Positive quantity of goods moved; 0 for reversals (taken from the original) and standard cost changes. */
  qty: Dec;
  /** Receipt: total amount, 2 dp, and cost per unit (exact). */
  amount: Dec;
  unitCost: Dec;
  fallbackUnitCost: Dec | null;
  standardCost: Dec | null;
  originalMoveId: string | null;
}

const KINDS: readonly MoveKind[] = [
  "receipt",
  "issue",
  "supplier_return",
  "customer_return",
  "reversal",
  "standard_cost_change",
];

function positiveQty(text: string, moveId: string): Dec {
  const qty = parseDecimal(text, `move ${moveId} qty`, invalid);
  if (!qty.gt(0)) throw invalid(`move ${moveId}: qty must be greater than 0, got ${text}`);
  return qty;
}

function nonNegative(text: string, field: string): Dec {
  const value = parseDecimal(text, field, invalid);
  if (value.lt(0)) throw invalid(`${field} must not be negative, got ${text}`);
  return value;
}

export function parseMove(move: StockMove): ParsedMove {
  if (move === null || typeof move !== "object" || !KINDS.includes(move.kind)) {
    throw invalid(`unknown move kind ${JSON.stringify((move as { kind?: unknown })?.kind)}`);
  }
  if (typeof move.id !== "string" || move.id === "") throw invalid("move id must be a non-empty string");
  if (typeof move.date !== "string" || move.date === "") throw invalid(`move ${move.id}: date is required`);
  const parsed: ParsedMove = {
    kind: move.kind,
    id: move.id,
    date: move.date,
    qty: ZERO,
    amount: ZERO,
    unitCost: ZERO,
    fallbackUnitCost: null,
    standardCost: null,
    originalMoveId: null,
  };
  switch (move.kind) {
    case "receipt": {
      parsed.qty = positiveQty(move.qty, move.id);
      if ((move.unitCost === undefined) === (move.amount === undefined)) {
        throw invalid(`receipt ${move.id}: give exactly one of unitCost or amount`);
      }
      if (move.unitCost !== undefined) {
        parsed.unitCost = nonNegative(move.unitCost, `receipt ${move.id} unitCost`);
        parsed.amount = roundMoney(parsed.qty.times(parsed.unitCost));
      } else {
        parsed.amount = roundMoney(nonNegative(move.amount as string, `receipt ${move.id} amount`));
        parsed.unitCost = parsed.amount.div(parsed.qty);
      }
      break;
    }
    case "issue":
      parsed.qty = positiveQty(move.qty, move.id);
      if (move.fallbackUnitCost !== undefined) {
        parsed.fallbackUnitCost = nonNegative(move.fallbackUnitCost, `issue ${move.id} fallbackUnitCost`);
      }
      break;
    case "supplier_return":
    case "customer_return":
      parsed.qty = positiveQty(move.qty, move.id);
      parsed.originalMoveId = requireOriginalId(move.originalMoveId, move.id);
      break;
    case "reversal":
      parsed.originalMoveId = requireOriginalId(move.originalMoveId, move.id);
      break;
    case "standard_cost_change":
      parsed.standardCost = nonNegative(move.standardCost, `move ${move.id} standardCost`);
      break;
  }
  return parsed;
}

function requireOriginalId(originalMoveId: string, moveId: string): string {
  if (typeof originalMoveId !== "string" || originalMoveId === "") {
    throw invalid(`move ${moveId}: originalMoveId is required`);
  }
  return originalMoveId;
}

/** The stored entry of the move a return or reversal refers to, with parsed figures. */
export interface ParsedOriginal {
  entry: ValuationEntry;
  /** Signed, as stored. */
  qty: Dec;
  value: Dec;
  variance: Dec;
  unitCost: Dec;
  unitCostBefore: Dec | null;
}

export function parseOriginal(entry: ValuationEntry): ParsedOriginal {
  const field = (name: string) => `original ${entry.moveId} ${name}`;
  return {
    entry,
    qty: parseDecimal(entry.qty, field("qty"), invalid),
    value: parseDecimal(entry.value, field("value"), invalid),
    variance: parseDecimal(entry.variance, field("variance"), invalid),
    unitCost: parseDecimal(entry.unitCost, field("unitCost"), invalid),
    unitCostBefore:
      entry.before.unitCost === null ? null : parseDecimal(entry.before.unitCost, field("before.unitCost"), invalid),
  };
}

/** Which kinds of original each referring move accepts. */
const ORIGINAL_KINDS: Partial<Record<MoveKind, readonly MoveKind[]>> = {
  supplier_return: ["receipt"],
  customer_return: ["issue"],
  reversal: ["receipt", "issue", "supplier_return", "customer_return", "standard_cost_change"],
};

/** Checks that the original belongs to this valuation and suits the move referring to it. */
export function checkOriginal(
  move: ParsedMove,
  original: ParsedOriginal,
  key: string,
  method: ValuationMethod,
): void {
  const entry = original.entry;
  const mismatch = (why: string) =>
    new CostingError("ORIGINAL_MISMATCH", `move ${move.id} refers to ${entry.moveId}: ${why}`);
  if (entry.moveId !== move.originalMoveId) throw mismatch(`lookup returned entry ${entry.moveId}`);
  if (entry.key !== key) throw mismatch(`it belongs to ${entry.key}, not ${key}`);
  if (entry.method !== method) throw mismatch(`it was valued with ${entry.method}, this state uses ${method}`);
  const allowed = ORIGINAL_KINDS[move.kind] ?? [];
  if (!allowed.includes(entry.kind)) {
    const hint = entry.kind === "reversal" ? " (a reversal cannot itself be reversed; value the move again)" : "";
    throw mismatch(`a ${move.kind} cannot refer to a ${entry.kind}${hint}`);
  }
  if (move.kind !== "reversal" && move.qty.gt(original.qty.abs())) {
    throw new CostingError(
      "RETURN_EXCEEDS_ORIGINAL",
      `move ${move.id} returns ${move.qty.toFixed()} but ${entry.moveId} moved only ${original.qty.abs().toFixed()}`,
    );
  }
}

export function parsePiece(piece: LayerPiece): { seq: number; sourceMoveId: string; qty: Dec; value: Dec; unitCost: Dec } {
  return {
    seq: piece.seq,
    sourceMoveId: piece.sourceMoveId,
    qty: parseDecimal(piece.qty, "layer piece qty", invalid),
    value: parseDecimal(piece.value, "layer piece value", invalid),
    unitCost: parseDecimal(piece.unitCost, "layer piece unitCost", invalid),
  };
}

export function parseShortage(piece: ShortagePiece): { qty: Dec; value: Dec } {
  return {
    qty: parseDecimal(piece.qty, "shortage qty", invalid),
    value: parseDecimal(piece.value, "shortage value", invalid),
  };
}
