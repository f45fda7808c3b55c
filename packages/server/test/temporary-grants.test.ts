import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { one, sql } from "../src/platform/db/database.ts";
import { sweepTemporaryGrants } from "../src/modules/access/temporary/sweep.ts";
import { type Client, DB_AVAILABLE, type TestSystem, count, login, testSystem } from "./harness.ts";

const HOUR = 3_600_000;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

describe.skipIf(!DB_AVAILABLE)("temporary access (IAM-7)", () => {
  let sys: TestSystem;
  let admin: Client;
  let roles: Record<string, number>;
  let depts: Record<string, number>;
  const people = new Map<string, { id: number; client: Client }>();

  beforeAll(async () => {
    sys = await testSystem({ demo: true });
    admin = await login(sys.app, "admin", sys.adminPassword);
    roles = Object.fromEntries((await admin.get("/api/access/roles")).json().map((r: { code: string; id: number }) => [r.code, r.id]));
    const all = (await admin.get("/api/org/departments?pageSize=100")).json().items as { id: number; code: string }[];
    depts = Object.fromEntries(all.map((d) => [d.code, d.id]));
  });
  afterAll(() => sys?.close());

  async function person(username: string) {
    const known = people.get(username);
    if (known) return known;
    const u = (await admin.get(`/api/identity/users?q=${username}`)).json().items.find((x: { username: string }) => x.username === username);
    const reset = await admin.post(`/api/identity/users/${u.id}/reset-password`, {});
    const client = await login(sys.app, username, reset.json().oneTimePassword, "Kw-Temporary-2026!");
    people.set(username, { id: u.id, client });
    return people.get(username)!;
  }

  const ask = (c: Client, body: Record<string, unknown>) => c.post("/api/access/temporary/grants", body);
  const grantRow = (id: number) =>
    one<{ status: string; user_role_id: number | null }>(sys.rt.database.db, sql`select status, user_role_id from temporary_grant where id = ${id}`);

  it("the role works only after the superior approves, and only inside its window", async () => {
    const li = await person("ws1.li");
    expect((await li.client.get("/api/identity/users")).statusCode).toBe(403);
    const res = await ask(li.client, { roleId: roles.auditor, validFrom: iso(0), validUntil: iso(72 * HOUR), reason: "Quarterly access review support" });
    expect(res.statusCode, res.body).toBe(201);
    const grant = res.json();
    expect(grant.status).toBe("pending");
    expect((await li.client.get("/api/identity/users")).statusCode).toBe(403);

    // Li Na's workshop has no manager: her superior is the production manager. Not she, not the department's administrator.
    expect((await li.client.post(`/api/workflow/requests/${grant.approvalRequestId}/approve`, { level: 1 })).json().code).toBe("approval_maker_is_checker");
    const prodAdmin = await person("prod.admin");
    expect((await prodAdmin.client.post(`/api/workflow/requests/${grant.approvalRequestId}/approve`, { level: 1 })).statusCode).toBe(403);
    const zhang = await person("prod.zhang");
    const detail = (await zhang.client.get(`/api/workflow/requests/${grant.approvalRequestId}`)).json();
    expect(detail.document).toMatchObject({ kind: "temporary_grant", roleCode: "auditor", userName: "李娜 Li Na" });
    expect(detail.document.currentRoles).toContain("operator");
    const ok = await zhang.client.post(`/api/workflow/requests/${grant.approvalRequestId}/approve`, { level: 1 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await grantRow(grant.id))!.status).toBe("approved");
    expect((await li.client.get("/api/identity/users")).statusCode).toBe(200);

    // Move the clock: the window is over, the permission is gone by itself.
    const { user_role_id } = (await grantRow(grant.id))!;
    await sys.rt.database.db.execute(
      sql`update user_role set valid_from = now() - interval '3 days', valid_until = now() - interval '1 minute' where id = ${user_role_id}`,
    );
    await sys.rt.database.db.execute(sql`update temporary_grant set valid_from = now() - interval '3 days', valid_until = now() - interval '1 minute' where id = ${grant.id}`);
    expect((await li.client.get("/api/identity/users")).statusCode).toBe(403);
    // The sweep records the expiry in the audit log.
    const swept = await sweepTemporaryGrants(sys.rt);
    expect(swept.expired).toBeGreaterThanOrEqual(1);
    expect((await grantRow(grant.id))!.status).toBe("expired");
    expect(await count(sys.rt, "audit_log", `action = 'access.temporary.expire' and entity_id = '${grant.id}'`)).toBe(1);
    expect((await sweepTemporaryGrants(sys.rt)).expired).toBe(0);
  });

  it("a grant starting later gives nothing before its start", async () => {
    const li = await person("ws1.li");
    const res = await ask(li.client, { roleId: roles.auditor, validFrom: iso(24 * HOUR), validUntil: iso(48 * HOUR), reason: "Audit next week" });
    expect(res.statusCode, res.body).toBe(201);
    const zhang = await person("prod.zhang");
    expect((await zhang.client.post(`/api/workflow/requests/${res.json().approvalRequestId}/approve`, { level: 1 })).statusCode).toBe(200);
    expect((await li.client.get("/api/identity/users")).statusCode).toBe(403);
    const upcoming = (await admin.get("/api/access/temporary/grants?scope=all&state=current")).json();
    expect(upcoming.items.find((g: { id: number }) => g.id === res.json().id)).toMatchObject({ state: "upcoming" });
    const { user_role_id } = (await grantRow(res.json().id))!;
    await sys.rt.database.db.execute(sql`update user_role set valid_from = now() - interval '1 minute' where id = ${user_role_id}`);
    expect((await li.client.get("/api/identity/users")).statusCode).toBe(200);
  });

  it("refuses what may not be asked for, naming the field", async () => {
    const wang = await person("ws2.wang");
    const field = async (body: Record<string, unknown>) => {
      const r = await ask(wang.client, { roleId: roles.auditor, validFrom: iso(0), validUntil: iso(HOUR), reason: "x", ...body });
      expect(r.statusCode, r.body).toBe(400);
      return `${r.json().errors[0].field}:${r.json().errors[0].rule}`;
    };
    expect(await field({ roleId: roles.system_admin })).toBe("/roleId:grantable");
    expect(await field({ validUntil: iso(15 * 24 * HOUR) })).toBe("/validUntil:maxDays");
    expect(await field({ validFrom: iso(2 * HOUR), validUntil: iso(HOUR) })).toBe("/validUntil:order");
    expect(await field({ validUntil: "tomorrow" })).toBe("/validUntil:format");
    expect(await field({ reason: "   " })).toBe("/reason:required");
    expect(await field({ departmentId: 999999 })).toBe("/departmentId:exists");
    expect(await field({ roleId: roles.operator, departmentId: depts.WS1 })).toBe("/roleId:duplicate");
    expect(await count(sys.rt, "temporary_grant", `user_id = ${wang.id}`)).toBe(1);
  });

  it("administrators end a grant early with a reason; others may not", async () => {
    const chen = await person("pur.chen");
    const current = (await chen.client.get("/api/access/temporary/grants?scope=mine&state=active")).json();
    const demoGrant = current.items.find((g: { roleCode: string }) => g.roleCode === "readonly");
    expect(demoGrant).toBeTruthy();
    const zhao = await person("pur.zhao");
    expect((await zhao.client.post(`/api/access/temporary/grants/${demoGrant.id}/revoke`, { reason: "done" })).statusCode).toBe(403);
    const itAdmin = await person("it.zhou");
    expect((await itAdmin.client.post(`/api/access/temporary/grants/${demoGrant.id}/revoke`, { reason: "  " })).statusCode).toBe(400);
    const ok = await itAdmin.client.post(`/api/access/temporary/grants/${demoGrant.id}/revoke`, { reason: "Reconciliation finished early" });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe("revoked");
    const ur = await one<{ live: boolean }>(
      sys.rt.database.db,
      sql`select (valid_until is null or valid_until > now()) as live from user_role where id = ${(await grantRow(demoGrant.id))!.user_role_id}`,
    );
    expect(ur!.live).toBe(false);
    expect((await itAdmin.client.post(`/api/access/temporary/grants/${demoGrant.id}/revoke`, { reason: "again" })).json().code).toBe("temporary_not_in_force");
  });

  it("lists current and upcoming holders for those who may see them", async () => {
    const xu = await person("sales.xu");
    expect((await xu.client.get("/api/access/temporary/grants?scope=all")).statusCode).toBe(403);
    expect((await xu.client.get("/api/access/temporary/grants?scope=mine")).json().total).toBe(0);
    const li = await person("ws1.li");
    expect((await li.client.get("/api/access/temporary/grants?scope=mine")).json().total).toBe(2);
    // A buyer's grant, outside production.
    const chen = await person("pur.chen");
    const asked = await ask(chen.client, { roleId: roles.readonly, departmentId: depts.WH, validFrom: iso(0), validUntil: iso(HOUR), reason: "Check stock" });
    const zhao = await person("pur.zhao");
    expect((await zhao.client.post(`/api/workflow/requests/${asked.json().approvalRequestId}/approve`, { level: 1 })).statusCode).toBe(200);
    const all = (await admin.get("/api/access/temporary/grants?scope=all&state=current&pageSize=100")).json();
    expect(all.items.every((g: { state: string }) => g.state === "active" || g.state === "upcoming")).toBe(true);
    expect(all.items.map((g: { username: string }) => g.username)).toEqual(expect.arrayContaining(["ws1.li", "pur.chen"]));
    // The production manager reads temporary access within production only (his role's data scope).
    const zhang = await person("prod.zhang");
    const holders = await zhang.client.get("/api/access/temporary/grants?scope=all&state=current&pageSize=100");
    expect(holders.statusCode).toBe(200);
    const names = holders.json().items.map((g: { username: string }) => g.username);
    expect(names).toContain("ws1.li");
    expect(names).not.toContain("pur.chen");
  });

  it("a grant whose role was ended elsewhere (an access review) is recorded as ended", async () => {
    const li = await person("ws1.li");
    const active = (await li.client.get("/api/access/temporary/grants?scope=mine&state=active")).json().items;
    const auditor = active.find((g: { roleCode: string }) => g.roleCode === "auditor");
    expect(auditor).toBeTruthy();
    const { user_role_id } = (await grantRow(auditor.id))!;
    await sys.rt.database.db.execute(sql`update user_role set valid_until = now() where id = ${user_role_id}`);
    expect((await li.client.get("/api/identity/users")).statusCode).toBe(403);
    await sweepTemporaryGrants(sys.rt);
    const after = (await li.client.get("/api/access/temporary/grants?scope=mine&state=ended")).json().items;
    expect(after.find((g: { id: number }) => g.id === auditor.id)).toMatchObject({ status: "ended", endReason: "role ended outside temporary access" });
  });

  it("a person who leaves loses their sessions, temporary access and open requests at once (IAM-8)", async () => {
    const wang = await person("ws2.wang");
    const approved = await ask(wang.client, { roleId: roles.readonly, validFrom: iso(0), validUntil: iso(5 * HOUR), reason: "Look up stock" });
    expect(approved.statusCode, approved.body).toBe(201);
    const zhang = await person("prod.zhang");
    await zhang.client.post(`/api/workflow/requests/${approved.json().approvalRequestId}/approve`, { level: 1 });
    const pending = (await wang.client.get("/api/access/temporary/grants?scope=mine&state=pending")).json().items[0];
    expect((await wang.client.get("/api/auth/me")).statusCode).toBe(200);
    const u = (await admin.get("/api/identity/users?q=ws2.wang")).json().items[0];
    expect((await admin.post(`/api/identity/users/${u.id}/disable`, { version: u.version, reason: "left" })).statusCode).toBe(200);
    // In the disabling's own transaction: no sweep needed.
    expect((await wang.client.get("/api/auth/me")).statusCode).toBe(401);
    expect(await grantRow(approved.json().id)).toMatchObject({ status: "ended" });
    expect((await grantRow(pending.id))!.status).toBe("withdrawn");
    const req = await one<{ status: string }>(sys.rt.database.db, sql`select status from approval_request where id = ${pending.requestId}`);
    expect(req!.status).toBe("withdrawn");
    expect(await count(sys.rt, "user_role", `user_id = ${u.id} and (valid_until is null or valid_until > now())`)).toBe(0);
    const rec = await one<{ details: Record<string, unknown> }>(
      sys.rt.database.db,
      sql`select details from audit_log where action = 'identity.user.disable' and entity_id = ${String(u.id)} order by id desc limit 1`,
    );
    expect(rec!.details).toMatchObject({ reason: "left", temporaryGrants: { ended: [approved.json().id], withdrawn: [pending.id] } });
    expect((rec!.details.sessionsEnded as number) >= 1).toBe(true);
    // The sweep finds nothing left to do.
    expect((await sweepTemporaryGrants(sys.rt)).ended).toBe(0);
  });

  it("temporary access does not get round segregation of duties", async () => {
    const db = sys.rt.database.db;
    await db.execute(sql`insert into sod_rule (company_id, code, name_zh, name_en, side_a, side_b)
        select company_id, 'T-AUDIT-SALES', '审计与销售分离', 'Audit apart from sales', '{audit.log.read}', '{org.read}' from app_user where username = 'admin'`);
    const xu = await person("sales.xu");
    const res = await ask(xu.client, { roleId: roles.auditor, validFrom: iso(0), validUntil: iso(HOUR), reason: "Look at the log" });
    expect(res.statusCode, res.body).toBe(201);
    // Sales has no manager of its own: the general manager decides.
    const gm = await person("gm.lin");
    const refused = await gm.client.post(`/api/workflow/requests/${res.json().approvalRequestId}/approve`, { level: 1 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe("sod_conflict");
    expect((await grantRow(res.json().id))!).toMatchObject({ status: "pending", user_role_id: null });
    expect(await count(sys.rt, "user_role", `user_id = ${xu.id} and role_id = ${roles.auditor}`)).toBe(0);
    await db.execute(sql`update sod_rule set active = false where code = 'T-AUDIT-SALES'`);
  });

  it("administrators choose the grantable roles; a role with every permission never is", async () => {
    expect((await admin.put("/api/access/temporary/grantable-roles", { roleId: roles.super_admin, grantable: true })).json().errors[0].field).toBe("/roleId");
    const li = await person("ws1.li");
    expect((await li.client.put("/api/access/temporary/grantable-roles", { roleId: roles.dept_manager, grantable: true })).statusCode).toBe(403);
    expect((await admin.put("/api/access/temporary/grantable-roles", { roleId: roles.dept_manager, grantable: true, maxDays: 7 })).statusCode).toBe(200);
    const list = (await li.client.get("/api/access/temporary/grantable-roles")).json();
    expect(list.find((r: { code: string }) => r.code === "dept_manager")).toMatchObject({ maxDays: 7 });
    await admin.put("/api/access/temporary/grantable-roles", { roleId: roles.dept_manager, grantable: false });
    expect((await li.client.get("/api/access/temporary/grantable-roles")).json().some((r: { code: string }) => r.code === "dept_manager")).toBe(false);
  });
});
