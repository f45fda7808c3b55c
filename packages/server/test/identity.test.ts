import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, type TestSystem, count, login, testSystem } from "./harness.ts";

describe.skipIf(!DB_AVAILABLE)("accounts, sessions and login", () => {
  let sys: TestSystem;
  let admin: Client;
  let operatorPassword: string;

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    const res = await admin.post("/api/identity/users", { username: "op.one", displayName: "Operator One", roles: [{ role: "operator" }] });
    expect(res.statusCode).toBe(201);
    operatorPassword = res.json().oneTimePassword;
  });
  afterAll(() => sys?.close());

  const tryLogin = (username: string, password: string) =>
    sys.app.inject({ method: "POST", url: "/api/auth/login", payload: { username, password }, headers: { "accept-language": "en-US" } });

  it("a one-time password must be changed before anything else", async () => {
    const res = await tryLogin("op.one", operatorPassword);
    expect(res.json().mustChangePassword).toBe(true);
    const cookie = `kaiwu_session=${res.cookies[0].value}`;
    const blocked = await sys.app.inject({ method: "GET", url: "/api/org/departments", headers: { cookie } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe("password_change_required");
  });

  it("enforces the password policy and history", async () => {
    const op = await login(sys.app, "op.one", operatorPassword, "Grey-Stone-7788");
    const weak = await op.post("/api/auth/password", { currentPassword: "Grey-Stone-7788", newPassword: "abc" });
    expect(weak.statusCode).toBe(400);
    const rules = weak.json().errors.map((e: { rule: string }) => e.rule);
    expect(rules).toEqual(expect.arrayContaining(["minLength", "complexity"]));
    const reuse = await op.post("/api/auth/password", { currentPassword: "Grey-Stone-7788", newPassword: "Grey-Stone-7788" });
    expect(reuse.json().errors[0].rule).toBe("history");
    const common = await op.post("/api/auth/password", { currentPassword: "Grey-Stone-7788", newPassword: "P@ssw0rd" });
    expect(common.json().errors.map((e: { rule: string }) => e.rule)).toContain("common");
    operatorPassword = "Grey-Stone-7788";
  });

  it("answers the same for a wrong password and an unknown account", async () => {
    const wrong = await tryLogin("op.one", "not-the-password");
    const unknown = await tryLogin("nobody.here", "not-the-password");
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    expect(await count(sys.rt, "audit_log", "action = 'auth.login' and outcome = 'failed'")).toBeGreaterThanOrEqual(2);
  });

  it("locks the account after repeated failures, even for the right password", async () => {
    await sys.rt.database.db.execute(sql`update app_user set failed_login_count = 0, first_failed_at = null where username = 'op.one'`);
    for (let i = 0; i < 5; i++) expect((await tryLogin("op.one", `wrong-${i}`)).statusCode).toBe(401);
    const locked = await tryLogin("op.one", operatorPassword);
    expect(locked.statusCode).toBe(401);
    expect(locked.json().code).toBe("account_locked");
    expect(await count(sys.rt, "audit_log", "error_code = 'account_locked_now'")).toBe(1);
    // An administrator's reset unlocks it (with a new one-time password).
    const u = (await admin.get("/api/identity/users?q=op.one")).json().items[0];
    const reset = await admin.post(`/api/identity/users/${u.id}/reset-password`, {});
    operatorPassword = reset.json().oneTimePassword;
    expect((await tryLogin("op.one", operatorPassword)).statusCode).toBe(200);
  });

  it("the server refuses a session idle for longer than the limit", async () => {
    const op = await login(sys.app, "op.one", operatorPassword, "Quiet-Harbor-2231");
    operatorPassword = "Quiet-Harbor-2231";
    const ok = await op.get("/api/org/departments");
    expect(ok.statusCode, ok.body).toBe(200);
    await sys.rt.database.db.execute(
      sql`update user_session set last_seen_at = now() - interval '16 minutes' where user_id = (select id from app_user where username = 'op.one')`,
    );
    const res = await op.get("/api/org/departments");
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe("session_expired");
    expect((await op.get("/api/org/departments")).json().code).toBe("unauthenticated");
  });

  it("a missing permission gives 403 and an audit record of the attempt", async () => {
    const op = await login(sys.app, "op.one", operatorPassword);
    const res = await op.post("/api/org/departments", { code: "NOPE", nameZh: "不行", nameEn: "Nope" });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe("forbidden");
    expect(await count(sys.rt, "audit_log", "action = 'org.department.create' and outcome = 'denied'")).toBe(1);
    expect(await count(sys.rt, "department", "code = 'NOPE'")).toBe(0);
  });

  it("disabling a person ends their sessions at once", async () => {
    const op = await login(sys.app, "op.one", operatorPassword);
    expect((await op.get("/api/auth/me")).statusCode).toBe(200);
    const u = (await admin.get("/api/identity/users?q=op.one")).json().items[0];
    const res = await admin.post(`/api/identity/users/${u.id}/disable`, { version: u.version, reason: "left the company" });
    expect(res.statusCode).toBe(200);
    expect((await op.get("/api/auth/me")).statusCode).toBe(401);
    expect((await tryLogin("op.one", operatorPassword)).statusCode).toBe(401);
    expect(await count(sys.rt, "user_role", `user_id = ${u.id} and (valid_until is null or valid_until > now())`)).toBe(0);
  });

  it("logout ends the session", async () => {
    const a = await login(sys.app, "admin", "Kw-Test-Pass-2026!");
    expect((await a.post("/api/auth/logout", {})).statusCode).toBe(200);
    expect((await a.get("/api/auth/me")).statusCode).toBe(401);
  });
});
