import { useQuery } from "@tanstack/react-query";
import { api, type Page } from "./client";
import type { About, Department, PermissionInfo, Role, UserRow } from "./types";

export function useAbout() {
  return useQuery({ queryKey: ["system", "about"], queryFn: () => api.get<About>("/api/system/about"), staleTime: 5 * 60_000 });
}

/** Every department of the company (the tree is built on the client), all pages of the list. */
export async function fetchAllDepartments(): Promise<Department[]> {
  const all: Department[] = [];
  for (let page = 1; page < 1000; page++) {
    const res = await api.get<Page<Department>>("/api/org/departments", { page, pageSize: 500, sort: "code" });
    all.push(...res.items);
    if (all.length >= res.total || res.items.length === 0) break;
  }
  return all;
}

export function useAllDepartments(enabled = true) {
  return useQuery({ queryKey: ["org", "departments", "all"], queryFn: fetchAllDepartments, enabled });
}

export function useRoles(enabled = true) {
  return useQuery({ queryKey: ["access", "roles"], queryFn: () => api.get<Role[]>("/api/access/roles"), enabled, staleTime: 60_000 });
}

export function usePermissionCatalog(enabled = true) {
  return useQuery({
    queryKey: ["access", "permissions"],
    queryFn: () => api.get<PermissionInfo[]>("/api/access/permissions"),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** Users for pickers (department manager): first 500 active or pending, by name. */
export function useUserOptions(enabled = true) {
  return useQuery({
    queryKey: ["identity", "users", "options"],
    queryFn: () => api.get<Page<UserRow>>("/api/identity/users", { pageSize: 500, sort: "displayName" }),
    enabled,
    staleTime: 60_000,
  });
}
