import { Readable } from "node:stream";
import { sql } from "drizzle-orm";
import type { Actor } from "../../platform/actor.ts";
import type { AuditMeta } from "../../platform/audit.ts";
import { one, rows } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { translate } from "../../platform/i18n.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { actionLabel } from "./actions.ts";
import { logExport } from "./log.ts";
import { type LogFilter, logWhere } from "./queries.ts";

/** One export holds at most this many records; a larger one asks for a narrower filter. */
export const EXPORT_LIMIT = 500_000;
const BATCH = 5_000;

const COLUMNS = [
  "id", "time", "actorType", "actorId", "actor", "session", "ip", "action", "actionLabel", "entity", "entityId", "outcome",
  "errorCode", "changes", "details", "userAgent", "requestId", "hash",
] as const;

/** A CSV cell: quoted when needed, and text that a spreadsheet would run as a formula is defused. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s) && typeof value === "string") s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The filtered log as CSV, oldest first. The set is fixed when the export starts (records up to the
 * current head; the log only grows), counted, and the export is recorded with its filter and row count
 * before the first byte leaves the server.
 */
export async function exportLog(runtime: Runtime, actor: Actor, meta: AuditMeta, filter: LogFilter) {
  const db = runtime.database.db;
  const head = await one<{ id: number | null }>(db, sql`select max(id) as id from audit_log`);
  const headId = Number(head?.id ?? 0);
  const where = sql`${logWhere(actor.companyId, filter)} and a.id <= ${headId}`;
  const c = await one<{ n: number }>(db, sql`select count(*)::int8 as n from (select 1 from audit_log a where ${where} limit ${EXPORT_LIMIT + 1}) s`);
  const count = Number(c?.n ?? 0);
  if (count > EXPORT_LIMIT) throw errors.rule("export_too_large", "audit.error.export_too_large", { rows: `>${EXPORT_LIMIT}`, limit: EXPORT_LIMIT });
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const fileName = `audit-log-${stamp}.csv`;
  await logExport(runtime, actor, meta, { entity: "audit_log", format: "csv", filter: { ...filter }, rows: count, fileName });

  const lang = actor.lang;
  const outcome = (o: string) => translate(`audit.outcome.${o}`, lang);
  async function* lines() {
    // BOM: spreadsheet programs then read the Chinese text as UTF-8.
    yield `\uFEFF${COLUMNS.map((k) => csvCell(translate(`audit.csv.${k}`, lang))).join(",")}\r\n`;
    let after = 0;
    for (;;) {
      const batch = await rows<Record<string, unknown> & { id: number; action: string; outcome: string }>(
        db,
        sql`select a.id, a.occurred_at, a.actor_type, a.actor_id, a.actor_name, a.session_id, a.ip, a.action, a.entity, a.entity_id,
              a.outcome, a.error_code, a.changes, a.details, a.user_agent, a.request_id, a.hash
            from audit_log a where ${where} and a.id > ${after} order by a.id limit ${BATCH}`,
      );
      if (batch.length === 0) return;
      let chunk = "";
      for (const r of batch) {
        chunk += `${[
          r.id, r.occurred_at, r.actor_type, r.actor_id, r.actor_name, r.session_id, r.ip, r.action, actionLabel(r.action, lang), r.entity,
          r.entity_id, outcome(r.outcome), r.error_code, r.changes, r.details, r.user_agent, r.request_id, r.hash,
        ]
          .map(csvCell)
          .join(",")}\r\n`;
      }
      yield chunk;
      after = batch[batch.length - 1].id;
      if (batch.length < BATCH) return;
    }
  }
  return { fileName, count, stream: Readable.from(lines()) };
}
