/**
 * Linear-time sorting helpers for the compile step: stable counting sorts on
 * small integer keys (item ranks, periods) instead of comparison sorts over
 * a million BOM lines.
 */

export function identity(length: number): Int32Array {
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) out[i] = i;
  return out;
}

/** Indices 0..n-1 sorted by value (a least significant key before counting sorts). */
export function sortedBy(values: Float64Array): Int32Array {
  return identity(values.length).sort((a, b) => values[a] - values[b]);
}

/**
 * Stable counting sort: returns `order` re-sorted by keys[order[i]] in
 * 0..keyCount-1, keeping the incoming order among equal keys (so chained
 * calls sort by several keys, least significant first).
 */
export function countingSort(keys: Int32Array, keyCount: number, order: Int32Array): Int32Array {
  const start = new Int32Array(keyCount + 1);
  for (let i = 0; i < order.length; i++) start[keys[order[i]] + 1]++;
  for (let k = 0; k < keyCount; k++) start[k + 1] += start[k];
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) out[start[keys[order[i]]]++] = order[i];
  return out;
}

/** Where each key's group starts once the list is sorted by key: group k is start[k]..start[k+1]-1. */
export function groupStarts(sortedKeys: Int32Array, keyCount: number): Int32Array {
  const start = new Int32Array(keyCount + 1);
  for (let i = 0; i < sortedKeys.length; i++) start[sortedKeys[i] + 1]++;
  for (let k = 0; k < keyCount; k++) start[k + 1] += start[k];
  return start;
}

/** Sorts, in place, each run of adjacent entries that `same` groups together (ties left by counting sorts). */
export function sortEqualRuns(
  order: Int32Array,
  same: (a: number, b: number) => boolean,
  compare: (a: number, b: number) => number,
): void {
  let runStart = 0;
  for (let i = 1; i <= order.length; i++) {
    if (i < order.length && same(order[runStart], order[i])) continue;
    if (i - runStart > 1) order.subarray(runStart, i).sort(compare);
    runStart = i;
  }
}
