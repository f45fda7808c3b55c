import { createValuationState, valueMoves } from "./src/index.ts";
for (const method of ["moving_average", "fifo"] as const) {
  const s = createValuationState({ key: "K", method });
  const r = valueMoves(s, [
    { kind: "receipt", id: "r1", date: "2025-01-01", qty: "10", unitCost: "10" },
    { kind: "receipt", id: "r2", date: "2025-01-02", qty: "10", unitCost: "12" },
    { kind: "issue", id: "i1", date: "2025-01-03", qty: "15" },
    { kind: "customer_return", id: "c1", date: "2025-01-04", qty: "5", originalMoveId: "i1" },
    { kind: "supplier_return", id: "s1", date: "2025-01-04", qty: "2", originalMoveId: "r2" },
    { kind: "reversal", id: "x1", date: "2025-01-05", originalMoveId: "s1" },
    { kind: "reversal", id: "x2", date: "2025-01-05", originalMoveId: "c1" },
    { kind: "reversal", id: "x3", date: "2025-01-05", originalMoveId: "i1" },
    { kind: "reversal", id: "x4", date: "2025-01-05", originalMoveId: "r2" },
    { kind: "reversal", id: "x5", date: "2025-01-05", originalMoveId: "r1" },
  ]);
  for (const e of r.entries) console.log(method, e.moveId, e.qty, e.value, e.unitCost, e.adjustment, JSON.stringify(e.after), e.layersConsumed?.length ?? "");
  console.log(JSON.stringify(r.state));
}
