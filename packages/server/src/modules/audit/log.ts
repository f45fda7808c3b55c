import type { Actor } from "../../platform/actor.ts";
import { type AuditMeta, writeAudit } from "../../platform/audit.ts";
import type { Runtime } from "../../platform/runtime.ts";

/** Action names of the records written here (the audit screen labels them; the anomaly rules count exports). */
export const SENSITIVE_READ_ACTION = "data.sensitive.read";
export const EXPORT_ACTION = "data.export";

export interface SensitiveRead {
  /** Table or business object read, e.g. "item" or "bom". */
  entity: string;
  /** One record's id; omit for a list. */
  entityId?: string | number | null;
  /** The sensitive fields shown, e.g. ["standardCost", "lastPurchasePrice"]. */
  fields: string[];
  /** How many records the read returned (lists). */
  rows?: number;
}

export interface ExportRecord {
  /** What was exported, e.g. "audit_log" or "item". */
  entity: string;
  format: "csv" | "xlsx" | "json" | "pdf";
  /** The filter the export applied, as the caller gave it (kept with the record for the auditors). */
  filter: Record<string, unknown>;
  rows: number;
  fileName?: string;
  /** Sensitive fields included, if any. */
  fields?: string[];
}

/**
 * Records that `actor` was shown sensitive data (AUD-1, IAM-5): costs, prices, BOM quantities… Call it
 * from a query after authorising and before answering, outside any transaction (it opens its own small
 * one; on the embedded database a second transaction inside another would wait forever). If it throws,
 * do not answer with the data.
 */
export async function logSensitiveRead(runtime: Runtime, actor: Actor, meta: AuditMeta, read: SensitiveRead): Promise<number> {
  return runtime.database.db.transaction((tx) =>
    writeAudit(tx, runtime.auditKey, actor, meta, {
      action: SENSITIVE_READ_ACTION,
      outcome: "success",
      entity: read.entity,
      entityId: read.entityId ?? null,
      details: { fields: [...read.fields].sort(), ...(read.rows === undefined ? {} : { rows: read.rows }) },
    }),
  );
}

/**
 * Records an export (AUD-1): what, in which format, with which filter and how many rows. Write it
 * before the file leaves the server, so no export goes unrecorded; the mass-export rule counts these.
 * Same transaction rule as `logSensitiveRead`.
 */
export async function logExport(runtime: Runtime, actor: Actor, meta: AuditMeta, exp: ExportRecord): Promise<number> {
  return runtime.database.db.transaction((tx) =>
    writeAudit(tx, runtime.auditKey, actor, meta, {
      action: EXPORT_ACTION,
      outcome: "success",
      entity: exp.entity,
      details: {
        format: exp.format,
        filter: exp.filter,
        rows: exp.rows,
        ...(exp.fileName ? { fileName: exp.fileName } : {}),
        ...(exp.fields ? { fields: [...exp.fields].sort() } : {}),
      },
    }),
  );
}
