import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { one, rows, sql } from "../src/platform/db/database.ts";
import { type Client, DB_AVAILABLE, count, login, type TestSystem, testSystem } from "./harness.ts";
import { postMultipart, userWith } from "./masterdata-catalog-helpers.ts";

const M = "/api/masterdata";

interface RunError {
  line: number;
  field: string;
  column: string;
  value: string;
  rule: string;
  message: string;
}

const csv = (lines: string[]) => Buffer.from(`${lines.join("\r\n")}\r\n`, "utf8");

async function xlsx(rowsIn: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Sheet1");
  for (const r of rowsIn) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.skipIf(!DB_AVAILABLE)("master data import (check, all or nothing, good rows only) and export", () => {
  let sys: TestSystem;
  let admin: Client;
  let units: Record<string, number>;

  const upload = (client: Client, kind: string, name: string, content: Buffer, type = "text/csv") =>
    postMultipart(client, `${M}/imports`, { kind }, { name, type, content });

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    const c = (await admin.post(`${M}/uom-categories`, { code: "COUNT", nameZh: "数量", nameEn: "Count" })).json();
    const pcs = (await admin.post(`${M}/uoms`, { categoryId: c.id, code: "pcs", nameZh: "个", nameEn: "piece", rounding: "1" })).json();
    const m = (await admin.post(`${M}/uom-categories`, { code: "MASS", nameZh: "重量", nameEn: "Mass" })).json();
    const kg = (await admin.post(`${M}/uoms`, { categoryId: m.id, code: "kg", nameZh: "千克", nameEn: "kilogram", rounding: "0.001" })).json();
    units = { pcs: pcs.id, kg: kg.id };
    const existing = await admin.post(`${M}/items`, { code: "T-EXIST", nameZh: "已有", nameEn: "Existing", itemType: "raw", baseUomId: pcs.id, makeOrBuy: "buy", standardCost: "5" });
    expect(existing.statusCode).toBe(201);
  });
  afterAll(() => sys?.close());

  const itemsFile = csv([
    "物料编码,中文名称,英文名称,物料类型,基本单位,自制/外购,提前期（天）,安全库存,批量规则,固定批量,标准成本,ABC 分类,允许负库存",
    "I-OK1,螺钉,Screw,原材料,pcs,外购,5,100,按需批量,,0.03,C,否",
    'I-OK2,电机组件,"Motor assembly, 45 W",semi,pcs,make,2,0,fixed,50,32.4,A,no',
    "I-BAD-UNIT,坏单位,Bad unit,raw,furlong,buy,,,,,,,",
    "I-OK1,重复,Duplicate,raw,pcs,buy,,,,,,,",
    "T-EXIST,已有,Existing,raw,pcs,buy,,,,,,,",
    "I-BADNUM,坏数字,Bad numbers,raw,pcs,buy,abc,1.2.3,,,,,maybe",
    "I-BADRULE,坏规则,Bad rule,raw,pcs,buy,,,weekly,,,,",
    "I-NOQTY,缺批量,No lot qty,raw,kg,buy,,,fixed,,,,",
    "I-OK3,台扇,Desk fan,成品,pcs,自制,3,20,,,86.5,A,是",
  ]);

  it("the check lists every bad row with its field and reason and imports nothing", async () => {
    const before = await count(sys.rt, "item");
    const r = await upload(admin, "item", "items.csv", itemsFile);
    expect(r.statusCode).toBe(201);
    const run = r.json();
    expect(run).toMatchObject({ kind: "item", format: "csv", status: "checked", rowCount: 9, errorRowCount: 6, goodRowCount: 3, fileErrorCount: 0 });
    const errs = run.errors as RunError[];
    const byLine = (line: number) => errs.filter((e) => e.line === line).map((e) => `${e.field}:${e.rule}`);
    expect(byLine(4)).toEqual(["baseUom:exists"]);
    expect(errs.find((e) => e.line === 4)).toMatchObject({ column: "基本单位", value: "furlong" });
    expect(errs.find((e) => e.line === 4)!.message).toContain("furlong");
    expect(byLine(5)).toEqual(["code:duplicate"]);
    expect(errs.find((e) => e.line === 5)!.message).toBe("repeats line 2 of the file");
    expect(byLine(6)).toEqual(["code:unique"]);
    expect(byLine(7)).toEqual(["leadTimeDays:integer", "safetyStock:decimal", "allowNegativeStock:boolean"]);
    expect(byLine(8)).toEqual(["lotSizeRule:enum"]);
    expect(byLine(9)).toEqual(["lotSizeQty:required"]);
    expect(byLine(2)).toEqual([]);
    expect(await count(sys.rt, "item")).toBe(before);
    // the stored run answers the same, in the reader's language
    const zh = (await admin.get(`${M}/imports/${run.id}`, { "accept-language": "zh-CN" })).json();
    expect(zh.errors.find((e: RunError) => e.line === 5).message).toBe("与文件第 2 行重复");
  });

  it("mode all imports nothing while a row is bad; good rows only imports the good ones, once", async () => {
    const run = (await upload(admin, "item", "items.csv", itemsFile)).json();
    const before = await count(sys.rt, "item");
    const all = await admin.post(`${M}/imports/${run.id}/execute`, { mode: "all" });
    expect(all.statusCode).toBe(422);
    expect(all.json()).toMatchObject({ code: "import_has_errors" });
    expect(all.json().detail).toContain("6 rows");
    expect(await count(sys.rt, "item")).toBe(before);
    expect((await admin.get(`${M}/imports/${run.id}`)).json().status).toBe("checked");

    const good = await admin.post(`${M}/imports/${run.id}/execute`, { mode: "good" });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ status: "imported", mode: "good", importedCount: 3, skippedCount: 6 });
    expect(await count(sys.rt, "item")).toBe(before + 3);
    const imported = await rows<{ code: string; lot_size_rule: string; lot_size_qty: string | null; standard_cost: string; allow_negative_stock: boolean; name_en: string }>(
      sys.rt.database.db,
      sql`select code, lot_size_rule, lot_size_qty::text, standard_cost::text, allow_negative_stock, name_en from item where code like 'I-%' order by code`,
    );
    expect(imported.map((i) => `${i.code}|${i.lot_size_rule}|${i.lot_size_qty}|${Number(i.standard_cost)}|${i.allow_negative_stock}`)).toEqual([
      "I-OK1|lot-for-lot|null|0.03|false",
      "I-OK2|fixed|50.000000|32.4|false",
      "I-OK3|lot-for-lot|null|86.5|true",
    ]);
    expect(imported[1].name_en).toBe("Motor assembly, 45 W");

    const again = await admin.post(`${M}/imports/${run.id}/execute`, { mode: "good" });
    expect(again.statusCode).toBe(422);
    expect(again.json().code).toBe("import_done");
    // one audited command per run, with its counts
    const audit = await one<{ details: Record<string, unknown> }>(
      sys.rt.database.db,
      sql`select details from audit_log where action = 'masterdata.import.execute' and outcome = 'success' order by id desc limit 1`,
    );
    expect(audit!.details).toMatchObject({ kind: "item", mode: "good", rows: 9, imported: 3, skipped: 6 });
    const history = (await admin.get(`${M}/imports?kind=item`)).json();
    expect(history.items[0]).toMatchObject({ id: run.id, status: "imported", importedCount: 3 });
  });

  it("a clean file imports all rows; rows may depend on earlier rows (a new unit category in XLSX)", async () => {
    const file = await xlsx([
      ["category", "categoryNameZh", "categoryNameEn", "code", "nameZh", "nameEn", "ratio", "rounding", "isReference"],
      ["VOL", "体积", "Volume", "L", "升", "litre", 1, 0.001, "是"],
      ["VOL", null, null, "mL", "毫升", "millilitre", 0.001, 1, "否"],
      // 0.1 + 0.2 as Excel stores it: read as what Excel shows
      ["VOL", null, null, "dL3", "0.3 升", "0.3 litre", 0.1 + 0.2, 0.001, "no"],
      ["MASS", null, null, "g", "克", "gram", 0.001, 0.1, null],
    ]);
    const r = await upload(admin, "uom", "units.xlsx", file, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(r.statusCode).toBe(201);
    const run = r.json();
    expect(run).toMatchObject({ format: "xlsx", rowCount: 4, errorRowCount: 0 });
    expect(await count(sys.rt, "uom_category", "code = 'VOL'")).toBe(0);
    const all = await admin.post(`${M}/imports/${run.id}/execute`, { mode: "all" });
    expect(all.statusCode).toBe(200);
    expect(all.json()).toMatchObject({ importedCount: 4, skippedCount: 0 });
    const vol = (await admin.get(`${M}/uoms?q=L`)).json().items.filter((x: { categoryCode: string }) => x.categoryCode === "VOL");
    expect(vol.map((x: { code: string; ratio: string; isReference: boolean }) => `${x.code}:${x.ratio}:${x.isReference}`).sort()).toEqual([
      "L:1:true",
      "dL3:0.3:false",
      "mL:0.001:false",
    ]);
  });

  it("a row only the database refuses is rolled back alone (savepoint) and named, the others still import", async () => {
    const file = csv([
      "category,code,nameZh,nameEn,ratio,rounding",
      "MASS,oz,盎司,ounce,0.028349523125,0.01",
      "MASS,huge,巨,huge,1,2000000",
      "MASS,lb,磅,pound,0.45359237,0.001",
    ]);
    const run = (await upload(admin, "uom", "db-rule.csv", file)).json();
    expect((run.errors as RunError[]).map((e) => `${e.line}:${e.rule}`)).toEqual(["3:uom_rounding_range"]);
    expect((run.errors as RunError[])[0].message).toContain("0.000001");
    const done = (await admin.post(`${M}/imports/${run.id}/execute`, { mode: "good" })).json();
    expect(done).toMatchObject({ importedCount: 2, skippedCount: 1 });
    expect(await count(sys.rt, "uom", "code in ('oz', 'lb')")).toBe(2);
    expect(await count(sys.rt, "uom", "code = 'huge'")).toBe(0);
  });

  it("reports header problems, permissions, GB18030 files and partner rows", async () => {
    const header = await upload(admin, "item", "h.csv", csv(["code,nameZh,nameEn,itemType,colour", "X-1,甲,A,raw,red"]));
    const run = header.json();
    const fileErrs = (run.errors as RunError[]).filter((e) => e.line === 1).map((e) => `${e.column}:${e.rule}`);
    expect(fileErrs).toEqual(["colour:unknown_column", "Base unit:missing_column", "Make or buy:missing_column"]);
    expect((await admin.post(`${M}/imports/${run.id}/execute`, { mode: "all" })).statusCode).toBe(422);

    // 测试 (GBK bytes B2E2 CAD4) as Excel on a Chinese Windows saves CSV
    const gbk = Buffer.concat([
      Buffer.from("code,nameZh,nameEn,isCustomer,isSupplier,taxId,contactName,contactPhone,city,street\r\nC-GBK,", "latin1"),
      Buffer.from([0xb2, 0xe2, 0xca, 0xd4]),
      Buffer.from(",Test GBK,yes,no,91330106MA2GM3E6T7,Zhou,13800001111,Hangzhou,Wensan Road 199\r\nC-BAD,x,x,no,no,91330106MA2GM3E6T8,,,,\r\n", "latin1"),
    ]);
    const p = (await upload(admin, "partner", "partners.csv", gbk)).json();
    expect(p.rowCount).toBe(2);
    expect((p.errors as RunError[]).map((e) => `${e.line}:${e.field}:${e.rule}`)).toEqual(["3:isCustomer:role", "3:taxId:checksum"]);
    const done = (await admin.post(`${M}/imports/${p.id}/execute`, { mode: "good" })).json();
    expect(done.importedCount).toBe(1);
    const partner = (await admin.get(`${M}/partners?q=C-GBK`)).json().items[0];
    expect(partner).toMatchObject({ nameZh: "测试", isCustomer: true, contactName: "Zhou", contactPhone: "13800001111", city: "Hangzhou" });

    // a user without the cost permission cannot import costs (the column is refused, the rest is checked)
    const clerk = await userWith(sys, admin, "imp.clerk", ["masterdata.import.run", "masterdata.item.edit", "masterdata.item.read"]);
    const c = (await upload(clerk, "item", "c.csv", csv(["code,nameZh,nameEn,itemType,baseUom,makeOrBuy,standardCost", "X-C,甲,A,raw,pcs,buy,9"]))).json();
    expect((c.errors as RunError[]).map((e) => `${e.line}:${e.field}:${e.rule}`)).toEqual(["1:standardCost:forbidden"]);
    const noEdit = await userWith(sys, admin, "imp.viewer", ["masterdata.import.run", "masterdata.item.read"]);
    expect((await upload(noEdit, "item", "c.csv", csv(["code", "X"]))).statusCode).toBe(403);
    const bad = await postMultipart(admin, `${M}/imports`, { kind: "spaceship" }, { name: "x.csv", type: "text/csv", content: csv(["a"]) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: "/kind", rule: "enum" });
    const empty = await upload(admin, "item", "empty.csv", Buffer.from("\r\n\r\n"));
    expect(empty.statusCode).toBe(422);
    expect(empty.json().code).toBe("empty_file");
    const notXlsx = await upload(admin, "item", "broken.xlsx", Buffer.from("PK\u0003\u0004 not really a zip"));
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().code).toBe("bad_file");
  });

  it("exports every list as CSV and XLSX, audited with rows and format, ready to import back", async () => {
    const x = await admin.get(`${M}/items/export?format=xlsx&sort=code`, { "accept-language": "zh-CN" });
    expect(x.statusCode).toBe(200);
    expect(x.headers["content-type"]).toContain("spreadsheetml");
    expect(String(x.headers["content-disposition"])).toMatch(/^attachment; filename="items-\d{8}-\d{4}\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe("物料");
    const head = (ws.getRow(1).values as string[]).slice(1);
    expect(head.slice(0, 6)).toEqual(["物料编码", "中文名称", "英文名称", "规格型号", "物料类型", "基本单位"]);
    const codes = ws.getColumn(1).values.slice(2);
    expect(codes).toEqual(["I-OK1", "I-OK2", "I-OK3", "T-EXIST"]);
    const costCol = head.indexOf("标准成本") + 1;
    expect(ws.getRow(3).getCell(costCol).value).toBe(32.4);
    expect(ws.getRow(3).getCell(head.indexOf("物料类型") + 1).value).toBe("半成品");

    const audit = await one<{ details: { list: string; rows: number; format: string } }>(
      sys.rt.database.db,
      sql`select details from audit_log where action = 'masterdata.export' and outcome = 'success' order by id desc limit 1`,
    );
    expect(audit!.details).toMatchObject({ list: "item", rows: 4, format: "xlsx" });

    // the export is an import file: read back, every row is known and only the codes clash
    const back = (await upload(admin, "item", "items.xlsx", x.rawPayload, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).json();
    expect(back.fileErrorCount).toBe(0);
    expect([...new Set((back.errors as RunError[]).map((e) => `${e.field}:${e.rule}`))]).toEqual(["code:unique"]);

    for (const list of ["uoms", "partners", "supplier-items", "warehouses", "locations"]) {
      const r = await admin.get(`${M}/${list}/export?format=csv`);
      expect(r.statusCode, list).toBe(200);
      expect(r.body.charCodeAt(0)).toBe(0xfeff);
    }
    const exports = await rows<{ list: string; format: string }>(
      sys.rt.database.db,
      sql`select details->>'list' as list, details->>'format' as format from audit_log where action = 'masterdata.export' and outcome = 'success'`,
    );
    expect(new Set(exports.map((e) => e.list))).toEqual(new Set(["item", "uom", "partner", "supplier_item", "warehouse", "location"]));
    // a spreadsheet formula in a name is written as text
    await admin.post(`${M}/items`, { code: "T-FORMULA", nameZh: "=1+1", nameEn: "@SUM(A1)", itemType: "raw", baseUomId: units.pcs, makeOrBuy: "buy" });
    const f = await admin.get(`${M}/items/export?format=csv&q=T-FORMULA`);
    expect(f.body).toContain("'=1+1,'@SUM(A1)");
  });

  it("gives an import template per kind", async () => {
    const t = await admin.get(`${M}/imports/template?kind=supplier_item&format=xlsx`);
    expect(t.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(t.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Supplier items", "How to fill in"]);
    const head = (wb.worksheets[0].getRow(1).values as string[]).slice(1);
    expect(head).toContain("Unit price");
    expect(head).not.toContain("Supplier name");
    const c = await admin.get(`${M}/imports/template?kind=item&format=csv`, { "accept-language": "zh-CN" });
    expect(c.body.split("\r\n")[0]).toContain("物料编码,中文名称,英文名称");
  });
});
