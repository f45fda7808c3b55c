/**
 * Column tables that grow by doubling: planned orders and exceptions are
 * stored as typed-array columns, not as one object per row, to keep a run
 * over millions of orders cheap in time and memory.
 */

function grow<T extends Int32Array | Float64Array | Uint8Array>(column: T, size: number): T {
  const next = new (column.constructor as new (n: number) => T)(size);
  next.set(column);
  return next;
}

/** Planned orders, appended item by item in planning order, by receipt period within an item. */
export class OrderTable {
  count = 0;
  item: Int32Array;
  /** Receipt and release period, 0-based. */
  receipt: Int32Array;
  release: Int32Array;
  /** Good quantity received (scaled). */
  qty: Float64Array;
  /** Quantity started, after yield (scaled); components are exploded from it. */
  releaseQty: Float64Array;
  /** Position of the order's first unit in the item's supply sequence (pegging). */
  supplyStart: Float64Array;

  constructor(capacity: number) {
    const size = Math.max(16, capacity);
    this.item = new Int32Array(size);
    this.receipt = new Int32Array(size);
    this.release = new Int32Array(size);
    this.qty = new Float64Array(size);
    this.releaseQty = new Float64Array(size);
    this.supplyStart = new Float64Array(size);
  }

  add(item: number, receipt: number, release: number, qty: number, releaseQty: number, supplyStart: number): void {
    if (this.count === this.item.length) this.resize(this.count * 2);
    const k = this.count++;
    this.item[k] = item;
    this.receipt[k] = receipt;
    this.release[k] = release;
    this.qty[k] = qty;
    this.releaseQty[k] = releaseQty;
    this.supplyStart[k] = supplyStart;
  }

  /** Drops unused capacity once planning is done. */
  trim(): void {
    if (this.item.length > this.count) this.resize(this.count);
  }

  private resize(size: number): void {
    this.item = fit(this.item, size);
    this.receipt = fit(this.receipt, size);
    this.release = fit(this.release, size);
    this.qty = fit(this.qty, size);
    this.releaseQty = fit(this.releaseQty, size);
    this.supplyStart = fit(this.supplyStart, size);
  }
}

function fit<T extends Int32Array | Float64Array | Uint8Array>(column: T, size: number): T {
  if (size <= column.length) return column.slice(0, size) as T;
  return grow(column, size);
}

export const EXCEPTION_EXPEDITE = 0;
export const EXCEPTION_DEFER = 1;
export const EXCEPTION_CANCEL = 2;
export const EXCEPTION_PAST_DUE = 3;
export const EXCEPTION_BELOW_SAFETY_STOCK = 4;

/** Exception messages as columns; texts are produced only when a caller reads them. */
export class ExceptionTable {
  count = 0;
  item = new Int32Array(64);
  type = new Uint8Array(64);
  /** 0-based period the message is about. */
  period = new Int32Array(64);
  qty = new Float64Array(64);
  /** expedite/defer: 0-based period of need; past-due: 0-based release period (negative). */
  aux = new Int32Array(64);

  add(item: number, type: number, period: number, qty: number, aux: number): void {
    if (this.count === this.item.length) {
      const size = this.count * 2;
      this.item = fit(this.item, size);
      this.type = fit(this.type, size);
      this.period = fit(this.period, size);
      this.qty = fit(this.qty, size);
      this.aux = fit(this.aux, size);
    }
    const k = this.count++;
    this.item[k] = item;
    this.type[k] = type;
    this.period[k] = period;
    this.qty[k] = qty;
    this.aux[k] = aux;
  }
}
