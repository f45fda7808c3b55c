import type { Department } from "../../api/types";
import { type Lang, pickName } from "../../i18n/core";

export interface DeptNode {
  dept: Department;
  children: DeptNode[];
}

/** Builds the forest from the flat list; a department whose parent is not in the list becomes a root. */
export function buildForest(depts: Department[]): DeptNode[] {
  const byId = new Map<number, DeptNode>();
  for (const d of depts) byId.set(d.id, { dept: d, children: [] });
  const roots: DeptNode[] = [];
  for (const node of byId.values()) {
    const parent = node.dept.parentId !== null ? byId.get(node.dept.parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (nodes: DeptNode[]) => {
    nodes.sort((a, b) => a.dept.code.localeCompare(b.dept.code));
    for (const n of nodes) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** The department and everything below it (ids), e.g. to forbid moving a department under itself. */
export function subtreeIds(depts: Department[], rootId: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const d of depts) if (d.parentId !== null) children.set(d.parentId, [...(children.get(d.parentId) ?? []), d.id]);
  const out = new Set<number>();
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/** Ids of a department's ancestors, nearest first. */
export function ancestorIds(byId: Map<number, Department>, id: number): number[] {
  const out: number[] = [];
  const seen = new Set<number>([id]);
  let cur = byId.get(id)?.parentId ?? null;
  while (cur !== null && !seen.has(cur)) {
    out.push(cur);
    seen.add(cur);
    cur = byId.get(cur)?.parentId ?? null;
  }
  return out;
}

export interface DeptOption {
  value: number;
  title: string;
  disabled?: boolean;
  children?: DeptOption[];
}

/** TreeSelect data: inactive departments left out, `disabled` ids greyed out. */
export function deptTreeOptions(depts: Department[], lang: Lang, disabled: Set<number> = new Set()): DeptOption[] {
  const toOption = (n: DeptNode): DeptOption => ({
    value: n.dept.id,
    title: `${pickName(lang, n.dept.nameZh, n.dept.nameEn)} (${n.dept.code})`,
    disabled: disabled.has(n.dept.id),
    children: n.children.length ? n.children.map(toOption) : undefined,
  });
  return buildForest(depts.filter((d) => d.active)).map(toOption);
}

export function deptName(d: Department | undefined, lang: Lang): string {
  return d ? pickName(lang, d.nameZh, d.nameEn) : "";
}
