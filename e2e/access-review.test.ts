import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { one, rows, sql } from "../packages/server/src/platform/db/database.ts";
import { CHROMIUM_AVAILABLE, type E2E, SHOTS, startE2E } from "./harness.ts";
import { signIn } from "./ui.ts";

describe.skipIf(!CHROMIUM_AVAILABLE)("access reviews in Chromium", () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it("admin sees the open campaign's progress; a department manager confirms and revokes; the outcome is kept and exported", async () => {
    const db = e.rt.database.db;
    const campaign = await one<{ id: number; items: number; decided: number }>(
      db,
      sql`select c.id, count(*)::int8 as items, count(*) filter (where i.status <> 'pending')::int8 as decided
          from access_review_campaign c join access_review_item i on i.campaign_id = c.id where c.status = 'open' group by c.id`,
    );
    expect(campaign, "the demo company has an open campaign").toBeTruthy();
    const zhangItems = await rows<{ id: number; username: string; role: string }>(
      db,
      sql`select i.id, u.username, r.code as role from access_review_item i join app_user u on u.id = i.user_id join role r on r.id = i.role_id
          join app_user rv on rv.id = i.reviewer_id where rv.username = 'prod.zhang' and i.status = 'pending' order by u.username, r.code`,
    );
    // Production's people (other demo modules may add temporary roles, so no exact list here).
    const wang = zhangItems.find((i) => i.username === "ws2.wang" && i.role === "operator")!;
    const li = zhangItems.find((i) => i.username === "ws1.li" && i.role === "operator")!;
    expect(wang && li).toBeTruthy();
    const rest = zhangItems.filter((i) => i.id !== wang.id);
    // One item past its due date, so the manager's list shows it highlighted.
    await db.execute(sql`update access_review_item set due_at = now() - interval '2 hours' where id = ${li.id}`);

    // --- the administrator: campaign list with progress, then the detail
    const admin = await e.newPage("zh-CN");
    await signIn(admin, "admin", e.adminPassword, "Maple-Lantern-4821");
    await admin.getByTestId("menu-access-reviews").click();
    const progress = admin.getByTestId(`review-progress-${campaign!.id}`);
    await progress.waitFor();
    await expect(progress.getAttribute("data-total")).resolves.toBe(String(campaign!.items));
    await expect(progress.getAttribute("data-done")).resolves.toBe(String(campaign!.decided));
    await expect(progress.textContent()).resolves.toContain(`${campaign!.decided}/${campaign!.items}`);
    await expect(admin.getByTestId(`review-campaign-status-${campaign!.id}`).getAttribute("data-status")).resolves.toBe("open");
    // Items are pending, so closing is not offered yet.
    await expect(admin.getByTestId(`review-close-${campaign!.id}`).isDisabled()).resolves.toBe(true);
    await admin.screenshot({ path: path.join(SHOTS, "access-review-campaigns-zh.png") });

    // The admin resets the manager's password (one-time password, as the help desk would).
    const me = await (await admin.request.get("/api/auth/me")).json();
    const zhangId = (await one<{ id: number }>(db, sql`select id from app_user where username = 'prod.zhang'`))!.id;
    const reset = await admin.request.post(`/api/identity/users/${zhangId}/reset-password`, {
      headers: { "x-csrf-token": me.csrfToken, "Idempotency-Key": crypto.randomUUID() },
      data: {},
    });
    expect(reset.status(), await reset.text()).toBe(200);
    const { oneTimePassword } = await reset.json();

    // --- the department manager, in English
    const zhang = await e.newPage("en-US");
    await signIn(zhang, "prod.zhang", oneTimePassword, "Workshop-Review-7314");
    await zhang.getByTestId("menu-access-my-reviews").click();
    await zhang.getByTestId(`review-row-${wang.id}`).waitFor();
    await expect.poll(() => zhang.locator("[data-testid^=review-row-]").count()).toBe(zhangItems.length);
    await expect(zhang.getByTestId(`review-row-${li.id}`).getAttribute("data-overdue")).resolves.toBe("true");
    await zhang.getByTestId(`review-overdue-${li.id}`).waitFor();
    await zhang.waitForTimeout(400); // let the rows finish fading in before the screenshot
    await zhang.screenshot({ path: path.join(SHOTS, "access-review-mine-en.png") });

    // Revoke without a reason is refused in the form; with one, the role ends at once.
    await zhang.getByTestId(`review-revoke-${wang.id}`).click();
    await zhang.getByTestId("review-revoke-submit").click();
    await zhang.getByTestId("review-revoke-form").getByText("Please give the reason").waitFor();
    await zhang.getByTestId("review-revoke-note").fill("Moved to the Shenzhen plant in November");
    await zhang.screenshot({ path: path.join(SHOTS, "access-review-revoke-en.png") });
    await zhang.getByTestId("review-revoke-submit").click();
    await zhang.getByTestId(`review-row-${wang.id}`).waitFor({ state: "detached" });

    // Confirm the rest in one go: select all, one dialog lists every item confirmed.
    await zhang.getByTestId("review-mine-table").locator("thead input[type=checkbox]").check();
    await zhang.getByTestId("review-bulk-confirm").click();
    if (rest.length > 1) await expect(zhang.getByTestId("review-bulk-list").locator("li").count()).resolves.toBe(rest.length);
    await zhang.getByTestId("review-confirm-ok").click();
    await zhang.getByTestId("review-mine-table").getByText("No access review items are waiting for you").waitFor();

    const ids = new Set(zhangItems.map((i) => i.id));
    const outcome = (
      await rows<{ id: number; status: string; note: string | null; decided_by: string }>(
        db,
        sql`select i.id, i.status, i.note, u.username as decided_by from access_review_item i join app_user u on u.id = i.decided_by
            where i.campaign_id = ${campaign!.id}`,
      )
    ).filter((o) => ids.has(o.id));
    expect(Object.fromEntries(outcome.map((o) => [o.id, [o.status, o.note, o.decided_by]]))).toEqual(
      Object.fromEntries(
        zhangItems.map((i) => [i.id, i.id === wang.id ? ["revoked", "Moved to the Shenzhen plant in November", "prod.zhang"] : ["confirmed", null, "prod.zhang"]]),
      ),
    );
    const wangRoles = await one<{ n: number }>(
      db,
      sql`select count(*)::int8 as n from user_role ur join app_user u on u.id = ur.user_id
          where u.username = 'ws2.wang' and (ur.valid_until is null or ur.valid_until > now())`,
    );
    expect(wangRoles!.n).toBe(0);

    // --- back to the administrator: the progress moved; the detail filtered by reviewer is exported
    await admin.reload();
    await expect(admin.getByTestId(`review-progress-${campaign!.id}`).getAttribute("data-done")).resolves.toBe(String(campaign!.decided + zhangItems.length));

    // Items with nobody above (the general manager's own role) are the review administrators' to decide.
    const gm = await one<{ id: number }>(
      db,
      sql`select i.id from access_review_item i join app_user u on u.id = i.user_id
          where u.username = 'gm.lin' and i.reviewer_id is null and i.status = 'pending' and i.campaign_id = ${campaign!.id}`,
    );
    await admin.getByTestId("menu-access-my-reviews").click();
    await admin.getByTestId(`review-confirm-${gm!.id}`).click();
    await admin.getByTestId("review-confirm-ok").click();
    await admin.getByTestId(`review-row-${gm!.id}`).waitFor({ state: "detached" });
    await admin.getByTestId("menu-access-reviews").click();
    await expect(admin.getByTestId(`review-progress-${campaign!.id}`).getAttribute("data-done")).resolves.toBe(String(campaign!.decided + zhangItems.length + 1));
    await admin.getByTestId(`review-campaign-${campaign!.id}`).click();
    await admin.getByTestId("review-items-table").waitFor();
    await admin.getByTestId("review-filter-reviewer").click();
    await admin.locator(".ant-select-item-option").filter({ hasText: "Zhang Wei" }).click();
    await admin.getByTestId(`review-item-${wang.id}`).waitFor();
    const zhangRows = await rows<{ id: number }>(
      db,
      sql`select i.id from access_review_item i join app_user rv on rv.id = i.reviewer_id where rv.username = 'prod.zhang' and i.campaign_id = ${campaign!.id}`,
    );
    await expect.poll(() => admin.locator("[data-testid^=review-item-]").count()).toBe(zhangRows.length);
    await expect(admin.getByTestId(`review-status-${wang.id}`).getAttribute("data-status")).resolves.toBe("revoked");
    await admin.getByTestId(`review-item-${wang.id}`).getByText("Moved to the Shenzhen plant").waitFor();
    await admin.screenshot({ path: path.join(SHOTS, "access-review-detail-zh.png"), fullPage: true });

    const [download] = await Promise.all([admin.waitForEvent("download"), admin.getByTestId("review-export").click()]);
    expect(download.suggestedFilename()).toMatch(/^权限审查-.*\.csv$/);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff); // BOM: Excel opens the Chinese correctly
    const lines = csv.slice(1).split("\r\n");
    expect(lines[0].split(",").slice(0, 4)).toEqual(["人员", "用户名", "所在部门", "角色"]);
    expect(lines).toHaveLength(zhangRows.length + 1);
    expect(lines.find((l) => l.includes("ws2.wang"))).toContain("Moved to the Shenzhen plant in November");

    // Status filter: only the revoked one.
    await admin.getByTestId("review-filter-status").click();
    await admin.locator(".ant-select-item-option").filter({ hasText: "已收回" }).click();
    await expect.poll(() => admin.locator("[data-testid^=review-item-]").count()).toBe(1);

    // The same screen in English.
    await admin.getByTestId("lang-switch").first().click();
    await admin.getByTestId("review-items-table").getByText("Revoked").first().waitFor();
    await admin.screenshot({ path: path.join(SHOTS, "access-review-detail-en.png"), fullPage: true });

    // --- closing and starting: once nothing is pending (the other managers' items are settled directly here)
    await db.execute(sql`update access_review_item set status = 'confirmed', decided_at = now() where campaign_id = ${campaign!.id} and status = 'pending'`);
    await admin.getByTestId("menu-access-reviews").click();
    await admin.reload();
    await admin.getByTestId(`review-close-${campaign!.id}`).click();
    await admin.getByTestId("review-close-ok").click();
    await expect
      .poll(() => admin.getByTestId(`review-campaign-status-${campaign!.id}`).getAttribute("data-status"), { timeout: 10_000 })
      .toBe("closed");
    await admin.getByTestId("review-start").click();
    await admin.getByTestId("review-start-nameEn").fill("Extra review after the reorganisation");
    await admin.getByTestId("review-start-days").fill("7");
    await admin.screenshot({ path: path.join(SHOTS, "access-review-start-en.png") });
    await admin.getByTestId("review-start-submit").click();
    await admin.getByTestId("review-items-table").waitFor();
    const started = await one<{ id: number; name_en: string; items: number }>(
      db,
      sql`select c.id, c.name_en, (select count(*)::int8 from access_review_item where campaign_id = c.id) as items
          from access_review_campaign c where c.status = 'open'`,
    );
    expect(started!.name_en).toBe("Extra review after the reorganisation");
    expect(admin.url()).toContain(`/access/reviews/${started!.id}`);
    await expect(admin.getByTestId(`review-progress-${started!.id}`).getAttribute("data-total")).resolves.toBe(String(started!.items));
  });
});
