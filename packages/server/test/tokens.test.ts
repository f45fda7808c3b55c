import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { one, sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, type TestSystem, count, dbError, login, testSystem } from "./harness.ts";
import { inventoryFixture, receive } from "./inventory-fixtures.ts";

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

describe.skipIf(!DB_AVAILABLE)("API tokens for external systems", () => {
  let sys: TestSystem;
  let admin: Client;
  let sysadmin: Client;
  let sysadminId: number;
  let sysadminVersion: number;

  const call = (token: string, method: "GET" | "POST" | "PATCH", url: string, payload?: unknown, ip = "192.0.2.10") =>
    sys.app.inject({ method, url, payload: payload as never, remoteAddress: ip, headers: { authorization: `Bearer ${token}`, "accept-language": "en-US" } });
  const create = (client: Client, body: Record<string, unknown>) => client.post("/api/access/tokens", { expiresAt: inDays(30), ...body });

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    const r = await admin.post("/api/identity/users", { username: "it.admin", displayName: "IT Admin", roles: [{ role: "system_admin" }] });
    sysadminId = r.json().id;
    sysadminVersion = r.json().version;
    sysadmin = await login(sys.app, "it.admin", r.json().oneTimePassword);
  });
  afterAll(() => sys?.close());

  it("is shown once, stored only as its SHA-256, and acts with exactly its permissions", async () => {
    const res = await create(sysadmin, { name: "ERP bridge", permissions: ["org.read"], description: "nightly sync" });
    expect(res.statusCode, res.body).toBe(201);
    const t = res.json();
    expect(t.token).toMatch(/^kw_[A-Za-z0-9_-]{43}$/);
    expect(t).toMatchObject({ name: "ERP bridge", prefix: t.token.slice(0, 9), permissions: ["org.read"], departmentId: null });
    const row = await one<{ token_hash: string }>(sys.rt.database.db, sql`select token_hash from api_token where id = ${t.id}`);
    expect(row!.token_hash).toBe(createHash("sha256").update(t.token).digest("hex"));
    const listed = (await sysadmin.get("/api/access/tokens")).json();
    expect(listed.items[0]).toMatchObject({ id: t.id, status: "active", createdByName: "IT Admin", creatorStatus: "active" });
    expect(JSON.stringify(listed)).not.toContain(t.token);
    expect(await count(sys.rt, "audit_log", `changes::text like '%${t.token}%' or details::text like '%${t.token}%'`)).toBe(0);

    const ok = await call(t.token, "GET", "/api/org/departments");
    expect(ok.statusCode, ok.body).toBe(200);
    const me = (await call(t.token, "GET", "/api/auth/me")).json();
    expect(me).toMatchObject({ name: "ERP bridge", permissions: ["org.read"] });
    const used = await one<{ last_used_at: string | null; last_used_ip: string }>(sys.rt.database.db, sql`select last_used_at, last_used_ip from api_token where id = ${t.id}`);
    expect(used).toMatchObject({ last_used_ip: "192.0.2.10" });
    expect(used!.last_used_at).not.toBeNull();

    // Without the permission: 403, and the attempt is audited as the token.
    const read = await call(t.token, "GET", "/api/identity/users");
    expect(read.statusCode).toBe(403);
    const write = await call(t.token, "POST", "/api/org/departments", { code: "TOK", nameZh: "令牌", nameEn: "Token" });
    expect(write.statusCode).toBe(403);
    const denied = await one<{ actor_type: string; session_id: string; actor_name: string; action: string }>(
      sys.rt.database.db,
      sql`select actor_type, session_id, actor_name, action from audit_log where outcome = 'denied' order by id desc limit 1`,
    );
    expect(denied).toEqual({ actor_type: "token", session_id: `token:${t.id}`, actor_name: "ERP bridge", action: "org.department.create" });
    expect(await count(sys.rt, "audit_log", `action = 'api.read' and session_id = 'token:${t.id}'`)).toBe(1);
  });

  it("writes with a permitted token need no CSRF token and are audited as the token", async () => {
    const t = (await create(admin, { name: "MES", permissions: ["org.read", "org.department.edit"] })).json();
    const res = await call(t.token, "POST", "/api/org/departments", { code: "MES1", nameZh: "接口建", nameEn: "Made by MES" });
    expect(res.statusCode, res.body).toBe(201);
    const rec = await one<{ actor_type: string; actor_id: number | null; actor_name: string; session_id: string; ip: string }>(
      sys.rt.database.db,
      sql`select actor_type, actor_id, actor_name, session_id, ip from audit_log where action = 'org.department.create' and entity_id = ${String(res.json().id)}`,
    );
    expect(rec).toEqual({ actor_type: "token", actor_id: null, actor_name: "MES", session_id: `token:${t.id}`, ip: "192.0.2.10" });
    const byToken = (await admin.get(`/api/audit/log?tokenId=${t.id}`)).json();
    expect(byToken.items.map((r: { action: string }) => r.action)).toContain("org.department.create");
    // A token cannot make or revoke tokens, whatever its permissions.
    const meta = (await create(admin, { name: "token maker", permissions: ["access.token.manage"] })).json();
    const made = await call(meta.token, "POST", "/api/access/tokens", { name: "child", permissions: ["org.read"], expiresAt: inDays(1) });
    expect(made.statusCode).toBe(403);
  });

  it("expired, revoked and unknown tokens get 401, and the attempts are audited", async () => {
    const t = (await create(admin, { name: "short-lived", permissions: ["org.read"] })).json();
    // The rights and expiry of a token are fixed; only a superuser can age one for this test.
    expect(await dbError(sys.rt.database.db.execute(sql`update api_token set expires_at = now() + interval '1 day' where id = ${t.id}`))).toMatch(/cannot be changed/);
    await sys.rt.database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table api_token disable trigger api_token_immutable`);
      await tx.execute(sql`update api_token set created_at = now() - interval '2 days', expires_at = now() - interval '1 minute' where id = ${t.id}`);
      await tx.execute(sql`alter table api_token enable trigger api_token_immutable`);
    });
    const expired = await call(t.token, "GET", "/api/org/departments");
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe("token_expired");
    expect((await admin.get("/api/access/tokens?status=expired")).json().items.map((x: { id: number }) => x.id)).toContain(t.id);

    const r = (await create(admin, { name: "to revoke", permissions: ["org.read"] })).json();
    expect((await call(r.token, "GET", "/api/org/departments")).statusCode).toBe(200);
    const noReason = await admin.post(`/api/access/tokens/${r.id}/revoke`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].field).toBe("/reason");
    const rev = await admin.post(`/api/access/tokens/${r.id}/revoke`, { reason: "the partner's server was replaced" });
    expect(rev.statusCode, rev.body).toBe(200);
    const revoked = await call(r.token, "GET", "/api/org/departments");
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().code).toBe("token_revoked");
    expect((await admin.post(`/api/access/tokens/${r.id}/revoke`, { reason: "again" })).json().code).toBe("already_revoked");
    expect(await dbError(sys.rt.database.db.execute(sql`update api_token set revoked_at = null, revoked_by_name = null where id = ${r.id}`))).toMatch(/revoked for good/);
    expect(await dbError(sys.rt.database.db.execute(sql`delete from api_token where id = ${r.id}`))).toMatch(/append-only/);

    const unknown = await call(`kw_${"A".repeat(43)}`, "GET", "/api/org/departments");
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().code).toBe("token_invalid");
    const malformed = await call("not-a-token", "GET", "/api/org/departments");
    expect(malformed.statusCode).toBe(401);
    const attempts = await one<{ n: number }>(
      sys.rt.database.db,
      sql`select count(*)::int8 as n from audit_log where action = 'auth.token' and outcome = 'denied'
            and error_code in ('token_expired', 'token_revoked', 'token_invalid')`,
    );
    expect(Number(attempts!.n)).toBe(4);
    // Other authorization schemes (a reverse proxy's Basic) are not tokens: the session path applies.
    const basic = await sys.app.inject({ method: "GET", url: "/api/org/departments", headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(basic.json().code).toBe("unauthenticated");
  });

  it("nobody can mint rights they do not have", async () => {
    const exceeds = await create(sysadmin, { name: "audit reader", permissions: ["org.read", "audit.log.read"] });
    expect(exceeds.statusCode).toBe(400);
    expect(exceeds.json()).toMatchObject({ code: "exceeds_own_rights", errors: [{ field: "/permissions/1", rule: "exceedsOwnRights" }] });
    const wildcard = await create(sysadmin, { name: "all", permissions: ["org.*"] });
    expect(wildcard.json().errors[0]).toMatchObject({ field: "/permissions/0", rule: "exact" });
    const star = await create(admin, { name: "everything", permissions: ["*"] });
    expect(star.statusCode).toBe(400);
    const unknown = await create(sysadmin, { name: "x", permissions: ["org.nonsense"] });
    expect(unknown.json().errors[0]).toMatchObject({ field: "/permissions/0", rule: "declared" });
    const tooLong = await create(sysadmin, { name: "x", permissions: ["org.read"], expiresAt: inDays(400) });
    expect(tooLong.json().errors[0]).toMatchObject({ field: "/expiresAt", rule: "maximum" });
    const past = await create(sysadmin, { name: "x", permissions: ["org.read"], expiresAt: inDays(-1) });
    expect(past.json().errors[0]).toMatchObject({ field: "/expiresAt", rule: "minimum" });
    const noExpiry = await sysadmin.post("/api/access/tokens", { name: "x", permissions: ["org.read"] });
    expect(noExpiry.json().errors).toContainEqual(expect.objectContaining({ field: "/expiresAt", rule: "required" }));
    expect(await count(sys.rt, "api_token", "name in ('audit reader', 'all', 'everything', 'x')")).toBe(0);

    // A creator whose rights reach only one department: the token must stay inside it.
    const depts = { a: (await admin.post("/api/org/departments", { code: "TA", nameZh: "甲", nameEn: "A" })).json(), b: (await admin.post("/api/org/departments", { code: "TB", nameZh: "乙", nameEn: "B" })).json() };
    const sub = (await admin.post("/api/org/departments", { code: "TA1", nameZh: "甲一", nameEn: "A1", parentId: depts.a.id })).json();
    const role = await admin.post("/api/access/roles", { code: "token_keeper", nameZh: "令牌管理", nameEn: "Token keeper", permissions: ["access.token.manage", "access.token.read", "identity.user.read"] });
    expect(role.statusCode, role.body).toBe(201);
    const u = await admin.post("/api/identity/users", { username: "dept.keeper", displayName: "Dept keeper", departmentId: depts.a.id, roles: [{ role: "token_keeper", departmentId: depts.a.id }] });
    expect(u.statusCode, u.body).toBe(201);
    const keeper = await login(sys.app, "dept.keeper", u.json().oneTimePassword);
    const wide = await create(keeper, { name: "wide", permissions: ["identity.user.read"] });
    expect(wide.statusCode).toBe(400);
    expect(wide.json()).toMatchObject({ code: "exceeds_own_rights", errors: [{ field: "/departmentId", rule: "outOfScope" }] });
    const elsewhere = await create(keeper, { name: "elsewhere", permissions: ["identity.user.read"], departmentId: depts.b.id });
    expect(elsewhere.statusCode).toBe(400);
    const inside = await create(keeper, { name: "inside", permissions: ["identity.user.read"], departmentId: depts.a.id });
    expect(inside.statusCode, inside.body).toBe(201);
    // The token sees the people of its department subtree only.
    await admin.post("/api/identity/users", { username: "in.sub", displayName: "In A1", departmentId: sub.id, roles: [] });
    await admin.post("/api/identity/users", { username: "in.b", displayName: "In B", departmentId: depts.b.id, roles: [] });
    const people = (await call(inside.json().token, "GET", "/api/identity/users?pageSize=500")).json();
    const names = people.items.map((p: { username: string }) => p.username);
    expect(names).toEqual(expect.arrayContaining(["dept.keeper", "in.sub"]));
    expect(names).not.toContain("in.b");
    expect(names).not.toContain("admin");
  });

  it("a token limited to a warehouse reaches only that warehouse's stock, documents and locations", async () => {
    const f = await inventoryFixture(sys.rt);
    const in1 = await receive(admin, [{ itemId: f.items.BOLT, quantity: "10", unitCost: "0.5" }], { toLocationId: f.loc.WH1_STOCK, reference: "TOK-WH1" });
    const in2 = await receive(admin, [{ itemId: f.items.BOLT, quantity: "7", unitCost: "0.5" }], { toLocationId: f.loc.WH2_STOCK, reference: "TOK-WH2" });
    const permissions = ["inventory.stock.read", "inventory.receipt.edit"];

    const unknown = await create(admin, { name: "terminal", permissions, warehouseId: 999_999 });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toContainEqual(expect.objectContaining({ field: "/warehouseId", rule: "exists" }));
    expect(await count(sys.rt, "api_token", "name = 'terminal'")).toBe(0);

    // The creation form's picker offers the company's active warehouses to whoever may make tokens.
    const offered = (await admin.get("/api/access/token-warehouses")).json();
    expect(offered.map((w: { code: string }) => w.code)).toEqual(expect.arrayContaining(["T-WH1", "T-WH2"]));

    const res = await create(admin, { name: "WH1 terminal", permissions, warehouseId: f.wh.WH1 });
    expect(res.statusCode, res.body).toBe(201);
    const t = res.json();
    expect(t).toMatchObject({ warehouseId: f.wh.WH1, departmentId: null });
    const listed = (await admin.get("/api/access/tokens?q=WH1 terminal")).json().items[0];
    expect(listed).toMatchObject({ id: t.id, warehouseId: f.wh.WH1, warehouseCode: "T-WH1", warehouseNameEn: "Test WH 1" });
    expect((await admin.get(`/api/access/tokens/${t.id}`)).json()).toMatchObject({ warehouseCode: "T-WH1" });
    const rec = await one<{ changes: { after: { warehouseId: number } } }>(
      sys.rt.database.db,
      sql`select changes from audit_log where action = 'access.token.create' and entity_id = ${String(t.id)}`,
    );
    expect(rec!.changes.after.warehouseId).toBe(f.wh.WH1);
    // The warehouse is as fixed as the rights.
    expect(await dbError(sys.rt.database.db.execute(sql`update api_token set warehouse_id = ${f.wh.WH2} where id = ${t.id}`))).toMatch(/cannot be changed/);

    const stock = await call(t.token, "GET", `/api/inventory/stock?group=warehouse&itemId=${f.items.BOLT}`);
    expect(stock.statusCode, stock.body).toBe(200);
    expect(stock.json().items.map((r: { warehouseCode: string }) => r.warehouseCode)).toEqual(["T-WH1"]);
    const docs = (await call(t.token, "GET", "/api/inventory/documents")).json().items.map((d: { id: number }) => d.id);
    expect(docs).toContain(in1.id);
    expect(docs).not.toContain(in2.id);
    expect((await call(t.token, "GET", `/api/inventory/documents/${in1.id}`)).statusCode).toBe(200);
    expect((await call(t.token, "GET", `/api/inventory/documents/${in2.id}`)).statusCode).toBe(404);
    const elsewhere = await call(t.token, "POST", "/api/inventory/receipts", { toLocationId: f.loc.WH2_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "1" }] });
    expect(elsewhere.statusCode, elsewhere.body).toBe(400);
    expect(elsewhere.json().errors[0]).toMatchObject({ field: "/lines/0/toLocationId", rule: "exists" });
    const own = await call(t.token, "POST", "/api/inventory/receipts", { toLocationId: f.loc.WH1_STOCK, lines: [{ itemId: f.items.BOLT, quantity: "1" }] });
    expect(own.statusCode, own.body).toBe(201);
    // The same rights without a warehouse reach both.
    const wide = (await create(admin, { name: "all warehouses", permissions })).json();
    const all = (await call(wide.token, "GET", `/api/inventory/stock?group=warehouse&itemId=${f.items.BOLT}`)).json().items;
    expect(all.map((r: { warehouseCode: string }) => r.warehouseCode).sort()).toEqual(["T-WH1", "T-WH2"]);
    expect((await call(wide.token, "GET", `/api/inventory/documents/${in2.id}`)).statusCode).toBe(200);

    // A creator whose stock rights reach WH1 only can hand them to a token limited to WH1, and nowhere else.
    await sys.rt.database.db.execute(sql`insert into role (company_id, code, name_zh, name_en, permissions)
      values (${f.companyId}, 'wh_token_keeper', '仓库令牌管理', 'Warehouse token keeper', array['access.token.manage', 'access.token.read', 'inventory.stock.read'])`);
    const u = await admin.post("/api/identity/users", { username: "wh1.tokens", displayName: "WH1 tokens", roles: [{ role: "wh_token_keeper", warehouseId: f.wh.WH1 }] });
    expect(u.statusCode, u.body).toBe(201);
    const keeper = await login(sys.app, "wh1.tokens", u.json().oneTimePassword);
    const noLimit = await create(keeper, { name: "unlimited", permissions: ["inventory.stock.read"] });
    expect(noLimit.statusCode).toBe(400);
    expect(noLimit.json()).toMatchObject({ code: "exceeds_own_rights", errors: [{ field: "/warehouseId", rule: "outOfScope" }] });
    const other = await create(keeper, { name: "other", permissions: ["inventory.stock.read"], warehouseId: f.wh.WH2 });
    expect(other.statusCode).toBe(400);
    expect(other.json().errors[0]).toMatchObject({ field: "/warehouseId", rule: "outOfScope" });
    const inside = await create(keeper, { name: "inside WH1", permissions: ["inventory.stock.read"], warehouseId: f.wh.WH1 });
    expect(inside.statusCode, inside.body).toBe(201);
  });

  it("departure: a leaver's tokens are revoked with the disabling, unless the administrator keeps them", async () => {
    // A second administrator leaves, their integration handed over: keepTokens.
    const r = await admin.post("/api/identity/users", { username: "it.handover", displayName: "IT Handover", roles: [{ role: "system_admin" }] });
    const handover = await login(sys.app, "it.handover", r.json().oneTimePassword);
    const kept = await handover.post("/api/access/tokens", { name: "MES", permissions: ["org.read"], expiresAt: inDays(90) });
    expect(kept.statusCode).toBe(201);
    const v1 = (await admin.get("/api/identity/users?q=it.handover")).json().items[0].version;
    const off1 = await admin.post(`/api/identity/users/${r.json().id}/disable`, { version: v1, reason: "moved on", keepTokens: true });
    expect(off1.statusCode, off1.body).toBe(200);
    expect((await call(kept.json().token, "GET", "/api/org/departments")).statusCode).toBe(200);
    const keptRow = (await admin.get(`/api/access/tokens/${kept.json().id}`)).json();
    expect(keptRow).toMatchObject({ name: "MES", status: "active", createdByName: "IT Handover", creatorStatus: "disabled" });
    const rec1 = await one<{ details: { apiTokens: { kept: number[]; revoked: number[] } } }>(
      sys.rt.database.db,
      sql`select details from audit_log where action = 'identity.user.disable' and entity_id = ${String(r.json().id)}`,
    );
    expect(rec1!.details.apiTokens).toEqual({ revoked: [], kept: [kept.json().id] });

    // The default: the token the leaver made (and saw once) stops at once.
    const t = await sysadmin.post("/api/access/tokens", { name: "WMS", permissions: ["org.read"], expiresAt: inDays(90) }, { "idempotency-key": "tok-1" });
    expect(t.statusCode).toBe(201);
    expect(await count(sys.rt, "idempotency_key", `response::text like '%kw_%'`)).toBe(0);
    expect((await call(t.json().token, "GET", "/api/org/departments")).statusCode).toBe(200);
    const version = (await admin.get("/api/identity/users?q=it.admin")).json().items[0].version;
    expect(version).toBeGreaterThanOrEqual(sysadminVersion);
    const disabled = await admin.post(`/api/identity/users/${sysadminId}/disable`, { version, reason: "left" });
    expect(disabled.statusCode, disabled.body).toBe(200);
    const refused = await call(t.json().token, "GET", "/api/org/departments");
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe("token_revoked");
    const row = (await admin.get(`/api/access/tokens/${t.json().id}`)).json();
    expect(row).toMatchObject({ name: "WMS", status: "revoked", createdByName: "IT Admin", creatorStatus: "disabled" });
    expect(row.token).toBeUndefined();
    const stored = await one<{ revoke_reason: string; revoked_by_name: string }>(sys.rt.database.db, sql`select revoke_reason, revoked_by_name from api_token where id = ${t.json().id}`);
    expect(stored!.revoke_reason).toBe("departure of it.admin: left");
    // The kept token of the earlier leaver is untouched by this one.
    expect((await call(kept.json().token, "GET", "/api/org/departments")).statusCode).toBe(200);
  });
});
