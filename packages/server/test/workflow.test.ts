import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { one, rows, sql } from "../src/platform/db/database.ts";
import { defineCommand, execute } from "../src/platform/pipeline.ts";
import { DecimalString, StrictObject, Type } from "../src/platform/validation.ts";
import { userActor } from "../src/modules/workflow/actors.ts";
import { assertApproved, registerApprovalHandler, submitForApproval } from "../src/modules/workflow/engine.ts";
import { runEscalations } from "../src/modules/workflow/escalation.ts";
import { type Client, DB_AVAILABLE, type TestSystem, count, dbError, login, plantDay, testSystem } from "./harness.ts";

// A stand-in for a business document that needs approval: the demo's purchase-order chain routes it.
const submitOrder = defineCommand({
  name: "test.order.submit",
  permission: null,
  entity: "test_order",
  input: StrictObject({ amount: DecimalString(), docType: Type.Optional(Type.String()), departmentId: Type.Optional(Type.Integer()) }),
  async run(ctx, input) {
    const order = await one<{ id: number }>(ctx.tx, sql`insert into test_order (amount) values (${input.amount}::numeric) returning id`);
    const approval = await submitForApproval(ctx, {
      docType: input.docType ?? "purchasing.order",
      docId: order!.id,
      amount: input.amount,
      departmentId: input.departmentId,
      summary: { "zh-CN": `测试订单 ${input.amount}`, "en-US": `Test order ${input.amount}` },
    });
    return { orderId: order!.id, ...approval };
  },
});

const finalised: string[] = [];
registerApprovalHandler(
  "purchasing.order",
  async (ctx, docId) => {
    finalised.push(docId);
    await ctx.tx.execute(sql`update test_order set status = 'approved' where id = ${Number(docId)}`);
  },
  { onRejected: async (ctx, docId) => void (await ctx.tx.execute(sql`update test_order set status = 'rejected' where id = ${Number(docId)}`)) },
);

