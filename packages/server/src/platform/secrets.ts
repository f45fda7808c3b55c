import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * A 32-byte secret kept OUTSIDE the database (env var, else `<data>/secrets/<name>`, created on first
 * use with owner-only permissions), so that a copy of the database alone does not reveal what it protects.
 */
export function loadSecret(dataDir: string, name: string, envVar: string): Buffer {
  const fromEnv = process.env[envVar];
  if (fromEnv) return Buffer.from(fromEnv, "utf8");
  const file = path.join(dataDir, "secrets", name);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as { code?: string }).code !== "EEXIST") throw e; // another process created it first
    }
  }
  return Buffer.from(fs.readFileSync(file, "utf8").trim(), "utf8");
}
