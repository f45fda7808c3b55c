import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Runtime } from "../../platform/runtime.ts";

/**
 * While a server holds the embedded database, the CLI on the same machine reaches it through
 * `<data>/server.json` (port and a random token, readable only by the owner of the data folder,
 * who can read the data itself anyway).
 */
let token: string | undefined;

export function localToken(_rt: Runtime): string {
  token ??= randomBytes(24).toString("hex");
  return token;
}

export function serverInfoFile(dataDir: string): string {
  return path.join(dataDir, "server.json");
}

export function writeServerInfo(rt: Runtime, port: number): void {
  const file = serverInfoFile(rt.config.dataDir);
  fs.mkdirSync(rt.config.dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ pid: process.pid, port, token: localToken(rt) }), { mode: 0o600 });
}

export function removeServerInfo(rt: Runtime): void {
  fs.rmSync(serverInfoFile(rt.config.dataDir), { force: true });
}

export function readServerInfo(dataDir: string): { pid: number; port: number; token: string } | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(serverInfoFile(dataDir), "utf8"));
    process.kill(info.pid, 0); // throws when that process is gone
    return info;
  } catch {
    return undefined;
  }
}
