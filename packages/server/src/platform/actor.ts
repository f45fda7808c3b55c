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
  sessionId?: string;
  tokenId?: number;
  lang: Lang;
}

export function can(actor: Actor, permission: string): boolean {
  return actor.permissions.has("*") || actor.permissions.has(permission);
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
