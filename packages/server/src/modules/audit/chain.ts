import fs from "node:fs";
import path from "node:path";
import { sealStaged } from "../../platform/audit.ts";
import { type Executor, one, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { translate } from "../../platform/i18n.ts";
import { raiseAlert } from "../../platform/jobs.ts";
import { defineCommand } from "../../platform/pipeline.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { StrictObject, Type } from "../../platform/validation.ts";
import { upsertFinding } from "./findings.ts";
import { verifyAuditChain } from "./verify.ts";
import { P } from "./permissions.ts";

/**
 * Tail truncation is invisible to a hash chain: the remaining records still link up. So after each
 * verification the chain head (id + hash) is kept in a file outside the database, and the next
 * verification checks that the log still reaches it. The anchor only ever moves forward.
 */
export interface Anchor {
  id: number;
  hash: string;
  verifiedAt: string;
  checked: number;
}

export type AnchorStatus = "none" | "ok" | "truncated" | "missing" | "mismatch";

export const anchorFile = (runtime: Runtime) => path.join(runtime.config.dataDir, "secrets", "audit-anchor.json");

export function readAnchor(runtime: Runtime): Anchor | null {
  const file = anchorFile(runtime);
  if (!fs.existsSync(file)) return null;
  const a = JSON.parse(fs.readFileSync(file, "utf8")) as Anchor;
  if (!Number.isInteger(a.id) || typeof a.hash !== "string") throw new Error(`${file} is not a valid audit anchor`);
  return a;
}

function writeAnchor(runtime: Runtime, anchor: Anchor): void {
  const file = anchorFile(runtime);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(anchor, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export interface ChainReport {
  /** Chain intact and the log still reaches the anchor. */
  ok: boolean;
  chainOk: boolean;
  checked: number;
  firstBad?: { id: number; problem: "hash_mismatch" | "broken_link" };
  head?: { id: number; hash: string };
  /** The highest record id in the log now. */
  lastId: number | null;
  anchor: { status: AnchorStatus; id?: number; hash?: string; verifiedAt?: string };
  /** The anchor was moved to the head by this verification. */
  anchorUpdated: boolean;
  durationMs: number;
  startedAt: string;
}

/** Walks the chain and compares the log with the anchor; moves the anchor forward when all is well. */
export async function checkChain(runtime: Runtime, ex: Executor, opts: { updateAnchor: boolean; resetAnchor?: boolean }): Promise<ChainReport> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  // Records staged by commands and not sealed yet (a process stopped between a commit and its seal) are
  // chained first. On a server in a separate transaction, so the chain lock is not held while verifying;
  // the embedded database has one connection, so there it is the caller's.
  const waiting = await one<{ n: boolean }>(ex, sql`select exists (select 1 from audit_staged) as n`);
  if (waiting?.n) await sealStaged(runtime.database.kind === "postgres" ? runtime.database.db : ex, runtime.auditKey);
  // `ex` may be a transaction: on PGlite the fast path reads through the database itself.
  const chain = await verifyAuditChain(ex, runtime.auditKey, undefined, { pglite: runtime.database.pglite });
  const last = await one<{ id: number | null }>(ex, sql`select max(id) as id from audit_log`);
  const lastId = last?.id ?? null;
  const anchor = opts.resetAnchor ? null : readAnchor(runtime);
  let status: AnchorStatus = "none";
  if (anchor) {
    const at = await one<{ hash: string }>(ex, sql`select hash from audit_log where id = ${anchor.id}`);
    if (lastId === null || lastId < anchor.id) status = "truncated";
    else if (!at) status = "missing";
    else if (at.hash !== anchor.hash) status = "mismatch";
    else status = "ok";
  }
  const ok = chain.ok && (status === "none" || status === "ok");
  let anchorUpdated = false;
  if (ok && opts.updateAnchor && chain.last && (!anchor || chain.last.id >= anchor.id)) {
    writeAnchor(runtime, { id: chain.last.id, hash: chain.last.hash, verifiedAt: new Date().toISOString(), checked: chain.checked });
    anchorUpdated = true;
  }
  return {
    ok,
    chainOk: chain.ok,
    checked: chain.checked,
    firstBad: chain.firstBad,
    head: chain.last,
    lastId,
    anchor: { status, ...(anchor ? { id: anchor.id, hash: anchor.hash, verifiedAt: anchor.verifiedAt } : {}) },
    anchorUpdated,
    durationMs: Math.round(performance.now() - t0),
    startedAt,
  };
}

/**
 * Verifies the audit chain (AUD-2): from the screen (`manual`), the daily job (`scheduled`) or the
 * shell (`cli`, which alone may re-anchor after an investigated incident). The result is kept in
 * `audit_verification`; a broken chain or a cut-off log raises a critical alert and a security event.
 */
export const verifyChain = defineCommand({
  name: "audit.chain.verify",
  permission: P.logVerify,
  entity: "audit_verification",
  input: StrictObject({
    trigger: Type.Optional(Type.Union([Type.Literal("manual"), Type.Literal("scheduled"), Type.Literal("cli")])),
    resetAnchor: Type.Optional(Type.Boolean()),
  }),
  async run(ctx, input) {
    const trigger = ctx.actor.kind === "system" ? (input.trigger ?? "scheduled") : "manual";
    if (input.resetAnchor && ctx.actor.kind !== "system") throw errors.forbidden("cli");
    const report = await checkChain(ctx.runtime, ctx.tx, { updateAnchor: true, resetAnchor: input.resetAnchor });
    const row = await one<{ id: number }>(
      ctx.tx,
      sql`insert into audit_verification (started_at, trigger, requested_by, requested_by_name, chain_ok, checked, first_bad_id, problem,
            head_id, head_hash, anchor_status, anchor_id, anchor_hash, duration_ms)
          values (${report.startedAt}, ${trigger}, ${ctx.actor.kind === "user" ? ctx.actor.id : null}, ${ctx.actor.name}, ${report.chainOk},
            ${report.checked}, ${report.firstBad?.id ?? null}, ${report.firstBad?.problem ?? null}, ${report.head?.id ?? null},
            ${report.head?.hash ?? null}, ${report.anchor.status}, ${report.anchor.id ?? null}, ${report.anchor.hash ?? null},
            ${report.durationMs})
          returning id`,
    );
    if (report.firstBad) {
      const problem = report.firstBad.problem;
      await raiseAlert(ctx.tx, "critical", "audit", "alert.audit_chain_broken", {
        id: report.firstBad.id,
        problem: `${translate(`security.problem.${problem}`, "en-US")} / ${translate(`security.problem.${problem}`, "zh-CN")}`,
      });
      await upsertFinding(ctx.tx, {
        companyId: null,
        rule: "chain_integrity",
        severity: "critical",
        subjectKey: "audit_log",
        subjectName: "audit_log",
        facts: { problem, recordId: report.firstBad.id },
        windowStart: report.startedAt,
        windowEnd: report.startedAt,
        auditIds: [report.firstBad.id],
        dedupKey: `chain_integrity:${problem}:${report.firstBad.id}`,
      });
    }
    if (report.anchor.status !== "none" && report.anchor.status !== "ok") {
      await raiseAlert(ctx.tx, "critical", "audit", "alert.audit_chain_truncated", {
        lastId: report.lastId ?? 0,
        anchorId: report.anchor.id,
        status: report.anchor.status,
      });
      await upsertFinding(ctx.tx, {
        companyId: null,
        rule: "chain_integrity",
        severity: "critical",
        subjectKey: "audit_log",
        subjectName: "audit_log",
        facts: { problem: report.anchor.status, recordId: report.anchor.id },
        windowStart: report.startedAt,
        windowEnd: report.startedAt,
        auditIds: [],
        dedupKey: `chain_integrity:anchor:${report.anchor.status}:${report.anchor.id}`,
      });
    }
    ctx.audit.entityId = row!.id;
    ctx.audit.details = {
      trigger,
      ok: report.ok,
      checked: report.checked,
      firstBad: report.firstBad ?? null,
      head: report.head ?? null,
      anchor: report.anchor,
      resetAnchor: input.resetAnchor ?? false,
    };
    return { id: row!.id, ...report };
  },
});
