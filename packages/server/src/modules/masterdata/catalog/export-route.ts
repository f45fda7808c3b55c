import type { FastifyInstance, FastifyReply } from "fastify";
import type { TSchema } from "typebox";
import { Type } from "../../../http/routes.ts";
import { execute } from "../../../platform/pipeline.ts";
import type { Runtime } from "../../../platform/runtime.ts";
import { contentDisposition } from "./attachments.ts";
import { oneOf } from "./common.ts";
import { type ExportFile, exportList } from "./export.ts";
import { P } from "./permissions.ts";

export function sendFile(reply: FastifyReply, file: ExportFile) {
  reply
    .type(file.contentType)
    .header("content-disposition", contentDisposition("attachment", file.fileName))
    .header("x-export-rows", String(file.rows));
  return reply.send(file.content);
}

/** GET <url>?format=csv|xlsx&<the list's filters>: the audited export command, answered as a file. */
export function exportRoute(app: FastifyInstance, rt: Runtime, list: string, url: string, filters: Record<string, TSchema>, tags = ["masterdata"]) {
  app.get(
    url,
    {
      schema: {
        tags,
        summary: `Export the ${list.replace("_", " ")} list as CSV or XLSX (same filters as the list; audited)`,
        description: `Command \`masterdata.export\`, permission \`${P.export}\` and the list's read permission.`,
        querystring: Type.Object(
          {
            format: oneOf(["csv", "xlsx"] as const),
            sort: Type.Optional(Type.String({ maxLength: 200, pattern: "^-?[a-zA-Z_]+(,-?[a-zA-Z_]+)*$" })),
            q: Type.Optional(Type.String({ maxLength: 200 })),
            ...filters,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const { format, ...rest } = req.query as { format: "csv" | "xlsx" } & Record<string, string | number | boolean>;
      const file = await execute(rt, exportList, { list, format, filters: rest }, req.actor, req.meta);
      return sendFile(reply, file);
    },
  );
}

