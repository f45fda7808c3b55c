import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import { Type, queryRoute } from "../../../http/routes.ts";
import { rows, sql } from "../../../platform/db/database.ts";
import { AppError } from "../../../platform/errors.ts";
import { likePattern, listPage, listQuerySchema } from "../../../platform/listing.ts";
import { scopeCondition } from "../../../platform/scope.ts";
import { execute } from "../../../platform/pipeline.ts";
import type { Runtime } from "../../../platform/runtime.ts";
import { MAX_FILE_BYTES } from "../../workflow/files.ts";
import { DEFAULT_POLICY } from "../password.ts";
import { apply, checkStatus, fileProblem, REGISTRATION } from "./commands.ts";
import { P } from "./permissions.ts";

const tags = ["registration"];
const MAX_FILES = 5;
const FIELDS = new Set(["fullName", "username", "email", "departmentId", "jobTitle", "password"]);

export async function routes(app: FastifyInstance, rt: Runtime): Promise<void> {
  // Public (no sign-in): what the application form needs.
  app.get(
    "/api/public/registration/form",
    { schema: { tags, summary: "Departments one may apply to and the password policy (no sign-in needed)", security: [] } },
    async () => ({
      departments: await rows(
        rt.database.db,
        sql`select d.id, d.parent_id as "parentId", d.code, d.name_zh as "nameZh", d.name_en as "nameEn", d.company_id as "companyId",
              c.name_zh as "companyNameZh", c.name_en as "companyNameEn"
            from department d join company c on c.id = d.company_id where d.active order by c.id, d.code`,
      ),
      passwordPolicy: { minLength: DEFAULT_POLICY.minLength, minClasses: DEFAULT_POLICY.minClasses },
      proofs: { maxFiles: MAX_FILES, maxBytes: MAX_FILE_BYTES, types: ["application/pdf", "image/jpeg", "image/png"] },
    }),
  );

  // The application itself: form fields and proof files as multipart/form-data, parsed only here.
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: 20, fieldSize: 4000, parts: 30 },
    });
    scope.post(
      "/api/public/registrations",
      {
        schema: {
          tags,
          summary: "Apply for an account (multipart: fullName, username, email, departmentId, jobTitle, password, proofs[] files)",
          description: `Command \`${apply.name}\`, no sign-in. At most ${MAX_FILES} PDF/JPG/PNG files of 10 MB each. Limited per client address.`,
          consumes: ["multipart/form-data"],
          security: [],
        },
      },
      async (req, reply) => {
        if (!req.isMultipart()) throw new AppError(415, "unsupported_media_type", "registration.error.not_multipart");
        const input: Record<string, unknown> = {};
        const proofs: { fileName: string; contentBase64: string }[] = [];
        try {
          for await (const part of req.parts()) {
            if (part.type === "file") {
              const content = await part.toBuffer();
              if (part.fieldname === "proofs") proofs.push({ fileName: part.filename || "file", contentBase64: content.toString("base64") });
              else input[part.fieldname] = "(file)"; // an unknown field: the command's validation names it
            } else if (FIELDS.has(part.fieldname)) {
              const v = String(part.value ?? "");
              input[part.fieldname] = part.fieldname === "departmentId" && /^\d{1,15}$/.test(v) ? Number(v) : v;
            } else {
              input[part.fieldname] = String(part.value ?? "");
            }
          }
        } catch (e) {
          const code = (e as { code?: string }).code;
          if (code === "FST_REQ_FILE_TOO_LARGE") throw fileProblem(proofs.length, "maxSize");
          if (code === "FST_FILES_LIMIT") throw fileProblem(proofs.length, "maxItems");
          throw e;
        }
        input.proofs = proofs;
        const result = await execute(rt, apply, input, req.actor, req.meta);
        reply.code(201);
        return result;
      },
    );
  });

  app.post(
    "/api/public/registrations/status",
    {
      schema: {
        tags,
        summary: "An applicant checks their application: number and e-mail address (no sign-in; limited per client address)",
        description: `Command \`${checkStatus.name}\`.`,
        body: checkStatus.input,
        security: [],
      },
    },
    async (req) => execute(rt, checkStatus, req.body, req.actor, req.meta),
  );

  queryRoute(app, rt, {
    url: "/api/identity/registrations",
    permission: P.registrationRead,
    tags,
    summary: "Account applications with their approval request",
    querystring: listQuerySchema({
      status: Type.Optional(Type.Union([Type.Literal("pending"), Type.Literal("approved"), Type.Literal("rejected")])),
    }),
    handler: ({ db, actor, query }) => {
      const where = [sql`a.company_id = ${actor.companyId}`, scopeCondition(actor, P.registrationRead, sql`a.department_id`)];
      if (query.status) where.push(sql`a.status = ${query.status}`);
      if (query.q) {
        const p = likePattern(query.q);
        where.push(sql`(a.number ilike ${p} or a.full_name ilike ${p} or a.username ilike ${p} or a.email ilike ${p})`);
      }
      return listPage(db, {
        columns: sql`a.id, a.number, a.full_name as "fullName", a.username, a.email, a.job_title as "jobTitle", a.status,
          d.name_zh as "departmentNameZh", d.name_en as "departmentNameEn", a.created_at as "submittedAt", a.decided_at as "decidedAt",
          a.decision_reason as "decisionReason", r.id as "requestId", r.number as "requestNumber", r.current_level as "currentLevel",
          (select count(*)::int8 from stored_file f where f.entity = ${REGISTRATION} and f.entity_id = a.id::text) as "fileCount"`,
        from: sql`registration_application a join department d on d.id = a.department_id
          left join lateral (select id, number, current_level from approval_request x where x.doc_type = ${REGISTRATION}
                             and x.doc_id = a.id::text order by x.id desc limit 1) r on true`,
        where: sql.join(where, sql` and `),
        sortable: { submittedAt: sql`a.created_at`, number: sql`a.number`, fullName: sql`a.full_name`, status: sql`a.status` },
        defaultSort: "-submittedAt",
        params: query,
      });
    },
  });
}
