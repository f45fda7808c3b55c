import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "../src/platform/db/database.ts";
import { verifyAuditChain } from "../src/modules/audit/verify.ts";
import { type Client, DB_AVAILABLE, count, dbError, login, testSystem, type TestSystem } from "./harness.ts";

describe.skipIf(!DB_AVAILABLE)("command pipeline over HTTP", () => {
  let sys: TestSystem;
  let admin: Client;

  beforeAll(async () => {
    const s = await testSystem();
    sys = s;
    admin = await login(s.app, "admin", s.adminPassword);
  });
  afterAll(() => sys?.close());

  it("creates a department and records who did it in the audit chain", async () => {
    const res = await admin.post("/api/org/departments", { code: "PLANT", nameZh: "工厂", nameEn: "Plant" });
    expect(res.statusCode).toBe(201);
    const dept = res.json();
    expect(dept).toMatchObject({ code: "PLANT", version: 1 });
    const audit = await sys.rt.database.db.execute(
      sql`select actor_name, outcome, entity_id, changes from audit_log where action = 'org.department.create' order by id desc limit 1`,
    );
    const row = (audit as unknown as { rows: Record<string, unknown>[] }).rows[0];
    expect(row).toMatchObject({ outcome: "success", entity_id: String(dept.id) });
    expect((row.changes as { after: { code: string } }).after.code).toBe("PLANT");
  });

  it("a failed command leaves none of its data behind, only the record of the failed attempt", async () => {
    const before = await count(sys.rt, "department");
    const auditBefore = await count(sys.rt, "audit_log", "outcome = 'failed'");
    // The parent does not exist: the command fails after validation, inside its transaction.
    const res = await admin.post("/api/org/departments", { code: "ORPHAN", nameZh: "孤儿", nameEn: "Orphan", parentId: 999999 });
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.json().errors[0]).toMatchObject({ field: "/parentId" });
    expect(await count(sys.rt, "department")).toBe(before);
    expect(await count(sys.rt, "audit_log", "outcome = 'failed'")).toBe(auditBefore + 1);
  });

  it("a retried POST with the same Idempotency-Key applies once and answers the same", async () => {
    const before = await count(sys.rt, "department");
    const body = { code: "IDEM", nameZh: "幂等", nameEn: "Idempotent" };
    const [a, b] = await Promise.all([
      admin.post("/api/org/departments", body, { "idempotency-key": "retry-1" }),
      admin.post("/api/org/departments", body, { "idempotency-key": "retry-1" }),
    ]);
    const c = await admin.post("/api/org/departments", body, { "idempotency-key": "retry-1" });
    expect([a.statusCode, b.statusCode, c.statusCode]).toEqual([201, 201, 201]);
    expect(b.json().id).toBe(a.json().id);
    expect(c.json().id).toBe(a.json().id);
    expect(await count(sys.rt, "department")).toBe(before + 1);
    // The same key with a different request is refused rather than silently answered.
    const d = await admin.post("/api/org/departments", { ...body, code: "IDEM2" }, { "idempotency-key": "retry-1" });
    expect(d.statusCode).toBe(422);
    expect(d.json().code).toBe("idempotency_key_reused");
  });

  it("a stale update gets 409, never a silent overwrite", async () => {
    const dept = (await admin.post("/api/org/departments", { code: "STALE", nameZh: "旧", nameEn: "Stale" })).json();
    const first = await admin.patch(`/api/org/departments/${dept.id}`, { nameEn: "First edit" }, { "if-match": `"${dept.version}"` });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(2);
    expect(first.headers.etag).toBe('"2"');
    const second = await admin.patch(`/api/org/departments/${dept.id}`, { nameEn: "Lost edit" }, { "if-match": `"${dept.version}"` });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: "version_conflict" });
    const now = (await admin.get(`/api/org/departments/${dept.id}`)).json();
    expect(now.nameEn).toBe("First edit");
    const noVersion = await admin.patch(`/api/org/departments/${dept.id}`, { nameEn: "No version" });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json().errors).toContainEqual(expect.objectContaining({ field: "/version", rule: "required" }));
  });

  it("bad input gets 4xx problem+json naming the field, never 500", async () => {
    const malformed = await sys.app.inject({
      method: "POST",
      url: "/api/org/departments",
      headers: { cookie: (admin as unknown as { cookie?: string }).cookie ?? "", "content-type": "application/json" },
      payload: "{bad json",
    });
    expect([400, 401, 403]).toContain(malformed.statusCode);
    const m2 = await admin.post("/api/org/departments", "{bad json", { "content-type": "application/json" });
    expect(m2.statusCode).toBe(400);
    expect(m2.json().code).toBe("malformed_json");

    const wrongTypes = await admin.post("/api/org/departments", { code: 12, nameZh: true, nameEn: ["x"] });
    expect(wrongTypes.statusCode).toBe(400);
    const fields = wrongTypes.json().errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
    expect(fields).toEqual(expect.arrayContaining(["/code:type", "/nameZh:type", "/nameEn:type"]));

    const unknown = await admin.post("/api/org/departments", { code: "UNK", nameZh: "x", nameEn: "x", isAdmin: true });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toContainEqual(expect.objectContaining({ field: "/isAdmin", rule: "unknownField" }));

    const tooLong = await admin.post("/api/org/departments", { code: "LONG", nameZh: "x".repeat(201), nameEn: "x" });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0]).toMatchObject({ field: "/nameZh", rule: "maxLength" });

    const huge = await admin.post("/api/org/departments", { code: "BIG", nameZh: "x".repeat(2_000_000), nameEn: "x" });
    expect(huge.statusCode).toBe(413);
    expect(huge.headers["content-type"]).toContain("application/problem+json");

    const injection = await admin.get("/api/org/departments?sort=code;drop%20table%20department");
    expect(injection.statusCode).toBe(400);
    const badPage = await admin.get(`/api/org/departments?page=${"9".repeat(400)}`);
    expect(badPage.statusCode).toBe(400);
    expect(await count(sys.rt, "department", "code in ('UNK','LONG','BIG')")).toBe(0);
  });

  it("messages come in the caller's language", async () => {
    const zh = await admin.post("/api/org/departments", { code: "x" }, { "accept-language": "zh-CN,zh;q=0.9" });
    expect(zh.json().detail).toContain("输入有误");
    expect(zh.json().errors.find((e: { field: string }) => e.field === "/nameZh").message).toContain("必填");
    const en = await admin.post("/api/org/departments", { code: "x" }, { "accept-language": "en-US" });
    expect(en.json().errors.find((e: { field: string }) => e.field === "/nameZh").message).toContain("is required");
  });

  it("refuses a department cycle in the database itself", async () => {
    const a = (await admin.post("/api/org/departments", { code: "CYA", nameZh: "甲", nameEn: "A" })).json();
    const b = (await admin.post("/api/org/departments", { code: "CYB", nameZh: "乙", nameEn: "B", parentId: a.id })).json();
    const res = await admin.patch(`/api/org/departments/${a.id}`, { parentId: b.id, version: a.version });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe("department_no_cycle");
  });

  it("unsafe requests without the CSRF token are refused", async () => {
    const res = await admin.post("/api/org/departments", { code: "CSRF", nameZh: "x", nameEn: "x" }, { "x-csrf-token": "forged" });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe("csrf_failed");
  });

  it("requires a session for the API", async () => {
    const res = await sys.app.inject({ method: "GET", url: "/api/org/departments" });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe("unauthenticated");
  });

  it("the audit log is append-only in the database, and its chain holds", async () => {
    expect(await dbError(sys.rt.database.db.execute(sql`update audit_log set actor_name = 'x'`))).toMatch(/append-only/);
    expect(await dbError(sys.rt.database.db.execute(sql`delete from audit_log`))).toMatch(/append-only/);
    expect(await dbError(sys.rt.database.db.execute(sql`truncate audit_log`))).toMatch(/append-only/);
    const r = await verifyAuditChain(sys.rt.database.db, sys.rt.auditKey);
    expect(r.ok).toBe(true);
    expect(r.checked).toBeGreaterThan(5);
  });

  it("health and metrics answer", async () => {
    const ready = await sys.app.inject({ method: "GET", url: "/health/ready" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.migrations.ok).toBe(true);
    const metrics = await sys.app.inject({ method: "GET", url: "/metrics" });
    expect(metrics.body).toContain("kaiwu_http_request_duration_seconds_bucket");
    expect(metrics.body).toContain("kaiwu_jobs");
    const openapi = await sys.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(openapi.json().openapi).toBe("3.1.0");
    expect(Object.keys(openapi.json().paths)).toContain("/api/org/departments");
  });
});
