import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows, sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, type TestSystem, count, login, testSystem } from "./harness.ts";

/** Demo company: prod.admin is department administrator of Production (PROD and its workshops). */
describe.skipIf(!DB_AVAILABLE)("data scopes, delegated administration, segregation of duties", () => {
  let sys: TestSystem;
  let admin: Client;
  let prodAdmin: Client;
  let dept: Record<string, number>;


  async function loginDemo(username: string): Promise<Client> {
    const u = (await admin.get(`/api/identity/users?q=${username}`)).json().items[0];
    const reset = await admin.post(`/api/identity/users/${u.id}/reset-password`, {});
    return login(sys.app, username, reset.json().oneTimePassword);
  }

  beforeAll(async () => {
    sys = await testSystem({ demo: true });
    admin = await login(sys.app, "admin", sys.adminPassword);
    const d = await rows<{ code: string; id: number }>(sys.rt.database.db, sql`select code, id from department`);
    dept = Object.fromEntries(d.map((x) => [x.code, x.id]));
    prodAdmin = await loginDemo("prod.admin");
  });
  afterAll(() => sys?.close());

  it("another department's people are absent from a scoped administrator's list, and answer 404", async () => {
    const list = (await prodAdmin.get("/api/identity/users?pageSize=100")).json();
    const names = list.items.map((u: { username: string }) => u.username);
    expect(names).toEqual(expect.arrayContaining(["prod.zhang", "prod.admin", "ws1.li", "ws2.wang"]));
    expect(names).not.toContain("pur.chen");
    expect(names).not.toContain("fin.wu");
    const all = (await admin.get("/api/identity/users?pageSize=100")).json();
    expect(all.total).toBeGreaterThan(list.total);
    const purChen = all.items.find((u: { username: string }) => u.username === "pur.chen");
    const reset = await prodAdmin.post(`/api/identity/users/${purChen.id}/reset-password`, {});
    expect(reset.statusCode).toBe(404);
    const roles = await prodAdmin.get(`/api/access/users/${purChen.id}/roles`);
    expect([403, 200]).toContain(roles.statusCode);
    if (roles.statusCode === 200) expect(roles.json()).toEqual([]);
  });

  it("a department administrator creates users only in their department, with delegable roles", async () => {
    const ok = await prodAdmin.post("/api/identity/users", {
      username: "ws1.new",
      displayName: "New Assembler",
      departmentId: dept.WS1,
      roles: [{ role: "operator" }],
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const held = await rows<{ department_id: number }>(
      sys.rt.database.db,
      sql`select ur.department_id from user_role ur join app_user u on u.id = ur.user_id where u.username = 'ws1.new'`,
    );
    expect(held).toEqual([{ department_id: dept.WS1 }]);

    const outside = await prodAdmin.post("/api/identity/users", {
      username: "pur.new",
      displayName: "Buyer",
      departmentId: dept.PUR,
      roles: [{ role: "operator" }],
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0]).toMatchObject({ field: "/departmentId", rule: "outOfScope" });

    const tooMuch = await prodAdmin.post("/api/identity/users", {
      username: "ws1.boss",
      displayName: "Boss",
      departmentId: dept.WS1,
      roles: [{ role: "system_admin" }],
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(["exceedsOwnRights", "notDelegable"]).toContain(tooMuch.json().errors[0].rule);
    expect(await count(sys.rt, "app_user", "username in ('pur.new', 'ws1.boss')")).toBe(0);
  });

  it("nobody can raise their own rights", async () => {
    const me = (await admin.get("/api/identity/users?q=prod.admin")).json().items[0];
    const res = await prodAdmin.post("/api/access/user-roles", { userId: me.id, role: "operator" });
    expect([400, 403, 422]).toContain(res.statusCode);
    const zhou = await loginDemo("it.zhou");
    const self = (await admin.get("/api/identity/users?q=it.zhou")).json().items[0];
    const r2 = await zhou.post("/api/access/user-roles", { userId: self.id, role: "auditor" });
    expect(r2.statusCode).toBe(422);
    expect(r2.json().code).toBe("self_grant");
  });

  it("a conflicting role assignment is refused unless an exception is approved by someone else", async () => {
    const zhou = await loginDemo("it.zhou");
    const target = (await admin.post("/api/identity/users", { username: "dual.role", displayName: "Dual", departmentId: dept.IT, roles: [{ role: "system_admin" }] })).json();
    // it.zhou may not hand out a role carrying rights they lack themselves…
    const beyond = await zhou.post("/api/access/user-roles", { userId: target.id, role: "auditor" });
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json().errors[0]).toMatchObject({ field: "/role", rule: "exceedsOwnRights" });
    // …and even the super administrator may not create the conflict without an exception.
    const refused = await admin.post("/api/access/user-roles", { userId: target.id, role: "auditor" });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().code).toBe("sod_conflict");
    expect(refused.json().detail).toContain("Administer users / audit the log");
    expect(await count(sys.rt, "user_role", `user_id = ${target.id}`)).toBe(1);

    const rule = (await admin.get("/api/access/sod-rules")).json().find((r: { code: string }) => r.code === "ADMIN-AUDIT");
    const request = await zhou.post("/api/access/sod-exceptions", { userId: target.id, ruleId: rule.id, reason: "small team during the audit season" });
    expect(request.statusCode).toBe(201);
    const own = await zhou.post(`/api/access/sod-exceptions/${request.json().id}/decide`, { approve: true, note: "ok" });
    expect(own.statusCode).toBe(422); // the requester may not decide their own request
    expect(own.json().code).toBe("maker_checker");
    const approved = await admin.post(`/api/access/sod-exceptions/${request.json().id}/decide`, { approve: true, note: "approved by GM" });
    expect(approved.statusCode, approved.body).toBe(200);
    const granted = await admin.post("/api/access/user-roles", { userId: target.id, role: "auditor" });
    expect(granted.statusCode, granted.body).toBe(201);
  });

  it("a requester cannot decide their own exception, even holding every permission", async () => {
    const target = (await admin.post("/api/identity/users", { username: "solo.user", displayName: "Solo", departmentId: dept.IT, roles: [] })).json();
    const rule = (await admin.get("/api/access/sod-rules")).json()[0];
    const req = (await admin.post("/api/access/sod-exceptions", { userId: target.id, ruleId: rule.id, reason: "needs both for a week" })).json();
    const res = await admin.post(`/api/access/sod-exceptions/${req.id}/decide`, { approve: true, note: "self" });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe("maker_checker");
  });

  it("custom roles hold only declared permissions the creator holds; built-in roles keep theirs", async () => {
    const bad = await admin.post("/api/access/roles", { code: "shift_lead", nameZh: "班组长", nameEn: "Shift lead", permissions: ["org.read", "no.such.key"] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: "/permissions/1", rule: "declared" });
    const ok = await admin.post("/api/access/roles", { code: "shift_lead", nameZh: "班组长", nameEn: "Shift lead", permissions: ["org.read", "identity.user.read"], delegable: true });
    expect(ok.statusCode, ok.body).toBe(201);
    const shadow = await admin.post("/api/access/roles", { code: "auditor", nameZh: "假审计", nameEn: "Fake auditor", permissions: ["org.read"] });
    expect(shadow.statusCode).toBe(409);
    expect(shadow.json().errors[0]).toMatchObject({ field: "/code", rule: "unique" });
    const pattern = await admin.post("/api/access/roles", { code: "org_viewer", nameZh: "组织查看", nameEn: "Org viewer", permissions: ["org.*"] });
    expect(pattern.statusCode, pattern.body).toBe(201);
    const stored = (await admin.get("/api/access/roles")).json().find((r: { code: string }) => r.code === "org_viewer");
    expect(stored.permissions).toEqual(expect.arrayContaining(["org.read", "org.department.edit"]));
    expect(stored.permissions).not.toContain("org.*");
    const builtin = (await admin.get("/api/access/roles")).json().find((r: { code: string }) => r.code === "operator");
    const edit = await admin.patch(`/api/access/roles/${builtin.id}`, { permissions: ["org.read", "identity.user.create"], version: builtin.version });
    expect(edit.statusCode).toBe(422);
    const flag = await admin.patch(`/api/access/roles/${builtin.id}`, { delegable: false, version: builtin.version });
    expect(flag.statusCode, flag.body).toBe(200);
  });

  it("revoking a role ends it at once and keeps the history", async () => {
    const u = (await admin.get("/api/identity/users?q=ws2.wang")).json().items[0];
    const ws2 = await loginDemo("ws2.wang");
    expect((await ws2.get("/api/org/departments")).statusCode).toBe(200);
    const held = (await admin.get(`/api/access/users/${u.id}/roles`)).json();
    const res = await admin.post(`/api/access/user-roles/${held[0].id}/revoke`, { reason: "moved to sales" });
    expect(res.statusCode).toBe(200);
    expect((await ws2.get("/api/org/departments")).statusCode).toBe(403);
    const after = (await admin.get(`/api/access/users/${u.id}/roles`)).json();
    expect(after[0].state).toBe("ended");
  });
});
