import type { Lang } from "./i18n.ts";

/** Who is acting: a person (by session), an external system (by API token), a job, or nobody yet. */
export interface Actor {
  kind: "user" | "token" | "system" | "anonymous";
  id: number | null;
  name: string;
  companyId: number | null;
  departmentId: number | null;
  /** Granted permission keys; "*" grants everything (the built-in super administrator). */
  permissions: ReadonlySet<string>;
  /**
   * Data scope per permission key (IAM-5): null = the whole company, else the departments (each
   * held department with its whole subtree) the permission covers. Absent = company-wide.
   */
  scopes?: ReadonlyMap<string, readonly number[] | null>;
  /**
   * Warehouse scope per permission key: null = every warehouse, else the warehouses the roles holding
   * the key were given with. Absent = every warehouse. Applies to rows that belong to a warehouse.
   */
  warehouses?: ReadonlyMap<string, readonly number[] | null>;
  sessionId?: string;
  tokenId?: number;
  lang: Lang;
}

export function can(actor: Actor, permission: string): boolean {
  return actor.permissions.has("*") || actor.permissions.has(permission);
}

export type Scope = { all: true } | { all: false; departments: readonly number[] };

/** Where `permission` reaches for this actor: the whole company, or a set of departments. */
export function scopeOf(actor: Actor, permission: string): Scope {
  if (actor.kind === "system" || !actor.scopes) return { all: true };
  const exact = actor.scopes.get(permission);
  const wildcard = actor.scopes.get("*");
  if (exact === null || wildcard === null) return { all: true };
  const departments = [...new Set([...(exact ?? []), ...(wildcard ?? [])])];
  return { all: false, departments };
}

/** The warehouses `permission` reaches for this actor: all, or the listed ones. */
export function warehouseScopeOf(actor: Actor, permission: string): { all: true } | { all: false; warehouses: readonly number[] } {
  if (actor.kind === "system" || !actor.warehouses) return { all: true };
  const exact = actor.warehouses.get(permission);
  const wildcard = actor.warehouses.get("*");
  if (exact === null || wildcard === null || (exact === undefined && wildcard === undefined)) return { all: true };
  return { all: false, warehouses: [...new Set([...(exact ?? []), ...(wildcard ?? [])])] };
}

/** Whether a row of `departmentId` is within the actor's scope for `permission`. */
export function inScope(actor: Actor, permission: string, departmentId: number | null): boolean {
  const s = scopeOf(actor, permission);
  return s.all || (departmentId !== null && s.departments.includes(departmentId));
}

export const anonymous = (lang: Lang = "zh-CN"): Actor => ({
  kind: "anonymous",
  id: null,
  name: "anonymous",
  companyId: null,
  departmentId: null,
  permissions: new Set(),
  lang,
});

/** Jobs and the shell-access CLI act as the system, with every permission, and are audited as such. */
export const systemActor = (name = "system", companyId: number | null = null): Actor => ({
  kind: "system",
  id: null,
  name,
  companyId,
  departmentId: null,
  permissions: new Set(["*"]),
  lang: "en-US",
});
