/** Shapes of /api/access answers (see packages/server/src/modules/access/routes.ts). */

export interface AccessRole {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  descriptionZh: string | null;
  descriptionEn: string | null;
  builtin: boolean;
  /** May a department administrator hand it out within their departments. */
  delegable: boolean;
  permissions: string[];
  version: number;
  holders: number;
}

export type HoldingState = "current" | "upcoming" | "ended";

/** One role a user holds, held or will hold (GET /api/access/users/:id/roles). */
export interface Holding {
  id: number;
  role: string;
  roleNameZh: string;
  roleNameEn: string;
  departmentId: number | null;
  departmentNameZh: string | null;
  departmentNameEn: string | null;
  warehouseId?: number | null;
  warehouseCode?: string | null;
  warehouseNameZh?: string | null;
  warehouseNameEn?: string | null;
  validFrom: string;
  validUntil: string | null;
  grantedBy: string | null;
  state: HoldingState;
}

export interface SodRule {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  sideA: string[];
  sideB: string[];
  active: boolean;
  version: number;
}

export interface SodConflictRow {
  id: number;
  username: string;
  displayName: string;
  conflicts: { ruleId: number; code: string; nameZh: string; nameEn: string; sideA: string[]; sideB: string[] }[];
}

export type ExceptionStatus = "pending" | "approved" | "rejected" | "revoked";

export interface SodException {
  id: number;
  status: ExceptionStatus;
  reason: string;
  requestedAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
  validUntil: string | null;
  ruleCode: string;
  ruleNameZh: string;
  ruleNameEn: string;
  username: string;
  displayName: string;
  requestedBy: string;
  decidedBy: string | null;
}

/** A person, as the pickers and drawers need them. */
export interface PersonRef {
  id: number;
  username: string;
  displayName: string;
}
