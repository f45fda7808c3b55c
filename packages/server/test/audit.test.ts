import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorFile, checkChain } from "../src/modules/audit/chain.ts";
import { fieldChanges } from "../src/modules/audit/queries.ts";
import { type Actor, systemActor } from "../src/platform/actor.ts";
import { auditHash, canonicalJson, sealStaged, writeAudit } from "../src/platform/audit.ts";
import { verifyAuditChain } from "../src/modules/audit/verify.ts";
import { createDepartment } from "../src/modules/org/commands.ts";
import { execute } from "../src/platform/pipeline.ts";
import { one, rows, sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, type TestSystem, count, login, testSystem } from "./harness.ts";

/** Changes the log as a database superuser would: with the append-only trigger switched off. */
async function tamper(sys: TestSystem, statement: ReturnType<typeof sql>) {
  const db = sys.rt.database.db;
  await db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
  });
}

async function saved(sys: TestSystem, where: ReturnType<typeof sql>) {
  return rows<{ r: unknown }>(sys.rt.database.db, sql`select to_jsonb(a) as r from audit_log a where ${where} order by id`);
}

async function restore(sys: TestSystem, saved: { r: unknown }[]) {
  for (const s of saved) {
    await sys.rt.database.db.execute(sql`insert into audit_log select * from jsonb_populate_record(null::audit_log, ${JSON.stringify(s.r)}::jsonb)`);
  }
}

/** Every check runs twice: in this thread and on worker threads (small batches, so both cross block ends). */
async function verify(sys: TestSystem) {
  // How many records the reference re-checks depends on the batch size; the verdict must not.
  const { rechecked: _a, ...inline } = await verifyAuditChain(sys.rt.database.db, sys.rt.auditKey, 7, { threads: 0 });
  const { rechecked: _b, ...threaded } = await verifyAuditChain(sys.rt.database.db, sys.rt.auditKey, 5, { threads: 2 });
  expect(threaded).toEqual(inline);
  return inline;
}

