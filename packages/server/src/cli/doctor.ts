import { verifyAuditChain } from "../platform/audit.ts";
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
  const audit = await verifyAuditChain(rt.database.db, rt.auditKey);
  checks.push({
    name: "audit chain",
    ok: audit.ok,
    detail: audit.ok ? `${audit.checked} records intact` : `record ${audit.firstBad!.id}: ${audit.firstBad!.problem}`,
  });
  return checks;
}

export async function runDoctor(rt: Runtime, print: (line: string) => void): Promise<boolean> {
  const checks = await doctorChecks(rt);
  for (const c of checks) print(`${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
  return checks.every((c) => c.ok);
}
