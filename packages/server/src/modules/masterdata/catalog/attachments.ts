import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import { type Actor, can } from "../../../platform/actor.ts";
import { type Executor, normaliseOutput, one, sql } from "../../../platform/db/database.ts";
import { AppError, errors } from "../../../platform/errors.ts";
import { listPage } from "../../../platform/listing.ts";
import { defineCommand, execute } from "../../../platform/pipeline.ts";
import type { Runtime } from "../../../platform/runtime.ts";
import { StrictObject, Type } from "../../../platform/validation.ts";
import { Type as HttpType, queryRoute } from "../../../http/routes.ts";
import { listQuerySchema } from "../../../platform/listing.ts";
import { S, requireCompany } from "./common.ts";
import { attachment } from "./schema.ts";

/**
 * Attachments (WF-5) for any record: drawings and specifications of items, contracts of partners, and
 * whatever later modules register. A file is stored once per content under
 * `<data folder>/attachments/<sha256>`; the `attachment` row says which record it belongs to, who
 * uploaded it and when. Rows are never deleted, only marked removed (the file stays: it is evidence).
 *
 * A module makes its records attachable with `registerAttachmentEntity({ entity, read, write, exists })`:
 * listing and downloading need `read`, uploading and removing need `write`.
 */
export interface AttachmentEntity {
  /** The record kind, e.g. "item" (a-z, 0-9, _). */
  entity: string;
  read: string;
  write: string;
  /** Whether the record exists in the company (uploads to a missing record are refused). */
  exists(tx: Executor, companyId: number, id: number): Promise<boolean>;
}

const registry = new Map<string, AttachmentEntity>();

export function registerAttachmentEntity(def: AttachmentEntity): void {
  registry.set(def.entity, def);
}

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

function entityDef(entity: string, field = "/entity"): AttachmentEntity {
  const def = registry.get(entity);
  if (!def) throw errors.field(field, "enum", "validation.enum", { values: [...registry.keys()].join(", ") });
  return def;
}

export function attachmentsDir(runtime: Runtime): string {
  return path.join(runtime.config.dataDir, "attachments");
}

/** Writes the content under its SHA-256 (atomically, once: the same drawing twice is one file). */
export function storeContent(runtime: Runtime, content: Buffer): { sha256: string; sizeBytes: number } {
  const sha256 = createHash("sha256").update(content).digest("hex");
  const dir = attachmentsDir(runtime);
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, sha256);
  if (!fs.existsSync(target)) {
    const tmp = path.join(dir, `.${sha256}.${randomUUID()}.tmp`);
    fs.writeFileSync(tmp, content, { mode: 0o640 });
    fs.renameSync(tmp, target);
  }
  return { sha256, sizeBytes: content.length };
}

