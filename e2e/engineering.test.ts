import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_AVAILABLE, type E2E, SHOTS, startE2E } from "./harness.ts";
import { pickOption, signIn } from "./ui.ts";

const PASSWORD = "Gearbox-Lantern-7315";

describe.skipIf(!CHROMIUM_AVAILABLE)("engineering: BOM versions, cycle refusal, explosion and capacity in Chromium", () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it("copies the base assembly's BOM to a new version, is refused a cycle, releases it and sees it in the fan's explosion", async () => {
    const page = await e.newPage("en-US");
    await signIn(page, "admin", e.adminPassword, PASSWORD);

    await page.goto("/masterdata/boms");
    await page.getByTestId("bom-search").locator("input").fill("KW-BASE-01");
    await page.getByTestId("bom-row-KW-BASE-01-V1").click();
    await page.getByTestId("bom-lines").waitFor();
    await page.getByTestId("bom-readonly").waitFor();

    // A released version is copied, not edited.
    await page.getByTestId("bom-copy").click();
    await page.getByTestId("bom-copy-version").fill("V2");
    await page.getByTestId("bom-copy-submit").click();
    await page.getByTestId("bom-lines-editor").waitFor();
    await expect(page.getByTestId("page-title").textContent()).resolves.toContain("KW-BASE-01 · V2");

    // Four screws hold the shell: a new line.
    await page.getByTestId("bom-add-line").click();
    await pickOption(page, "line-3-component", "KW-P-SCREW-M4");
    await page.getByTestId("line-3-qty").fill("4");
    await page.getByTestId("bom-save").click();
    await page.getByText("Saved").first().waitFor();

    // The base cannot contain the fan it goes into: refused, the path named under the line.
    await page.getByTestId("bom-add-line").click();
    await pickOption(page, "line-4-component", "KW-FAN-40");
    await page.getByTestId("bom-save").click();
    await page.getByTestId("bom-lines-editor").getByText("KW-BASE-01 → KW-FAN-40 → KW-BASE-01").waitFor();
    await page.screenshot({ path: path.join(SHOTS, "engineering-cycle-en.png") });
    await page.getByTestId("line-4-remove").click();
    await page.getByTestId("bom-save").click();
    await page.getByText("Saved").first().waitFor();

    // Release it, ending V1 the day V2 starts.
    await page.getByTestId("bom-activate").click();
    await page.getByTestId("bom-supersede").click();
    await page.getByTestId("bom-activate-confirm").click();
    await page.getByTestId("bom-readonly").waitFor();
    await page.getByTestId("status-active").first().waitFor();
    await expect(page.getByTestId("bom-line-qty-KW-P-SCREW-M4").textContent()).resolves.toContain("4");

    // The fan's explosion from V2's first day has the screws under the base (and the kit's at level 1).
    const detail = await (await page.request.get(`/api/masterdata/boms?q=KW-BASE-01&status=active`)).json();
    const v2 = detail.items.find((b: { versionCode: string }) => b.versionCode === "V2");
    const fan = (await (await page.request.get("/api/masterdata/engineering/item-options?q=KW-FAN-40")).json())[0];
    await page.goto(`/masterdata/bom-analysis?itemId=${fan.id}&qty=10&asOf=${v2.effectiveFrom}`);
    await page.getByTestId("bom-tree").waitFor();
    const screws = page.getByTestId("tree-row-KW-P-SCREW-M4");
    await expect(screws.count()).resolves.toBe(2);
    await expect(page.locator('[data-testid="tree-row-KW-P-SCREW-M4"][data-level="2"]').count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(SHOTS, "engineering-tree-en.png") });

    // The same tree in Chinese.
    await page.getByTestId("lang-switch").first().click();
    await page.getByTestId("bom-tree").getByText("底座组件").first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, "engineering-tree-zh.png") });
  });

  it("shows a work centre's capacity from the plant calendar", async () => {
    const page = await e.newPage("zh-CN");
    await signIn(page, "admin", PASSWORD);
    await page.goto("/masterdata/work-centres");
    await page.getByTestId("res-node-WC-MOULD-1").click();
    await page.getByTestId("wc-capacity-total").waitFor();
    await expect(page.getByTestId("wc-detail").textContent()).resolves.toContain("MOULD");
    await expect(page.getByTestId("wc-capacity-total").textContent()).resolves.toMatch(/合计可用：[\d,]+ 分钟/);
    await page.screenshot({ path: path.join(SHOTS, "engineering-capacity-zh.png") });
  });
});
