import { createHash } from "node:crypto";
import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { storedFile } from "./schema.ts";

/**
 * A minimal store for files that belong to a record (entity + id): the registration proofs. The bytes
 * live in the database (`stored_file.content`), so they are inside every backup and written in the
 * same transaction as the record; rows are never altered.
 */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type ProofType = "application/pdf" | "image/jpeg" | "image/png";

/** What the bytes are, by their signature (never by the name or the browser's claim). */
export function sniffProofType(content: Buffer): ProofType | null {
  if (content.length >= 5 && content.subarray(0, 5).toString("latin1") === "%PDF-") return "application/pdf";
  if (content.length >= 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return "image/jpeg";
  if (content.length >= 8 && content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  return null;
}

export interface FileInfo {
  id: number;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}

export async function saveFile(
  tx: Executor,
  f: { companyId: number; entity: string; entityId: string | number; fileName: string; contentType: string; content: Buffer; uploadedBy: number | null },
): Promise<FileInfo> {
  const sha256 = createHash("sha256").update(f.content).digest("hex");
  const [row] = await tx
    .insert(storedFile)
    .values({
      companyId: f.companyId,
      entity: f.entity,
      entityId: String(f.entityId),
      fileName: safeFileName(f.fileName),
      contentType: f.contentType,
      sizeBytes: f.content.length,
      sha256,
      content: f.content,
      uploadedBy: f.uploadedBy,
    })
    .returning({
      id: storedFile.id,
      fileName: storedFile.fileName,
      contentType: storedFile.contentType,
      sizeBytes: storedFile.sizeBytes,
      sha256: storedFile.sha256,
      createdAt: storedFile.createdAt,
    });
  return row;
}

export function listFiles(db: Executor, entity: string, entityId: string | number): Promise<FileInfo[]> {
  return rows<FileInfo>(
    db,
    sql`select id, file_name as "fileName", content_type as "contentType", size_bytes as "sizeBytes", sha256, created_at as "createdAt"
        from stored_file where entity = ${entity} and entity_id = ${String(entityId)} order by id`,
  );
}

export async function readFile(db: Executor, id: number): Promise<(FileInfo & { entity: string; entityId: string; companyId: number; content: Buffer }) | undefined> {
  const r = await one<FileInfo & { entity: string; entityId: string; companyId: number; content: Uint8Array }>(
    db,
    sql`select id, entity, entity_id as "entityId", company_id as "companyId", file_name as "fileName", content_type as "contentType",
          size_bytes as "sizeBytes", sha256, created_at as "createdAt", content
        from stored_file where id = ${id}`,
  );
  // node-postgres gives a Buffer, PGlite a Uint8Array.
  return r ? { ...r, content: Buffer.from(r.content) } : undefined;
}

/** A name safe to store and to send back in Content-Disposition: no path, no control characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, "").trim().slice(0, 255);
  return clean || "file";
}
