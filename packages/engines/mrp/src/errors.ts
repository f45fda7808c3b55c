/**
 * Bad input: names the offending field with a JSON-path-like `path`
 * (e.g. `bom[12].component`) so a CLI can tell the user exactly what to fix.
 */
export class MrpInputError extends Error {
  readonly path: string;
  /** For a BOM cycle: the item ids along the cycle, first id repeated at the end. */
  readonly cycle?: readonly string[];

  constructor(path: string, message: string, cycle?: readonly string[]) {
    super(`${path}: ${message}`);
    this.name = "MrpInputError";
    this.path = path;
    if (cycle) this.cycle = cycle;
  }
}

/**
 * A quantity grew beyond what the engine can hold exactly
 * (scaled integers must stay within Number.MAX_SAFE_INTEGER).
 * Thrown instead of returning a silently rounded plan.
 */
export class MrpRangeError extends Error {
  readonly item: string;

  constructor(item: string, message: string) {
    super(`item "${item}": ${message}`);
    this.name = "MrpRangeError";
    this.item = item;
  }
}
