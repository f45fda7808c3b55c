import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";

export type Severity = "low" | "medium" | "high" | "critical";
export type EventStatus = "open" | "investigating" | "resolved";
export type Resolution = "confirmed_incident" | "false_positive" | "accepted_risk" | "mitigated";
export const RULES = [
  "repeated_failures",
  "off_hours_login",
  "new_address",
  "mass_export",
  "mass_deletion",
  "rights_escalation",
  "disabled_account",
  "chain_integrity",
  "manual",
] as const;
export type Rule = (typeof RULES)[number];

export interface SecurityEvent {
  id: number;
  rule: Rule;
  severity: Severity;
  status: EventStatus;
  title: string;
  subjectKey: string | null;
  subjectUserId: number | null;
  subjectName: string | null;
  ip: string | null;
  facts: Record<string, unknown>;
  windowStart: string;
  windowEnd: string;
  occurrences: number;
  assigneeId: number | null;
  assigneeName: string | null;
  resolution: Resolution | null;
  resolvedAt: string | null;
  detectedAt: string;
  lastDetectedAt: string;
  version: number;
}

export interface EventNote {
  id: number;
  at: string;
  authorId: number | null;
  authorName: string;
  kind: "detected" | "reported" | "comment" | "status" | "assigned" | "recurred";
  fromStatus: EventStatus | null;
  toStatus: EventStatus | null;
  assigneeId: number | null;
  assigneeName: string | null;
  resolution: Resolution | null;
  note: string | null;
}

export interface LinkedRecord {
  id: number;
  occurredAt: string;
  actorType: "user" | "token" | "system" | "anonymous";
  actorName: string;
  ip: string | null;
  action: string;
  actionLabel: string;
  entity: string | null;
  entityId: string | null;
  outcome: "success" | "failed" | "denied";
  errorCode: string | null;
}

export interface EventDetail extends SecurityEvent {
  /** The readable name of `facts.action`, when the finding is about an action. */
  actionLabel: string | null;
  description: string | null;
  resolvedByName: string | null;
  notes: EventNote[];
  records: LinkedRecord[];
}

export interface EventSummary {
  open: number;
  investigating: number;
  urgent: number;
  lastScanAt: string | null;
}

export interface Assignee {
  id: number;
  username: string;
  displayName: string;
}

export const SEVERITY_COLOR: Record<Severity, string> = { low: "default", medium: "gold", high: "orange", critical: "red" };
export const STATUS_COLOR: Record<EventStatus, string> = { open: "error", investigating: "processing", resolved: "success" };

export function useEventSummary(enabled: boolean) {
  return useQuery({
    queryKey: ["security", "summary"],
    queryFn: () => api.get<EventSummary>("/api/security/events/summary"),
    enabled,
    refetchInterval: 60_000,
    staleTime: 30_000,
  });
}

export function useAssignees(enabled: boolean) {
  return useQuery({ queryKey: ["security", "assignees"], queryFn: () => api.get<Assignee[]>("/api/security/assignees"), enabled, staleTime: 60_000 });
}
