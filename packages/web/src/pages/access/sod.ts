import type { AccessRole, Holding, SodException, SodRule } from "./types";
import { holds } from "./permissionUtil";

/** Whether an approved exception lets `username` hold both sides of the rule now. */
export function excepted(exceptions: SodException[], rule: SodRule, username: string, now = Date.now()): boolean {
  return exceptions.some(
    (e) => e.status === "approved" && e.ruleCode === rule.code && e.username === username && (!e.validUntil || Date.parse(e.validUntil) > now),
  );
}

/**
 * The active rules a person would break holding their current and upcoming roles plus `extraRole`:
 * the server's check (access/assignment.ts `sodConflicts`) done ahead, to warn before the grant.
 * The server stays the judge; this only saves a round trip.
 */
export function predictConflicts(
  rules: SodRule[],
  roles: AccessRole[],
  holdings: Holding[],
  extraRole: string | undefined,
  exceptions: SodException[],
  username: string,
): SodRule[] {
  const byCode = new Map(roles.map((r) => [r.code, r]));
  const perms = new Set<string>();
  const codes = holdings.filter((h) => h.state !== "ended").map((h) => h.role);
  if (extraRole) codes.push(extraRole);
  for (const c of codes) for (const p of byCode.get(c)?.permissions ?? []) perms.add(p);
  return rules.filter(
    (r) => r.active && !excepted(exceptions, r, username) && r.sideA.some((k) => holds(perms, k)) && r.sideB.some((k) => holds(perms, k)),
  );
}
