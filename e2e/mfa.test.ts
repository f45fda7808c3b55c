import path from "node:path";
import * as OTPAuth from "otpauth";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows, sql } from "../packages/server/src/platform/db/database.ts";
import { CHROMIUM_AVAILABLE, type E2E, SHOTS, startE2E } from "./harness.ts";

const ADMIN_PASSWORD = "Copper-Kettle-7315";
const OPERATOR_PASSWORD = "Willow-Harbour-2468";

/**
 * Codes for one authenticator. The server accepts each time step once (replay protection) and a window
 * of ±1 step: the next code is for a step after the last one used, waiting for it when it is too far ahead.
 */
class Authenticator {
  private readonly totp: OTPAuth.TOTP;
  private lastStep = 0;
  constructor(secret: string) {
    this.totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" });
  }
  async next(): Promise<string> {
    const now = Math.floor(Date.now() / 30_000);
    const step = Math.max(now, this.lastStep + 1);
    if (step > now + 1) await new Promise((r) => setTimeout(r, (step - 1) * 30_000 - Date.now() + 200));
    this.lastStep = step;
    return this.totp.generate({ timestamp: step * 30_000 + 1000 });
  }
  wrong(): string {
    const valid = new Set([-1, 0, 1].map((d) => this.totp.generate({ timestamp: Date.now() + d * 30_000 })));
    return ["000000", "111111", "222222", "333333"].find((c) => !valid.has(c))!;
  }
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `mfa-${name}.png`) });

async function signIn(page: Page, username: string, password: string) {
  await page.goto("/login");
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
}

async function signOut(page: Page) {
  await page.getByTestId("user-menu").click();
  await page.getByTestId("logout").click();
  await page.getByTestId("login-form").waitFor();
}

/** Goes through the enrolment on the page: returns the authenticator (from the key shown) and the recovery codes. */
async function enrol(page: Page, lang: string): Promise<{ auth: Authenticator; codes: string[] }> {
  await page.getByTestId("totp-step-app").waitFor();
  await shot(page, `enrol-1-app-${lang}`);
  await page.getByTestId("totp-start").click();
  await page.getByTestId("totp-qr").waitFor();
  const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await shot(page, `enrol-2-scan-${lang}`);
  const auth = new Authenticator(secret);
  // A wrong code is refused under the field and nothing is switched on.
  await page.getByTestId("totp-code").fill(auth.wrong());
  await page.getByTestId("totp-confirm-form").locator(".ant-form-item-explain-error").waitFor();
  await page.getByTestId("totp-code").fill(await auth.next());
  await page.getByTestId("recovery-codes").waitFor();
  const codes = await page.getByTestId("recovery-code").allTextContents();
  expect(codes).toHaveLength(10);
  for (const c of codes) expect(c).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  await expect(page.getByTestId("recovery-done").isDisabled()).resolves.toBe(true);
  // The codes can be taken away as a file.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("recovery-download").click()]);
  expect(download.suggestedFilename()).toMatch(/^kaiwu-recovery-codes-.+\.txt$/);
  await shot(page, `enrol-3-codes-${lang}`);
  await page.getByTestId("recovery-saved").click();
  await page.getByTestId("recovery-done").click();
  return { auth, codes };
}

