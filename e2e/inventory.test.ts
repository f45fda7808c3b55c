import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../packages/server/src/modules/identity/commands.ts";
import { systemActor } from "../packages/server/src/platform/actor.ts";
import { one, rows, sql } from "../packages/server/src/platform/db/database.ts";
import { execute } from "../packages/server/src/platform/pipeline.ts";
import { CHROMIUM_AVAILABLE, type E2E, SHOTS, startE2E } from "./harness.ts";
import { pickOption, signIn } from "./ui.ts";

const NEW_PASSWORD = "Ledger-Crane-7734";
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `inventory-${name}.png`), fullPage: true });

async function confirm(page: Page, testId: string) {
  await page.getByTestId(testId).click();
  await page.getByTestId(testId).waitFor({ state: "detached" });
}

describe.skipIf(!CHROMIUM_AVAILABLE)("inventory in Chromium", () => {
  let e: E2E;
  let checkerPassword: string;
  beforeAll(async () => {
    e = await startE2E();
    const company = await one<{ id: number }>(e.rt.database.db, sql`select id from company order by id limit 1`);
    // A reviewer who may approve counts and see values, nothing else (a company role, written as data).
    await e.rt.database.db.execute(sql`insert into role (company_id, code, name_zh, name_en, permissions)
      values (${company!.id}, 'e2e_count_checker', '盘点复核', 'Count reviewer', array['inventory.stock.read', 'inventory.value.read', 'inventory.count.approve'])`);
    const u = await execute(e.rt, createUser, { username: "e2e.checker", displayName: "复核人 Checker", roles: [{ role: "e2e_count_checker" }] }, systemActor("e2e", company!.id));
    checkerPassword = u.oneTimePassword;
  });
  afterAll(() => e?.close());
  let page: Page;

  it("receives goods, issues a lot-tracked part first-expiry-first-out, reverses the receipt", async () => {
    page = await e.newPage("zh-CN");
    await signIn(page, "admin", e.adminPassword, NEW_PASSWORD);

    // The stock overview shows the demo company's stock.
    await page.goto("/inventory/stock");
    await page.getByTestId("stock-row-KW-P-SWITCH").first().waitFor();
    await shot(page, "stock-zh");

    // A goods receipt: entered as a draft, posted after confirmation.
    await page.goto("/inventory/receipts/new");
    await pickOption(page, "doc-partner", "S-ELEC");
    await pickOption(page, "doc-to", "RM/STOCK/A01");
    await pickOption(page, "line-0-item", "KW-P-SWITCH");
    await page.getByTestId("line-0-qty").fill("25");
    await page.getByTestId("line-0-cost").fill("3.1");
    await page.getByTestId("doc-reference").fill("E2E-DN-1");
    await page.getByTestId("doc-post").click();
    await confirm(page, "doc-post-confirm");
    await expect.poll(() => page.getByTestId("doc-state").getAttribute("data-state")).toBe("posted");
    const receiptUrl = page.url();
    await shot(page, "receipt-posted-zh");
    const switchStock = await one<{ q: string }>(
      e.rt.database.db,
      sql`select sum(b.on_hand)::text as q from stock_balance b join item i on i.id = b.item_id join location l on l.id = b.location_id
          where i.code = 'KW-P-SWITCH' and l.code = 'RM/STOCK/A01'`,
    );
    expect(Number(switchStock!.q)).toBeGreaterThanOrEqual(25);

    // A goods issue of a lot-tracked capacitor: lots assigned first-expiry-first-out, then posted.
    await page.goto("/inventory/issues/new");
    await pickOption(page, "doc-from", "RM/STOCK/A01");
    await page.getByTestId("doc-to").click();
    await page.keyboard.type("RM/WIP");
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: "RM/WIP" }).first().click();
    await page.getByTestId("doc-production-ref").fill("WO-E2E-1");
    await pickOption(page, "line-0-item", "KW-P-CAP-1.5");
    await page.getByTestId("line-0-qty").fill("300");
    await page.getByTestId("doc-suggest-lots").click();
    // CAP15-2512 expires first: all of it (280 left) is proposed, the rest from the next lot.
    await page.getByTestId("line-1-lot").waitFor();
    await expect(page.getByTestId("line-0-qty").inputValue()).resolves.toBe("280");
    await expect(page.getByTestId("line-1-qty").inputValue()).resolves.toBe("20");
    await expect(page.getByTestId("line-0-lot").textContent()).resolves.toContain("CAP15-2512");
    await shot(page, "issue-fefo-zh");
    await page.getByTestId("doc-post").click();
    await confirm(page, "doc-post-confirm");
    await expect.poll(() => page.getByTestId("doc-state").getAttribute("data-state")).toBe("posted");

    // Switch to English: the receipt is reversed with a reason; the reversal points back at it.
    await page.getByTestId("lang-switch").first().click();
    await page.goto(receiptUrl);
    await page.getByTestId("doc-reverse").click();
    await page.getByTestId("doc-reverse-reason").fill("Wrong delivery note");
    await confirm(page, "doc-reverse-confirm");
    await page.getByTestId("doc-reversal-of").waitFor();
    await shot(page, "reversal-en");
    await page.getByTestId("doc-reversal-of").click();
    await expect.poll(() => page.getByTestId("doc-state").getAttribute("data-state")).toBe("reversed");
    await page.getByTestId("doc-reversed-by").waitFor();
  });

  it("counts a rack with scans; the counter cannot approve, someone else does", async () => {
    // A count of rack A02: frozen, scanned, submitted by admin; admin may not approve their own count.
    await page.goto("/inventory/counts");
    await page.getByTestId("count-new").click();
    await pickOption(page, "count-warehouse", "RM");
    await pickOption(page, "count-locations", "RM/STOCK/A02");
    await page.keyboard.press("Escape");
    await page.getByTestId("count-create-submit").click();
    await page.getByTestId("count-start").click();
    await confirm(page, "count-start-confirm");
    await page.getByTestId("count-scan-panel").waitFor();
    await page.getByTestId("scan-code").fill("KW-P-BEARING");
    await page.getByTestId("scan-code").press("Enter");
    await page.getByTestId("scan-found").waitFor();
    await page.getByTestId("scan-qty").fill("1200");
    await page.getByTestId("scan-qty").press("Enter");
    await expect.poll(() => page.getByTestId("count-line-KW-P-BEARING-none").inputValue()).toBe("1200");
    await shot(page, "count-scan-en");
    await page.getByTestId("count-submit").click();
    await page.getByTestId("count-zero-uncounted").check();
    await confirm(page, "count-submit-confirm");
    await expect.poll(() => page.getByTestId("count-state").getAttribute("data-state")).toBe("review");
    const countUrl = page.url();
    await page.getByTestId("count-approve").click();
    await page.getByTestId("count-approve-confirm").click();
    await page.getByText("Ask another approver").first().waitFor();
    await expect.poll(() => page.getByTestId("count-state").getAttribute("data-state")).toBe("review");

    // Someone else approves: the variances are posted and the freeze ends.
    const checker = await e.newPage("zh-CN");
    await signIn(checker, "e2e.checker", checkerPassword, "Second-Pair-Eyes-41");
    await checker.goto(countUrl);
    await checker.getByTestId("count-approve").click();
    await confirm(checker, "count-approve-confirm");
    await expect.poll(() => checker.getByTestId("count-state").getAttribute("data-state")).toBe("posted");
    await shot(checker, "count-posted-zh");
    const adjustments = await rows<{ n: number }>(
      e.rt.database.db,
      sql`select count(*)::int8 as n from stock_move m join stock_count c on c.id = m.doc_id and m.doc_type = 'count' where c.approved_by_name like '复核人%'`,
    );
    expect(adjustments[0].n).toBeGreaterThan(0);
  });

  it("traces a lot both ways, values the stock as of today, shows the ledger", async () => {
    // Lot trace both ways: the capacitor lot went into WO-E2E-1 (and the demo's fans).
    await page.goto("/inventory/trace");
    await page.getByTestId("trace-search").locator("input").fill("CAP15-2512");
    await page.getByTestId("trace-lot-CAP15-2512").click();
    await page.getByTestId("trace-forward-lot-CAP15-2512").first().waitFor();
    await page.getByTestId("trace-forward-lot-FAN40-SN-000101").waitFor();
    await shot(page, "trace-en");

    // The valuation as of today, and the moves ledger with the reversal.
    await page.goto("/inventory/valuation");
    await expect.poll(async () => (await page.getByTestId("valuation-total").textContent()) ?? "").toMatch(/\d/);
    await shot(page, "valuation-en");
    await page.goto("/inventory/moves");
    await page.getByTestId("moves-table").getByText("Reversal").first().waitFor();
    await shot(page, "moves-en");
  });
});
