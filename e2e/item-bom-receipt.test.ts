import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_AVAILABLE, type E2E, SHOTS, startE2E } from "./harness.ts";
import { pickOption, signIn } from "./ui.ts";

const PASSWORD = "Lantern-Spindle-4471";
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `flow-${name}.png`), fullPage: true });

async function searchStock(page: Page, text: string) {
  const box = page.getByTestId("stock-search");
  const input = (await box.evaluate((el) => el.tagName)) === "INPUT" ? box : box.locator("input").first();
  await input.fill(text);
}

/**
 * The end-to-end path: a new item, its two-level BOM (a new assembly of a motor that has its own
 * BOM, and screws), released; a goods receipt of the item posted after confirmation; the stock overview
 * showing it, and its moves one click away — in Chinese, then in English.
 */
describe.skipIf(!CHROMIUM_AVAILABLE)("item → two-level BOM → goods receipt → stock, in Chromium", () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it("creates an item and its two-level BOM, posts a receipt and sees the stock", async () => {
    const page = await e.newPage("zh-CN");
    await signIn(page, "admin", e.adminPassword, PASSWORD);

    // 1. The item.
    await page.goto("/masterdata/items");
    await page.getByTestId("item-create").click();
    const form = page.getByTestId("item-form");
    await page.getByTestId("item-code").fill("E2E-LAMP");
    await form.getByTestId("item-nameZh").fill("台灯风扇组件");
    await form.getByTestId("item-nameEn").fill("Lamp fan assembly");
    await pickOption(page, "item-type", "半成品");
    await pickOption(page, "item-makeOrBuy", "自制");
    await pickOption(page, "item-baseUom", "pcs");
    await page.getByTestId("item-standardCost").fill("55");
    await page.getByTestId("item-form-submit").click();
    await page.getByTestId("item-tabs").waitFor();
    await expect(page.getByTestId("page-title").textContent()).resolves.toContain("E2E-LAMP");

    // 2. Its BOM: the 40 cm motor (itself made from a BOM) and four screws.
    await page.goto("/masterdata/boms/new");
    await pickOption(page, "bom-item", "E2E-LAMP");
    await page.getByTestId("bom-add-line").click();
    await pickOption(page, "line-0-component", "KW-MOT-40");
    await page.getByTestId("line-0-qty").fill("1");
    await page.getByTestId("bom-add-line").click();
    await pickOption(page, "line-1-component", "KW-P-SCREW-M4");
    await page.getByTestId("line-1-qty").fill("4");
    await page.getByTestId("bom-save").click();
    await page.waitForURL(/\/masterdata\/boms\/\d+$/);
    await page.getByTestId("bom-activate").click();
    await page.getByTestId("bom-activate-confirm").click();
    await page.getByTestId("bom-readonly").waitFor();
    await page.getByTestId("status-active").first().waitFor();
    await shot(page, "bom-zh");

    // Its explosion has two levels: the motor's own components under it.
    await page.getByTestId("bom-explode").click();
    await page.getByTestId("bom-tree").waitFor();
    await page.getByTestId("tree-row-KW-MOT-40").first().waitFor();
    await expect(page.locator('[data-testid^="tree-row-"][data-level="2"]').count()).resolves.toBeGreaterThan(0);
    await shot(page, "explosion-zh");

    // 3. A goods receipt of the item, posted after confirmation.
    await page.goto("/inventory/receipts/new");
    await pickOption(page, "doc-partner", "S-ELEC");
    await pickOption(page, "doc-to", "FG/STOCK/Z1");
    await pickOption(page, "line-0-item", "E2E-LAMP");
    await page.getByTestId("line-0-qty").fill("12");
    await page.getByTestId("line-0-cost").fill("54.5");
    await page.getByTestId("doc-post").click();
    await page.getByTestId("doc-post-confirm").click();
    await expect.poll(() => page.getByTestId("doc-state").getAttribute("data-state")).toBe("posted");
    await shot(page, "receipt-zh");

    // 4. The stock: 12 on hand and available, worth 654.00; its moves one click away.
    await page.goto("/inventory/stock");
    await searchStock(page, "E2E-LAMP");
    const row = page.getByTestId("stock-row-E2E-LAMP");
    await row.waitFor();
    // the search narrows the list to the one row
    await expect.poll(() => page.locator('[data-testid^="stock-row-"]').count()).toBe(1);
    expect(await row.textContent()).toContain("12");
    expect(await row.textContent()).toContain("654");
    await shot(page, "stock-zh");
    await row.click();
    await page.getByTestId("stock-drawer").waitFor();
    await page.getByTestId("drawer-all-moves").click();
    await page.getByTestId("moves-filter-item").waitFor();
    await page.getByText(/GR-\d{4}-\d+/).first().waitFor();
    await shot(page, "moves-zh");

    // The same in English.
    await page.getByTestId("lang-switch").first().click();
    await page.goto("/inventory/stock");
    await searchStock(page, "E2E-LAMP");
    await expect.poll(() => page.locator('[data-testid^="stock-row-"]').count()).toBe(1);
    await page.getByTestId("stock-row-E2E-LAMP").getByText("Lamp fan assembly").waitFor();
    await shot(page, "stock-en");
  });

  it("imports opening stock from a file: the bad row is named, the good rows are posted; the stock list exports", async () => {
    const page = await e.newPage("en-US");
    await page.goto("/");
    await page.getByTestId("login-username").fill("admin");
    await page.getByTestId("login-password").fill(PASSWORD);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("side-menu").waitFor();
    await page.goto("/masterdata/import");
    await page.getByTestId("import-kind-opening_stock").click();
    await page.getByTestId("import-kind-hint").waitFor();
    const file = [
      "Item code,Warehouse code,Location code,Quantity (base unit),Unit cost",
      "E2E-LAMP,FG,FG/STOCK/Z2,8,55",
      "E2E-LAMP,NOWHERE,,3,55",
      "KW-P-SWITCH,RM,,40,3.2",
    ].join("\r\n");
    await page.getByTestId("import-upload").locator("input[type=file]").setInputFiles({ name: "opening.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
    await page.getByTestId("import-check").waitFor();
    await expect(page.getByTestId("import-summary").textContent()).resolves.toContain("3 rows, 2 good and 1 with errors");
    expect(await page.getByTestId("import-error-message").allTextContents()).toEqual(["is the unknown warehouse NOWHERE"]);
    await shot(page, "import-opening-check-en");
    await page.getByTestId("import-good").click();
    await page.getByTestId("import-confirm").click();
    await page.getByTestId("import-done").getByText("Imported 2 rows, skipped 1.").waitFor();

    await page.goto("/inventory/stock");
    await searchStock(page, "E2E-LAMP");
    await expect.poll(() => page.locator('[data-testid^="stock-row-"]').count()).toBe(2);
    const download = page.waitForEvent("download");
    await page.getByTestId("stock-export-xlsx").click();
    expect((await download).suggestedFilename()).toMatch(/^stock-\d{8}-\d{4}\.xlsx$/);

    await page.getByTestId("lang-switch").first().click();
    await page.goto("/masterdata/import");
    await page.getByTestId("import-kind-bom").click();
    await page.getByTestId("import-kind-hint").waitFor();
    await page.waitForTimeout(500); // the buttons' colour transition
    await shot(page, "import-bom-zh");
  });
});
