import type { Page } from "playwright-core";

/**
 * Signs in through the login form and waits for the menu. With `newPassword`, goes through the forced
 * change a one-time password leads to (the current-password field shows only when the page asks for it);
 * `changeOptional` when the test cannot know whether the account still has to change it.
 */
export async function signIn(page: Page, username: string, password: string, newPassword?: string, opts: { changeOptional?: boolean } = {}) {
  await page.goto("/");
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
  if (newPassword) {
    const forced = page.getByTestId("forced-password-page");
    const asked = await forced.waitFor(opts.changeOptional ? { timeout: 5000 } : undefined).then(
      () => true,
      (e) => {
        if (opts.changeOptional) return false;
        throw e;
      },
    );
    if (asked) {
      if (await page.getByTestId("password-current").isVisible()) await page.getByTestId("password-current").fill(password);
      await page.getByTestId("password-new").fill(newPassword);
      await page.getByTestId("password-confirm").fill(newPassword);
      await page.getByTestId("password-submit").click();
    }
  }
  await page.getByTestId("side-menu").waitFor();
}

/**
 * Picks an option of an antd Select: types `text` (which filters a searchable select) and clicks the first
 * open option that contains it (`startsWith`: whose text starts with it, where a code is also part of other
 * options' names). On a busy machine a click during the dropdown's opening motion can land beside the
 * option, so it checks that the select now shows the option and picks again if not.
 */
export async function pickOption(page: Page, testId: string, text: string, opts: { startsWith?: boolean } = {}) {
  const select = page.getByTestId(testId);
  const match = opts.startsWith ? new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) : text;
  for (let attempt = 1; ; attempt++) {
    if ((await select.locator("[role=combobox]").getAttribute("aria-expanded")) !== "true") await select.click();
    await page.keyboard.type(text);
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: match }).first().click();
    // antd 6 shows a single select's choice as the text of .ant-select-content (a typed search is an input value)
    const shown = select.locator(".ant-select-content").filter({ hasText: match }).first();
    if (await shown.waitFor({ timeout: 3000 }).then(() => true, () => false)) return;
    if (attempt === 3) throw new Error(`${testId}: the select does not show "${text}" after three picks`);
  }
}
