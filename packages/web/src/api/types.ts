/** Shapes of the server's answers (see /api/openapi.json). */

export interface Me {
  id: number;
  name: string;
  username: string;
  companyId: number | null;
  departmentId: number | null;
  permissions: string[];
  mustChangePassword: boolean;
  csrfToken: string;
  idleTimeoutMinutes: number;
}

export interface LoginResult {
  userId: number;
  mustChangePassword: boolean;
  csrfToken: string;
}

export interface About {
  name: string;
  version: string;
  database: { kind: string; description: string; serverVersion?: string };
  modules: string[];
  /** Permission keys the server declares. */
  permissions?: string[];
  node?: string;
  startedAt?: string;
}

export interface Alert {
  id: number | string;
  raisedAt: string;
  severity: string;
  source: string;
  message: string;
}

export interface Company {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  baseCurrency: string;
  timezone: string;
  version: number;
}

export interface Department {
  id: number;
  parentId: number | null;
  code: string;
  nameZh: string;
  nameEn: string;
  managerUserId: number | null;
  active: boolean;
  version: number;
  updatedAt?: string;
}

export interface Shift {
  code: string;
  nameZh: string;
  nameEn: string;
  startTime: string;
  endTime: string;
  breakMinutes: number;
}

export interface CalendarException {
  id: number;
  day: string;
  kind: "holiday" | "workday";
  nameZh: string;
  nameEn: string;
}

export interface CalendarSummary {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  workingWeekdays: number[];
  isDefault: boolean;
  version: number;
  shiftCount: number;
  exceptionCount: number;
}

export interface CalendarDetail extends Omit<CalendarSummary, "shiftCount" | "exceptionCount"> {
  shifts: Shift[];
  exceptions: CalendarException[];
}

export interface CalendarDay {
  day: string;
  working: boolean;
  minutes: number;
  note: string | null;
}

export type UserStatus = "pending" | "active" | "disabled";

export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  email: string | null;
  jobTitle: string | null;
  status: UserStatus;
  departmentId: number | null;
  departmentNameZh: string | null;
  departmentNameEn: string | null;
  lastLoginAt: string | null;
  mustChangePassword?: boolean;
  version: number;
  roles: string[];
}

export interface Role {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  descriptionZh: string | null;
  descriptionEn: string | null;
  builtin: boolean;
  permissions: string[];
  holders: number;
}

export interface PermissionInfo {
  key: string;
  module: string;
  label: { "zh-CN": string; "en-US": string };
  sensitive: boolean;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface Backup {
  id: number | string;
  startedAt: string;
  finishedAt: string | null;
  status: "running" | "succeeded" | "failed" | "deleted";
  trigger: "manual" | "scheduled" | "cli";
  fileName: string | null;
  sizeBytes: number | string | null;
  tableCount: number | null;
  rowCount: number | string | null;
  sha256: string | null;
  verifiedAt: string | null;
  verifyStatus: "ok" | "damaged" | "missing" | null;
  verifyDetail?: string | null;
  schemaVersion?: string | null;
  error: string | null;
}

/** One run of the database maintenance job (VACUUM / ANALYZE). */
export interface MaintenanceRun {
  id: number | string;
  trigger: "manual" | "scheduled";
  status: "running" | "succeeded" | "skipped" | "failed";
  forced: boolean;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  tablesChecked: number | null;
  vacuumed: string[];
  analysed: string[];
  deadTuplesBefore: number | string | null;
  deadTuplesAfter: number | string | null;
  error: string | null;
}

export interface MaintenanceTable {
  name: string;
  reltuples: number;
  liveTuples: number;
  deadTuples: number;
  modsSinceAnalyze: number;
  insertsSinceVacuum: number;
  lastVacuum: string | null;
  lastAnalyze: string | null;
  vacuumThreshold: number;
  analyzeThreshold: number;
  needsVacuum: boolean;
  needsAnalyze: boolean;
  reasons: string[];
}

/** Housekeeping of the platform's working tables (GET /api/ops/housekeeping). */
export interface HousekeepingRemoved {
  jobs: number;
  events: number;
  idempotencyKeys: number;
  sessions: number;
}
export interface HousekeepingOverview {
  retention: { jobsDays: number; failedJobsDays: number; eventsDays: number; idempotencyDays: number; sessionsDays: number };
  schedule: { cron: string; enabled: boolean; nextRunAt: string | null; lastRunAt: string | null } | null;
  pending: boolean;
  tables: { table: "job" | "outbox_event" | "idempotency_key" | "user_session"; rows: number | string; expired: number | string }[];
  runs: {
    jobId: number;
    status: "queued" | "running" | "done" | "failed";
    trigger: "manual" | "scheduled";
    startedAt: string;
    finishedAt: string | null;
    removed: HousekeepingRemoved | null;
    error: string | null;
  }[];
}

export interface MaintenanceOverview {
  kind: "pglite" | "postgres";
  maintainedBy: "server" | "kaiwu";
  serverAutovacuum: boolean;
  autovacuumSetting: boolean;
  trackCounts: boolean;
  schedule: { cron: string; enabled: boolean; nextRunAt: string | null; lastRunAt: string | null } | null;
  pending: boolean;
  runs: MaintenanceRun[];
  tables: MaintenanceTable[];
  tableCount: number;
}
