import type { FastifyInstance } from "fastify";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/http/app.ts";
import { rows, sql } from "../src/platform/db/database.ts";
import { registry } from "../src/platform/metrics.ts";
import type { Runtime } from "../src/platform/runtime.ts";
import { DB_AVAILABLE, type TestSystem, makeClient, testSystem } from "./harness.ts";

/**
 * The HTTP layer's protections (issue "Bad input"): cookie sessions need the CSRF header, the session
 * cookie is HttpOnly, SameSite and (over TLS) Secure, security headers are on every answer, and no
 * password, session or API token reaches the logs.
 */
describe.skipIf(!DB_AVAILABLE)("cookies, CSRF, security headers and secrets kept out of logs", () => {
  let sys: TestSystem;
  let app: FastifyInstance;
  const logged: string[] = [];
  let savedLog: Runtime["log"];
  let savedLevel: string;
  const PASSWORD_2 = "Orchid-Valley-7319!";

  beforeAll(async () => {
    sys = await testSystem();
    // A second app on the same system, logging everything it can (trace) into memory, behind a TLS proxy.
    savedLevel = sys.rt.config.logLevel;
    savedLog = sys.rt.log;
    sys.rt.config.logLevel = "trace";
    const sink = { write: (line: string) => void logged.push(line) };
    sys.rt.log = pino({ level: "trace" }, sink);
    const trust = process.env.KAIWU_TRUST_PROXY;
    process.env.KAIWU_TRUST_PROXY = "1";
    // The health routes register their gauges once per process: let the second app register its own.
    for (const name of ["kaiwu_jobs", "kaiwu_outbox_pending", "kaiwu_database_up", "kaiwu_db_pool_connections"]) registry.removeSingleMetric(name);
    try {
      app = await buildApp(sys.rt, { logStream: sink });
    } finally {
      if (trust === undefined) delete process.env.KAIWU_TRUST_PROXY;
      else process.env.KAIWU_TRUST_PROXY = trust;
    }
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    if (sys) {
      sys.rt.config.logLevel = savedLevel;
      sys.rt.log = savedLog;
    }
    await sys?.close();
  });

  const signIn = (password: string, https = false) =>
    app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "admin", password },
      headers: { "accept-language": "en-US", ...(https ? { "x-forwarded-proto": "https" } : {}) },
    });

  it("the session cookie is HttpOnly and SameSite, and Secure when served over TLS", async () => {
    const plain = await signIn(sys.adminPassword);
    expect(plain.statusCode, plain.body).toBe(200);
    const c = plain.cookies.find((x) => x.name === "kaiwu_session")!;
    expect(c).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(c.secure).toBeFalsy();
    // The body carries the CSRF token, never the session token.
    expect(plain.body).not.toContain(c.value);

    const tls = await signIn(sys.adminPassword, true);
    expect(tls.statusCode).toBe(200);
    const s = tls.cookies.find((x) => x.name === "kaiwu_session")!;
    expect(s).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: true });
    expect(tls.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
    expect(plain.headers["strict-transport-security"]).toBeUndefined();
  });

  it("a cookie session without the CSRF header cannot write, whatever the method; reads need no header", async () => {
    const res = await signIn(sys.adminPassword);
    const cookie = `kaiwu_session=${res.cookies.find((x) => x.name === "kaiwu_session")!.value}`;
    const csrf = res.json().csrfToken as string;
    const base = { cookie, "accept-language": "en-US" };
    for (const method of ["POST", "PUT", "PATCH", "DELETE"] as const) {
      const r = await app.inject({ method, url: "/api/org/departments", payload: {}, headers: base });
      expect(r.statusCode, `${method} without the header`).toBe(403);
      expect(r.json().code).toBe("csrf_failed");
    }
    // A cross-site form post: the cookie rides along, the header cannot.
    const form = await app.inject({
      method: "POST",
      url: "/api/org/departments",
      payload: "code=X&nameZh=x&nameEn=x",
      headers: { ...base, "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
    });
    expect(form.statusCode).toBe(403);
    expect((await app.inject({ method: "GET", url: "/api/auth/me", headers: base })).statusCode).toBe(200);
    // (The fresh administrator must change the password first: sign out is a write allowed before that.)
    expect((await app.inject({ method: "POST", url: "/api/auth/logout", payload: {}, headers: base })).statusCode).toBe(403);
    const ok = await makeClient(app, cookie, csrf).post("/api/auth/logout", {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await app.inject({ method: "GET", url: "/api/auth/me", headers: base })).statusCode).toBe(401);
  });

  it("security headers are set on API answers, errors and the web app", async () => {
    for (const url of ["/api/org/departments", "/api/health", "/"]) {
      const r = await app.inject({ method: "GET", url });
      expect(r.headers["x-content-type-options"], url).toBe("nosniff");
      expect(r.headers["x-frame-options"], url).toBe("DENY");
      expect(r.headers["referrer-policy"], url).toBe("same-origin");
      expect(String(r.headers["content-security-policy"]), url).toContain("frame-ancestors 'none'");
    }
    const api = await app.inject({ method: "GET", url: "/api/org/departments" });
    expect(api.statusCode).toBe(401);
    expect(api.headers["cache-control"]).toBe("no-store");
    expect(api.headers["content-type"]).toContain("application/problem+json");
  });

  it("passwords, session cookies, CSRF and API tokens never appear in the logs or the audit log", async () => {
    logged.length = 0;
    // A wrong password, the right one, a forced change, a token made and used, a bad token.
    const wrong = await signIn("Wrong-Guess-0000!");
    expect(wrong.statusCode).toBe(401);
    const res = await signIn(sys.adminPassword);
    const sessionToken = res.cookies.find((x) => x.name === "kaiwu_session")!.value;
    const csrf = res.json().csrfToken as string;
    const admin = makeClient(app, `kaiwu_session=${sessionToken}`, csrf);
    const changed = await admin.post("/api/auth/password", { currentPassword: sys.adminPassword, newPassword: PASSWORD_2 });
    expect(changed.statusCode, changed.body).toBe(200);
    const again = await signIn(PASSWORD_2);
    const admin2 = makeClient(app, `kaiwu_session=${again.cookies.find((x) => x.name === "kaiwu_session")!.value}`, again.json().csrfToken);
    const made = await admin2.post("/api/access/tokens", {
      name: "Log check",
      permissions: ["org.read"],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(made.statusCode, made.body).toBe(201);
    const token = made.json().token as string;
    expect((await app.inject({ method: "GET", url: "/api/org/departments", headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    const bogus = `kw_${"A".repeat(43)}`;
    expect((await app.inject({ method: "GET", url: "/api/org/departments", headers: { authorization: `Bearer ${bogus}` } })).statusCode).toBe(401);
    // A validation failure echoes fields, never a password's value.
    const bad = await admin2.post("/api/auth/password", { currentPassword: PASSWORD_2, newPassword: "short", extra: "x" });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toContain(PASSWORD_2);

    const text = logged.join("\n");
    expect(logged.length).toBeGreaterThan(10); // the request log was really written
    expect(text).toContain("/api/auth/login");
    for (const secret of [sys.adminPassword, "Wrong-Guess-0000!", PASSWORD_2, sessionToken, csrf, token, bogus]) {
      expect(text.includes(secret), `a secret (${secret.slice(0, 4)}…) is in the log`).toBe(false);
    }
    const audit = await rows<{ t: string }>(
      sys.rt.database.db,
      sql`select concat_ws(' ', changes::text, details::text, user_agent, session_id, entity_id) as t from audit_log`,
    );
    const auditText = audit.map((r) => r.t).join("\n");
    for (const secret of [sys.adminPassword, "Wrong-Guess-0000!", PASSWORD_2, sessionToken, csrf, token, bogus]) {
      expect(auditText.includes(secret), `a secret (${secret.slice(0, 4)}…) is in the audit log`).toBe(false);
    }
  });
});
