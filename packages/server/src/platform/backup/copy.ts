import { createHash } from "node:crypto";
import fs from "node:fs";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";

/**
 * One database session that can read or write tables in PostgreSQL's COPY text format. The format is
 * the same on PGlite and on a server, which is what lets a backup move between the two.
 */
export interface CopySession {
  query<T = Record<string, unknown>>(text: string): Promise<T[]>;
  /** COPY (columns) of a table out to a gzip file; returns rows and the file's SHA-256 and size. */
  copyOut(table: string, columns: string[], file: string): Promise<PartInfo>;
  copyIn(table: string, columns: string[], file: string): Promise<void>;
}

export interface PartInfo {
  rows: number;
  bytes: number;
  sha256: string;
}

export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const copyColumns = (table: string, columns: string[]) => `${ident(table)} (${columns.map(ident).join(", ")})`;

/** Counts rows (one newline each in COPY text format) as the data streams by. */
class LineCounter extends Transform {
  lines = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.lines++;
    cb(null, chunk);
  }
}

class HashingCounter extends Transform {
  readonly hash = createHash("sha256");
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }
}

async function writePart(source: Readable, file: string): Promise<PartInfo> {
  const counter = new LineCounter();
  const hasher = new HashingCounter();
  await pipeline(source, counter, createGzip({ level: 6 }), hasher, fs.createWriteStream(file));
  return { rows: counter.lines, bytes: hasher.bytes, sha256: hasher.hash.digest("hex") };
}

export function pgCopySession(client: pg.PoolClient | pg.Client): CopySession {
  return {
    async query<T>(text: string) {
      return (await client.query(text)).rows as T[];
    },
    copyOut(table, columns, file) {
      return writePart(client.query(copyTo(`COPY ${copyColumns(table, columns)} TO STDOUT`)), file);
    },
    async copyIn(table, columns, file) {
      await pipeline(fs.createReadStream(file), createGunzip(), client.query(copyFrom(`COPY ${copyColumns(table, columns)} FROM STDIN`)));
    },
  };
}

export function pgliteCopySession(tx: Transaction | PGlite): CopySession {
  return {
    async query<T>(text: string) {
      return (await tx.query<T>(text)).rows;
    },
    async copyOut(table, columns, file) {
      const r = await tx.query(`COPY ${copyColumns(table, columns)} TO '/dev/blob'`);
      const data = r.blob ? Buffer.from(await r.blob.arrayBuffer()) : Buffer.alloc(0);
      return writePart(Readable.from([data]), file);
    },
    async copyIn(table, columns, file) {
      const chunks: Buffer[] = [];
      const unzipped = fs.createReadStream(file).pipe(createGunzip());
      for await (const c of unzipped) chunks.push(c as Buffer);
      const data = Buffer.concat(chunks);
      if (data.length === 0) return;
      await tx.query(`COPY ${copyColumns(table, columns)} FROM '/dev/blob'`, [], { blob: new Blob([data]) });
    },
  };
}
