import { inventoryChecks } from "../modules/inventory/doctor.ts";
import { checkChain } from "../modules/audit/chain.ts";
import { housekeepingDoctorCheck } from "../modules/ops/housekeeping.ts";
import { maintenanceDoctorDetail } from "../modules/ops/maintenance.ts";
import { migrationStatus } from "../platform/db/migrate.ts";
import type { Runtime } from "../platform/runtime.ts";

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** Consistency checks of a database; modules add theirs (balances = Σ ledger) as they land. */
export async function doctorChecks(rt: Runtime): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const s = await migrationStatus(rt.database, rt.migrations);
  checks.push({
    name: "migrations",
    ok: s.pending.length === 0 && s.unknown.length === 0 && s.changed.length === 0,
    detail: `${s.applied.length} applied, ${s.pending.length} pending, ${s.unknown.length} unknown, ${s.changed.length} changed since applied`,
  });
  // The rest reads tables the migrations make: on a database not (fully) migrated it is not checked.
  if (s.pending.length > 0) {
    checks.push({ name: "audit chain", ok: false, detail: "not checked: apply the pending migrations first (`kaiwu migrate`)" });
    return checks;
  }
  // The chain, and that the log still reaches the anchor of the last good verification (read-only here).
  const audit = await checkChain(rt, rt.database.db, { updateAnchor: false });
  checks.push({
    name: "audit chain",
    ok: audit.ok,
    detail: !audit.chainOk
      ? `record ${audit.firstBad!.id}: ${audit.firstBad!.problem}`
      : audit.anchor.status === "ok" || audit.anchor.status === "none"
        ? `${audit.checked} records intact; anchor ${audit.anchor.status === "ok" ? `at record ${audit.anchor.id} reached` : "not set yet"}`
        : `${audit.checked} records link up, but the anchor (record ${audit.anchor.id}) is ${audit.anchor.status}: the log ends at ${audit.lastId ?? "nothing"}`,
  });
  // Stock balances and valuation against their ledgers.
  checks.push(...(await inventoryChecks(rt.database.db)));
  // Who vacuums and analyses the tables: informational, never a failure.
  const detail = await maintenanceDoctorDetail(rt).catch((e: Error) => `could not tell: ${e.message}`);
  checks.push({ name: "database maintenance", ok: true, detail });
  // Retention of the working tables: fails only on a retention setting the daily job could not use.
  checks.push({ name: "housekeeping", ...(await housekeepingDoctorCheck(rt.database.db)) });
  return checks;
}

export async function runDoctor(rt: Runtime, print: (line: string) => void): Promise<boolean> {
  const checks = await doctorChecks(rt);
  for (const c of checks) print(`${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
  return checks.every((c) => c.ok);
}
