import { createHash } from "node:crypto";
import type { Static, TSchema } from "typebox";
import { type Actor, can } from "./actor.ts";
import { type AuditEntry, type AuditMeta, appendAudit, sealStaged, writeAudit } from "./audit.ts";
import { type Executor, one, sql } from "./db/database.ts";
import { AppError, errors } from "./errors.ts";
import { hasMessage } from "./i18n.ts";
import { metrics } from "./metrics.ts";
import type { Runtime } from "./runtime.ts";
import { validate } from "./validation.ts";

/** What a running command may touch: its transaction, who acts, and the audit record it fills in. */
export interface CommandContext {
  tx: Executor;
  actor: Actor;
  runtime: Runtime;
  meta: RequestMeta;
  /** Describe what changed; written as the command's audit record in the same transaction. */
  audit: {
    entityId?: string | number | null;
    before?: unknown;
    after?: unknown;
    details?: Record<string, unknown>;
    /** A command that records its own refusal (a wrong password must still count the failure). */
    outcome?: "failed" | "denied";
    errorCode?: string;
    /** Whom the record names, when the command establishes it (a login names the user who logged in). */
    actor?: Actor;
  };
  /** Publish a domain event; stored in the outbox in the same transaction, dispatched after commit. */
  emit(type: string, payload: Record<string, unknown>): void;
}

export interface RequestMeta extends AuditMeta {
  idempotencyKey?: string;
}

export interface Command<S extends TSchema = TSchema, O = unknown> {
  name: string;
  /** Permission key checked before anything else; null = any signed-in actor (e.g. change own password). */
  permission: string | null;
  input: S;
  entity?: string;
  /** Anonymous callers may run it (login, registration). */
  allowAnonymous?: boolean;
  run(ctx: CommandContext, input: Static<S>): Promise<O>;
}

export function defineCommand<S extends TSchema, O>(def: Command<S, O>): Command<S, O> {
  return def;
}

/**
 * The one pipeline every write goes through: authenticate → authorise → validate → transaction
 * (command + audit record + outbox events, all or nothing) → respond. A denied or failed command
 * leaves no data behind, only an audit record of the attempt, written after its transaction rolled back.
 */
export async function execute<S extends TSchema, O>(
  runtime: Runtime,
  command: Command<S, O>,
  rawInput: unknown,
  actor: Actor,
  meta: RequestMeta = {},
): Promise<O> {
  const started = performance.now();
  let outcome: "success" | "denied" | "failed" = "success";
  commandsInFlight++;
  try {
    if (actor.kind === "anonymous" && !command.allowAnonymous) throw errors.unauthenticated();
    if (command.permission && !can(actor, command.permission)) throw errors.forbidden(command.permission);
    const input = validate(command.input, rawInput);
    return await runInTransaction(runtime, command, input, rawInput, actor, meta);
  } catch (e) {
    const err = mapDatabaseError(e);
    outcome = err instanceof AppError && (err.status === 401 || err.status === 403) ? "denied" : "failed";
    await recordFailure(runtime, command, actor, meta, err, rawInput).catch((auditError) =>
      runtime.log.error({ err: auditError }, "could not write the audit record of a failed command"),
    );
    throw err;
  } finally {
    commandsInFlight--;
    metrics.commandDuration.observe({ command: command.name, outcome }, (performance.now() - started) / 1000);
  }
}

