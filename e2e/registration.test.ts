import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simplePdf } from "../packages/server/src/modules/identity/registration/pdf.ts";
import { CHROMIUM_AVAILABLE, type E2E, SHOTS, startE2E } from "./harness.ts";

/**
 * Registration with approval, end to end in Chromium: an applicant applies from the login page with a
 * proof document, the department administrator approves it in "My approvals" (seeing the proof), the
 * applicant signs in with the password they chose and must change it first (the policy's "change at
 * first login"), then leaves the screen alone: the idle warning counts down and the idle logout (the
 * server's timeout shortened to one minute here; the page's clock is fast-forwarded, not waited out)
 * returns them to the login page, their session ended on the server. That the server itself refuses an
 * idle session is tested in packages/server/test. A second application is rejected and the applicant
 * reads the reason on the status page.
 */
describe.skipIf(!CHROMIUM_AVAILABLE)("registration with approval in Chromium", () => {
  let e: E2E;
  let proof: string;
  const APPROVER_PASSWORD = "Maple-Approver-4821";

  beforeAll(async () => {
    // One minute of idleness ends a session: the client warns ~21 s before its own limit (43 s, kept
    // ahead of the server's clock) and then signs out.
    e = await startE2E({ idleTimeoutMinutes: 1 });
    proof = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kaiwu-e2e-proof-")), "在职证明.pdf");
    fs.writeFileSync(proof, simplePdf(["Proof of employment", "E2E applicant"]));
  });
  afterAll(() => e?.close());

  async function apply(page: Page, a: { fullName: string; username: string; email: string; department: RegExp; password: string }) {
    await page.goto("/login");
    await page.getByTestId("login-apply").click();
    await page.getByTestId("apply-form").waitFor();
    await page.getByTestId("apply-fullName").fill(a.fullName);
    await page.getByTestId("apply-username").fill(a.username);
    await page.getByTestId("apply-email").fill(a.email);
    await page.getByTestId("apply-department").click();
    await page.locator(".ant-select-tree-title").filter({ hasText: a.department }).first().click();
    await page.getByTestId("apply-jobTitle").fill("装配工 Assembler");
    await page.getByTestId("apply-password").fill(a.password);
    await page.getByTestId("apply-confirm").fill(a.password);
    await page.locator("input[type=file]").setInputFiles(proof);
    await page.getByTestId("apply-submit").click();
    await page.getByTestId("apply-number").waitFor();
    return (await page.getByTestId("apply-number").textContent())!.trim();
  }

  async function signInAsApprover(page: Page) {
    const demo = e.demoLogins.find((l) => l.username === "prod.admin")!;
    await page.goto("/login");
    await page.getByTestId("login-username").fill("prod.admin");
    const first = !signInAsApprover.done;
    await page.getByTestId("login-password").fill(first ? demo.password : APPROVER_PASSWORD);
    await page.getByTestId("login-submit").click();
    if (first) {
      await page.getByTestId("forced-password-page").waitFor();
      if (await page.getByTestId("password-current").isVisible()) await page.getByTestId("password-current").fill(demo.password);
      await page.getByTestId("password-new").fill(APPROVER_PASSWORD);
      await page.getByTestId("password-confirm").fill(APPROVER_PASSWORD);
      await page.getByTestId("password-submit").click();
      signInAsApprover.done = true;
    }
    await page.getByTestId("side-menu").waitFor();
  }
  signInAsApprover.done = false;

  async function openFromInbox(page: Page, username: string) {
    await page.getByTestId("menu-workflow-inbox").click();
    await page.getByTestId("wf-inbox-table").waitFor();
    await page.getByTestId("wf-inbox-table").locator("tr", { hasText: username }).locator("a").first().click();
    await page.getByTestId("registration-panel").waitFor();
  }

  it("applies, is approved, changes the password at first sign-in, is warned when idle and signed out", async () => {
    const applicant = await e.newPage("zh-CN");
    // The page's clock runs as usual; the idle wait below jumps it forward instead of sitting it out.
    await applicant.clock.install();
    const number = await apply(applicant, {
      fullName: "周晓 Zhou Xiao",
      username: "ws1.zhou",
      email: "zhou.xiao@example.com",
      department: /一车间/,
      password: "Copper-Kettle-5173",
    });
    expect(number).toMatch(/^REG-[0-9A-Z]{8}$/);
    await applicant.screenshot({ path: path.join(SHOTS, "registration-submitted-zh.png") });
    await applicant.getByTestId("apply-check-status").click();
    await expect(applicant.getByTestId("status-result").getAttribute("data-status")).resolves.toBe("pending");

    // Not before the approval.
    await applicant.goto("/login");
    await applicant.getByTestId("login-username").fill("ws1.zhou");
    await applicant.getByTestId("login-password").fill("Copper-Kettle-5173");
    await applicant.getByTestId("login-submit").click();
    await applicant.getByTestId("login-error").waitFor();

    const approver = await e.newPage("zh-CN");
    await signInAsApprover(approver);
    await openFromInbox(approver, "ws1.zhou");
    await expect(approver.getByTestId("registration-panel").textContent()).resolves.toContain("在职证明.pdf");
    await approver.screenshot({ path: path.join(SHOTS, "registration-request-zh.png") });
    // The proof opens for the approver.
    const href = await approver.locator("[data-testid^=proof-view-]").first().getAttribute("href");
    const file = await approver.request.get(href!);
    expect(file.status()).toBe(200);
    expect(file.headers()["content-type"]).toBe("application/pdf");

    await approver.getByTestId("request-approve").click();
    await approver.getByTestId("decision-text").fill("已核实在职证明");
    await approver.getByTestId("decision-confirm").click();
    await approver.getByTestId("request-status").and(approver.locator("[data-status=approved]")).waitFor();
    await expect(approver.getByTestId("request-history").textContent()).resolves.toContain("已核实在职证明");

    await applicant.goto("/register/status");
    await applicant.getByTestId("status-number").fill(number);
    await applicant.getByTestId("status-email").fill("zhou.xiao@example.com");
    await applicant.getByTestId("status-submit").click();
    await expect(applicant.getByTestId("status-result").getAttribute("data-status")).resolves.toBe("approved");
    await applicant.getByTestId("status-sign-in").click();
    await applicant.getByTestId("login-username").fill("ws1.zhou");
    await applicant.getByTestId("login-password").fill("Copper-Kettle-5173");
    await applicant.getByTestId("login-submit").click();
    // First sign-in: the password from the application opens only the change form.
    await applicant.getByTestId("forced-password-page").waitFor();
    await applicant.screenshot({ path: path.join(SHOTS, "registration-forced-change-zh.png") });
    if (await applicant.getByTestId("password-current").isVisible()) await applicant.getByTestId("password-current").fill("Copper-Kettle-5173");
    // The same password again is refused (history), a new one is taken.
    await applicant.getByTestId("password-new").fill("Copper-Kettle-5173");
    await applicant.getByTestId("password-confirm").fill("Copper-Kettle-5173");
    await applicant.getByTestId("password-submit").click();
    await applicant.locator(".ant-form-item-explain-error").first().waitFor();
    await applicant.getByTestId("password-new").fill("Willow-Lantern-8604");
    await applicant.getByTestId("password-confirm").fill("Willow-Lantern-8604");
    await applicant.getByTestId("password-submit").click();
    await applicant.getByTestId("side-menu").waitFor();
    await applicant.getByTestId("wf-inbox-table").waitFor();
    await applicant.screenshot({ path: path.join(SHOTS, "registration-first-sign-in-zh.png") });
    const me = await applicant.request.get("/api/auth/me");
    expect(me.status()).toBe(200);
    expect((await me.json()).mustChangePassword).toBe(false);

    // Hands off: the warning counts down, then the session ends and the login page says why.
    const modal = applicant.getByTestId("idle-modal");
    await applicant.clock.fastForward("00:25");
    await modal.waitFor({ timeout: 40_000 });
    const seconds = Number(await applicant.getByTestId("idle-countdown").getAttribute("data-seconds"));
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(22);
    await expect(applicant.getByTestId("idle-countdown").textContent()).resolves.toContain("秒后自动退出");
    await applicant.screenshot({ path: path.join(SHOTS, "registration-idle-warning-zh.png") });
    await applicant.clock.fastForward("00:25");
    await applicant.getByTestId("login-notice").waitFor({ timeout: 40_000 });
    expect(applicant.url()).toContain("/login");
    await expect(applicant.getByTestId("login-notice").textContent()).resolves.toContain("长时间未操作");
    await applicant.screenshot({ path: path.join(SHOTS, "registration-idle-signed-out-zh.png") });
    // The session is over on the server too.
    expect((await applicant.request.get("/api/auth/me")).status()).toBe(401);
    await applicant.getByTestId("lang-switch").first().click();
    await expect(applicant.getByTestId("login-notice").textContent()).resolves.toContain("inactivity");
    await applicant.screenshot({ path: path.join(SHOTS, "registration-idle-signed-out-en.png") });
    // The new password is the one that works now.
    await applicant.getByTestId("login-username").fill("ws1.zhou");
    await applicant.getByTestId("login-password").fill("Willow-Lantern-8604");
    await applicant.getByTestId("login-submit").click();
    await applicant.getByTestId("side-menu").waitFor();
  }, 180_000);

  it("a rejection needs a reason, and the applicant reads it on the status page", async () => {
    const applicant = await e.newPage("en-US");
    const number = await apply(applicant, {
      fullName: "Test Rejected",
      username: "ws1.rejected",
      email: "rejected@example.com",
      department: /Workshop 1/,
      password: "Silver-Harbor-2290",
    });
    const approver = await e.newPage("en-US");
    await signInAsApprover(approver);
    await openFromInbox(approver, "ws1.rejected");
    await approver.getByTestId("request-reject").click();
    await approver.getByTestId("decision-confirm").click();
    // No reason, no rejection.
    await approver.getByTestId("decision-form").getByText("Please give a reason").waitFor();
    await approver.getByTestId("decision-text").fill("No employment record in Workshop 1");
    await approver.getByTestId("decision-confirm").click();
    await approver.getByTestId("request-status").and(approver.locator("[data-status=rejected]")).waitFor();
    await approver.screenshot({ path: path.join(SHOTS, "registration-rejected-en.png") });

    await applicant.goto("/register/status");
    await applicant.getByTestId("status-number").fill(number);
    await applicant.getByTestId("status-email").fill("rejected@example.com");
    await applicant.getByTestId("status-submit").click();
    await expect(applicant.getByTestId("status-reason").textContent()).resolves.toContain("No employment record in Workshop 1");
    await applicant.screenshot({ path: path.join(SHOTS, "registration-status-rejected-en.png") });
  });
});
