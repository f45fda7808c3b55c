import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { one, rows, sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, type TestSystem, count, login, testSystem } from "./harness.ts";

describe.skipIf(!DB_AVAILABLE)("periodic access reviews", () => {
  let sys: TestSystem;
  let admin: Client;
  let ids: Record<string, number>;

  async function loginDemo(username: string): Promise<Client> {
    const u = (await admin.get(`/api/identity/users?q=${username}`)).json().items[0];
    const reset = await admin.post(`/api/identity/users/${u.id}/reset-password`, {});
    return login(sys.app, username, reset.json().oneTimePassword);
  }

  beforeAll(async () => {
    sys = await testSystem({ demo: true });
    admin = await login(sys.app, "admin", sys.adminPassword);
    const users = await rows<{ username: string; id: number }>(sys.rt.database.db, sql`select username, id from app_user`);
    ids = Object.fromEntries(users.map((u) => [u.username, u.id]));
    // Production is managed by prod.zhang; the company (GM) by it.zhou for this test.
    await sys.rt.database.db.execute(sql`update department set manager_user_id = ${ids["prod.zhang"]} where code = 'PROD'`);
    await sys.rt.database.db.execute(sql`update department set manager_user_id = ${ids["it.zhou"]} where code = 'GM'`);
    // Close the demo campaign so this test starts its own.
    await sys.rt.database.db.execute(sql`update access_review_item set status = 'confirmed' where status = 'pending'`);
    await sys.rt.database.db.execute(sql`update access_review_campaign set status = 'closed', closed_at = now()`);
  });
  afterAll(() => sys?.close());

  it("a campaign gives each manager their people's roles; they confirm or revoke; the outcome is kept", async () => {
    const start = await admin.post("/api/access-reviews", { nameZh: "测试审查", nameEn: "Test review", dueInDays: 7 });
    expect(start.statusCode, start.body).toBe(201);
    const campaignId = start.json().id;
    expect((await admin.post("/api/access-reviews", { nameZh: "又一个", nameEn: "Another", dueInDays: 7 })).json().code).toBe("review_open");

    const zhang = await loginDemo("prod.zhang");
    const mine = (await zhang.get("/api/access-reviews/mine")).json();
    // One item per held role: a person with two roles appears twice; the set of people is what matters.
    const people = [...new Set(mine.map((i: { username: string }) => i.username))].sort();
    expect(people).toEqual(["prod.admin", "ws1.li", "ws2.wang"]);
    // prod.zhang's own role goes to the manager above (it.zhou, manager of GM), never to himself.
    const own = await one<{ reviewer_id: number }>(sys.rt.database.db, sql`select reviewer_id from access_review_item where user_id = ${ids["prod.zhang"]} and campaign_id = ${campaignId}`);
    expect(own!.reviewer_id).toBe(ids["it.zhou"]);

    const li = mine.find((i: { username: string }) => i.username === "ws1.li");
    const wang = mine.find((i: { username: string }) => i.username === "ws2.wang");
    expect((await zhang.post(`/api/access-reviews/items/${li.id}/decide`, { decision: "confirm" })).statusCode).toBe(200);
    const noNote = await zhang.post(`/api/access-reviews/items/${wang.id}/decide`, { decision: "revoke" });
    expect(noNote.json().errors[0]).toMatchObject({ field: "/note", rule: "required" });
    const revoke = await zhang.post(`/api/access-reviews/items/${wang.id}/decide`, { decision: "revoke", note: "moved to another plant" });
    expect(revoke.statusCode).toBe(200);
    expect(await count(sys.rt, "user_role", `user_id = ${ids["ws2.wang"]} and (valid_until is null or valid_until > now())`)).toBe(0);
    const again = await zhang.post(`/api/access-reviews/items/${li.id}/decide`, { decision: "revoke", note: "x" });
    expect(again.json().code).toBe("review_decided");

    // Someone else's item is not theirs to decide.
    const other = await one<{ id: number }>(sys.rt.database.db, sql`select id from access_review_item where user_id = ${ids["pur.chen"]} and campaign_id = ${campaignId}`);
    const notMine = await zhang.post(`/api/access-reviews/items/${other!.id}/decide`, { decision: "confirm" });
    expect(notMine.json().code).toBe("not_reviewer");

    const close = await admin.post(`/api/access-reviews/${campaignId}/close`, {});
    expect(close.json().code).toBe("review_open_items");
    const items = (await admin.get(`/api/access-reviews/${campaignId}/items`)).json();
    expect(items.find((i: { username: string }) => i.username === "ws2.wang")).toMatchObject({ status: "revoked", note: "moved to another plant" });
  });

  it("overdue items are escalated to the next manager up", async () => {
    const item = await one<{ id: number }>(
      sys.rt.database.db,
      sql`select id from access_review_item where user_id = ${ids["prod.admin"]} and status = 'pending'`,
    );
    await sys.rt.database.db.execute(sql`update access_review_item set due_at = now() - interval '1 hour' where id = ${item!.id}`);
    const { accessReviewModule } = await import("../src/modules/access-review/index.ts");
    const { JobWorker, enqueueJob } = await import("../src/platform/jobs.ts");
    await enqueueJob(sys.rt.database.db, "access.review.escalate");
    await new JobWorker(sys.rt, new Map(Object.entries(accessReviewModule.jobs!))).runOnce();
    const after = await one<{ reviewer_id: number; escalation_level: number }>(
      sys.rt.database.db,
      sql`select reviewer_id, escalation_level from access_review_item where id = ${item!.id}`,
    );
    expect(after).toEqual({ reviewer_id: ids["it.zhou"], escalation_level: 1 });
    const zhou = await loginDemo("it.zhou");
    const mine = (await zhou.get("/api/access-reviews/mine")).json();
    expect(mine.map((i: { username: string }) => i.username)).toContain("prod.admin");
  });
});