export const uploadAttachment = defineCommand({
  name: "attachment.upload",
  // The record's own write permission is checked in run: it depends on the entity.
  permission: null,
  entity: "attachment",
  input: StrictObject({
    entity: Type.String({ pattern: "^[a-z][a-z0-9_]{0,39}$" }),
    entityId: S.Id,
    fileName: Type.String({ minLength: 1, maxLength: 255 }),
    mime: Type.String({ maxLength: 127 }),
    sizeBytes: Type.Integer({ minimum: 0, maximum: MAX_ATTACHMENT_BYTES }),
    sha256: Type.String({ pattern: "^[0-9a-f]{64}$" }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    const def = entityDef(input.entity);
    if (!can(ctx.actor, def.write)) throw errors.forbidden(def.write);
    if (!(await def.exists(ctx.tx, companyId, input.entityId))) throw errors.field("/entityId", "exists", "masterdata.error.no_such_record");
    // The content must have been stored first (by the upload route), and be what the row claims.
    const file = path.join(attachmentsDir(ctx.runtime), input.sha256);
    if (!fs.existsSync(file) || fs.statSync(file).size !== input.sizeBytes) throw errors.field("/sha256", "stored", "masterdata.error.file_missing");
    const [row] = await ctx.tx
      .insert(attachment)
      .values({
        companyId,
        entity: input.entity,
        entityId: input.entityId,
        fileName: safeFileName(input.fileName),
        mime: normaliseMime(input.mime),
        sizeBytes: input.sizeBytes,
        sha256: input.sha256,
        description: input.description?.trim() || null,
        uploadedBy: ctx.actor.kind === "user" ? ctx.actor.id : null,
        uploadedByName: ctx.actor.name,
      })
      .returning();
    ctx.audit.after = row;
    ctx.emit("attachment.uploaded", { id: row.id, companyId, entity: row.entity, entityId: row.entityId });
    return row;
  },
});

export const removeAttachment = defineCommand({
  name: "attachment.remove",
  permission: null,
  entity: "attachment",
  input: StrictObject({ id: S.Id }),
  async run(ctx, { id }) {
    const companyId = requireCompany(ctx.actor);
    const [row] = await ctx.tx.select().from(attachment).where(sql`${attachment.id} = ${id} and ${attachment.companyId} = ${companyId}`).for("update");
    if (!row || row.removedAt) throw errors.notFound("attachment");
    const def = entityDef(row.entity);
    if (!can(ctx.actor, def.write)) throw errors.forbidden(def.write);
    const [after] = await ctx.tx
      .update(attachment)
      .set({ removedAt: sql`now()` as unknown as string, removedBy: ctx.actor.kind === "user" ? ctx.actor.id : null, removedByName: ctx.actor.name })
      .where(sql`${attachment.id} = ${id}`)
      .returning();
    ctx.audit.before = row;
    ctx.audit.after = { removedAt: after.removedAt, removedByName: after.removedByName };
    return { id, removed: true };
  },
});

/** Marks every attachment of a record removed (when the record itself is deleted). */
export async function markAttachmentsRemoved(tx: Executor, actor: Actor, companyId: number, entity: string, entityId: number): Promise<number> {
  const r = await tx
    .update(attachment)
    .set({ removedAt: sql`now()` as unknown as string, removedBy: actor.kind === "user" ? actor.id : null, removedByName: actor.name })
    .where(sql`${attachment.companyId} = ${companyId} and ${attachment.entity} = ${entity} and ${attachment.entityId} = ${entityId} and ${attachment.removedAt} is null`)
    .returning({ id: attachment.id });
  return r.length;
}

/** A file name without path parts or control characters (it is only ever shown and sent back). */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 255);
  return clean || "file";
}

export function normaliseMime(mime: string): string {
  const m = mime.split(";")[0].trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(m) && m.length <= 127 ? m : "application/octet-stream";
}

/** Shown in the browser rather than downloaded: images and PDF only (never HTML or SVG, which run script). */
const INLINE = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"]);

