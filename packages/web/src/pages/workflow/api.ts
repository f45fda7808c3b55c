import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";

/** Shapes of /api/workflow/* and /api/access/temporary/* (see /api/openapi.json). */

export type Bilingual = { "zh-CN": string; "en-US": string };
export type RequestStatus = "pending" | "approved" | "rejected" | "withdrawn";
export type StepStatus = "waiting" | "pending" | "approved" | "rejected" | "cancelled";
export type ApproverKind = "role" | "department_manager" | "superior" | "user";

export interface RequestRow {
  id: number;
  number: string;
  docType: string;
  docId: string;
  summaryZh: string;
  summaryEn: string;
  amount: string | null;
  makerUserId: number | null;
  makerName: string;
  status: RequestStatus;
  currentLevel: number | null;
  levelCount: number;
  submittedAt: string;
  closedAt: string | null;
  departmentId: number | null;
  departmentNameZh: string | null;
  departmentNameEn: string | null;
  levelNameZh: string | null;
  levelNameEn: string | null;
  waitingSince: string | null;
  onBehalfOfUserId?: number | null;
  onBehalfOfName?: string | null;
  escalatedToMe?: boolean;
}

export interface StepInfo {
  id: number;
  seq: number;
  nameZh: string;
  nameEn: string;
  minAmount: string | null;
  approverKind: ApproverKind;
  roleCode: string | null;
  roleNameZh: string | null;
  roleNameEn: string | null;
  departmentNameZh: string | null;
  departmentNameEn: string | null;
  userName: string | null;
  escalateAfterHours: number | null;
  status: StepStatus;
  activatedAt: string | null;
  waitingSince: string | null;
  escalationExhausted: boolean;
  decidedAt: string | null;
  decidedByName: string | null;
  onBehalfOfName: string | null;
  comment: string | null;
  approvers?: { id: number; name: string; via: string }[];
  delegates?: { fromUserId: number; fromName: string; toUserId: number; toName: string; endsOn: string }[];
}

export interface ActionInfo {
  id: number;
  seq: number | null;
  action: "submitted" | "approved" | "rejected" | "escalated" | "escalation_failed" | "withdrawn" | "auto_approved" | "cancelled";
  actorUserId: number | null;
  actorName: string;
  onBehalfOfName: string | null;
  toUserName: string | null;
  reason: string | null;
  at: string;
  levelNameZh: string | null;
  levelNameEn: string | null;
}

export interface FileInfo {
  id: number;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}

export interface RegistrationDoc {
  kind: "registration";
  id: number;
  number: string;
  fullName: string;
  username: string;
  email: string;
  jobTitle: string;
  departmentCode: string;
  departmentNameZh: string;
  departmentNameEn: string;
  status: string;
  decisionReason: string | null;
  submittedAt: string;
  ip: string | null;
  accountStatus: "pending" | "active" | "disabled";
  files: FileInfo[];
}

export interface GrantDoc {
  kind: "temporary_grant";
  id: number;
  userName: string;
  username: string;
  jobTitle: string | null;
  userDepartmentNameZh: string | null;
  userDepartmentNameEn: string | null;
  roleCode: string;
  roleNameZh: string;
  roleNameEn: string;
  roleDescriptionZh: string | null;
  roleDescriptionEn: string | null;
  rolePermissions: string[];
  departmentId: number | null;
  scopeNameZh: string | null;
  scopeNameEn: string | null;
  validFrom: string;
  validUntil: string;
  reason: string;
  status: string;
  currentRoles: string[];
}

export interface RequestDetail extends RequestRow {
  chainId: number;
  chainRevision: number;
  chainNameZh: string;
  chainNameEn: string;
  docTypeLabel: Bilingual | null;
  steps: StepInfo[];
  actions: ActionInfo[];
  viewer: { canDecide: boolean; onBehalfOf: { id: number; name: string } | null; blockedReason: "maker" | "not_eligible" | "closed" | null };
  canWithdraw: boolean;
  document: RegistrationDoc | GrantDoc | null;
}

export interface HistoryEntry extends RequestRow {
  chainNameZh: string;
  chainNameEn: string;
  steps: StepInfo[];
  actions: ActionInfo[];
}

export interface ChainLevel {
  level?: number;
  nameZh: string;
  nameEn: string;
  minAmount: string | null;
  approverKind: ApproverKind;
  roleId: number | null;
  roleNameZh?: string | null;
  roleNameEn?: string | null;
  departmentId: number | null;
  departmentNameZh?: string | null;
  departmentNameEn?: string | null;
  userId: number | null;
  userName?: string | null;
  escalateAfterHours: number | null;
}

export interface ChainRow {
  id: number;
  docType: string;
  departmentId: number | null;
  departmentNameZh: string | null;
  departmentNameEn: string | null;
  nameZh: string;
  nameEn: string;
  distinctApprovers: boolean;
  active: boolean;
  revision: number;
  version: number;
  updatedAt: string;
  levelCount: number;
  openRequests: number;
}

export interface ChainDetail extends Omit<ChainRow, "levelCount" | "openRequests"> {
  levels: ChainLevel[];
  revisions: { revision: number; definition: { levels: ChainLevel[]; nameZh: string; nameEn: string }; note: string | null; changedByName: string; changedAt: string }[];
}

export interface Delegation {
  id: number;
  fromUserId: number;
  fromName: string;
  toUserId: number;
  toName: string;
  startsOn: string;
  endsOn: string;
  docType: string | null;
  reason: string | null;
  createdAt: string;
  cancelledAt: string | null;
  state: "active" | "upcoming" | "past" | "cancelled";
  version: number;
}

export interface Person {
  id: number;
  username: string;
  displayName: string;
  departmentNameZh: string | null;
  departmentNameEn: string | null;
}

export interface GrantableRole {
  roleId: number;
  code: string;
  nameZh: string;
  nameEn: string;
  descriptionZh: string | null;
  descriptionEn: string | null;
  permissions: string[];
  maxDays: number;
}

export type GrantState = "pending" | "upcoming" | "active" | "expired" | "rejected" | "withdrawn" | "revoked" | "ended";

export interface GrantRow {
  id: number;
  userId: number;
  userName: string;
  username: string;
  userDepartmentNameZh: string | null;
  userDepartmentNameEn: string | null;
  roleId: number;
  roleCode: string;
  roleNameZh: string;
  roleNameEn: string;
  departmentId: number | null;
  scopeNameZh: string | null;
  scopeNameEn: string | null;
  validFrom: string;
  validUntil: string;
  reason: string;
  status: string;
  state: GrantState;
  createdAt: string;
  decidedAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  requestId: number | null;
  requestNumber: string | null;
  currentLevel: number | null;
  version: number;
}

export function useDocTypes() {
  return useQuery({
    queryKey: ["workflow", "doc-types"],
    queryFn: () => api.get<{ docType: string; label: Bilingual | null }[]>("/api/workflow/doc-types"),
    staleTime: 5 * 60_000,
  });
}

export function usePeople(q: string, enabled = true) {
  return useQuery({
    queryKey: ["workflow", "people", q],
    queryFn: () => api.get<Person[]>("/api/workflow/people", { q }),
    enabled,
    staleTime: 60_000,
  });
}

export function useGrantableRoles(enabled = true) {
  return useQuery({
    queryKey: ["access", "temporary", "grantable"],
    queryFn: () => api.get<GrantableRole[]>("/api/access/temporary/grantable-roles"),
    enabled,
    staleTime: 60_000,
  });
}