describe.skipIf(!CHROMIUM_AVAILABLE)("two-factor authentication, security policy and sessions in Chromium", () => {
  let e: E2E;
  let adminAuth: Authenticator;
  let adminCodes: string[];

  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it("the administrator turns on two-factor authentication from the account page and saves the recovery codes", async () => {
    const page = await e.newPage("zh-CN");
    await signIn(page, "admin", e.adminPassword);
    await page.getByTestId("forced-password-page").waitFor();
    await expect(page.getByTestId("password-policy-hint").textContent()).resolves.toBeTruthy();
    if (await page.getByTestId("password-current").isVisible()) await page.getByTestId("password-current").fill(e.adminPassword);
    await page.getByTestId("password-new").fill(ADMIN_PASSWORD);
    await page.getByTestId("password-confirm").fill(ADMIN_PASSWORD);
    await page.getByTestId("password-submit").click();
    await page.getByTestId("side-menu").waitFor();

    // From the user menu to the account's security pages.
    await page.getByTestId("user-menu").click();
    await page.getByTestId("user-menu-password").click();
    await page.getByTestId("password-form").waitFor();
    // The company's rules (defaults: 10 characters) once /api/auth/password-policy has answered.
    await page.locator('[data-testid=password-policy-hint][data-min-length="10"]').getByText("10").waitFor();
    await shot(page, "account-password-zh");
    await page.getByTestId("account-tab-two-factor").click();
    await expect(page.getByTestId("totp-status").getAttribute("data-enabled")).resolves.toBe("false");
    await shot(page, "account-2fa-off-zh");
    await page.getByTestId("totp-setup").click();
    const enrolled = await enrol(page, "zh");
    adminAuth = enrolled.auth;
    adminCodes = enrolled.codes;
    await page.locator('[data-testid=totp-status][data-enabled="true"]').waitFor();
    await shot(page, "account-2fa-on-zh");

    // Turning it off needs the password and a code; a wrong password is named under its field and changes nothing.
    await page.getByTestId("totp-disable").click();
    await page.getByTestId("totp-disable-password").fill("not-my-password");
    await page.getByTestId("totp-disable-code").fill(adminCodes[9]);
    await shot(page, "account-2fa-disable-zh");
    await page.getByTestId("totp-disable-confirm").click();
    await page.getByTestId("totp-disable-modal").getByText("当前密码不正确").waitFor();
    await page.keyboard.press("Escape");
    await page.locator('[data-testid=totp-status][data-enabled="true"]').waitFor();
  });

  it("signs in with password and code, then with a recovery code (used once); wrong codes are refused", async () => {
    const page = await e.newPage("zh-CN");
    await signIn(page, "admin", ADMIN_PASSWORD);
    await page.getByTestId("login-code-step").waitFor();
    await expect(page.getByTestId("login-code").evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await shot(page, "login-code-zh");
    await page.getByTestId("login-code-mode").click();
    await page.getByTestId("login-recovery").waitFor();
    await shot(page, "login-recovery-zh");
    await page.getByTestId("login-code-mode").click();
    await page.getByTestId("login-code").waitFor();
    await page.getByTestId("login-code").fill(adminAuth.wrong());
    await page.getByTestId("login-error").getByText("验证码不正确").waitFor();
    await shot(page, "login-code-wrong-zh");
    await page.getByTestId("login-code").fill(await adminAuth.next());
    await page.getByTestId("side-menu").waitFor();
    await signOut(page);

    // English this time, with a recovery code.
    await page.getByTestId("lang-switch").click();
    await signIn(page, "admin", ADMIN_PASSWORD);
    await page.getByTestId("login-code-step").waitFor();
    await shot(page, "login-code-en");
    await page.getByTestId("login-code-mode").click();
    await page.locator('[data-testid=login-code-step][data-mode="recovery"]').waitFor();
    // Typed loosely (lower case, no dash): normalised before it is sent.
    await page.getByTestId("login-recovery").fill(adminCodes[0].replace("-", "").toLowerCase());
    await shot(page, "login-recovery-en");
    await page.getByTestId("login-code-submit").click();
    await page.getByTestId("side-menu").waitFor();
    const notice = page.locator(".ant-notification-notice").filter({ hasText: "You signed in with a recovery code" });
    await notice.waitFor();
    await notice.locator(".ant-notification-notice-close").click();
    // The closing notice slides over the user menu in the corner: let it go before signing out.
    await notice.waitFor({ state: "detached" });
    await signOut(page);

    // The same recovery code does not work twice.
    await signIn(page, "admin", ADMIN_PASSWORD);
    await page.getByTestId("login-code-mode").click();
    await page.getByTestId("login-recovery").fill(adminCodes[0]);
    await page.getByTestId("login-code-submit").click();
    await page.getByTestId("login-error").getByText("not valid or has already been used").waitFor();
    await shot(page, "login-recovery-used-en");
    await page.getByTestId("login-recovery").fill(adminCodes[1]);
    await page.getByTestId("login-code-submit").click();
    await page.getByTestId("side-menu").waitFor();
  });

  it("an administrator requires two-factor authentication for operators; a demo operator must enrol at login", async () => {
    const admin = await e.newPage("en-US");
    await signIn(admin, "admin", ADMIN_PASSWORD);
    await admin.getByTestId("login-code-mode").click();
    await admin.getByTestId("login-recovery").fill(adminCodes[2]);
    await admin.getByTestId("login-code-submit").click();
    await admin.getByTestId("side-menu").waitFor();
    await admin.locator(".ant-notification-notice-close").click();
    await admin.getByTestId("menu-identity-security-policy").click();
    await admin.getByTestId("policy-form").waitFor();
    await expect(admin.getByTestId("policy-version").getAttribute("data-version")).resolves.toBe("0");
    await shot(admin, "policy-en");
    // Out of range: caught before anything is sent.
    await admin.getByTestId("policy-passwordMinLength").fill("4");
    await admin.getByTestId("policy-save").click();
    await admin.getByText("Enter a whole number from 8 to 128").waitFor();
    await admin.getByTestId("policy-passwordMinLength").fill("12");
    await admin.getByTestId("policy-totpRequiredRoles").click();
    await admin.keyboard.type("operator");
    await admin.keyboard.press("Enter");
    await admin.keyboard.press("Escape");
    await admin.getByTestId("policy-save").click();
    await admin.getByTestId("policy-confirm-ok").waitFor();
    await admin.waitForTimeout(500); // the dialog's opening animation
    await shot(admin, "policy-confirm-en");
    await admin.getByTestId("policy-confirm-ok").click();
    await admin.locator('[data-testid=policy-version][data-version="1"]').waitFor();
    const stored = await rows(e.rt.database.db, sql`select password_min_length, totp_required_roles from security_policy`);
    expect(stored).toEqual([{ password_min_length: 12, totp_required_roles: ["operator"] }]);

    // The operator's first sign-in: the one-time password first, then the compulsory set-up, then the app.
    const li = e.demoLogins.find((d) => d.username === "ws1.li")!;
    const op = await e.newPage("zh-CN");
    await signIn(op, li.username, li.password);
    await op.getByTestId("forced-password-page").waitFor();
    await expect(op.getByTestId("password-policy-hint").textContent()).resolves.toBeTruthy();
    if (await op.getByTestId("password-current").isVisible()) await op.getByTestId("password-current").fill(li.password);
    await op.getByTestId("password-new").fill(OPERATOR_PASSWORD);
    await op.getByTestId("password-confirm").fill(OPERATOR_PASSWORD);
    await op.getByTestId("password-submit").click();
    await op.getByTestId("forced-totp-page").waitFor();
    await shot(op, "forced-enrol-zh");
    const { auth: opAuth } = await enrol(op, "forced-zh");
    await op.getByTestId("side-menu").waitFor();
    expect(op.url()).not.toContain("/setup-2fa");

    // It cannot be turned off while the policy requires it.
    await op.goto("/account/two-factor");
    await op.getByTestId("totp-disable").click();
    await op.getByTestId("totp-disable-password").fill(OPERATOR_PASSWORD);
    await op.getByTestId("totp-disable-code").fill(await opAuth.next());
    await op.getByTestId("totp-disable-confirm").click();
    await op.getByTestId("totp-policy-blocked").waitFor();
    await shot(op, "account-2fa-policy-blocked-zh");

    // Lost phone: the administrator resets the operator's second factor; the operator's session ends.
    await admin.getByTestId("menu-identity-users").click();
    await admin.locator("[data-testid=users-search] input, input[data-testid=users-search]").first().fill("ws1.li");
    await admin.getByTestId("user-totp-reset-ws1.li").click();
    await admin.getByTestId("user-totp-reset-confirm").click();
    await admin.getByText("Please give a reason").waitFor();
    await admin.getByTestId("user-totp-reset-reason").fill("Phone lost; identity confirmed by phone call");
    await expect.poll(() => admin.getByText("Please give a reason").count()).toBe(0);
    await shot(admin, "users-reset-2fa-en");
    await admin.getByTestId("user-totp-reset-confirm").click();
    await admin.getByText("was reset").waitFor();
    const audit = await rows(
      e.rt.database.db,
      sql`select details from audit_log where action = 'identity.user.totp_reset' and outcome = 'success' order by id desc limit 1`,
    );
    expect(audit).toMatchObject([{ details: { reason: "Phone lost; identity confirmed by phone call", hadTotp: true } }]);

    await op.reload();
    await op.getByTestId("login-form").waitFor();
    // Signing in again: no code asked (it was removed), and the policy sends the operator to set it up anew.
    await signIn(op, li.username, OPERATOR_PASSWORD);
    await op.getByTestId("forced-totp-page").waitFor();
    await op.getByTestId("lang-switch").click();
    await op.getByTestId("totp-step-app").getByText("Install an authenticator app").waitFor();
    await shot(op, "forced-enrol-en");
    await enrol(op, "forced-en");
    await op.getByTestId("side-menu").waitFor();
  });

  it("lists the user's sessions and ends another one after confirmation", async () => {
    const first = await e.newPage("en-US");
    const second = await e.newPage("zh-CN");
    for (const [page, code] of [
      [first, adminCodes[3]],
      [second, adminCodes[4]],
    ] as const) {
      await signIn(page, "admin", ADMIN_PASSWORD);
      await page.getByTestId("login-code-mode").click();
      await page.getByTestId("login-recovery").fill(code);
      await page.getByTestId("login-code-submit").click();
      await page.getByTestId("side-menu").waitFor();
      await page.locator(".ant-notification-notice-close").click();
    }
    await second.goto("/account/sessions");
    await second.getByTestId("sessions-table").waitFor();
    await second.getByTestId("session-current").waitFor();
    await shot(second, "sessions-zh");
    const rows = second.locator('[data-testid^=session-row-][data-current="false"]');
    expect(await rows.count()).toBeGreaterThan(0);
    // End every other session of the admin, the first browser's among them.
    await second.getByTestId("session-end-others").click();
    await second.getByTestId("session-end-others-confirm").click();
    await second.getByText(/已结束 \d+ 个会话/).waitFor();
    await expect.poll(() => rows.count()).toBe(0);
    // The first browser finds itself signed out at its next request.
    await first.goto("/account/sessions");
    await first.getByTestId("login-form").waitFor();

    await second.getByTestId("lang-switch").click();
    await second.getByTestId("account-tab-two-factor").click();
    await second.getByTestId("totp-status").waitFor();
    await shot(second, "account-2fa-on-en");
    await second.getByTestId("totp-regenerate").click();
    await second.getByTestId("totp-disable-modal").waitFor();
    await second.waitForTimeout(500);
    await shot(second, "account-2fa-regenerate-en");
    await second.keyboard.press("Escape");
    await second.getByTestId("account-tab-sessions").click();
    await second.getByTestId("session-current").waitFor();
    await shot(second, "sessions-en");
  });

  it("shows the remaining screens in the other language (a system administrator without two-factor authentication)", async () => {
    const zhou = e.demoLogins.find((d) => d.username === "it.zhou")!;
    const page = await e.newPage("en-US");
    await signIn(page, zhou.username, zhou.password);
    await page.getByTestId("forced-password-page").waitFor();
    await shot(page, "forced-password-en");
    if (await page.getByTestId("password-current").isVisible()) await page.getByTestId("password-current").fill(zhou.password);
    // The policy now asks for 12 characters: a shorter password is refused as the user types.
    await page.getByTestId("password-new").fill("Short-Pas1");
    await page.getByTestId("password-confirm").fill("Short-Pas1");
    await page.getByTestId("password-submit").click();
    await page.getByTestId("password-form").locator(".ant-form-item-explain-error").getByText("at least 12 characters").waitFor();
    await page.getByTestId("password-new").fill("Granite-Meadow-5093");
    await page.getByTestId("password-confirm").fill("Granite-Meadow-5093");
    await page.getByTestId("password-submit").click();
    await page.getByTestId("side-menu").waitFor();
    await page.goto("/account/password");
    await page.locator('[data-testid=password-policy-hint][data-min-length="12"]').waitFor();
    await shot(page, "account-password-en");
    await page.getByTestId("account-tab-two-factor").click();
    await page.locator('[data-testid=totp-status][data-enabled="false"]').waitFor();
    await shot(page, "account-2fa-off-en");
    await page.getByTestId("totp-setup").click();
    await page.getByTestId("totp-start").click();
    await page.getByTestId("totp-qr").waitFor();
    await shot(page, "enrol-2-scan-en");
    await page.getByTestId("totp-cancel").click();

    await page.getByTestId("lang-switch").click();
    await page.getByTestId("menu-identity-security-policy").click();
    await page.locator('[data-testid=policy-version][data-version="1"]').waitFor();
    await shot(page, "policy-zh");
    await page.getByTestId("menu-identity-users").click();
    await page.getByTestId("user-totp-reset-ws2.wang").click();
    await page.getByTestId("user-totp-reset-modal").waitFor();
    await page.waitForTimeout(500);
    await shot(page, "users-reset-2fa-zh");
    await page.keyboard.press("Escape");
    await page.goto("/account/sessions");
    await page.getByTestId("session-current").waitFor();
    await page.getByTestId("account-tab-password").click();
    await page.getByTestId("password-form").waitFor();
    await shot(page, "account-password-zh-policy");
  });
});
