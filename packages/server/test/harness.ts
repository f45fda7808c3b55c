import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import pg from "pg";
import pino from "pino";
import { inject } from "vitest";
import { buildApp } from "../src/http/app.ts";
import { companyToday } from "../src/modules/masterdata/engineering/common.ts";
import { createRuntime } from "../src/platform/bootstrap.ts";
import { loadConfig } from "../src/platform/config.ts";
import { type Database, one, openDatabase, sql } from "../src/platform/db/database.ts";
import type { Runtime } from "../src/platform/runtime.ts";
import { ensureInstalled } from "../src/setup.ts";
import { PG_ADMIN_URL } from "./global-setup.ts";

export const DB_KIND = (process.env.KAIWU_TEST_DB ?? "pglite") as "pglite" | "postgres";
/** False when PostgreSQL tests were skipped (no server outside CI): use with describe.skipIf. */
export const DB_AVAILABLE = DB_KIND === "pglite" || Boolean(inject("pgTemplate"));

/** A fresh, migrated database for one test file: a copy of the run's template. */
export async function freshDatabase(): Promise<Database & { url?: string }> {
  if (DB_KIND === "pglite") {
    const tar = fs.readFileSync(inject("pgliteTemplate"));
    return openDatabase({ dataDir: "memory://", loadDataDir: new Blob([tar]) });
  }
  const name = `kaiwu_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject("pgTemplate")}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString() });
  const close = db.close;
  return {
    ...db,
    url: url.toString(),
    async close() {
      await close();
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export interface TestSystem {
  rt: Runtime;
  app: FastifyInstance;
  dataDir: string;
  adminPassword: string;
  close(): Promise<void>;
}

/** A runtime on a fresh database with the company, built-in roles and admin installed, and the HTTP app. */
export async function testSystem(opts: { demo?: boolean } = {}): Promise<TestSystem> {
  const database = await freshDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kaiwu-test-"));
  process.env.KAIWU_AUDIT_KEY ??= "test-audit-key";
  const rt = await createRuntime({
    config: loadConfig({ dataDir, backupDir: path.join(dataDir, "backups"), logLevel: "silent", jobsEnabled: false }),
    database,
    logger: pino({ level: "silent" }),
  });
  const install = await ensureInstalled(rt, { demo: opts.demo ?? false });
  const app = await buildApp(rt, { logger: false });
  await app.ready();
  return {
    rt,
    app,
    dataDir,
    adminPassword: install.admin!.password,
    async close() {
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Client {
  csrf: string;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  delete(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

/** Signs in over HTTP (changing a one-time password first if needed) and returns a cookie-carrying client. */
export async function login(app: FastifyInstance, username: string, password: string, newPassword = "Kw-Test-Pass-2026!"): Promise<Client> {
  const res = await app.inject({ method: "POST", url: "/api/auth/login", payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === "kaiwu_session")!;
  const body = res.json() as { csrfToken: string; mustChangePassword: boolean };
  const client = makeClient(app, `kaiwu_session=${cookie.value}`, body.csrfToken);
  if (body.mustChangePassword) {
    const r = await client.post("/api/auth/password", { currentPassword: password, newPassword });
    if (r.statusCode !== 200) throw new Error(`password change for ${username} failed: ${r.body}`);
  }
  return client;
}

export function makeClient(app: FastifyInstance, cookie: string, csrf: string): Client {
  const base = { cookie, "accept-language": "en-US" };
  const send = (method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method, url, payload: payload as never, headers: { ...base, ...(method === "GET" ? {} : { "x-csrf-token": csrf }), ...headers } });
  return {
    csrf,
    get: (url, h) => send("GET", url, undefined, h),
    post: (url, b, h) => send("POST", url, b ?? {}, h),
    patch: (url, b, h) => send("PATCH", url, b ?? {}, h),
    put: (url, b, h) => send("PUT", url, b ?? {}, h),
    delete: (url, h) => send("DELETE", url, undefined, h),
  };
}

/**
 * A calendar day of the plant, `offsetDays` from its today: documents default to the company's date (its time
 * zone), so a test that used the UTC date would fail for eight hours a day in Shanghai.
 */
export async function plantDay(rt: Runtime, offsetDays = 0): Promise<string> {
  const company = await one<{ id: number }>(rt.database.db, sql`select id from company order by id limit 1`);
  const today = await companyToday(rt.database.db, company!.id);
  return new Date(Date.parse(`${today}T00:00:00Z`) + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export async function count(rt: Runtime, table: string, where = "true"): Promise<number> {
  const r = await one<{ n: number }>(rt.database.db, sql.raw(`select count(*)::int8 as n from ${table} where ${where}`));
  return Number(r!.n);
}

/** The database's own error message of a failed statement (drizzle wraps it as `cause`). */
export async function dbError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const err = e as { message: string; cause?: { message?: string } };
    return err.cause?.message ?? err.message;
  }
  throw new Error("expected the statement to fail");
}