describe.skipIf(!DB_AVAILABLE)("audit log: screen, export, verification", () => {
  let sys: TestSystem;
  let admin: Client;
  let auditor: Client;
  let operator: Client;
  let operatorId: number;

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    const mk = async (username: string, role: string) => {
      const r = await admin.post("/api/identity/users", { username, displayName: username, roles: [{ role }] });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: number; oneTimePassword: string };
    };
    const a = await mk("aud.one", "auditor");
    const o = await mk("op.one", "operator");
    operatorId = o.id;
    auditor = await login(sys.app, "aud.one", a.oneTimePassword);
    operator = await login(sys.app, "op.one", o.oneTimePassword);
  });
  afterAll(() => sys?.close());

  it("auditors read the log, filtered, with readable action names in both languages", async () => {
    const dept = (await admin.post("/api/org/departments", { code: "AUD1", nameZh: "审计测试", nameEn: "Audit test" })).json();
    const res = await auditor.get("/api/audit/log?action=org.department.create&pageSize=10");
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    expect(page.items.length).toBeGreaterThanOrEqual(1);
    expect(page.items[0]).toMatchObject({ action: "org.department.create", entityId: String(dept.id), outcome: "success", actionLabel: "Create department" });
    const zh = (await auditor.get("/api/audit/log?action=org.department.create", { "accept-language": "zh-CN" })).json();
    expect(zh.items[0].actionLabel).toBe("新建部门");

    // Every filter narrows the list.
    const adminId = (await admin.get("/api/auth/me")).json().id;
    const byUser = (await auditor.get(`/api/audit/log?userId=${adminId}&pageSize=500`)).json();
    expect(byUser.items.every((r: { actorId: number; actorType: string }) => r.actorId === adminId && r.actorType === "user")).toBe(true);
    const failed = (await auditor.get("/api/audit/log?outcome=failed")).json();
    expect(failed.items.every((r: { outcome: string }) => r.outcome === "failed")).toBe(true);
    const entity = (await auditor.get(`/api/audit/log?entity=department&entityId=${dept.id}`)).json();
    expect(entity.total).toBe(1);
    const future = (await auditor.get(`/api/audit/log?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`)).json();
    expect(future.total).toBe(0);
    const ip = (await auditor.get("/api/audit/log?ip=127.0.0.1")).json();
    expect(ip.total).toBeGreaterThan(0);
    const prefix = (await auditor.get("/api/audit/log?action=auth.*")).json();
    expect(prefix.items.every((r: { action: string }) => r.action.startsWith("auth."))).toBe(true);
    const actions = (await auditor.get("/api/audit/actions")).json();
    expect(actions).toContainEqual(expect.objectContaining({ action: "auth.login", labels: { "zh-CN": "登录", "en-US": "Sign in" } }));

    // Bad filters are 400 naming the field.
    const bad = await auditor.get("/api/audit/log?from=yesterday");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toContain("from");
    const reversed = await auditor.get(`/api/audit/log?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`);
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().errors[0].field).toBe("/querystring/to");
  });

  it("the detail shows the before/after difference field by field", async () => {
    const dept = (await admin.post("/api/org/departments", { code: "AUD2", nameZh: "旧名", nameEn: "Old name" })).json();
    const upd = await admin.patch(`/api/org/departments/${dept.id}`, { nameEn: "New name" }, { "if-match": `"${dept.version}"` });
    expect(upd.statusCode).toBe(200);
    const list = (await auditor.get(`/api/audit/log?action=org.department.update&entityId=${dept.id}`)).json();
    const detail = (await auditor.get(`/api/audit/log/${list.items[0].id}`)).json();
    expect(detail.fieldChanges).toEqual([{ field: "nameEn", kind: "changed", before: "Old name", after: "New name" }]);
    expect(detail).toMatchObject({ actorType: "user", action: "org.department.update", hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // A creation shows every field as added.
    const created = (await auditor.get(`/api/audit/log?action=org.department.create&entityId=${dept.id}`)).json();
    const c = (await auditor.get(`/api/audit/log/${created.items[0].id}`)).json();
    expect(c.fieldChanges).toContainEqual({ field: "code", kind: "added", before: null, after: "AUD2" });
    expect(fieldChanges({ before: { a: 1, b: 2 }, after: null })).toEqual([
      { field: "a", kind: "removed", before: 1, after: null },
      { field: "b", kind: "removed", before: 2, after: null },
    ]);
  });

  it("a user without audit.log.read gets 403, and the attempt is in the log", async () => {
    const before = await count(sys.rt, "audit_log", `action = 'api.read' and actor_id = ${operatorId}`);
    const res = await operator.get("/api/audit/log");
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe("forbidden");
    const rec = await one<{ outcome: string; error_code: string; details: { route: string; permission: string } }>(
      sys.rt.database.db,
      sql`select outcome, error_code, details from audit_log where action = 'api.read' and actor_id = ${operatorId} order by id desc limit 1`,
    );
    expect(await count(sys.rt, "audit_log", `action = 'api.read' and actor_id = ${operatorId}`)).toBe(before + 1);
    expect(rec).toMatchObject({ outcome: "denied", error_code: "forbidden", details: { route: "/api/audit/log", permission: "audit.log.read" } });
    expect((await operator.get("/api/audit/log/1")).statusCode).toBe(403);
    expect((await sys.app.inject({ method: "GET", url: "/api/audit/log" })).statusCode).toBe(401);
  });

  it("an auditor can read but not export without the export permission; an export is itself audited", async () => {
    const denied = await auditor.get("/api/audit/export?outcome=failed");
    expect(denied.statusCode).toBe(403);
    expect(await count(sys.rt, "audit_log", "action = 'api.read' and details->>'route' = '/api/audit/export'")).toBe(1);

    const expected = (await admin.get("/api/audit/log?outcome=success&actorType=user&pageSize=1")).json().total;
    const res = await admin.get("/api/audit/export?outcome=success&actorType=user", { "accept-language": "zh-CN" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    expect(res.headers["content-disposition"]).toMatch(/attachment; filename="audit-log-\d{8}-\d{6}\.csv"/);
    const lines = res.body.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toContain("记录号");
    expect(lines.length - 1).toBe(expected);
    expect(Number(res.headers["x-export-rows"])).toBe(expected);
    const rec = await one<{ entity: string; details: { rows: number; format: string; filter: Record<string, unknown> } }>(
      sys.rt.database.db,
      sql`select entity, details from audit_log where action = 'data.export' order by id desc limit 1`,
    );
    expect(rec).toMatchObject({ entity: "audit_log", details: { rows: expected, format: "csv", filter: { outcome: "success", actorType: "user" } } });
  });

  it("the fast path confirms an ordinary log by itself, in this thread and on worker threads", async () => {
    for (const threads of [0, 2]) {
      const r = await verifyAuditChain(sys.rt.database.db, sys.rt.auditKey, 3, { threads });
      expect(r).toMatchObject({ ok: true, rechecked: 0 });
      expect(r.checked).toBe(await count(sys.rt, "audit_log"));
    }
  });

  it("verification finds an altered record at that record, and the anchor moves forward only when all is well", async () => {
    fs.rmSync(anchorFile(sys.rt), { force: true });
    const ok = await auditor.post("/api/audit/verify", {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, chainOk: true, anchor: { status: "none" }, anchorUpdated: true });
    const anchor = JSON.parse(fs.readFileSync(anchorFile(sys.rt), "utf8"));
    expect(anchor.id).toBe(ok.json().head.id);

    const target = (await one<{ id: number }>(sys.rt.database.db, sql`select id from audit_log where action = 'org.department.update' order by id desc limit 1`))!.id;
    const original = await saved(sys, sql`id = ${target}`);
    await tamper(sys, sql`update audit_log set actor_name = 'Mallory' where id = ${target}`);
    const bad = await verify(sys);
    expect(bad).toMatchObject({ ok: false, firstBad: { id: target, problem: "hash_mismatch" } });
    expect(bad.checked).toBe(await count(sys.rt, "audit_log", `id < ${target}`));

    // Through the screen: the result names the record, an alert and a security event are raised.
    const res = (await auditor.post("/api/audit/verify", {})).json();
    expect(res).toMatchObject({ ok: false, chainOk: false, firstBad: { id: target, problem: "hash_mismatch" }, anchorUpdated: false });
    expect(await count(sys.rt, "system_alert", "message_key = 'alert.audit_chain_broken'")).toBeGreaterThanOrEqual(1);
    expect(await count(sys.rt, "security_event", `rule = 'chain_integrity' and dedup_key = 'chain_integrity:hash_mismatch:${target}'`)).toBe(1);
    // The same damage found again is the same event, not a new one.
    await auditor.post("/api/audit/verify", {});
    expect(await count(sys.rt, "security_event", "rule = 'chain_integrity'")).toBe(1);
    const history = (await auditor.get("/api/audit/verifications")).json();
    expect(history.items[0]).toMatchObject({ chainOk: false, firstBadId: target, problem: "hash_mismatch", trigger: "manual" });

    // Changing a value inside the JSON of changes is found the same way.
    await tamper(sys, sql`delete from audit_log where id = ${target}`);
    await restore(sys, original);
    expect((await verify(sys)).ok).toBe(true);
    await tamper(sys, sql`update audit_log set changes = jsonb_set(changes, '{after,nameEn}', '"Forged"') where id = ${target}`);
    expect(await verify(sys)).toMatchObject({ ok: false, firstBad: { id: target, problem: "hash_mismatch" } });
    await tamper(sys, sql`delete from audit_log where id = ${target}`);
    await restore(sys, original);
    expect((await verify(sys)).ok).toBe(true);
  });

  it("a deleted record breaks the link of the record after it; a record inserted in SQL fails its own hash", async () => {
    const ids = (await rows<{ id: number }>(sys.rt.database.db, sql`select id from audit_log order by id desc limit 6`)).map((r) => r.id).reverse();
    const victim = ids[2];
    const original = await saved(sys, sql`id = ${victim}`);
    await tamper(sys, sql`delete from audit_log where id = ${victim}`);
    expect(await verify(sys)).toMatchObject({ ok: false, firstBad: { id: ids[3], problem: "broken_link" } });
    await restore(sys, original);
    expect((await verify(sys)).ok).toBe(true);

    // A forged record at the end: it links to the head, but nobody without the key can compute its hash.
    const head = (await one<{ id: number; hash: string }>(sys.rt.database.db, sql`select id, hash from audit_log order by id desc limit 1`))!;
    const forgedId = head.id + 1000;
    await sys.rt.database.db.execute(sql`insert into audit_log (id, occurred_at, actor_type, actor_name, action, outcome, prev_hash, hash)
      values (${forgedId}, now(), 'user', 'Mallory', 'org.department.create', 'success', ${head.hash}, ${"f".repeat(64)})`);
    expect(await verify(sys)).toMatchObject({ ok: false, firstBad: { id: forgedId, problem: "hash_mismatch" } });
    // Forged in the middle (a gap in the ids): the same.
    await tamper(sys, sql`delete from audit_log where id = ${forgedId}`);
    const mid = ids[2];
    const midRow = await saved(sys, sql`id = ${mid}`);
    await tamper(sys, sql`delete from audit_log where id = ${mid}`);
    const prev = (await one<{ hash: string }>(sys.rt.database.db, sql`select hash from audit_log where id = ${ids[1]}`))!;
    await sys.rt.database.db.execute(sql`insert into audit_log (id, occurred_at, actor_type, actor_name, action, outcome, prev_hash, hash)
      values (${mid}, now(), 'user', 'Mallory', 'org.department.create', 'success', ${prev.hash}, ${"e".repeat(64)})`);
    expect(await verify(sys)).toMatchObject({ ok: false, firstBad: { id: mid, problem: "hash_mismatch" } });
    await tamper(sys, sql`delete from audit_log where id = ${mid}`);
    await restore(sys, midRow);
    expect((await verify(sys)).ok).toBe(true);
  });

  it("cutting records off the end is found through the anchor kept outside the database", async () => {
    const first = (await auditor.post("/api/audit/verify", {})).json();
    expect(first).toMatchObject({ ok: true, anchorUpdated: true });
    const anchorId = first.head.id;
    const tail = await saved(sys, sql`id > ${anchorId - 3}`);
    await tamper(sys, sql`delete from audit_log where id > ${anchorId - 3}`);
    // The remaining chain links up: only the anchor shows that its end is gone.
    expect((await verify(sys)).ok).toBe(true);
    const cut = (await auditor.post("/api/audit/verify", {})).json();
    expect(cut).toMatchObject({ ok: false, chainOk: true, anchor: { status: "truncated", id: anchorId }, anchorUpdated: false });
    expect(await count(sys.rt, "system_alert", "message_key = 'alert.audit_chain_truncated'")).toBeGreaterThanOrEqual(1);
    expect(await count(sys.rt, "security_event", `dedup_key = 'chain_integrity:anchor:truncated:${anchorId}'`)).toBe(1);
    // New records after the cut continue the shortened chain; the anchored record is still missing.
    await admin.post("/api/org/departments", { code: "AUD3", nameZh: "截断后", nameEn: "After the cut" });
    const missing = (await auditor.post("/api/audit/verify", {})).json();
    expect(missing).toMatchObject({ ok: false, chainOk: true, anchor: { status: "missing", id: anchorId } });
    // The doctor reports it too.
    const { doctorChecks } = await import("../src/cli/doctor.ts");
    const doc = (await doctorChecks(sys.rt)).find((c) => c.name === "audit chain")!;
    expect(doc.ok).toBe(false);
    expect(doc.detail).toContain("missing");
    void tail;
  });

  it("the fast verification agrees with the reference on awkward data, and still finds changes in it", async () => {
    const db = sys.rt.database.db;
    const odd: Actor = { ...systemActor("tab\there, new\nline, back\\slash, \x1fsep\x1e, 引号\"", 1), id: null };
    const entries = [
      { changes: { before: { price: 1.5, qty: 100000, tiny: 1.5e-7, big: 1.2345678901234567e19, neg: -0.25 }, after: { "键 with space": "值", "9": 1, "10": 2, "": "empty" } } },
      { changes: { before: null, after: { nested: { z: [1, { y: "a\"b\\c\u0001\u2028" }], a: [] }, emoji: "😀", esc: "\\n not a newline" } } },
      { details: { list: [[], {}, [null, true, false]], "quote\"key": 1 } },
    ];
    for (const e of entries) {
      await db.transaction((tx) => writeAudit(tx, sys.rt.auditKey, odd, { ip: "::1", userAgent: "ua\ttab" }, { action: "test.odd", outcome: "success", ...e }));
    }
    const r = await verify(sys);
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
    const odds = await rows<{ id: number }>(db, sql`select id from audit_log where action = 'test.odd' order by id`);
    const target = odds[1].id;
    const original = await saved(sys, sql`id = ${target}`);
    await tamper(sys, sql`update audit_log set changes = jsonb_set(changes, '{after,emoji}', '"😁"') where id = ${target}`);
    expect((await verify(sys)).firstBad).toEqual({ id: target, problem: "hash_mismatch" });
    await tamper(sys, sql`delete from audit_log where id = ${target}`);
    await restore(sys, original);
    expect((await verify(sys)).firstBad).toBeUndefined();
    // And the reference hash of a stored record is what the chain holds.
    const row = await one<Record<string, unknown>>(
      db,
      sql`select id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at, company_id, actor_type, actor_id,
            actor_name, session_id, ip, user_agent, request_id, action, entity, entity_id, outcome, error_code, changes, details, prev_hash, hash
          from audit_log where id = ${odds[0].id}`,
    );
    expect(auditHash(sys.rt.auditKey, row!.prev_hash as string, row as never)).toBe(row!.hash);
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: 2 }] })).toBe('{"a":[2,{"c":2,"d":1}],"b":1}');
  });

  it("concurrent commands: every record is in the chain when its command returns, and the chain holds", async () => {
    const db = sys.rt.database.db;
    const companyId = (await one<{ id: number }>(db, sql`select id from company order by id limit 1`))!.id;
    const actor = systemActor("concurrent", companyId);
    const before = await count(sys.rt, "audit_log", "action = 'org.department.create'");
    // Sixteen at once: on PostgreSQL most find the chain lock taken and stage their record for the sealer.
    const made = await Promise.all(
      Array.from({ length: 16 }, (_, i) => execute(sys.rt, createDepartment, { code: `CC${i}`, nameZh: "并发", nameEn: "Concurrent" }, actor)),
    );
    expect(made).toHaveLength(16);
    expect(await count(sys.rt, "audit_log", "action = 'org.department.create'")).toBe(before + 16);
    expect(await count(sys.rt, "audit_staged")).toBe(0);
    expect((await verify(sys)).ok).toBe(true);
  });

  it("a record staged in SQL without the key is chained by the sealer, and verification names it", async () => {
    const db = sys.rt.database.db;
    await db.execute(sql`insert into audit_staged (nonce, record, mac) values ('forged', ${JSON.stringify({
      occurred_at: new Date().toISOString(), actor_type: "user", actor_name: "Mallory", action: "org.department.create", outcome: "success",
    })}::jsonb, ${"a".repeat(64)})`);
    // A copy of a staged row is refused (its nonce is in its MAC).
    await expect(db.execute(sql`insert into audit_staged (nonce, record, mac) select nonce, record, mac from audit_staged`)).rejects.toThrow();
    const report = await checkChain(sys.rt, db, { updateAnchor: false });
    const forged = (await one<{ id: number }>(db, sql`select id from audit_log where actor_name = 'Mallory' order by id desc limit 1`))!.id;
    expect(report).toMatchObject({ chainOk: false, firstBad: { id: forged, problem: "hash_mismatch" } });
    expect(await count(sys.rt, "audit_staged")).toBe(0);
    expect(await sealStaged(db, sys.rt.auditKey)).toBe(0);
    await tamper(sys, sql`delete from audit_log where id = ${forged}`);
    expect((await verify(sys)).ok).toBe(true);
  });
});
