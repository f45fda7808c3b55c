import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows, sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, count, login, plantDay, type TestSystem, testSystem } from "./harness.ts";
import { type InvFixture, inventoryFixture, receive } from "./inventory-fixtures.ts";
import { postMultipart, userWith } from "./masterdata-catalog-helpers.ts";

const M = "/api/masterdata";
const csv = (lines: string[]) => Buffer.from(`${lines.join("\r\n")}\r\n`, "utf8");

interface RunError {
  line: number;
  field: string;
  rule: string;
  message: string;
}

describe.skipIf(!DB_AVAILABLE)("import of BOMs and opening stock; export of BOM and inventory lists", () => {
  let sys: TestSystem;
  let admin: Client;
  let fx: InvFixture;

  const upload = (client: Client, kind: string, name: string, content: Buffer, type = "text/csv") =>
    postMultipart(client, `${M}/imports`, { kind }, { name, type, content });
  const byLine = (errs: RunError[], line: number) => errs.filter((e) => e.line === line).map((e) => `${e.field}:${e.rule}`);

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    fx = await inventoryFixture(sys.rt);
    // Two make items to build BOMs of: a fan head made of a motor and bolts, a fan made of the head and paint.
    const uom = (await rows<{ id: number }>(sys.rt.database.db, sql`select id from uom where code = 't-pcs'`))[0].id;
    for (const [code, type] of [["T-HEAD", "semi"], ["T-FAN", "finished"]]) {
      const r = await admin.post(`${M}/items`, { code, nameZh: code, nameEn: code, itemType: type, baseUomId: uom, makeOrBuy: "make" });
      expect(r.statusCode).toBe(201);
    }
  });
  afterAll(() => sys?.close());

  const bomFile = csv([
    "父项物料编码,BOM 版本,生效日期,子项物料编码,用量,损耗率 %,导入后发布",
    "T-HEAD,V1,2026-01-01,T-MOTOR,1,,是",
    "T-HEAD,V1,,T-BOLT,4,2,",
    "T-FAN,V1,2026-01-01,T-HEAD,1,,yes",
    "T-FAN,V1,2026-01-01,T-PAINT,0.05,,yes",
    // A BOM with one bad line: neither line goes in.
    "T-BOLT,V1,2026-01-01,T-STEEL,0.01,,",
    "T-BOLT,V1,2026-01-01,NO-SUCH,1,,",
    // Would make T-HEAD contain itself through T-FAN (released above in the same file).
    "T-HEAD,V2,2026-06-01,T-FAN,1,,yes",
    // Header values disagree between two rows of one BOM.
    "T-FAN,V9,2026-01-01,T-BOLT,1,,",
    "T-FAN,V9,2026-02-01,T-STEEL,1,,",
  ]);

  it("BOMs: the check names every bad row (unknown component, a cycle, rows that disagree) and imports nothing", async () => {
    const before = await count(sys.rt, "bom");
    const r = await upload(admin, "bom", "boms.csv", bomFile);
    expect(r.statusCode).toBe(201);
    const run = r.json();
    expect(run).toMatchObject({ kind: "bom", status: "checked", rowCount: 9, errorRowCount: 5, goodRowCount: 4 });
    const errs = run.errors as RunError[];
    expect(byLine(errs, 7)).toEqual(["component:exists"]);
    expect(byLine(errs, 6)).toEqual([":unit"]);
    expect(errs.find((e) => e.line === 6)!.message).toContain("7");
    expect(byLine(errs, 8)).toEqual(["component:cycle"]);
    expect(errs.find((e) => e.line === 8)!.message).toContain("T-HEAD");
    expect(byLine(errs, 10)).toEqual(["effectiveFrom:consistent"]);
    expect(byLine(errs, 9)).toEqual([":unit"]);
    expect(await count(sys.rt, "bom")).toBe(before);

    const all = await admin.post(`${M}/imports/${run.id}/execute`, { mode: "all" });
    expect(all.statusCode).toBe(422);
    expect(all.json().code).toBe("import_has_errors");
    expect(await count(sys.rt, "bom")).toBe(before);

    const good = await admin.post(`${M}/imports/${run.id}/execute`, { mode: "good" });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ status: "imported", importedCount: 4, skippedCount: 5 });
    const boms = await rows<{ code: string; version_code: string; status: string; lines: number }>(
      sys.rt.database.db,
      sql`select i.code, b.version_code, b.status, (select count(*)::int from bom_line l where l.bom_id = b.id) as lines
          from bom b join item i on i.id = b.item_id order by i.code, b.version_code`,
    );
    expect(boms).toEqual([
      { code: "T-FAN", version_code: "V1", status: "active", lines: 2 },
      { code: "T-HEAD", version_code: "V1", status: "active", lines: 2 },
    ]);
    const scrap = await rows<{ s: string }>(sys.rt.database.db, sql`select scrap_pct::text as s from bom_line l join item i on i.id = l.component_item_id where i.code = 'T-BOLT'`);
    expect(Number(scrap[0].s)).toBe(2);
    // the explosion of the imported structure has both levels
    const fan = (await rows<{ id: number }>(sys.rt.database.db, sql`select id from item where code = 'T-FAN'`))[0].id;
    const ex = await admin.get(`${M}/bom-explosion?itemId=${fan}&asOf=2026-03-01`);
    expect(ex.statusCode).toBe(200);
    expect(JSON.stringify(ex.json())).toContain("T-MOTOR");
  });

  it("BOMs: exported in the import's columns (one row per line); quantities only with masterdata.bom.quantity.read", async () => {
    const r = await admin.get(`${M}/boms/export?format=csv`);
    expect(r.statusCode).toBe(200);
    const text = r.body.replace(/^\uFEFF/, "");
    expect(text.split("\r\n")[0]).toContain("Quantity");
    expect(text).toContain("T-FAN,");
    expect(Number(r.headers["x-export-rows"])).toBe(4);
    const viewer = await userWith(sys, admin, "bom.viewer", ["masterdata.bom.read", "masterdata.export"]);
    const v = await viewer.get(`${M}/boms/export?format=csv`);
    expect(v.statusCode).toBe(200);
    expect(v.body.split("\r\n")[0]).not.toContain("Quantity");
    // …and cannot import BOMs (their quantities)
    const imp = await userWith(sys, admin, "bom.importer", ["masterdata.bom.read", "masterdata.bom.edit", "masterdata.import.run"]);
    expect((await upload(imp, "bom", "b.csv", bomFile)).statusCode).toBe(403);
  });

  const stockFile = () =>
    csv([
      "Item code,Warehouse code,Location code,Quantity (base unit),Unit cost,Lot or serial number,Expiry date",
      "T-BOLT,T-WH1,,1000,0.40,,",
      "T-BOLT,T-WH2,T-WH2/STOCK,250,0.45,,",
      "T-PAINT,T-WH1,T-WH1/B-01,20,18.5,P-2601,2027-06-30",
      "T-PAINT,T-WH1,,5,18.5,,", // lot-tracked without a lot
      "T-STEEL,NO-WH,,10,8,S-1,", // unknown warehouse
      "T-BOLT,T-WH1,T-WH2/STOCK,1,1,,", // location of another warehouse
      "T-BOLT,T-WH1,,-3,1,,", // negative quantity
      "T-MOTOR,T-WH1,,1,120,M-0001,",
    ]);

  it("opening stock: bad rows are listed and nothing posted; the good rows post one valued receipt", async () => {
    const moves = await count(sys.rt, "stock_move");
    const docs = await count(sys.rt, "stock_document");
    const r = await upload(admin, "opening_stock", "opening.csv", stockFile());
    expect(r.statusCode).toBe(201);
    const run = r.json();
    expect(run).toMatchObject({ kind: "opening_stock", rowCount: 8, errorRowCount: 4, goodRowCount: 4 });
    const errs = run.errors as RunError[];
    expect(byLine(errs, 5)).toEqual(["lotNo:required"]);
    expect(byLine(errs, 6)).toEqual(["warehouse:exists"]);
    expect(byLine(errs, 7)).toEqual(["location:exists"]);
    expect(byLine(errs, 8)[0]).toMatch(/^quantity:/);
    expect(await count(sys.rt, "stock_move")).toBe(moves);
    expect(await count(sys.rt, "stock_document")).toBe(docs);
    expect((await admin.post(`${M}/imports/${run.id}/execute`, { mode: "all" })).statusCode).toBe(422);
    expect(await count(sys.rt, "stock_move")).toBe(moves);

    const outbox = await count(sys.rt, "outbox_event", "type = 'inventory.move.valued'");
    const good = await admin.post(`${M}/imports/${run.id}/execute`, { mode: "good" });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ importedCount: 4, skippedCount: 4 });
    expect(await count(sys.rt, "stock_document")).toBe(docs + 1);
    expect(await count(sys.rt, "stock_move")).toBe(moves + 4);
    // every move valued and announced to finance, with its value
    expect(await count(sys.rt, "outbox_event", "type = 'inventory.move.valued'")).toBe(outbox + 4);
    const stock = (await admin.get(`/api/inventory/stock?group=warehouse&itemId=${fx.items.BOLT}`)).json();
    const byWh = Object.fromEntries(stock.items.map((s: { warehouseCode: string; onHand: string; value: string }) => [s.warehouseCode, s]));
    expect(Number(byWh["T-WH1"].onHand)).toBe(1000);
    expect(Number(byWh["T-WH1"].value)).toBe(400);
    expect(Number(byWh["T-WH2"].onHand)).toBe(250);
    const lots = await rows<{ lot_no: string; e: string }>(sys.rt.database.db, sql`select lot_no, to_char(expiry_date, 'YYYY-MM-DD') as e from stock_lot where item_id = ${fx.items.PAINT}`);
    expect(lots).toEqual([{ lot_no: "P-2601", e: "2027-06-30" }]);
    const doc = await rows<{ reference: string; state: string }>(sys.rt.database.db, sql`select reference, state from stock_document order by id desc limit 1`);
    expect(doc[0]).toEqual({ reference: "OPENING-STOCK", state: "posted" });
  });

  it("opening stock from XLSX; a serial number twice in one file is refused on its second row", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Sheet1");
    ws.addRow(["物料编码", "仓库编码", "数量（基本单位）", "批次/序列号"]);
    ws.addRow(["T-MOTOR", "T-WH2", 1, "M-0100"]);
    ws.addRow(["T-MOTOR", "T-WH2", 1, "M-0100"]);
    ws.addRow(["T-FIFO", "T-WH2", 12.5, null]);
    const r = await upload(admin, "opening_stock", "opening.xlsx", Buffer.from(await wb.xlsx.writeBuffer()), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(r.statusCode).toBe(201);
    const run = r.json();
    expect(run).toMatchObject({ rowCount: 3, errorRowCount: 1 });
    expect(byLine(run.errors, 3)[0]).toMatch(/^lotNo:/);
    const good = await admin.post(`${M}/imports/${run.id}/execute`, { mode: "good" });
    expect(good.json()).toMatchObject({ importedCount: 2, skippedCount: 1 });
  });

  it("opening stock needs the receipt permissions; unit costs only with inventory.value.read", async () => {
    const clerk = await userWith(sys, admin, "wh.clerk", ["masterdata.import.run", "inventory.stock.read"]);
    expect((await upload(clerk, "opening_stock", "o.csv", stockFile())).statusCode).toBe(403);
    const poster = await userWith(sys, admin, "wh.poster", ["masterdata.import.run", "inventory.stock.read", "inventory.receipt.edit", "inventory.receipt.post"]);
    const r = await upload(poster, "opening_stock", "o.csv", stockFile());
    expect(r.statusCode).toBe(201);
    expect(r.json().errors.filter((e: RunError & { rule: string }) => e.rule === "forbidden").map((e: RunError) => e.field)).toEqual(["unitCost"]);
    // the templates name the columns the user may fill in
    const tpl = await poster.get(`${M}/imports/template?kind=opening_stock&format=csv`);
    expect(tpl.statusCode).toBe(200);
    expect(tpl.body).toContain("Warehouse code");
    expect(tpl.body).not.toContain("Unit cost");
    const bomTpl = await admin.get(`${M}/imports/template?kind=bom&format=xlsx`);
    expect(bomTpl.statusCode).toBe(200);
    expect(String(bomTpl.headers["content-disposition"])).toContain("boms-template.xlsx");
  });

  it("exports the stock, moves, documents and value report, with values only for holders of inventory.value.read", async () => {
    for (const url of ["/api/inventory/stock/export?format=csv", "/api/inventory/moves/export?format=csv", "/api/inventory/documents/export?format=xlsx"]) {
      const r = await admin.get(url);
      expect(r.statusCode, url).toBe(200);
      expect(Number(r.headers["x-export-rows"])).toBeGreaterThan(0);
    }
    const today = await plantDay(sys.rt);
    const val = await admin.get(`/api/inventory/valuation/export?format=csv&asOf=${today}&group=item`);
    expect(val.statusCode).toBe(200);
    expect(val.body).toContain("T-BOLT");
    const audit = await rows<{ details: { list: string } }>(sys.rt.database.db, sql`select details from audit_log where action = 'masterdata.export' order by id desc limit 1`);
    expect(audit[0].details.list).toBe("valuation");

    const clerk = await userWith(sys, admin, "stock.viewer", ["inventory.stock.read", "masterdata.export"]);
    const s = await clerk.get("/api/inventory/stock/export?format=csv");
    expect(s.statusCode).toBe(200);
    expect(s.body.split("\r\n")[0]).not.toMatch(/Value|金额|Unit cost|单位成本/);
    expect((await clerk.get(`/api/inventory/valuation/export?format=csv&asOf=${today}`)).statusCode).toBe(403);
    const noExport = await userWith(sys, admin, "stock.reader", ["inventory.stock.read"]);
    expect((await noExport.get("/api/inventory/moves/export?format=csv")).statusCode).toBe(403);
    expect((await admin.get("/api/inventory/valuation/export?format=csv")).statusCode).toBe(400);
    await receive(admin, [{ itemId: fx.items.BOLT, quantity: "1", toLocationId: fx.loc.WH1_STOCK }]);
  });

  it("built-in roles: a storekeeper works stock without values, operators and read-only users only look, a manager sees values", async () => {
    const as = async (username: string, role: string) => {
      const r = await admin.post("/api/identity/users", { username, displayName: username, roles: [{ role }] });
      expect(r.statusCode).toBe(201);
      return login(sys.app, username, r.json().oneTimePassword);
    };
    const operator = await as("role.storekeeper", "storekeeper");
    const looker = await as("role.operator", "operator");
    const reader = await as("role.reader", "readonly");
    const manager = await as("role.manager", "dept_manager");
    for (const c of [operator, looker, reader, manager]) {
      for (const url of ["/api/masterdata/items", "/api/masterdata/boms", "/api/masterdata/partners", "/api/inventory/stock", "/api/inventory/moves"]) {
        expect((await c.get(url)).statusCode, url).toBe(200);
      }
    }
    const line = { itemId: fx.items.BOLT, quantity: "2", toLocationId: fx.loc.WH1_STOCK };
    expect((await operator.post("/api/inventory/receipts", { lines: [line], post: true })).statusCode).toBe(201);
    expect((await reader.post("/api/inventory/receipts", { lines: [line], post: true })).statusCode).toBe(403);
    expect((await looker.post("/api/inventory/receipts", { lines: [line], post: true })).statusCode).toBe(403);
    expect((await operator.get("/api/inventory/stock/export?format=csv")).statusCode).toBe(200);
    expect((await reader.get("/api/inventory/stock/export?format=csv")).statusCode).toBe(403);
    const opStock = (await operator.get(`/api/inventory/stock?itemId=${fx.items.BOLT}`)).json();
    expect(opStock.items[0].value ?? null).toBeNull();
    const mgrStock = (await manager.get(`/api/inventory/stock?itemId=${fx.items.BOLT}`)).json();
    expect(mgrStock.items[0].value).not.toBeNull();
    const pcs = (await rows<{ id: number }>(sys.rt.database.db, sql`select id from uom where code = 't-pcs'`))[0].id;
    const item = { code: "T-NEW", nameZh: "新", nameEn: "New", itemType: "raw", baseUomId: pcs, makeOrBuy: "buy" };
    expect((await operator.post("/api/masterdata/items", item)).statusCode).toBe(403);
  });
});
