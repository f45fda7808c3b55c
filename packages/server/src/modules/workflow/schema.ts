import { bigint, bigserial, boolean, customType, date, integer, jsonb, numeric, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Typed mirror of migrations/2026112920_workflow.sql (the SQL is the source of truth; schema.test
// checks they agree). NUMERIC columns are decimal strings.
const id = () => bigserial("id", { mode: "number" }).primaryKey();
const ref = (name: string) => bigint(name, { mode: "number" });
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });
const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });

export type ApproverKind = "role" | "department_manager" | "superior" | "user";
export type RequestStatus = "pending" | "approved" | "rejected" | "withdrawn";
export type StepStatus = "waiting" | "pending" | "approved" | "rejected" | "cancelled";
export type ActionKind = "submitted" | "approved" | "rejected" | "escalated" | "escalation_failed" | "withdrawn" | "auto_approved" | "cancelled";

export const approvalChain = pgTable("approval_chain", {
  id: id(),
  companyId: ref("company_id").notNull(),
  docType: text("doc_type").notNull(),
  departmentId: ref("department_id"),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  distinctApprovers: boolean("distinct_approvers").notNull().default(true),
  active: boolean("active").notNull().default(true),
  revision: integer("revision").notNull().default(1),
  version: integer("version").notNull().default(1),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const approvalChainLevel = pgTable("approval_chain_level", {
  id: id(),
  chainId: ref("chain_id").notNull(),
  level: integer("level").notNull(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  minAmount: numeric("min_amount"),
  approverKind: text("approver_kind").$type<ApproverKind>().notNull(),
  roleId: ref("role_id"),
  departmentId: ref("department_id"),
  userId: ref("user_id"),
  escalateAfterHours: integer("escalate_after_hours"),
});

export const approvalChainRevision = pgTable("approval_chain_revision", {
  id: id(),
  chainId: ref("chain_id").notNull(),
  revision: integer("revision").notNull(),
  definition: jsonb("definition").notNull(),
  note: text("note"),
  changedBy: ref("changed_by"),
  changedByName: text("changed_by_name").notNull(),
  changedAt: ts("changed_at").notNull().defaultNow(),
});

export const approvalRequest = pgTable("approval_request", {
  id: id(),
  companyId: ref("company_id").notNull(),
  number: text("number").notNull(),
  docType: text("doc_type").notNull(),
  docId: text("doc_id").notNull(),
  chainId: ref("chain_id").notNull(),
  chainRevision: integer("chain_revision").notNull(),
  distinctApprovers: boolean("distinct_approvers").notNull(),
  departmentId: ref("department_id"),
  amount: numeric("amount"),
  summaryZh: text("summary_zh").notNull(),
  summaryEn: text("summary_en").notNull(),
  makerUserId: ref("maker_user_id"),
  makerName: text("maker_name").notNull(),
  status: text("status").$type<RequestStatus>().notNull().default("pending"),
  currentLevel: integer("current_level"),
  submittedAt: ts("submitted_at").notNull().defaultNow(),
  closedAt: ts("closed_at"),
});

export const approvalStep = pgTable("approval_step", {
  id: id(),
  requestId: ref("request_id").notNull(),
  seq: integer("seq").notNull(),
  chainLevel: integer("chain_level").notNull(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  minAmount: numeric("min_amount"),
  approverKind: text("approver_kind").$type<ApproverKind>().notNull(),
  roleId: ref("role_id"),
  departmentId: ref("department_id"),
  userId: ref("user_id"),
  escalateAfterHours: integer("escalate_after_hours"),
  status: text("status").$type<StepStatus>().notNull(),
  activatedAt: ts("activated_at"),
  waitingSince: ts("waiting_since"),
  escalationExhausted: boolean("escalation_exhausted").notNull().default(false),
  decidedAt: ts("decided_at"),
  decidedBy: ref("decided_by"),
  onBehalfOf: ref("on_behalf_of"),
  comment: text("comment"),
});

export const approvalAction = pgTable("approval_action", {
  id: id(),
  requestId: ref("request_id").notNull(),
  stepId: ref("step_id"),
  seq: integer("seq"),
  action: text("action").$type<ActionKind>().notNull(),
  actorUserId: ref("actor_user_id"),
  actorName: text("actor_name").notNull(),
  onBehalfOfUserId: ref("on_behalf_of_user_id"),
  onBehalfOfName: text("on_behalf_of_name"),
  toUserId: ref("to_user_id"),
  toUserName: text("to_user_name"),
  reason: text("reason"),
  at: ts("at").notNull().defaultNow(),
});

export const approvalDelegation = pgTable("approval_delegation", {
  id: id(),
  companyId: ref("company_id").notNull(),
  fromUserId: ref("from_user_id").notNull(),
  toUserId: ref("to_user_id").notNull(),
  startsOn: date("starts_on", { mode: "string" }).notNull(),
  endsOn: date("ends_on", { mode: "string" }).notNull(),
  docType: text("doc_type"),
  reason: text("reason"),
  createdBy: ref("created_by"),
  createdAt: ts("created_at").notNull().defaultNow(),
  cancelledAt: ts("cancelled_at"),
  cancelledBy: ref("cancelled_by"),
  version: integer("version").notNull().default(1),
});

export const storedFile = pgTable("stored_file", {
  id: id(),
  companyId: ref("company_id").notNull(),
  entity: text("entity").notNull(),
  entityId: text("entity_id").notNull(),
  fileName: text("file_name").notNull(),
  contentType: text("content_type").notNull(),
  sizeBytes: integer("size_bytes").notNull(),
  sha256: text("sha256").notNull(),
  content: bytea("content").notNull(),
  uploadedBy: ref("uploaded_by"),
  createdAt: ts("created_at").notNull().defaultNow(),
});