function contentDisposition(kind: "inline" | "attachment", fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export { contentDisposition };

const attachmentColumns = sql`a.id, a.entity, a.entity_id as "entityId", a.file_name as "fileName", a.mime, a.size_bytes as "sizeBytes",
  a.sha256, a.description, a.uploaded_by as "uploadedBy", a.uploaded_by_name as "uploadedByName", a.uploaded_at as "uploadedAt"`;

export async function attachmentRoutes(app: FastifyInstance, rt: Runtime): Promise<void> {
  const tags = ["attachments"];
  queryRoute(app, rt, {
    url: "/api/attachments",
    permission: null,
    tags,
    summary: "Attachments of one record (needs the record's read permission)",
    querystring: listQuerySchema({ entity: HttpType.String({ pattern: "^[a-z][a-z0-9_]{0,39}$" }), entityId: S.Id }),
    handler: ({ db, actor, query }) => {
      const def = entityDef(query.entity, "/querystring/entity");
      if (!can(actor, def.read)) throw errors.forbidden(def.read);
      return listPage(db, {
        columns: attachmentColumns,
        from: sql`attachment a`,
        where: sql`a.company_id = ${actor.companyId} and a.entity = ${query.entity} and a.entity_id = ${query.entityId} and a.removed_at is null`,
        sortable: { uploadedAt: sql`a.uploaded_at`, fileName: sql`a.file_name`, sizeBytes: sql`a.size_bytes` },
        defaultSort: "-uploadedAt",
        params: query,
      });
    },
  });

  queryRoute(app, rt, {
    url: "/api/attachments/:id/content",
    withId: true,
    permission: null,
    tags,
    summary: "Download an attachment (inline=true shows images and PDF in the browser)",
    querystring: HttpType.Object({ inline: HttpType.Optional(HttpType.Boolean()) }, { additionalProperties: false }),
    handler: async ({ db, actor, params, query, runtime }, _req, reply) => {
      const row = await one<{ entity: string; fileName: string; mime: string; sha256: string; sizeBytes: number }>(
        db,
        sql`select a.entity, a.file_name as "fileName", a.mime, a.sha256, a.size_bytes as "sizeBytes" from attachment a
            where a.id = ${params.id as number} and a.company_id = ${actor.companyId} and a.removed_at is null`,
      );
      if (!row) throw errors.notFound("attachment");
      const def = entityDef(row.entity);
      if (!can(actor, def.read)) throw errors.forbidden(def.read);
      const file = path.join(attachmentsDir(runtime), row.sha256);
      if (!fs.existsSync(file)) throw new AppError(404, "file_missing", "masterdata.error.file_missing");
      const inline = query.inline === true && INLINE.has(row.mime);
      reply
        .type(row.mime)
        .header("content-length", String(row.sizeBytes))
        .header("content-disposition", contentDisposition(inline ? "inline" : "attachment", row.fileName));
      return reply.send(fs.createReadStream(file));
    },
  });

  app.delete(
    "/api/attachments/:id",
    {
      schema: {
        tags,
        summary: "Remove an attachment (kept as history; needs the record's write permission)",
        description: "Command `attachment.remove`.",
        params: HttpType.Object({ id: S.Id }, { additionalProperties: false }),
      },
    },
    async (req) => normaliseOutput(await execute(rt, removeAttachment, { id: (req.params as { id: number }).id }, req.actor, req.meta)),
  );

  // Multipart only here: registered in its own encapsulated scope, the rest of the API stays JSON.
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 10, fieldSize: 2000, parts: 12 },
    });
    scope.post(
      "/api/attachments",
      {
        schema: {
          tags,
          summary: "Upload a file to a record (multipart/form-data: entity, entityId, description?, file; at most 20 MB)",
          description: "Command `attachment.upload`; needs the record's write permission.",
          consumes: ["multipart/form-data"],
        },
      },
      async (req, reply) => {
        const { fields, file } = await readMultipart(req);
        if (!file) throw errors.field("/file", "required", "validation.required");
        const stored = storeContent(rt, file.content);
        const input = {
          entity: fields.entity ?? "",
          entityId: /^\d{1,15}$/.test(fields.entityId ?? "") ? Number(fields.entityId) : fields.entityId,
          fileName: safeFileName(file.fileName),
          mime: normaliseMime(file.mime),
          sizeBytes: stored.sizeBytes,
          sha256: stored.sha256,
          ...(fields.description ? { description: fields.description } : {}),
        };
        const row = await execute(rt, uploadAttachment, input, req.actor, req.meta);
        reply.code(201);
        return normaliseOutput(row);
      },
    );
  });
}

export interface UploadedFile {
  fileName: string;
  mime: string;
  content: Buffer;
}

/** Reads a multipart request: text fields and at most one file, with the 20 MB limit as a 413. */
export async function readMultipart(req: import("fastify").FastifyRequest): Promise<{ fields: Record<string, string>; file: UploadedFile | null }> {
  if (!req.isMultipart()) throw new AppError(415, "unsupported_media_type", "error.unsupported_media_type");
  const fields: Record<string, string> = {};
  let file: UploadedFile | null = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === "file") {
        const content = await part.toBuffer();
        file = { fileName: part.filename || "file", mime: part.mimetype || "application/octet-stream", content };
      } else {
        fields[part.fieldname] = String(part.value ?? "");
      }
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "FST_REQ_FILE_TOO_LARGE") throw new AppError(413, "file_too_large", "masterdata.error.file_too_large", { limit: "20 MB" });
    if (code === "FST_FILES_LIMIT" || code === "FST_PARTS_LIMIT" || code === "FST_FIELDS_LIMIT") {
      throw errors.field("/file", "maxItems", "masterdata.error.one_file");
    }
    if (code?.startsWith("FST_")) throw new AppError(400, "bad_multipart", "masterdata.error.bad_multipart");
    throw e;
  }
  return { fields, file };
}

export async function attachmentExists(tx: Executor, companyId: number, table: "item" | "partner", id: number): Promise<boolean> {
  return Boolean(await one(tx, sql`select 1 as x from ${sql.identifier(table)} where id = ${id} and company_id = ${companyId}`));
}
