export type BomErrorCode = "INVALID_INPUT" | "BOM_CYCLE" | "TOO_MANY_ROWS";

export class BomError extends Error {
  readonly code: BomErrorCode;
  constructor(code: BomErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Malformed line or request (bad decimal, bad date, unknown option...). */
export class BomInputError extends BomError {
  constructor(message: string) {
    super("INVALID_INPUT", message);
  }
}

/** The structure loops back on itself; `cycle` lists it closed, e.g. ["A", "B", "C", "A"]. */
export class BomCycleError extends BomError {
  readonly cycle: string[];
  constructor(cycle: string[]) {
    super("BOM_CYCLE", `BOM cycle: ${formatCyclePath(cycle)}`);
    this.cycle = cycle;
  }
}

/** An explosion or where-used would produce more rows than the caller's limit. */
export class TooManyRowsError extends BomError {
  constructor(limit: number) {
    super("TOO_MANY_ROWS", `the result would exceed ${limit} rows (maxRows); use the summarised explosion instead`);
  }
}

export function formatCyclePath(cycle: readonly string[]): string {
  return cycle.join(" → ");
}
