import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows, sql } from "../packages/server/src/platform/db/database.ts";
import { CHROMIUM_AVAILABLE, type E2E, SHOTS, startE2E } from "./harness.ts";
import { signIn } from "./ui.ts";

const NEW_PASSWORD = "Quartz-Heron-5172";
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `access-${name}.png`) });

/** Opens a user's roles from the users list. */
async function openRoles(page: Page, username: string) {
  await page.getByTestId("menu-identity-users").click();
  await page.getByTestId("users-search").locator("input").fill(username);
  await page.getByTestId(`user-roles-${username}`).click();
  await page.getByTestId("user-roles-panel").waitFor();
}

describe.skipIf(!CHROMIUM_AVAILABLE)("roles, role assignment and segregation of duties in Chromium", () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it("creates a custom role, grants it with a department scope, revokes it; a conflicting grant is refused with the rule named", async () => {
    const page = await e.newPage("zh-CN");
    await signIn(page, "admin", e.adminPassword, NEW_PASSWORD);

    // A custom role with two permissions, picked from the grouped picker.
    await page.getByTestId("menu-identity-roles").click();
    await page.getByTestId("role-row-auditor").waitFor();
    await shot(page, "roles-zh");
    await page.getByTestId("role-create").click();
    await page.getByTestId("role-code").fill("e2e_planner");
    await page.getByTestId("role-nameZh").fill("计划员");
    await page.getByTestId("role-nameEn").fill("Planner");
    await page.getByTestId("role-perms-search").fill("org.read");
    await page.getByTestId("role-perms-org.read").check();
    await page.getByTestId("role-perms-search").fill("identity.user.read");
    await page.getByTestId("role-perms-identity.user.read").check();
    await page.getByTestId("role-perms-search").fill("");
    await expect(page.getByTestId("role-perms-count").textContent()).resolves.toContain("2");
    await shot(page, "role-editor-zh");
    await page.getByTestId("role-form-submit").click();
    await page.getByTestId("role-row-e2e_planner").waitFor();
    await expect(page.getByTestId("role-row-e2e_planner").textContent()).resolves.toContain("自定义");
    const stored = await rows<{ permissions: string[] }>(e.rt.database.db, sql`select permissions from role where code = 'e2e_planner'`);
    expect(stored[0].permissions).toEqual(["identity.user.read", "org.read"]);

    // Granted to a demo person, limited to Workshop 1.
    await openRoles(page, "ws1.li");
    await page.getByTestId("grant-role").click();
    await page.getByTestId("grant-role-option-e2e_planner").click();
    await page.getByTestId("grant-department").click();
    await page.keyboard.type("WS1");
    await page.locator(".ant-select-tree-title", { hasText: "(WS1)" }).first().click();
    await page.getByTestId("grant-submit").click();
    const held = page.getByTestId("holding-e2e_planner-current");
    await held.waitFor();
    await expect(held.textContent()).resolves.toContain("一车间（总装）");
    await shot(page, "user-roles-zh");

    // Revoked with a reason: it stays in the history as ended.
    await page.getByTestId("holding-revoke-e2e_planner").click();
    await page.getByTestId("revoke-reason").fill("调岗到计划科");
    await page.getByTestId("revoke-confirm").click();
    await page.getByTestId("holding-e2e_planner-ended").waitFor();
    await page.getByTestId("revoke-confirm").waitFor({ state: "hidden" });
    expect(await page.getByTestId("holding-e2e_planner-current").count()).toBe(0);
    await shot(page, "user-roles-revoked-zh");
    await page.locator(".ant-drawer-close").click();

    // A system administrator getting the auditor role breaks ADMIN-AUDIT: warned ahead, refused, with the way to an exception.
    await openRoles(page, "it.zhou");
    await page.getByTestId("grant-role").click();
    await page.getByTestId("grant-role-option-auditor").click();
    await expect(page.getByTestId("grant-sod-preview").textContent()).resolves.toContain("管理用户 / 审计日志");
    await page.getByTestId("grant-submit").click();
    await expect(page.getByTestId("grant-sod-conflict-detail").textContent()).resolves.toContain("管理用户 / 审计日志");
    await shot(page, "sod-conflict-zh");
    // A refused command leaves nothing behind.
    const auditorRows = await rows<{ n: number }>(
      e.rt.database.db,
      sql`select count(*)::int as n from user_role ur join app_user u on u.id = ur.user_id join role r on r.id = ur.role_id
          where u.username = 'it.zhou' and r.code = 'auditor'`,
    );
    expect(auditorRows[0].n).toBe(0);

    // The exception request, prefilled with the person and the rule in conflict.
    await page.getByTestId("grant-request-exception").click();
    await expect(page.getByTestId("exception-person").textContent()).resolves.toContain("it.zhou");
    await expect(page.getByTestId("exception-form").textContent()).resolves.toContain("ADMIN-AUDIT");
    await page.getByTestId("exception-reason").fill("审计季人手不足，临时兼任");
    await page.getByTestId("exception-form-submit").click();
    await page.getByTestId("exception-form").waitFor({ state: "hidden" });
    await page.locator(".ant-drawer-close").click();

    // On the segregation-of-duties page the request is pending; its requester may not decide it (maker ≠ checker).
    await page.getByTestId("menu-access-sod").click();
    await page.getByTestId("sod-rule-ADMIN-AUDIT").waitFor();
    await shot(page, "sod-rules-zh");
    await page.getByTestId("sod-tab-exceptions").click();
    const status = page.locator("[data-testid^=sod-exception-status-]").first();
    await expect(status.getAttribute("data-status")).resolves.toBe("pending");
    await page.locator("[data-testid^=sod-exception-approve-]").first().click();
    await page.getByTestId("sod-decide-note").fill("同意");
    await page.getByTestId("sod-decide-confirm").click();
    await page.getByText("不能审批自己申请的或涉及自己的例外").waitFor();
    await page.getByTestId("sod-decide-form").locator("xpath=ancestor::div[contains(@class,'ant-modal-wrap')]").getByRole("button", { name: /取\s*消/ }).click();
    await expect(status.getAttribute("data-status")).resolves.toBe("pending");
    await shot(page, "sod-exceptions-zh");

    // The same screens read in English.
    await page.getByTestId("lang-switch").first().click();
    await page.getByText("Pending").first().waitFor();
    await shot(page, "sod-exceptions-en");
    await page.getByTestId("sod-tab-conflicts").click();
    await page.getByTestId("sod-conflict-admin").waitFor();
    await shot(page, "sod-conflicts-en");
    await page.getByTestId("menu-identity-roles").click();
    await page.getByTestId("role-row-e2e_planner").getByText("Planner").waitFor();
    await shot(page, "roles-en");
  });

  it("shows the access screens only to people holding their permissions", async () => {
    const login = e.demoLogins.find((l) => l.username === "ws2.wang")!;
    const page = await e.newPage("en-US");
    await signIn(page, login.username, login.password, "Cedar-Falcon-9044");
    expect(await page.getByTestId("menu-identity-roles").count()).toBe(0);
    expect(await page.getByTestId("menu-access-sod").count()).toBe(0);
    await page.goto("/access/sod");
    await page.getByTestId("forbidden").waitFor();
  });
});
