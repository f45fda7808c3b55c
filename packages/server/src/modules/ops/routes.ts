import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { Type, commandRoute, queryRoute } from "../../http/routes.ts";
import { systemActor } from "../../platform/actor.ts";
import { sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { listPage, listQuerySchema } from "../../platform/listing.ts";
import { defineCommand, execute } from "../../platform/pipeline.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { StrictObject } from "../../platform/validation.ts";
import { runBackup } from "./backups.ts";
import * as c from "./commands.ts";
import { localToken } from "./local-control.ts";
import { housekeepingOverview } from "./housekeeping.ts";
import { maintenanceOverview } from "./maintenance.ts";
import { P } from "./permissions.ts";

const tags = ["ops"];

/** The audit record of a backup asked for from the shell of the server's own machine. */
const localBackupRequested = defineCommand({
  name: "ops.backup.local",
  permission: P.backupRun,
  entity: "backup_run",
  input: StrictObject({ out: Type.Optional(Type.String({ maxLength: 1000 })) }),
  async run() {
    return { ok: true };
  },
});

export function routes(app: FastifyInstance, rt: Runtime): void {
  queryRoute(app, rt, {
    url: "/api/ops/backups",
    permission: P.backupRead,
    tags,
    summary: "Backup runs with size, time and verification state",
    querystring: listQuerySchema(),
    handler: ({ db, query }) =>
      listPage(db, {
        columns: sql`b.id, b.trigger, b.status, b.started_at as "startedAt", b.finished_at as "finishedAt", b.file_name as "fileName",
          b.size_bytes as "sizeBytes", b.table_count as "tableCount", b.row_count as "rowCount", b.sha256,
          b.schema_version as "schemaVersion", b.verified_at as "verifiedAt", b.verify_status as "verifyStatus",
          b.verify_detail as "verifyDetail", b.error`,
        from: sql`backup_run b`,
        sortable: { startedAt: sql`b.started_at`, id: sql`b.id`, sizeBytes: sql`b.size_bytes` },
        defaultSort: "-startedAt",
        params: query,
      }),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/ops/backups", command: c.startBackup, tags, summary: "Start a backup now", status: 202 });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/ops/backups/:id/verify",
    command: c.verifyBackup,
    tags,
    summary: "Verify a kept archive again",
    status: 202,
  });

  queryRoute(app, rt, {
    url: "/api/ops/maintenance",
    permission: P.maintenanceRead,
    tags,
    summary: "Database maintenance: who vacuums and analyses, the last runs, and the tables most in need",
    handler: ({ runtime }) => maintenanceOverview(runtime),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/ops/maintenance",
    command: c.runMaintenance,
    tags,
    summary: "Queue database maintenance (VACUUM (ANALYZE) of every table) now",
    status: 202,
  });

  queryRoute(app, rt, {
    url: "/api/ops/housekeeping",
    permission: P.maintenanceRead,
    tags,
    summary: "Housekeeping: retention of jobs, events, idempotency keys and sessions; rows past it; the last runs",
    handler: ({ db }) => housekeepingOverview(db),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/ops/housekeeping",
    command: c.runHousekeepingNow,
    tags,
    summary: "Queue housekeeping now",
    status: 202,
  });

  // `kaiwu backup` on the server's machine while the embedded database is held by this process.
  app.post(
    "/api/ops/local/backup",
    {
      schema: {
        hide: true,
        body: Type.Object({ out: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
      },
    },
    async (req) => {
      const given = Buffer.from(String(req.headers["x-kaiwu-local-token"] ?? ""));
      const expected = Buffer.from(localToken(rt));
      const loopback = ["127.0.0.1", "::1", "::ffff:127.0.0.1"].includes(req.socket.remoteAddress ?? "");
      if (!loopback || given.length !== expected.length || !timingSafeEqual(given, expected)) throw errors.forbidden(P.backupRun);
      const body = req.body as { out?: string };
      const actor = systemActor("cli");
      await execute(rt, localBackupRequested, body, actor, req.meta);
      return runBackup(rt, { trigger: "cli", outFile: body.out });
    },
  );
}
