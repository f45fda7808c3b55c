import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";

export const FORMAT = "kaiwu-backup/1";

export interface TableEntry {
  name: string;
  columns: string[];
  rows: number;
  part: string;
  bytes: number;
  sha256: string;
}

/** A file kept outside the database (an attachment), stored as-is under files/<set>/<name>. */
export interface FileEntry {
  set: string;
  name: string;
  part: string;
  bytes: number;
  sha256: string;
}

/** Everything needed to check and restore the archive, stored as its last part. */
export interface BackupManifest {
  format: typeof FORMAT;
  createdAt: string;
  kaiwuVersion: string;
  source: { kind: string; serverVersion: string };
  schema: { migrations: string[] };
  tables: TableEntry[];
  sequences: { name: string; lastValue: string; isCalled: boolean }[];
  totals: { tables: number; rows: number; bytes: number };
  /** Files of the data folder (attachments); absent in archives of older versions. */
  files?: FileEntry[];
}

/**
 * The archive is a plain tar (inspect it with `tar tvf`): one gzip COPY file per table, the files of
 * the data folder (attachments) as they are, then manifest.json, then manifest.json.sha256 so damage to
 * the manifest itself is named too.
 */
export async function writeArchive(
  partsDir: string,
  manifest: BackupManifest,
  outFile: string,
  /** where each of manifest.files is read from */
  fileSources: Map<string, string> = new Map(),
): Promise<{ bytes: number; sha256: string }> {
  const pack = tar.pack();
  const hash = createHash("sha256");
  let bytes = 0;
  const tmp = `${outFile}.partial`;
  const out = fs.createWriteStream(tmp);
  const sink = pipeline(
    pack,
    async function* (source) {
      for await (const chunk of source) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
        yield chunk;
      }
    },
    out,
  );
  for (const t of manifest.tables) {
    const file = path.join(partsDir, path.basename(t.part));
    await addFile(pack, t.part, file, t.bytes);
  }
  for (const f of manifest.files ?? []) await addFile(pack, f.part, fileSources.get(f.part)!, f.bytes);
  const manifestJson = Buffer.from(JSON.stringify(manifest, null, 2));
  pack.entry({ name: "manifest.json", size: manifestJson.length }, manifestJson);
  pack.entry({ name: "manifest.json.sha256" }, `${createHash("sha256").update(manifestJson).digest("hex")}\n`);
  pack.finalize();
  await sink;
  fs.renameSync(tmp, outFile); // a half-written archive never carries the final name
  return { bytes, sha256: hash.digest("hex") };
}

function addFile(pack: tar.Pack, name: string, file: string, size: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const entry = pack.entry({ name, size }, (err) => (err ? reject(err) : resolve()));
    fs.createReadStream(file).on("error", reject).pipe(entry);
  });
}

export interface VerifyProblem {
  part: string;
  problem: string;
}

export interface ArchiveReport {
  ok: boolean;
  manifest?: BackupManifest;
  problems: VerifyProblem[];
  /** Per part: what was actually found. */
  found: Map<string, { sha256: string; bytes: number; rows?: number }>;
}

/**
 * Reads the whole archive: every part's SHA-256 and size, every table part decompressed and its rows
 * counted, all compared with the manifest. With `extractTo`, parts are also written there (restore).
 */
