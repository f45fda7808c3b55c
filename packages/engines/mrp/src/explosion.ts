/**
 * Explosion: a make item's planned orders create gross requirements for its
 * components in the order's release period.
 */
import { ceilDiv, ceilDivBig } from "./decimal.ts";
import type { CompiledModel } from "./model.ts";
import type { OrderTable } from "./tables.ts";

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Component requirement of BOM line `line` for a parent release quantity
 * `releaseQty` (scaled): releaseQty × qtyPer × (1 + scrap/100), rounded UP to
 * the component's decimals — never under-supply. Exact: the double path is
 * used only while the product is a safe integer, BigInt otherwise.
 */
export function dependentQty(m: CompiledModel, line: number, releaseQty: number): number {
  const componentStep = m.step[m.bomComponent[line]];
  if (m.bomDen[line] !== 0) {
    const num = m.bomNum[line];
    const product = releaseQty * num;
    if (product <= MAX_SAFE) return ceilDiv(product, m.bomDen[line]) * componentStep;
    return Number(ceilDivBig(BigInt(releaseQty) * BigInt(num), BigInt(m.bomDen[line]))) * componentStep;
  }
  const big = m.bigLines.get(line) as { num: bigint; den: bigint };
  return Number(ceilDivBig(BigInt(releaseQty) * big.num, big.den)) * componentStep;
}

/** Adds the dependent requirements of item `r`'s planned orders (firstOrder..) to its components. */
export function explodeOrders(m: CompiledModel, r: number, orders: OrderTable, firstOrder: number, gross: Float64Array): void {
  const lineStart = m.bomStart[r];
  const lineEnd = m.bomStart[r + 1];
  if (lineStart === lineEnd || m.isMake[r] === 0) return;
  const periods = m.periods;
  for (let o = firstOrder; o < orders.count; o++) {
    const release = orders.release[o];
    const qty = orders.releaseQty[o];
    for (let line = lineStart; line < lineEnd; line++) {
      const component = m.bomComponent[line];
      const den = m.bomDen[line];
      const product = qty * m.bomNum[line];
      let req: number;
      if (den !== 0 && product <= MAX_SAFE) {
        req = (den === 1 ? product : ceilDiv(product, den)) * m.step[component];
      } else {
        req = dependentQty(m, line, qty);
      }
      gross[component * periods + release] += req;
    }
  }
}
