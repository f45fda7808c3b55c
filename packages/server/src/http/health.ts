import type { FastifyInstance } from "fastify";
import client from "prom-client";
import { rows, sql } from "../platform/db/database.ts";
import { migrationStatus } from "../platform/db/migrate.ts";
import { registry } from "../platform/metrics.ts";
import type { Runtime } from "../platform/runtime.ts";

/** Liveness, readiness and Prometheus metrics (OPS-1). Unauthenticated, as monitoring systems expect. */
export async function healthRoutes(app: FastifyInstance, runtime: Runtime): Promise<void> {
  app.get("/health/live", { schema: { hide: true } }, async () => ({ status: "ok" }));

  app.get("/health/ready", { schema: { hide: true } }, async (_req, reply) => {
    const checks: Record<string, { ok: boolean; detail?: string }> = {};
    try {
      await rows(runtime.database.db, sql`select 1`);
      checks.database = { ok: true, detail: runtime.database.kind };
      const status = await migrationStatus(runtime.database, runtime.migrations);
      checks.migrations = status.pending.length === 0 && status.unknown.length === 0
        ? { ok: true, detail: `${status.applied.length} applied` }
        : { ok: false, detail: `${status.pending.length} pending, ${status.unknown.length} unknown` };
    } catch (e) {
      checks.database = { ok: false, detail: (e as Error).message };
    }
    const ok = Object.values(checks).every((c) => c.ok);
    reply.code(ok ? 200 : 503);
    return { status: ok ? "ready" : "not_ready", checks };
  });

  const jobGauge = new client.Gauge({ name: "kaiwu_jobs", help: "Jobs by state", labelNames: ["status"], registers: [registry] });
  const outboxGauge = new client.Gauge({ name: "kaiwu_outbox_pending", help: "Domain events not yet dispatched", registers: [registry] });
  const dbUp = new client.Gauge({ name: "kaiwu_database_up", help: "1 when the database answers", labelNames: ["kind"], registers: [registry] });
  const poolGauge = new client.Gauge({ name: "kaiwu_db_pool_connections", help: "PostgreSQL pool connections", labelNames: ["state"], registers: [registry] });

  app.get("/metrics", { schema: { hide: true } }, async (_req, reply) => {
    try {
      const counts = await rows<{ status: string; n: number }>(runtime.database.db, sql`select status, count(*)::int8 as n from job group by status`);
      for (const s of ["queued", "running", "done", "failed"]) jobGauge.set({ status: s }, counts.find((c) => c.status === s)?.n ?? 0);
      const pending = await rows<{ n: number }>(runtime.database.db, sql`select count(*)::int8 as n from outbox_event where dispatched_at is null`);
      outboxGauge.set(pending[0]?.n ?? 0);
      dbUp.set({ kind: runtime.database.kind }, 1);
    } catch {
      dbUp.set({ kind: runtime.database.kind }, 0);
    }
    const pool = runtime.database.pool;
    if (pool) {
      poolGauge.set({ state: "total" }, pool.totalCount);
      poolGauge.set({ state: "idle" }, pool.idleCount);
      poolGauge.set({ state: "waiting" }, pool.waitingCount);
    }
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