describe.skipIf(!DB_AVAILABLE)("approvals: chains, levels, maker ≠ checker, delegation, escalation", () => {
  let sys: TestSystem;
  let admin: Client;
  const people = new Map<string, { id: number; client: Client }>();

  beforeAll(async () => {
    sys = await testSystem({ demo: true });
    admin = await login(sys.app, "admin", sys.adminPassword);
    await sys.rt.database.db.execute(sql`create table test_order (id bigserial primary key, amount numeric not null, status text not null default 'draft')`);
  });
  afterAll(() => sys?.close());

  /** A demo person signed in over HTTP (their one-time password reset and changed first). */
  async function person(username: string) {
    const known = people.get(username);
    if (known) return known;
    const u = (await admin.get(`/api/identity/users?q=${username}`)).json().items.find((x: { username: string }) => x.username === username);
    const reset = await admin.post(`/api/identity/users/${u.id}/reset-password`, {});
    const client = await login(sys.app, username, reset.json().oneTimePassword, "Kw-Approver-2026!");
    const p = { id: u.id as number, client };
    people.set(username, p);
    return p;
  }

  async function submit(username: string, amount: string, extra: Record<string, unknown> = {}) {
    const p = await person(username);
    return execute(sys.rt, submitOrder, { amount, ...extra }, await userActor(sys.rt.database.db, p.id));
  }

  const detail = async (c: Client, id: number) => (await c.get(`/api/workflow/requests/${id}`)).json();
  const actionsOf = (id: number) => count(sys.rt, "approval_action", `request_id = ${id}`);

  it("routes by amount: below 10,000 one level, from 10,000 two, from 100,000 three", async () => {
    const small = await submit("pur.chen", "9999.99");
    const mid = await submit("pur.chen", "10000");
    const big = await submit("pur.chen", "150000");
    expect([small.levels, mid.levels, big.levels]).toEqual([1, 2, 3]);
    const d = await detail(admin, big.requestId);
    expect(d.steps.map((s: { nameEn: string }) => s.nameEn)).toEqual(["Department manager", "Finance manager", "General manager"]);
    expect(d.steps[0].approvers.map((a: { name: string }) => a.name)).toEqual(["赵磊 Zhao Lei"]);
    expect(d.amount).toBe("150000");
  });

  it("refuses a level out of turn and anyone the level does not name (403, audited); nothing changes", async () => {
    const { requestId } = await submit("pur.chen", "150000");
    const gm = await person("gm.lin");
    const before = await actionsOf(requestId);
    const skip = await gm.client.post(`/api/workflow/requests/${requestId}/approve`, { level: 3 });
    expect(skip.statusCode).toBe(422);
    expect(skip.json().code).toBe("approval_level_not_current");
    const notMine = await gm.client.post(`/api/workflow/requests/${requestId}/approve`, { level: 1 });
    expect(notMine.statusCode).toBe(403);
    expect(notMine.json().code).toBe("approval_not_eligible");
    expect(await count(sys.rt, "audit_log", `action = 'workflow.approve' and outcome = 'denied' and actor_id = ${gm.id}`)).toBeGreaterThanOrEqual(1);
    expect(await actionsOf(requestId)).toBe(before);
    expect((await detail(admin, requestId)).currentLevel).toBe(1);

    // In order, each by the level's own approver; the finaliser runs with the last one.
    expect((await (await person("pur.zhao")).client.post(`/api/workflow/requests/${requestId}/approve`, { level: 1 })).statusCode).toBe(200);
    const fin = await person("fin.he");
    expect((await fin.client.post(`/api/workflow/requests/${requestId}/approve`, { level: 1 })).json().code).toBe("approval_level_not_current");
    expect((await fin.client.post(`/api/workflow/requests/${requestId}/approve`, { level: 2, comment: "budget ok" })).statusCode).toBe(200);
    const last = await gm.client.post(`/api/workflow/requests/${requestId}/approve`, { level: 3 });
    expect(last.statusCode, last.body).toBe(200);
    expect(last.json()).toMatchObject({ status: "approved", final: true });
    const d = await detail(gm.client, requestId);
    expect(d.actions.map((a: { action: string }) => a.action)).toEqual(["submitted", "approved", "approved", "approved"]);
    expect(d.steps[1].comment).toBe("budget ok");
    const order = await one<{ status: string }>(sys.rt.database.db, sql`select status from test_order where id = (select doc_id::int8 from approval_request where id = ${requestId})`);
    expect(order!.status).toBe("approved");
    const ev = await rows<{ payload: { docType: string; docId: string } }>(
      sys.rt.database.db,
      sql`select payload from outbox_event where type = 'workflow.approved' and payload->>'requestId' = ${String(requestId)}`,
    );
    expect(ev[0].payload.docType).toBe("purchasing.order");
    await expect(assertApproved(sys.rt.database.db, "purchasing.order", d.docId)).resolves.toBeUndefined();
  });

  it("the database itself refuses a skipped level and a maker deciding", async () => {
    const { requestId } = await submit("pur.chen", "150000");
    const db = sys.rt.database.db;
    const gm = await person("gm.lin");
    expect(await dbError(db.execute(sql`update approval_step set status = 'approved', decided_at = now(), decided_by = ${gm.id}
        where request_id = ${requestId} and seq = 3`))).toMatch(/not waiting|earlier level/);
    const chen = await person("pur.chen");
    expect(await dbError(db.execute(sql`update approval_step set status = 'approved', decided_at = now(), decided_by = ${chen.id}
        where request_id = ${requestId} and seq = 1`))).toMatch(/maker/);
    expect(await dbError(db.execute(sql`update approval_request set status = 'approved', current_level = null, closed_at = now()
        where id = ${requestId}`))).toMatch(/level still open/);
    await expect(assertApproved(db, "purchasing.order", (await detail(admin, requestId)).docId)).rejects.toMatchObject({ code: "approval_not_approved" });
  });

  it("the maker can never decide, not even holding every permission", async () => {
    const superAdmin = await one<{ id: number }>(sys.rt.database.db, sql`select id from role where code = 'super_admin'`);
    const chain = await admin.post("/api/workflow/chains", {
      docType: "test.memo",
      nameZh: "测试备忘",
      nameEn: "Test memo",
      levels: [{ nameZh: "超级管理员", nameEn: "Super administrator", approverKind: "role", roleId: superAdmin!.id }],
    });
    expect(chain.statusCode, chain.body).toBe(201);
    const me = await admin.get("/api/auth/me");
    const r = await execute(sys.rt, submitOrder, { amount: "1", docType: "test.memo" }, await userActor(sys.rt.database.db, me.json().id));
    const res = await admin.post(`/api/workflow/requests/${r.requestId}/approve`, { level: 1 });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe("approval_maker_is_checker");
    expect(await count(sys.rt, "audit_log", "action = 'workflow.approve' and outcome = 'denied' and error_code = 'approval_maker_is_checker'")).toBe(1);
    const rejectOwn = await admin.post(`/api/workflow/requests/${r.requestId}/reject`, { level: 1, reason: "no" });
    expect(rejectOwn.statusCode).toBe(403);

    // A manager's own order goes to the next manager up, never to themself.
    const zhao = await person("pur.zhao");
    const own = await submit("pur.zhao", "500");
    expect((await zhao.client.post(`/api/workflow/requests/${own.requestId}/approve`, { level: 1 })).statusCode).toBe(403);
    const d = await detail(zhao.client, own.requestId);
    expect(d.viewer).toMatchObject({ canDecide: false, blockedReason: "maker" });
    expect(d.steps[0].approvers.map((a: { name: string }) => a.name)).toEqual(["林国栋 Lin Guodong"]);
  });

  it("the inbox shows what waits for me, and only that", async () => {
    const { requestId } = await submit("pur.chen", "20000");
    const zhao = await person("pur.zhao");
    const fin = await person("fin.he");
    const inbox = (await zhao.client.get("/api/workflow/inbox?pageSize=200")).json();
    expect(inbox.items.some((i: { id: number }) => i.id === requestId)).toBe(true);
    expect(inbox.items.every((i: { currentLevel: number; status: string }) => i.status === "pending")).toBe(true);
    expect((await fin.client.get("/api/workflow/inbox?pageSize=200")).json().items.some((i: { id: number }) => i.id === requestId)).toBe(false);
    await zhao.client.post(`/api/workflow/requests/${requestId}/approve`, { level: 1 });
    expect((await fin.client.get("/api/workflow/inbox?pageSize=200")).json().items.some((i: { id: number }) => i.id === requestId)).toBe(true);
    expect((await zhao.client.get("/api/workflow/inbox?pageSize=200")).json().items.some((i: { id: number }) => i.id === requestId)).toBe(false);
    const decided = (await zhao.client.get("/api/workflow/requests?scope=decided&pageSize=200")).json();
    expect(decided.items.some((i: { id: number }) => i.id === requestId)).toBe(true);
    // Someone with no part in it does not even learn it exists.
    const li = await person("ws1.li");
    expect((await li.client.get(`/api/workflow/requests/${requestId}`)).statusCode).toBe(404);
    expect((await li.client.get("/api/workflow/requests?scope=all")).statusCode).toBe(403);
  });

  it("rejection needs a reason, closes the request and reaches the document", async () => {
    const { requestId, orderId } = await submit("pur.chen", "300");
    const zhao = await person("pur.zhao");
    const none = await zhao.client.post(`/api/workflow/requests/${requestId}/reject`, { level: 1 });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].field).toBe("/reason");
    const blank = await zhao.client.post(`/api/workflow/requests/${requestId}/reject`, { level: 1, reason: "   " });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors[0]).toMatchObject({ field: "/reason", rule: "required" });
    expect(await actionsOf(requestId)).toBe(1);
    const ok = await zhao.client.post(`/api/workflow/requests/${requestId}/reject`, { level: 1, reason: "Wrong supplier" });
    expect(ok.statusCode, ok.body).toBe(200);
    const order = await one<{ status: string }>(sys.rt.database.db, sql`select status from test_order where id = ${orderId}`);
    expect(order!.status).toBe("rejected");
    const again = await zhao.client.post(`/api/workflow/requests/${requestId}/approve`, { level: 1 });
    expect(again.json().code).toBe("approval_not_pending");
    const history = (await zhao.client.get(`/api/workflow/history?docType=purchasing.order&docId=${orderId}`)).json();
    expect(history[0].actions.at(-1)).toMatchObject({ action: "rejected", reason: "Wrong supplier", actorName: "赵磊 Zhao Lei" });
    // A rejected document may be submitted again: a new request, the old one kept.
    expect(await dbError(sys.rt.database.db.execute(sql`update approval_action set reason = 'x' where request_id = ${requestId}`))).toMatch(/append-only/);
  });

  it("delegation works only within its dates and is recorded as on behalf of", async () => {
    const zhao = await person("pur.zhao");
    const zhang = await person("prod.zhang");
    const today = await plantDay(sys.rt);
    const shift = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

    const self = await zhao.client.post("/api/workflow/delegations", { toUserId: zhao.id, startsOn: today, endsOn: today });
    expect(self.json().errors[0].field).toBe("/toUserId");
    const backwards = await zhao.client.post("/api/workflow/delegations", { toUserId: zhang.id, startsOn: shift(3), endsOn: shift(1) });
    expect(backwards.json().errors[0].field).toBe("/endsOn");
    const forOther = await zhang.client.post("/api/workflow/delegations", { fromUserId: zhao.id, toUserId: zhang.id, startsOn: today, endsOn: today });
    expect(forOther.statusCode).toBe(403);

    const created = await zhao.client.post("/api/workflow/delegations", { toUserId: zhang.id, startsOn: shift(1), endsOn: shift(3), docType: "purchasing.order", reason: "trip" });
    expect(created.statusCode, created.body).toBe(201);
    const overlap = await zhao.client.post("/api/workflow/delegations", { toUserId: (await person("gm.lin")).id, startsOn: shift(2), endsOn: shift(5) });
    expect(overlap.statusCode).toBe(422);
    expect(overlap.json().code).toBe("approval_delegation_overlap");

    const { requestId } = await submit("pur.chen", "800");
    // Not yet: the delegation starts tomorrow.
    expect((await zhang.client.post(`/api/workflow/requests/${requestId}/approve`, { level: 1 })).statusCode).toBe(403);
    await sys.rt.database.db.execute(sql`update approval_delegation set starts_on = ${today}::date where id = ${created.json().id}`);
    const inbox = (await zhang.client.get("/api/workflow/inbox?pageSize=200")).json();
    expect(inbox.items.find((i: { id: number }) => i.id === requestId)).toMatchObject({ onBehalfOfName: "赵磊 Zhao Lei" });
    const ok = await zhang.client.post(`/api/workflow/requests/${requestId}/approve`, { level: 1 });
    expect(ok.statusCode, ok.body).toBe(200);
    const d = await detail(zhang.client, requestId);
    expect(d.actions.at(-1)).toMatchObject({ action: "approved", actorName: "张伟 Zhang Wei", onBehalfOfName: "赵磊 Zhao Lei" });
    expect(d.steps[0]).toMatchObject({ decidedByName: "张伟 Zhang Wei", onBehalfOfName: "赵磊 Zhao Lei" });

    // Over: the last day was yesterday.
    await sys.rt.database.db.execute(sql`update approval_delegation set starts_on = ${shift(-3)}::date, ends_on = ${shift(-1)}::date where id = ${created.json().id}`);
    const later = await submit("pur.chen", "900");
    expect((await zhang.client.post(`/api/workflow/requests/${later.requestId}/approve`, { level: 1 })).statusCode).toBe(403);
    // Cancelled by its owner.
    const cancel = await zhao.client.post(`/api/workflow/delegations/${created.json().id}/cancel`, {});
    expect(cancel.statusCode).toBe(200);
    expect((await zhao.client.get("/api/workflow/delegations?state=cancelled")).json().total).toBe(1);
  });

  it("escalates a level that waited too long to the next superior, and records it", async () => {
    const { requestId } = await submit("pur.chen", "700");
    expect((await runEscalations(sys.rt)).escalated).toBe(0);
    await sys.rt.database.db.execute(sql`update approval_step set waiting_since = now() - interval '49 hours' where request_id = ${requestId}`);
    const run = await runEscalations(sys.rt);
    expect(run.escalated).toBeGreaterThanOrEqual(1);
    const gm = await person("gm.lin");
    const d = await detail(gm.client, requestId);
    expect(d.actions.at(-1)).toMatchObject({ action: "escalated", toUserName: "林国栋 Lin Guodong", actorName: "job:workflow.escalate" });
    expect(d.steps[0].approvers.map((a: { name: string }) => a.name).sort()).toEqual(["林国栋 Lin Guodong", "赵磊 Zhao Lei"]);
    expect(await count(sys.rt, "audit_log", `action = 'workflow.escalate' and entity_id = '${requestId}' and outcome = 'success'`)).toBe(1);
    const inbox = (await gm.client.get("/api/workflow/inbox?pageSize=200")).json();
    expect(inbox.items.find((i: { id: number }) => i.id === requestId)).toMatchObject({ escalatedToMe: true });
    // Not again before another full wait; then nobody is above the general manager: an alert.
    expect((await runEscalations(sys.rt)).escalated).toBe(0);
    await sys.rt.database.db.execute(sql`update approval_step set waiting_since = now() - interval '49 hours' where request_id = ${requestId}`);
    await runEscalations(sys.rt);
    expect((await detail(gm.client, requestId)).actions.at(-1).action).toBe("escalation_failed");
    expect(await count(sys.rt, "system_alert", "message_key = 'workflow.alert.no_superior'")).toBeGreaterThanOrEqual(1);
    expect((await gm.client.post(`/api/workflow/requests/${requestId}/approve`, { level: 1 })).statusCode).toBe(200);
  });

  it("chains are edited by administrators only, validated by field, versioned, and running requests keep theirs", async () => {
    const running = await submit("pur.chen", "50000");
    const list = (await admin.get("/api/workflow/chains?docType=purchasing.order")).json();
    const chain = (await admin.get(`/api/workflow/chains/${list.items[0].id}`)).json();
    expect(chain.revision).toBe(1);
    const zhao = await person("pur.zhao");
    expect((await zhao.client.patch(`/api/workflow/chains/${chain.id}`, { nameEn: "x" }, { "if-match": `"${chain.version}"` })).statusCode).toBe(403);
    const bad = await admin.patch(
      `/api/workflow/chains/${chain.id}`,
      {
        levels: [
          { nameZh: "甲", nameEn: "A", approverKind: "role" },
          { nameZh: "乙", nameEn: "B", approverKind: "superior", minAmount: "100" },
          { nameZh: "丙", nameEn: "C", approverKind: "superior", minAmount: "50" },
        ],
      },
      { "if-match": `"${chain.version}"` },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(["/levels/0/roleId", "/levels/2/minAmount"]);
    const levels = chain.levels.map((l: Record<string, unknown>) => ({
      nameZh: l.nameZh,
      nameEn: l.nameEn,
      approverKind: l.approverKind,
      departmentId: l.departmentId,
      minAmount: l.minAmount,
      escalateAfterHours: l.escalateAfterHours,
    }));
    levels[1].minAmount = "60000";
    const ok = await admin.patch(`/api/workflow/chains/${chain.id}`, { levels, note: "finance from 60,000" }, { "if-match": `"${chain.version}"` });
    expect(ok.statusCode, ok.body).toBe(200);
    const stale = await admin.patch(`/api/workflow/chains/${chain.id}`, { nameEn: "y" }, { "if-match": `"${chain.version}"` });
    expect(stale.statusCode).toBe(409);
    const after = (await admin.get(`/api/workflow/chains/${chain.id}`)).json();
    expect(after.revision).toBe(2);
    expect(after.revisions.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    expect(after.revisions[0].note).toBe("finance from 60,000");
    expect((await detail(admin, running.requestId)).levelCount).toBe(2);
    expect((await submit("pur.chen", "50000")).levels).toBe(1);
  });

  it("without a chain a document cannot be submitted; the maker may withdraw; one of two racing approvals wins", async () => {
    const chen = await person("pur.chen");
    await expect(submit("pur.chen", "1", { docType: "nothing.defined" })).rejects.toMatchObject({ code: "approval_chain_missing" });
    const w = await submit("pur.chen", "100");
    expect((await (await person("pur.zhao")).client.post(`/api/workflow/requests/${w.requestId}/withdraw`, {})).statusCode).toBe(403);
    const withdrawn = await chen.client.post(`/api/workflow/requests/${w.requestId}/withdraw`, { reason: "duplicate" });
    expect(withdrawn.json().status).toBe("withdrawn");

    const { requestId } = await submit("pur.chen", "120");
    const zhao = await person("pur.zhao");
    await sys.rt.database.db.execute(sql`insert into approval_delegation (company_id, from_user_id, to_user_id, starts_on, ends_on)
        select company_id, ${zhao.id}, ${(await person("gm.lin")).id}, current_date - 1, current_date + 1 from app_user where id = ${zhao.id}`);
    const results = await Promise.all([
      zhao.client.post(`/api/workflow/requests/${requestId}/approve`, { level: 1 }),
      (await person("gm.lin")).client.post(`/api/workflow/requests/${requestId}/approve`, { level: 1 }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 422]);
    expect(await count(sys.rt, "approval_action", `request_id = ${requestId} and action = 'approved'`)).toBe(1);
  });
});
