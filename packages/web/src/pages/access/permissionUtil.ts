import type { PermissionInfo } from "../../api/types";
import type { Lang } from "../../i18n/core";

/** Whether a permission set contains `key`: "*" holds everything; a "module.*" key matches any held key of that module (the server's `holds`, exactly). */
export function holds(perms: Iterable<string>, key: string): boolean {
  const set = perms instanceof Set ? (perms as Set<string>) : new Set(perms);
  if (set.has("*") || set.has(key)) return true;
  if (key.endsWith(".*")) {
    const prefix = key.slice(0, -1);
    for (const p of set) if (p.startsWith(prefix)) return true;
  }
  return false;
}

export const isPattern = (key: string) => key === "*" || key.endsWith(".*");
export const moduleOf = (key: string) => key.split(".")[0];

/** Replaces "module.*" patterns by the declared keys they stand for ("*" is kept). */
export function expandPatterns(keys: string[], catalog: PermissionInfo[]): string[] {
  const out = new Set<string>();
  for (const k of keys) {
    if (k !== "*" && k.endsWith(".*")) {
      const prefix = k.slice(0, -1);
      for (const p of catalog) if (p.key.startsWith(prefix)) out.add(p.key);
    } else out.add(k);
  }
  return [...out].sort();
}

/** Module names for keys of modules that are not (yet) installed, e.g. in segregation-of-duties rules. */
const MODULE_NAMES: Record<string, Record<Lang, string>> = {
  system: { "zh-CN": "系统", "en-US": "System" },
  org: { "zh-CN": "组织架构", "en-US": "Organisation" },
  identity: { "zh-CN": "账户与登录", "en-US": "Accounts" },
  access: { "zh-CN": "角色与权限", "en-US": "Access" },
  "access-review": { "zh-CN": "权限审查", "en-US": "Access reviews" },
  ops: { "zh-CN": "运维", "en-US": "Operations" },
  audit: { "zh-CN": "审计", "en-US": "Audit" },
  workflow: { "zh-CN": "审批流程", "en-US": "Approvals" },
  masterdata: { "zh-CN": "主数据", "en-US": "Master data" },
  inventory: { "zh-CN": "库存", "en-US": "Inventory" },
  purchasing: { "zh-CN": "采购", "en-US": "Purchasing" },
  sales: { "zh-CN": "销售", "en-US": "Sales" },
  production: { "zh-CN": "生产", "en-US": "Production" },
  planning: { "zh-CN": "计划", "en-US": "Planning" },
  quality: { "zh-CN": "质量", "en-US": "Quality" },
  finance: { "zh-CN": "财务", "en-US": "Finance" },
  costing: { "zh-CN": "成本", "en-US": "Costing" },
};

export const moduleName = (m: string, lang: Lang) => MODULE_NAMES[m]?.[lang] ?? m;

/** Module order for display: the order the server declares them in, unknown modules last by name. */
export function moduleOrder(catalog: PermissionInfo[]): string[] {
  const seen: string[] = [];
  for (const p of catalog) if (!seen.includes(p.module)) seen.push(p.module);
  return seen;
}

/**
 * The "x.*" pattern that stands for a module's keys: their first segment ("org.*"), made longer while
 * another module's keys share it and this module's keys allow it (module "access-review" declares
 * access.review.*, module "access" the rest of access.*).
 */
export function modulePattern(catalog: PermissionInfo[], module: string): string {
  const keys = catalog.filter((p) => p.module === module).map((p) => p.key.split("."));
  if (keys.length === 0) return `${module}.*`;
  const others = catalog.filter((p) => p.module !== module).map((p) => p.key);
  let n = 1;
  const prefix = () => `${keys[0].slice(0, n).join(".")}.`;
  while (others.some((k) => k.startsWith(prefix())) && keys.every((k) => k.length > n + 1 && k[n] === keys[0][n])) n++;
  return `${prefix()}*`;
}

/** Whether a "x.*" pattern among `keys` covers `key`. */
export function coveredByPattern(keys: Iterable<string>, key: string): boolean {
  for (const p of keys) if (p.endsWith(".*") && key !== p && key.startsWith(p.slice(0, -1))) return true;
  return false;
}

/** The module a key belongs to: the declaring module, else the one whose pattern it is, else its first segment. */
export function moduleOfKey(catalog: PermissionInfo[], key: string): string {
  const p = catalog.find((x) => x.key === key);
  if (p) return p.module;
  if (key.endsWith(".*")) for (const m of moduleOrder(catalog)) if (modulePattern(catalog, m) === key) return m;
  return moduleOf(key);
}
