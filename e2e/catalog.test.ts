import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "../packages/server/src/platform/db/database.ts";
import { CHROMIUM_AVAILABLE, type E2E, SHOTS, startE2E } from "./harness.ts";
import { pickOption, signIn } from "./ui.ts";

const PASSWORD = "Kestrel-Harbour-5830";

describe.skipIf(!CHROMIUM_AVAILABLE)("master data catalog in Chromium: items, attachments, import, export", () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it("creates an item with an alternative unit, blocks it, attaches a drawing and sees it all on the detail page", async () => {
    const page = await e.newPage("zh-CN");
    await signIn(page, "admin", e.adminPassword, PASSWORD);
    await page.goto("/masterdata/items");
    await page.getByTestId("item-row-KW-FAN-40").waitFor();
    await page.screenshot({ path: path.join(SHOTS, "catalog-items-zh.png") });

    await page.getByTestId("item-create").click();
    const form = page.getByTestId("item-form");
    await page.getByTestId("item-code").fill("E2E-FAN-50");
    await form.getByTestId("item-nameZh").fill("落地扇 50cm");
    await form.getByTestId("item-nameEn").fill("Stand fan 50 cm");
    await pickOption(page, "item-type", "成品", { startsWith: true });
    await pickOption(page, "item-makeOrBuy", "自制", { startsWith: true });
    await pickOption(page, "item-baseUom", "pcs", { startsWith: true });
    await page.getByTestId("item-alt-add").click();
    await pickOption(page, "item-alt-0-uom", "box12", { startsWith: true });
    await pickOption(page, "item-lotSizeRule", "固定批量", { startsWith: true });
    // a rule's parameter is required: the form says so before the server is asked
    await page.getByTestId("item-form-submit").click();
    await form.getByText("请填写固定批量").waitFor();
    await page.getByTestId("item-lotSizeQty").fill("60");
    await page.getByTestId("item-standardCost").fill("128.5");
    await page.getByTestId("item-form-submit").click();
    await page.getByTestId("item-tabs").waitFor();
    await expect(page.getByTestId("page-title").textContent()).resolves.toContain("E2E-FAN-50 落地扇 50cm");
    await page.getByTestId("item-tabs").getByText("成品", { exact: true }).first().waitFor();
    expect(await page.getByTestId("item-tabs").textContent()).not.toContain("半成品");

    await page.getByTestId("tab-units").click();
    await page.getByTestId("converter-result").getByText("1 box12 = 12 pcs").waitFor();
    await page.getByTestId("tab-costing").click();
    await expect(page.getByTestId("item-standard-cost").textContent()).resolves.toContain("128.5");

    // Blocking asks for confirmation and a reason.
    await page.getByTestId("item-status-menu").click();
    await page.getByTestId("item-status-blocked").click();
    await page.getByTestId("item-status-reason").fill("图纸待评审");
    await page.getByTestId("item-status-confirm").click();
    await page.getByTestId("status-blocked").first().waitFor();

    // A drawing attached by drag-and-drop upload, listed with its size.
    await page.getByTestId("tab-attachments").click();
    await page.getByTestId("attachments-description").fill("总装图 / assembly drawing");
    await page.getByTestId("attachments-upload").locator("input[type=file]").setInputFiles({
      name: "E2E-FAN-50 总装图.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.4\n% assembly drawing\n%%EOF\n"),
    });
    await page.getByTestId("attachments-table").getByText("E2E-FAN-50 总装图.pdf").waitFor();
    await page.screenshot({ path: path.join(SHOTS, "catalog-item-attachments-zh.png") });
  });

  it("imports items: the check lists every bad row, then only the good rows are imported", async () => {
    const page = await e.newPage("en-US");
    await signIn(page, "admin", PASSWORD);
    await page.goto("/masterdata/import");
    await page.getByTestId("import-kind-item").click();
    const file = [
      "code,nameZh,nameEn,itemType,baseUom,makeOrBuy,leadTimeDays,lotSizeRule",
      "E2E-IMP-1,导入一,Imported one,raw,pcs,buy,5,",
      "E2E-IMP-2,导入二,Imported two,raw,furlong,buy,,",
      "E2E-IMP-1,重复,Duplicate,raw,pcs,buy,,",
      "KW-FAN-40,已有,Existing,finished,pcs,make,,",
      "E2E-IMP-3,导入三,Imported three,semi,kg,make,x,weekly",
      "E2E-IMP-4,导入四,Imported four,consumable,kg,buy,2,",
    ].join("\r\n");
    await page.getByTestId("import-upload").locator("input[type=file]").setInputFiles({ name: "items.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
    await page.getByTestId("import-check").waitFor();
    await expect(page.getByTestId("import-summary").textContent()).resolves.toContain("6 rows, 2 good and 4 with errors");
    const messages = await page.getByTestId("import-error-message").allTextContents();
    expect(messages).toEqual(
      expect.arrayContaining([
        "is the unknown unit furlong",
        "repeats line 2 of the file",
        "KW-FAN-40 already exists in the system",
        "is not a whole number",
      ]),
    );
    expect(await page.getByTestId("import-all").isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, "catalog-import-check-en.png"), fullPage: true });
    await page.getByTestId("import-good").click();
    await page.getByTestId("import-confirm").click();
    await page.getByTestId("import-done").getByText("Imported 2 rows, skipped 4.").waitFor();

    await page.goto("/masterdata/items");
    await page.getByTestId("items-search").locator("input").fill("E2E-IMP");
    // the search applies once typing pauses: the demo items leave the list
    await page.getByTestId("item-row-KW-BASE-01").waitFor({ state: "detached" });
    await page.getByTestId("item-row-E2E-IMP-4").waitFor();
    expect(await page.getByTestId("item-row-E2E-IMP-2").count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, "catalog-items-en.png") });

    // The export is a file of what the list shows (the same filter), and it is audited.
    const download = page.waitForEvent("download");
    await page.getByTestId("items-export-csv").click();
    const d = await download;
    const text = fs.readFileSync((await d.path())!, "utf8");
    expect(d.suggestedFilename()).toMatch(/^items-\d{8}-\d{4}\.csv$/);
    expect(text).toContain("E2E-IMP-1");
    expect(text).not.toContain("KW-FAN-40");
    const audit = await e.rt.database.db.execute(sql`select details from audit_log where action = 'masterdata.export' order by id desc limit 1`);
    expect((audit as unknown as { rows: { details: { rows: number; format: string } }[] }).rows[0].details).toMatchObject({ rows: 2, format: "csv" });
  });

  it("shows warehouses with their location tree and partners with contacts, in both languages", async () => {
    const page = await e.newPage("en-US");
    await signIn(page, "admin", PASSWORD);
    await page.goto("/masterdata/warehouses");
    await page.getByTestId("wh-RM").click();
    await page.getByTestId("loc-node-RM/STOCK/A01").waitFor();
    await expect(page.getByTestId("virtual-locations").textContent()).resolves.toContain("VIRT/SUPPLIER");
    await page.screenshot({ path: path.join(SHOTS, "catalog-warehouses-en.png") });
    await page.goto("/masterdata/partners");
    await page.getByTestId("partner-row-C-TRADE").click();
    await page.getByText("Guangzhou Nanfang Appliance Trading Co., Ltd.").first().waitFor();
    await page.getByTestId("lang-switch").first().click();
    await page.getByText("广州南方家电贸易有限公司").first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, "catalog-partner-zh.png") });
    // A new address row is a whole row: its "default" switch starts set for the first address of a
    // partner that has none, and off otherwise (never absent, which the server would refuse).
    await page.getByTestId("partner-edit").click();
    const form = page.getByTestId("partner-form");
    await form.getByRole("tab", { name: "地址" }).click();
    const before = await form.locator("[data-testid^=address-][data-testid$=-street]").count();
    await page.getByTestId("address-add").click();
    await page.getByTestId(`address-${before}-street`).fill("天河路 1 号 E2E");
    await page.getByTestId("partner-form-submit").click();
    await form.waitFor({ state: "hidden" });
    await page.getByRole("tab", { name: /^地址/ }).click();
    await page.getByTestId("partner-addresses").getByText("天河路 1 号 E2E").waitFor();
  });
});
