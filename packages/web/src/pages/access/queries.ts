import { type QueryClient, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import type { AccessRole, Holding, SodConflictRow, SodException, SodRule } from "./types";

/** Same cache entry as api/queries `useRoles` (the same answer, typed with every field). */
export function useAccessRoles(enabled = true) {
  return useQuery({ queryKey: ["access", "roles"], queryFn: () => api.get<AccessRole[]>("/api/access/roles"), enabled, staleTime: 60_000 });
}

export function useUserHoldings(userId: number | null, enabled = true) {
  return useQuery({
    queryKey: ["access", "user-roles", userId],
    queryFn: () => api.get<Holding[]>(`/api/access/users/${userId}/roles`),
    enabled: enabled && userId !== null,
  });
}

export function useSodRules(enabled = true) {
  return useQuery({ queryKey: ["access", "sod", "rules"], queryFn: () => api.get<SodRule[]>("/api/access/sod-rules"), enabled, staleTime: 30_000 });
}

export function useSodConflicts(enabled = true) {
  return useQuery({ queryKey: ["access", "sod", "conflicts"], queryFn: () => api.get<SodConflictRow[]>("/api/access/sod-conflicts"), enabled });
}

export function useSodExceptions(enabled = true) {
  return useQuery({ queryKey: ["access", "sod", "exceptions"], queryFn: () => api.get<SodException[]>("/api/access/sod-exceptions"), enabled });
}

/** After a grant or revocation: the person's roles, role holder counts, the users list and the conflicts move. */
export async function afterHoldingChange(qc: QueryClient, userId: number) {
  await Promise.all([
    qc.invalidateQueries({ queryKey: ["access", "user-roles", userId] }),
    qc.invalidateQueries({ queryKey: ["access", "roles"] }),
    qc.invalidateQueries({ queryKey: ["access", "sod", "conflicts"] }),
    qc.invalidateQueries({ queryKey: ["identity", "users"] }),
  ]);
}
