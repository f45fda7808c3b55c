import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_AVAILABLE, type E2E, SHOTS, startE2E } from "./harness.ts";
import { signIn } from "./ui.ts";

describe.skipIf(!CHROMIUM_AVAILABLE)("audit log, security events and API tokens in Chromium", () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it("an administrator makes an API token (shown once), the token works, is revoked and stops working", async () => {
    const page = await e.newPage("zh-CN");
    await signIn(page, "admin", e.adminPassword, "Maple-Lantern-4821", { changeOptional: true });
    await page.getByTestId("menu-access-tokens").click();
    await page.getByTestId("tokens-table").waitFor();
    // The demo's shop-floor system is there.
    await page.getByText("MES 接口 MES interface").waitFor();
    await page.getByTestId("token-create").click();
    await page.getByTestId("token-name").fill("WMS 仓储接口");
    await page.getByTestId("token-permissions-search").fill("org.read");
    await page.getByTestId("token-permissions-org.read").click();
    await page.getByTestId("token-submit").click();
    await page.getByTestId("token-once").waitFor();
    const token = (await page.getByTestId("token-value").textContent())!.trim();
    expect(token).toMatch(/^kw_[A-Za-z0-9_-]{43}$/);
    await page.screenshot({ path: path.join(SHOTS, "audit-token-once-zh.png") });
    await page.getByTestId("token-once-close").click();

    const call = () => fetch(`${e.server.url}/api/org/departments`, { headers: { authorization: `Bearer ${token}` } });
    expect((await call()).status).toBe(200);
    const row = page.locator("[data-testid^=token-row-]", { hasText: "WMS 仓储接口" });
    await row.waitFor();
    const id = (await row.getAttribute("data-testid"))!.replace("token-row-", "");
    await page.getByTestId(`token-revoke-${id}`).click();
    await page.getByTestId("token-revoke-reason").fill("仓储系统更换 WMS replaced");
    await page.getByTestId("token-revoke-confirm").click();
    await page.getByTestId("token-status-filter").getByText("已吊销").click();
    await page.getByTestId(`token-status-${id}`).waitFor();
    expect(await page.getByTestId(`token-status-${id}`).getAttribute("data-status")).toBe("revoked");
    const refused = await call();
    expect(refused.status).toBe(401);
    expect((await refused.json()).code).toBe("token_revoked");
  });

  it("an auditor filters the log, sees a change field by field, and verifies the chain", async () => {
    const auditor = e.demoLogins.find((l) => l.username === "audit.huang")!;
    const page = await e.newPage("en-US");
    await signIn(page, auditor.username, auditor.password, "Quiet-Harbor-2231", { changeOptional: true });
    await page.getByTestId("menu-audit-log").click();
    await page.getByTestId("audit-table").waitFor();
    // The departed storekeeper's account being disabled: before active, after disabled.
    await page.goto("/audit/log?action=identity.user.disable");
    await page.locator("[data-testid^=audit-row-]").first().click();
    await page.getByTestId("audit-diff-status").waitFor();
    const diff = await page.getByTestId("audit-diff").textContent();
    expect(diff).toContain("active");
    expect(diff).toContain("disabled");
    await page.screenshot({ path: path.join(SHOTS, "audit-drawer-en.png") });
    await page.keyboard.press("Escape");

    // Failed sign-ins, filtered through the form.
    await page.goto("/audit/log");
    await page.getByTestId("audit-outcome-filter").click();
    await page.locator(".ant-select-dropdown").getByText("Failed", { exact: true }).click();
    await page.getByTestId("audit-search").click();
    await page.waitForURL(/outcome=failed/);
    // The previous page stays on screen while the filtered one loads: wait for the filtered rows.
    await page.waitForFunction(() => {
      const tags = [...document.querySelectorAll("[data-testid=audit-table] [data-testid=audit-outcome]")];
      return tags.length > 0 && tags.every((x) => x.getAttribute("data-outcome") === "failed");
    });
    const outcomes = await page.getByTestId("audit-table").locator("[data-testid=audit-outcome]").evaluateAll((els) => els.map((x) => x.getAttribute("data-outcome")));
    expect(new Set(outcomes)).toEqual(new Set(["failed"]));
    // The auditor may not export (no audit.log.export): no button.
    expect(await page.getByTestId("audit-export").count()).toBe(0);

    await page.getByTestId("audit-verify").click();
    await page.getByTestId("audit-verify-confirm").click();
    await page.getByTestId("verify-result").waitFor();
    expect(await page.getByTestId("verify-result").getAttribute("data-ok")).toBe("true");
    await page.screenshot({ path: path.join(SHOTS, "audit-verify-en.png") });
  });

  it("a system administrator investigates and resolves a security event; the badge counts what is left", async () => {
    const it = e.demoLogins.find((l) => l.username === "it.zhou")!;
    const page = await e.newPage("zh-CN");
    await signIn(page, it.username, it.password, "Grey-Stone-7788", { changeOptional: true });
    const badge = page.getByTestId("security-badge");
    await badge.waitFor();
    await page.waitForFunction(() => Number(document.querySelector("[data-testid=security-badge]")?.getAttribute("data-count")) > 0);
    const before = Number(await badge.getAttribute("data-count"));
    await page.getByTestId("menu-security-events").click();
    await page.getByTestId("security-table").waitFor();
    await page.screenshot({ path: path.join(SHOTS, "audit-security-events-zh.png") });
    // The password-guessing run from outside, found by the rules over the demo's sign-in attempts.
    await page.locator("[data-testid^=security-title-]", { hasText: "203.0.113.77" }).click();
    await page.getByTestId("event-timeline").waitFor();
    expect(await page.getByTestId("event-status").getAttribute("data-status")).toBe("open");
    await page.getByTestId("event-investigate").click();
    await page.getByTestId("step-note").fill("来源地址为境外云服务器，已在防火墙封禁。");
    await page.getByTestId("step-submit").click();
    await page.waitForFunction(() => document.querySelector("[data-testid=event-status]")?.getAttribute("data-status") === "investigating");
    await page.getByTestId("event-comment").fill("尝试的账户均不存在，无账户被锁定。");
    await page.getByTestId("event-comment-submit").click();
    await page.getByTestId("note-comment").waitFor();
    await page.getByTestId("event-resolve").click();
    await page.getByTestId("step-resolution").click();
    await page.locator(".ant-select-dropdown").getByText("已处置").click();
    await page.getByTestId("step-note").fill("已封禁来源地址，登录失败锁定策略有效。");
    await page.getByTestId("step-submit").click();
    await page.waitForFunction(() => document.querySelector("[data-testid=event-status]")?.getAttribute("data-status") === "resolved");
    expect(await page.getByTestId("event-resolution").textContent()).toBe("已处置");
    expect(await page.getByTestId("event-timeline").locator("[data-testid^=note-]").count()).toBe(4);
    await page.screenshot({ path: path.join(SHOTS, "audit-security-event-zh.png") });
    await page.waitForFunction((n) => Number(document.querySelector("[data-testid=security-badge]")?.getAttribute("data-count")) === n - 1, before, {
      timeout: 70_000,
    });

    // Switch to English: the same event reads in English.
    await page.getByTestId("lang-switch").first().click();
    await page.getByText("6 failed sign-ins for 203.0.113.77 within 15 minutes").waitFor();
    await page.screenshot({ path: path.join(SHOTS, "audit-security-event-en.png") });
  });
});