export async function readArchive(file: string, opts: { extractTo?: string } = {}): Promise<ArchiveReport> {
  const problems: VerifyProblem[] = [];
  const found = new Map<string, { sha256: string; bytes: number; rows?: number }>();
  let manifestBytes: Buffer | undefined;
  let manifestHash: string | undefined;
  const extract = tar.extract();
  let lastPart = "(start of archive)";
  const done = new Promise<void>((resolve, reject) => {
    extract.on("entry", (header, stream, next) => {
      lastPart = header.name;
      const hash = createHash("sha256");
      const chunks: Buffer[] = [];
      let bytes = 0;
      let rows = 0;
      const isTable = header.name.startsWith("tables/");
      const isManifest = header.name.startsWith("manifest.json");
      const gunzip = isTable ? createGunzip() : undefined;
      let gunzipFailed: string | undefined;
      const gunzipDone = gunzip
        ? new Promise<void>((res) => {
            gunzip.on("data", (c: Buffer) => {
              for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) rows++;
            });
            gunzip.on("end", () => res());
            gunzip.on("error", (e) => {
              gunzipFailed = e.message;
              res();
            });
          })
        : Promise.resolve();
      const isFile = /^files\/[a-z_]+\/[A-Za-z0-9._-]+$/.test(header.name) && !header.name.includes("..");
      let writer: fs.WriteStream | undefined;
      if (opts.extractTo && isTable) writer = fs.createWriteStream(path.join(opts.extractTo, path.basename(header.name)));
      else if (opts.extractTo && isFile) {
        fs.mkdirSync(path.join(opts.extractTo, path.dirname(header.name)), { recursive: true });
        writer = fs.createWriteStream(path.join(opts.extractTo, header.name));
      }
      stream.on("data", (data: unknown) => {
        const c = data as Buffer;
        hash.update(c);
        bytes += c.length;
        if (isManifest) chunks.push(c);
        if (gunzip && !gunzipFailed) gunzip.write(c);
        writer?.write(c);
      });
      stream.on("end", async () => {
        gunzip?.end();
        await gunzipDone;
        if (writer) await new Promise((r) => writer.end(r));
        const sha = hash.digest("hex");
        if (header.name === "manifest.json") manifestBytes = Buffer.concat(chunks);
        else if (header.name === "manifest.json.sha256") manifestHash = Buffer.concat(chunks).toString().trim();
        else {
          found.set(header.name, { sha256: sha, bytes, rows: gunzipFailed ? undefined : rows });
          if (gunzipFailed) problems.push({ part: header.name, problem: `cannot be decompressed (${gunzipFailed})` });
        }
        next();
      });
      stream.on("error", reject);
    });
    extract.on("finish", () => resolve());
    extract.on("error", reject);
  });
  try {
    await Promise.all([pipeline(fs.createReadStream(file), extract), done]);
  } catch (e) {
    problems.push({ part: lastPart, problem: `archive structure damaged after this part (${(e as Error).message})` });
  }
  if (!manifestBytes) {
    problems.push({ part: "manifest.json", problem: "missing" });
    return { ok: false, problems, found };
  }
  if (manifestHash !== createHash("sha256").update(manifestBytes).digest("hex")) {
    problems.push({ part: "manifest.json", problem: "checksum does not match manifest.json.sha256" });
  }
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(manifestBytes.toString("utf8"));
  } catch {
    problems.push({ part: "manifest.json", problem: "not valid JSON" });
    return { ok: false, problems, found };
  }
  if (manifest.format !== FORMAT) problems.push({ part: "manifest.json", problem: `unknown format ${manifest.format}` });
  for (const t of manifest.tables ?? []) {
    const f = found.get(t.part);
    if (!f) {
      problems.push({ part: t.part, problem: "missing" });
      continue;
    }
    if (f.sha256 !== t.sha256) problems.push({ part: t.part, problem: `SHA-256 mismatch (expected ${t.sha256.slice(0, 12)}…, found ${f.sha256.slice(0, 12)}…)` });
    else if (f.rows !== undefined && f.rows !== t.rows) problems.push({ part: t.part, problem: `row count ${f.rows}, manifest says ${t.rows}` });
  }
  for (const f of manifest.files ?? []) {
    const got = found.get(f.part);
    if (!got) problems.push({ part: f.part, problem: "missing" });
    else if (got.sha256 !== f.sha256) problems.push({ part: f.part, problem: `SHA-256 mismatch (expected ${f.sha256.slice(0, 12)}…, found ${got.sha256.slice(0, 12)}…)` });
  }
  for (const name of found.keys()) {
    if (!manifest.tables.some((t) => t.part === name) && !(manifest.files ?? []).some((f) => f.part === name)) {
      problems.push({ part: name, problem: "not listed in the manifest" });
    }
  }
  return { ok: problems.length === 0, manifest, problems, found };
}