async function runInTransaction<S extends TSchema, O>(
  runtime: Runtime,
  command: Command<S, O>,
  input: Static<S>,
  rawInput: unknown,
  actor: Actor,
  meta: RequestMeta,
): Promise<O> {
  let staged = false;
  const result = await runtime.database.db.transaction(async (tx) => {
    const actorKey = `${actor.kind}:${actor.id ?? actor.name}`;
    if (meta.idempotencyKey) {
      const requestHash = createHash("sha256").update(`${command.name}\n${JSON.stringify(rawInput)}`).digest("hex");
      // Inserting the key first makes a concurrent retry wait on it, then find the stored answer.
      const claimed = await one(
        tx,
        sql`insert into idempotency_key (actor_key, key, command, request_hash) values (${actorKey}, ${meta.idempotencyKey},
          ${command.name}, ${requestHash}) on conflict do nothing returning key`,
      );
      if (!claimed) {
        const stored = await one<{ request_hash: string; response: { value: O } }>(
          tx,
          sql`select request_hash, response from idempotency_key where actor_key = ${actorKey} and key = ${meta.idempotencyKey}`,
        );
        if (stored!.request_hash !== requestHash) throw errors.idempotencyMismatch();
        throw new ReplayedResult(stored!.response.value);
      }
    }
    const events: { type: string; payload: Record<string, unknown> }[] = [];
    const ctx: CommandContext = { tx, actor, runtime, meta, audit: {}, emit: (type, payload) => events.push({ type, payload }) };
    const output = await command.run(ctx, input);
    if (meta.idempotencyKey) {
      await tx.execute(
        sql`update idempotency_key set response = ${JSON.stringify({ value: output ?? null })}::jsonb
          where actor_key = ${actorKey} and key = ${meta.idempotencyKey}`,
      );
    }
    // The audit record is the last statement, with the domain events in the same round trip: the chain
    // lock it takes is held only for that statement and the commit (docs/architecture.md, audit chain).
    const outbox = events.length
      ? sql`insert into outbox_event (company_id, type, payload)
          select ${actor.companyId}::int8, e.value->>'type', e.value->'payload'
          from jsonb_array_elements(${JSON.stringify(events)}::jsonb) with ordinality as e(value, n) order by e.n`
      : undefined;
    if (unauditedForBenchmark.has(runtime)) {
      // Benchmark only (see benchmarkOnlyRuntimeWithoutAuditRecords): the same transaction minus the record.
      if (outbox) await tx.execute(outbox);
      return output;
    }
    const written = await appendAudit(
      tx,
      runtime.auditKey,
      ctx.audit.actor ?? actor,
      meta,
      {
        action: command.name,
        outcome: ctx.audit.outcome ?? "success",
        errorCode: ctx.audit.errorCode,
        entity: command.entity,
        entityId: ctx.audit.entityId ?? idOf(output),
        changes: ctx.audit.before !== undefined || ctx.audit.after !== undefined ? { before: ctx.audit.before ?? null, after: ctx.audit.after ?? null } : null,
        details: ctx.audit.details ?? null,
      },
      // On PostgreSQL a command does not queue for the chain lock behind this process's other commands:
      // when some are running, its record may be staged and sealed into the chain right after the commit
      // (below). Alone, it waits for the lock (held at most for another process's statement and commit).
      { alongside: outbox, mayStage: runtime.database.kind === "postgres" && commandsInFlight > 1 },
    );
    staged = written.staged;
    return output;
  }).catch((e) => {
    if (e instanceof ReplayedResult) return e.value as O;
    throw e;
  });
  // The command is committed; its record is in the chain when execute returns, unless sealing fails, in
  // which case the next round (any command's, `audit verify`, the doctor) seals it.
  if (staged) {
    await sealStaged(runtime.database.db, runtime.auditKey).catch((err) =>
      runtime.log.error({ err }, "could not seal staged audit records; the next round will"),
    );
  }
  return result;
}

/** Commands of this process between authentication and their answer: more than one may stage records. */
let commandsInFlight = 0;

/**
 * Runtimes whose commands write NO audit record: for bench/audit.bench.ts alone, which compares the same
 * pipeline with and without the record to measure what the record itself costs. Deliberately not a
 * config setting, environment variable or route option: only code that imports this function and holds
 * a runtime object can make one, and the server never does (a copy is registered, never the original).
 */
const unauditedForBenchmark = new WeakSet<Runtime>();

export function benchmarkOnlyRuntimeWithoutAuditRecords(runtime: Runtime): Runtime {
  const copy = { ...runtime };
  unauditedForBenchmark.add(copy);
  return copy;
}

/** Thrown to end a replayed request's transaction (it wrote nothing) and hand back the first answer. */
class ReplayedResult {
  constructor(readonly value: unknown) {}
}

function idOf(output: unknown): string | number | null {
  if (output && typeof output === "object" && "id" in output) return (output as { id: string | number }).id;
  return null;
}

async function recordFailure(runtime: Runtime, command: Command, actor: Actor, meta: RequestMeta, err: unknown, rawInput: unknown) {
  const entry: AuditEntry = {
    action: command.name,
    outcome: err instanceof AppError && (err.status === 401 || err.status === 403) ? "denied" : "failed",
    entity: command.entity,
    errorCode: err instanceof AppError ? err.code : "internal_error",
    details: { input: redact(rawInput) },
  };
  await runtime.database.db.transaction((tx) => writeAudit(tx, runtime.auditKey, actor, meta, entry));
}

const SECRET_FIELD = /pass(word)?|secret|token|otp|code$/i;

/** Inputs are kept with failed attempts for investigation, but never passwords or tokens. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice(0, 50).map(redact);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 100)) {
      out[k] = SECRET_FIELD.test(k) && !/^(item|product)?code$/i.test(k) ? "***" : redact(v);
    }
    return out;
  }
  if (typeof value === "string" && value.length > 2000) return `${value.slice(0, 2000)}…`;
  return value;
}

/** Turns database constraint violations into clear 4xx errors naming the field. */
export function mapDatabaseError(e: unknown): unknown {
  const pgError = e as { code?: string; detail?: string; constraint?: string; message?: string; cause?: unknown };
  const inner = (pgError.code ? pgError : (pgError.cause as typeof pgError)) ?? pgError;
  if (!inner || typeof inner !== "object" || !inner.code) return e;
  if (inner.code === "23505") {
    const field = /Key \(([^)]+)\)/.exec(inner.detail ?? "")?.[1]?.split(",").pop()?.trim() ?? inner.constraint ?? "value";
    return errors.unique(field);
  }
  if (inner.code === "23503") return errors.rule("referenced_record", "error.referenced", { detail: inner.constraint });
  if (inner.code === "23514") {
    // A module may explain its own constraints: message key `constraint.<name>`.
    const key = `constraint.${inner.constraint}`;
    return hasMessage(key) ? errors.rule(inner.constraint!, key) : errors.rule("check_violation", "error.check", { constraint: inner.constraint });
  }
  if (inner.code === "P0001") return errors.rule("rule_violation", "error.db_rule", { message: inner.message });
  return e;
}
