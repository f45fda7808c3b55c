import * as OTPAuth from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, type TestSystem, login, makeClient, testSystem } from "./harness.ts";

describe.skipIf(!DB_AVAILABLE)("security policy, two-factor authentication, sessions", () => {
  let sys: TestSystem;
  let admin: Client;
  const adminPassword = "Kw-Test-Pass-2026!";

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
  });
  afterAll(() => sys?.close());

  const attempt = (payload: Record<string, string>, ip = "10.0.0.1") =>
    sys.app.inject({ method: "POST", url: "/api/auth/login", payload, remoteAddress: ip, headers: { "accept-language": "en-US" } });

  it("the administrator sets the policy and new passwords follow it", async () => {
    const current = (await admin.get("/api/identity/policy")).json();
    expect(current).toMatchObject({ passwordMinLength: 10, version: 0 });
    const res = await admin.put("/api/identity/policy", { ...current, passwordMinLength: 14, passwordHistory: 3 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().version).toBe(1);
    const stale = await admin.put("/api/identity/policy", { ...current, passwordMinLength: 12 });
    expect(stale.statusCode).toBe(409);
    const u = (await admin.post("/api/identity/users", { username: "pol.user", displayName: "Policy", roles: [{ role: "operator" }] })).json();
    const r = await attempt({ username: "pol.user", password: u.oneTimePassword });
    const c = makeClient(sys.app, `kaiwu_session=${r.cookies[0].value}`, r.json().csrfToken);
    const short = await c.post("/api/auth/password", { currentPassword: u.oneTimePassword, newPassword: "Short-Pass-12" });
    expect(short.json().errors[0]).toMatchObject({ rule: "minLength", message: "/newPassword must be at least 14 characters" });
    expect((await c.post("/api/auth/password", { currentPassword: u.oneTimePassword, newPassword: "Long-Enough-Pass-1234" })).statusCode).toBe(200);
    expect((await c.get("/api/auth/password-policy")).json()).toMatchObject({ minLength: 14, history: 3 });
  });

  it("an expired password must be changed before anything else", async () => {
    await sys.rt.database.db.execute(sql`update app_user set password_changed_at = now() - interval '91 days' where username = 'pol.user'`);
    const r = await attempt({ username: "pol.user", password: "Long-Enough-Pass-1234" });
    const c = makeClient(sys.app, `kaiwu_session=${r.cookies[0].value}`, r.json().csrfToken);
    const blocked = await c.get("/api/org/departments");
    expect(blocked.json().code).toBe("password_change_required");
    expect((await c.get("/api/auth/me")).json().mustChangePassword).toBe(true);
  });

  it("enrols TOTP, then login needs a fresh code; a used code and a wrong code fail; a recovery code works once", async () => {
    const setup = await admin.post("/api/auth/totp/setup", {});
    expect(setup.statusCode, setup.body).toBe(200);
    const { secret, uri } = setup.json();
    expect(uri).toMatch(/^otpauth:\/\/totp\/Kaiwu:admin\?/);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), issuer: "Kaiwu", label: "admin" });
    const wrong = await admin.post("/api/auth/totp/enable", { code: "000000" === totp.generate() ? "111111" : "000000" });
    expect(wrong.statusCode).toBe(400);
    const enabled = await admin.post("/api/auth/totp/enable", { code: totp.generate() });
    expect(enabled.statusCode, enabled.body).toBe(200);
    const recovery: string[] = enabled.json().recoveryCodes;
    expect(recovery).toHaveLength(10);

    const step1 = await attempt({ username: "admin", password: adminPassword });
    expect(step1.statusCode).toBe(401);
    expect(step1.json().code).toBe("totp_required");
    expect(step1.cookies).toHaveLength(0);
    // The enable step consumed the current window's code: the same code is not accepted again.
    const replay = await attempt({ username: "admin", password: adminPassword, totp: totp.generate() });
    expect(replay.json().code).toBe("totp_failed");
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    const ok = await attempt({ username: "admin", password: adminPassword, totp: next });
    expect(ok.statusCode, ok.body).toBe(200);
    const rec = await attempt({ username: "admin", password: adminPassword, totp: recovery[0] });
    expect(rec.statusCode).toBe(200);
    const recAgain = await attempt({ username: "admin", password: adminPassword, totp: recovery[0] });
    expect(recAgain.json().code).toBe("totp_failed");
    admin = makeClient(sys.app, `kaiwu_session=${rec.cookies[0].value}`, rec.json().csrfToken);
  });

  it("the policy can require TOTP for a role: holders must enrol before anything else", async () => {
    const p = (await admin.get("/api/identity/policy")).json();
    await admin.put("/api/identity/policy", { ...p, totpRequiredRoles: ["operator"] });
    const u = (await admin.post("/api/identity/users", { username: "op.totp", displayName: "Op", roles: [{ role: "operator" }] })).json();
    const c = await login(sys.app, "op.totp", u.oneTimePassword, "Another-Long-Pass-77");
    const blocked = await c.get("/api/org/departments");
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe("totp_enrollment_required");
    expect((await c.get("/api/auth/me")).json().mustEnrollTotp).toBe(true);
    const s = (await c.post("/api/auth/totp/setup", {})).json();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(s.secret) });
    expect((await c.post("/api/auth/totp/enable", { code: totp.generate() })).statusCode).toBe(200);
    expect((await c.get("/api/org/departments")).statusCode).toBe(200);
    const off = await c.post("/api/auth/totp/disable", { password: "Another-Long-Pass-77", code: totp.generate({ timestamp: Date.now() + 30_000 }) });
    expect(off.statusCode).toBe(422);
    expect(off.json().code).toBe("totp_required_by_policy");
    await admin.put("/api/identity/policy", { ...p, version: p.version + 1, totpRequiredRoles: [] });
  });

  it("throttles failed logins per address", async () => {
    for (let i = 0; i < 20; i++) await attempt({ username: `nobody${i}`, password: "x" }, "10.9.9.9");
    const res = await attempt({ username: "admin", password: adminPassword }, "10.9.9.9");
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe("login_throttled");
    expect((await attempt({ username: "nobody", password: "x" }, "10.9.9.10")).statusCode).toBe(401);
  });

  it("a person sees and ends their own sessions", async () => {
    const other = await login(sys.app, "pol.user", "Long-Enough-Pass-1234", "Fresh-Long-Pass-9988");
    const again = await login(sys.app, "pol.user", "Fresh-Long-Pass-9988");
    const sessions = (await again.get("/api/auth/sessions")).json();
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    const notCurrent = sessions.find((s: { current: boolean }) => !s.current);
    const end = await again.post(`/api/auth/sessions/${notCurrent.id}/end`, {});
    expect(end.statusCode, end.body).toBe(200);
    const alive = await Promise.all([other.get("/api/auth/me"), again.get("/api/auth/me")]);
    expect(alive.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });
});
