import type { FastifyInstance } from "fastify";
import { queryRoute } from "../../http/routes.ts";
import { rows, sql } from "../../platform/db/database.ts";
import { registerMessages, translate } from "../../platform/i18n.ts";
import type { KaiwuModule } from "../../platform/module.ts";
import type { Runtime } from "../../platform/runtime.ts";

/** About page data and the administrators' alert list. */
export const systemModule: KaiwuModule = {
  name: "system",
  permissions: [{ key: "system.alert.read", label: { "zh-CN": "查看系统告警", "en-US": "View system alerts" } }],
  routes(app: FastifyInstance, rt: Runtime) {
    queryRoute(app, rt, {
      url: "/api/system/about",
      permission: null,
      tags: ["system"],
      summary: "Version, database kind and modules",
      handler: async ({ db }) => {
        const [v] = await rows<{ server_version: string }>(db, sql`select current_setting('server_version') as server_version`);
        return {
          name: "Kaiwu ERP",
          version: rt.version,
          database: { kind: rt.database.kind, description: rt.database.description, serverVersion: v?.server_version },
          modules: rt.modules.map((m) => m.name),
          // The permission keys this server declares: the web app shows no screen the server cannot serve.
          permissions: [...rt.permissions.keys()].sort(),
          node: process.version,
          startedAt: rt.startedAt.toISOString(),
        };
      },
    });
    queryRoute(app, rt, {
      url: "/api/system/alerts",
      permission: "system.alert.read",
      tags: ["system"],
      summary: "Open alerts for administrators (failed backups, broken audit chain…)",
      handler: async ({ db, actor }) => {
        const alerts = await rows<{ messageKey: string; params: Record<string, unknown> }>(
          db,
          sql`select id, raised_at as "raisedAt", severity, source, message_key as "messageKey", params
              from system_alert where acknowledged_at is null order by raised_at desc limit 100`,
        );
        return alerts.map((a) => ({ ...a, message: translate(a.messageKey, actor.lang, a.params) }));
      },
    });
  },
};

registerMessages({
  "alert.job_failed": { "zh-CN": "后台任务 {job} 多次重试后失败：{error}", "en-US": "Background job {job} failed after retries: {error}" },
});
