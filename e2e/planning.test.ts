import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { one, sql } from "../packages/server/src/platform/db/database.ts";
import { CHROMIUM_AVAILABLE, type E2E, SHOTS, startE2E } from "./harness.ts";
import { signIn } from "./ui.ts";

const NEW_PASSWORD = "Planner-Heron-5521";
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `planning-${name}.png`), fullPage: true });

/** Closes the pegging modal, then the record drawer, and waits until neither covers the page. */
async function closeOverlays(page: Page) {
  await page.locator(".ant-modal-close").first().click();
  await page.getByTestId("pegging-tree").waitFor({ state: "hidden" });
  await page.locator(".ant-drawer-close").first().click();
  await page.getByTestId("record-table").waitFor({ state: "hidden" });
  await page.waitForTimeout(400);
}

describe.skipIf(!CHROMIUM_AVAILABLE)("planning in Chromium", () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());
  const count = async (table: string, where: string) => (await one<{ n: number }>(e.rt.database.db, sql`select count(*)::int as n from ${sql.raw(table)} where ${sql.raw(where)}`))!.n;

  it("enters a forecast, runs MRP, opens an item's record and pegging, converts a planned purchase (zh-CN)", async () => {
    const page = await e.newPage("zh-CN");
    await signIn(page, "admin", e.adminPassword, NEW_PASSWORD);

    // MPS: a forecast typed into the grid is saved when the cell is left
    await page.getByTestId("menu-planning-mps").click();
    const cell = page.getByTestId("mps-forecast-KW-FAN-30-2").locator("xpath=descendant-or-self::input");
    await cell.waitFor();
    await cell.fill("275");
    await cell.press("Tab");
    await expect.poll(() => page.getByTestId("mps-demand-KW-FAN-30-2").textContent()).toBe("275");
    const saved = await one<{ q: string }>(
      e.rt.database.db,
      sql`select f.quantity::text as q from forecast f join item i on i.id = f.item_id where i.code = 'KW-FAN-30' order by f.period_start limit 1 offset 0`,
    );
    expect(saved).toBeTruthy();
    await shot(page, "mps-zh");

    // MRP: run as a background job with progress, then the new version is shown
    await page.getByTestId("menu-planning-mrp").click();
    const before = await page.getByTestId("mrp-version-code").textContent();
    await page.getByTestId("mrp-run").click();
    await page.getByTestId("run-submit").click();
    await expect.poll(() => page.getByTestId("mrp-version-code").textContent(), { timeout: 60_000 }).not.toBe(before);
    await page.getByTestId("mrp-progress").waitFor({ state: "detached" });
    await shot(page, "mrp-zh");

    // the record of a purchased part, then its first planned order's pegging up to the forecast
    await page.getByTestId("filter-q").locator("input").fill("KW-P-BEARING");
    await page.getByTestId("mrp-item-KW-P-BEARING").click();
    await page.getByTestId("record-table").waitFor();
    await shot(page, "record-zh");
    await page.locator('[data-testid^="record-peg-"]').first().click();
    await page.getByTestId("pegging-tree").waitFor();
    await page.locator('[data-testid^="peg-node-KW-FAN-"]').first().waitFor();
    await page.locator('[data-testid^="peg-demand-FC-"]').first().waitFor();
    await page.waitForTimeout(600); // the modal's opening animation
    await shot(page, "pegging-zh");
    await closeOverlays(page);

    // convert the first planned purchase into a requisition
    await page.getByRole("tab", { name: "计划订单" }).click();
    // the list refetches with kind=buy; take the first bought order once that answer is shown
    const bought = page.waitForResponse((r) => r.url().includes("/orders?") && r.url().includes("kind=buy"));
    await page.getByTestId("orders-kind").getByText("外购").click();
    const firstKey = ((await (await bought).json()) as { items: { orderKey: string }[] }).items[0].orderKey;
    const firstCheck = page.getByTestId(`order-check-${firstKey}`);
    await firstCheck.waitFor();
    const key = (await firstCheck.getAttribute("data-testid"))!.replace("order-check-", "");
    await firstCheck.check();
    await page.getByTestId("orders-convert").click();
    await page.getByTestId("convert-confirm").click();
    await page.locator(".ant-message-success").waitFor();
    await shot(page, "orders-zh");
    await expect
      .poll(async () => (await one<{ n: number }>(e.rt.database.db, sql`select count(*)::int as n from purchase_requisition_line where source_planned_order = ${key}`))!.n)
      .toBe(1);
    await page.getByTestId("menu-purchasing-requisitions").click();
    const req = await one<{ no: string }>(
      e.rt.database.db,
      sql`select r.requisition_no as no from purchase_requisition r join purchase_requisition_line l on l.requisition_id = r.id where l.source_planned_order = ${key}`,
    );
    await page.getByTestId(`pr-row-${req!.no}`).waitFor();
    await page.getByTestId(`pr-row-${req!.no}`).locator(".ant-table-row-expand-icon").click();
    await page.locator(".ant-table-expanded-row .ant-tag").first().waitFor();
    await shot(page, "requisitions-zh");
  }, 180_000);

  it("shows the same screens in English", async () => {
    const page = await e.newPage("en-US");
    await signIn(page, "admin", NEW_PASSWORD);
    await page.goto("/planning/mps");
    await page.getByTestId("mps-forecast-KW-FAN-40-3").waitFor();
    await shot(page, "mps-en");
    await page.goto("/planning/mrp");
    await page.getByTestId("mrp-version-code").waitFor();
    await page.getByTestId("filter-q").locator("input").fill("KW-HEAD-40");
    await page.getByTestId("mrp-item-KW-HEAD-40").click();
    await page.getByTestId("record-table").waitFor();
    await shot(page, "record-en");
    await page.locator('[data-testid^="record-peg-"]').first().click();
    await page.getByTestId("pegging-tree").waitFor();
    await page.waitForTimeout(600);
    await shot(page, "pegging-en");
    await closeOverlays(page);
    await page.getByRole("tab", { name: "Exceptions" }).click();
    await shot(page, "exceptions-en");
    await page.goto("/production/orders");
    await page.locator('[data-testid^="mo-row-"]').first().waitFor();
    await shot(page, "production-en");
  }, 120_000);

  it("opens a production order, creates one by hand (a field error first) and opens a requisition (zh-CN, then en-US)", async () => {
    const page = await e.newPage("zh-CN");
    await signIn(page, "admin", NEW_PASSWORD);

    // a production order converted from MRP: header, source plan and the demand it serves
    const converted = await one<{ id: number; no: string }>(
      e.rt.database.db,
      sql`select id, order_no as no from production_order where source_plan_version_id is not null and pegging <> '[]'::jsonb order by id limit 1`,
    );
    await page.getByTestId("menu-production-orders").click();
    await page.locator('[data-testid^="mo-row-"]').first().waitFor();
    await page.getByPlaceholder("搜索物料编码或名称").fill(converted!.no);
    await page.getByTestId(`mo-link-${converted!.no}`).click();
    await page.getByTestId("production-order-page").waitFor();
    await page.getByTestId("mo-pegging").locator("tbody tr").first().waitFor();
    expect(await page.getByTestId("mo-source").textContent()).toContain("MRP");
    await shot(page, "mo-detail-zh");

    // the manual form: quantity 0 passes the form's format check, the server names the field
    await page.getByTestId("page-back").click();
    await page.getByTestId("mo-new").click();
    await page.getByTestId("mo-new-drawer").waitFor();
    await page.getByTestId("mo-new-item").click();
    await page.keyboard.type("KW-FAN-30");
    await page.locator(".ant-select-item-option").filter({ hasText: "KW-FAN-30" }).first().click();
    await page.getByTestId("mo-new-quantity").fill("0");
    const due = page.getByTestId("mo-new-due").locator("xpath=descendant-or-self::input");
    await due.click();
    await due.fill("2027-03-15");
    await due.press("Enter");
    await page.getByTestId("mo-new-submit").click();
    await page.getByTestId("mo-create-confirm").click();
    const qtyItem = page.locator(".ant-form-item").filter({ has: page.getByTestId("mo-new-quantity") });
    await qtyItem.locator(".ant-form-item-explain-error").waitFor();
    await page.waitForTimeout(400);
    await shot(page, "mo-new-error-zh");
    expect(await count("production_order", "quantity = 0")).toBe(0);

    await page.getByTestId("mo-new-quantity").fill("12.5");
    await page.getByTestId("mo-new-submit").click();
    await page.getByTestId("mo-create-confirm").click();
    await page.getByTestId("production-order-page").waitFor();
    await expect.poll(() => page.getByTestId("mo-quantity").textContent()).toBe("12.5");
    expect(await page.getByTestId("mo-source").textContent()).toBe("手工创建");
    await page.getByTestId("history-table").getByText("production.order.create").waitFor();
    const created = await one<{ id: number; q: string; due: string }>(
      e.rt.database.db,
      sql`select id, quantity::text as q, to_char(due_date, 'YYYY-MM-DD') as due from production_order where source_plan_version_id is null order by id desc limit 1`,
    );
    expect(created).toMatchObject({ q: "12.500000", due: "2027-03-15" });
    expect(page.url()).toContain(`/production/orders/${created!.id}`);
    await shot(page, "mo-created-zh");

    // a requisition: supplier, lines with price (admin may see prices), lead time, need date and pegging
    const req = await one<{ id: number; no: string }>(
      e.rt.database.db,
      sql`select r.id, r.requisition_no as no from purchase_requisition r where r.supplier_id is not null order by r.id limit 1`,
    );
    await page.getByTestId("menu-purchasing-requisitions").click();
    await page.getByTestId(`pr-link-${req!.no}`).click();
    await page.getByTestId("requisition-page").waitFor();
    await page.getByTestId("pr-line-1").waitFor();
    await page.getByTestId("pr-total").waitFor();
    await shot(page, "pr-detail-zh");

    const en = await e.newPage("en-US");
    await signIn(en, "admin", NEW_PASSWORD);
    await en.goto(`/production/orders/${converted!.id}`);
    await en.getByTestId("mo-pegging").locator("tbody tr").first().waitFor();
    await shot(en, "mo-detail-en");
    await en.goto(`/production/orders/${created!.id}`);
    await en.getByTestId("history-table").getByText("production.order.create").waitFor();
    await shot(en, "mo-created-en");
    await en.goto(`/purchasing/requisitions/${req!.id}`);
    await en.getByTestId("pr-line-1").waitFor();
    await shot(en, "pr-detail-en");
    await en.goto("/production/orders");
    await en.getByTestId("mo-new").click();
    await en.getByTestId("mo-new-drawer").waitFor();
    await en.getByTestId("mo-new-submit").click();
    await en.locator(".ant-form-item-explain-error").first().waitFor();
    await en.waitForTimeout(400);
    await shot(en, "mo-new-en");
  }, 180_000);
});
