import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { one, rows, sql } from "../src/platform/db/database.ts";
import { AppError } from "../src/platform/errors.ts";
import { assertItemUsable, assertLocationUsable, assertPartnerUsable, findLocationByKind, paymentDueDate, supplierItemsFor } from "../src/modules/masterdata/catalog/queries.ts";
import { type Client, DB_AVAILABLE, count, login, type TestSystem, testSystem } from "./harness.ts";
import { userWith } from "./masterdata-catalog-helpers.ts";

const M = "/api/masterdata";

describe.skipIf(!DB_AVAILABLE)("master data catalog: units, items, warehouses, partners, supplier items", () => {
  let sys: TestSystem;
  let admin: Client;
  let companyId: number;
  const u: Record<string, number> = {};
  const cat: Record<string, number> = {};

  const post = async (url: string, body: unknown, status = 201) => {
    const r = await admin.post(url, body);
    if (r.statusCode !== status) throw new Error(`${url} → ${r.statusCode} ${r.body}`);
    return r.json();
  };
  const fields = (r: { json(): { errors?: { field: string; rule: string }[] } }) => (r.json().errors ?? []).map((e) => `${e.field}:${e.rule}`);

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    companyId = (await admin.get("/api/org/company")).json().id;
    for (const [code, zh, en] of [
      ["COUNT", "数量", "Count"],
      ["MASS", "重量", "Mass"],
      ["LENGTH", "长度", "Length"],
    ]) {
      cat[code] = (await post(`${M}/uom-categories`, { code, nameZh: zh, nameEn: en })).id;
    }
    for (const [c, code, ratio, rounding] of [
      ["COUNT", "pcs", "1", "1"],
      ["COUNT", "box12", "12", "1"],
      ["MASS", "kg", "1", "0.001"],
      ["MASS", "g", "0.001", "0.1"],
      ["LENGTH", "m", "1", "0.01"],
    ]) {
      u[code] = (await post(`${M}/uoms`, { categoryId: cat[c], code, nameZh: code, nameEn: code, ratio, rounding })).id;
    }
  });
  afterAll(() => sys?.close());

  describe("units of measure", () => {
    it("makes the first unit of a category its reference unit and guards the reference", async () => {
      const list = (await admin.get(`${M}/uoms?categoryId=${cat.MASS}`)).json();
      expect(list.items.map((x: { code: string; isReference: boolean; ratio: string }) => `${x.code}:${x.isReference}:${x.ratio}`)).toEqual([
        "g:false:0.001",
        "kg:true:1",
      ]);
      const second = await admin.post(`${M}/uoms`, { categoryId: cat.MASS, code: "lb", nameZh: "磅", nameEn: "pound", ratio: "0.45359237", isReference: true });
      expect(second.statusCode).toBe(400);
      expect(fields(second)).toContain("/isReference:unique");
      const badRef = await admin.post(`${M}/uom-categories`, { code: "VOL", nameZh: "体积", nameEn: "Volume" });
      const volume = badRef.json().id;
      const notOne = await admin.post(`${M}/uoms`, { categoryId: volume, code: "ml", nameZh: "毫升", nameEn: "millilitre", ratio: "0.001" });
      expect(notOne.statusCode).toBe(400);
      expect(fields(notOne)).toContain("/ratio:reference");
      expect(await count(sys.rt, "uom", `code = 'ml'`)).toBe(0);
    });

    it("names the field of bad input and answers 409 to a duplicate code", async () => {
      const bad = await admin.post(`${M}/uoms`, { categoryId: cat.COUNT, code: "bad code", nameZh: "", nameEn: "x", ratio: "-1", extra: 1 });
      expect(bad.statusCode).toBe(400);
      expect(fields(bad)).toEqual(expect.arrayContaining(["/code:pattern", "/nameZh:minLength", "/ratio:pattern", "/extra:unknownField"]));
      const dup = await admin.post(`${M}/uoms`, { categoryId: cat.COUNT, code: "pcs", nameZh: "个", nameEn: "piece" });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe("already_exists");
    });

    it("converts quantities within a category and through an item's factors", async () => {
      const c = (await admin.get(`${M}/uoms/convert?qty=1234.56&fromUomId=${u.g}&toUomId=${u.kg}`)).json();
      expect(c.result).toBe("1.235");
      const up = (await admin.get(`${M}/uoms/convert?qty=25&fromUomId=${u.pcs}&toUomId=${u.box12}&rounding=up`)).json();
      expect(up.result).toBe("3");
      const none = await admin.get(`${M}/uoms/convert?qty=1&fromUomId=${u.m}&toUomId=${u.kg}`);
      expect(none.statusCode).toBe(422);
      expect(none.json().code).toBe("uom_no_conversion");
      const wire = await post(`${M}/items`, {
        code: "T-WIRE",
        nameZh: "钢丝",
        nameEn: "Steel wire",
        itemType: "raw",
        baseUomId: u.kg,
        makeOrBuy: "buy",
        alternativeUnits: [{ uomId: u.m, factor: "0.025" }],
      });
      const viaItem = (await admin.get(`${M}/uoms/convert?qty=40&fromUomId=${u.m}&toUomId=${u.g}&itemId=${wire.id}`)).json();
      expect(viaItem.result).toBe("1000");
      const unknown = await admin.get(`${M}/uoms/convert?qty=1&fromUomId=999999&toUomId=${u.kg}`);
      expect(unknown.statusCode).toBe(400);
      expect(fields(unknown)).toContain("/querystring/fromUomId:exists");
    });

    it("keeps a used unit's ratio and refuses to delete it", async () => {
      const unit = (await admin.get(`${M}/uoms/${u.g}`)).json();
      await post(`${M}/items`, { code: "T-POWDER", nameZh: "粉", nameEn: "Powder", itemType: "raw", baseUomId: u.g, makeOrBuy: "buy" });
      const ratio = await admin.patch(`${M}/uoms/${u.g}`, { ratio: "0.002" }, { "if-match": `"${unit.version}"` });
      expect(ratio.statusCode).toBe(400);
      expect(fields(ratio)).toContain("/ratio:in_use");
      const finer = await admin.patch(`${M}/uoms/${u.g}`, { rounding: "0.01", nameEn: "gram" }, { "if-match": `"${unit.version}"` });
      expect(finer.statusCode).toBe(200);
      expect(finer.json()).toMatchObject({ rounding: "0.01", version: unit.version + 1 });
      const del = await admin.delete(`${M}/uoms/${u.g}`);
      expect(del.statusCode).toBe(422);
      expect(del.json()).toMatchObject({ code: "in_use" });
      expect(del.json().detail).toContain("item");
    });
  });

  describe("items", () => {
    it("validates every field and lists all problems at once", async () => {
      const before = await count(sys.rt, "item");
      const missing = await admin.post(`${M}/items`, { code: "T 1", nameZh: "x", nameEn: "x", itemType: "raw", makeOrBuy: "buy", leadTimeDays: -1, safetyStock: "1e3" });
      expect(missing.statusCode).toBe(400);
      expect(fields(missing).sort()).toEqual(["/baseUomId:required", "/code:pattern", "/leadTimeDays:minimum", "/safetyStock:pattern"]);
      const kind = await admin.post(`${M}/items`, { code: "T-1", nameZh: "x", nameEn: "x", itemType: "gadget", baseUomId: u.pcs, makeOrBuy: "buy" });
      expect(kind.json().errors[0]).toMatchObject({ field: "/itemType", rule: "enum" });
      expect(kind.json().errors[0].message).toContain("raw, semi, finished, consumable, service");

      const rules = await admin.post(`${M}/items`, {
        code: "T-2",
        nameZh: "规则",
        nameEn: "Rules",
        itemType: "raw",
        baseUomId: u.kg,
        makeOrBuy: "buy",
        lotSizeRule: "fixed",
        lotSizeMultiple: "10",
        tracking: "serial",
        shelfLifeDays: 30,
        barcode: "6920123450016",
        purchaseUomId: u.box12,
        safetyStock: "1.0005",
      });
      expect(rules.statusCode).toBe(400);
      expect(fields(rules)).toEqual(
        expect.arrayContaining([
          "/lotSizeQty:required",
          "/lotSizeMultiple:not_allowed",
          "/tracking:serial_whole_units",
          "/barcode:checksum",
          "/purchaseUomId:unit_of_item",
          "/safetyStock:unit_rounding",
        ]),
      );
      const shelf = await admin.post(`${M}/items`, { code: "T-3", nameZh: "x", nameEn: "x", itemType: "raw", baseUomId: u.kg, makeOrBuy: "buy", shelfLifeDays: 30 });
      expect(fields(shelf)).toEqual(["/shelfLifeDays:needs_lots"]);
      const eoq = await admin.post(`${M}/items`, { code: "T-4", nameZh: "x", nameEn: "x", itemType: "raw", baseUomId: u.kg, makeOrBuy: "buy", lotSizeRule: "eoq", lotSizeSetupCost: "100" });
      expect(fields(eoq)).toEqual(["/lotSizeHoldingCost:required"]);
      const mmm = await admin.post(`${M}/items`, {
        code: "T-5",
        nameZh: "x",
        nameEn: "x",
        itemType: "raw",
        baseUomId: u.pcs,
        makeOrBuy: "buy",
        lotSizeRule: "min-max-multiple",
        lotSizeMin: "100",
        lotSizeMax: "50",
      });
      expect(fields(mmm)).toEqual(["/lotSizeMax:minimum"]);
      expect(await count(sys.rt, "item")).toBe(before);
    });

    it("creates an item with alternative units and answers 409 to a duplicate code", async () => {
      const created = await post(`${M}/items`, {
        code: "T-CAP",
        nameZh: "电容",
        nameEn: "Capacitor",
        itemType: "raw",
        baseUomId: u.pcs,
        makeOrBuy: "buy",
        tracking: "lot",
        shelfLifeDays: 365,
        lotSizeRule: "multiple",
        lotSizeMultiple: "100",
        standardCost: "1.35",
        abcClass: "B",
        barcode: "6920123450015",
        purchaseUomId: u.box12,
        alternativeUnits: [{ uomId: u.box12, factor: "10" }, { uomId: u.kg, factor: "2.857142857143" }],
      });
      expect(created).toMatchObject({ code: "T-CAP", status: "active", version: 1, standardCost: "1.35", lotSizeMultiple: "100" });
      const detail = (await admin.get(`${M}/items/${created.id}`)).json();
      expect(detail.alternativeUnits.map((a: { code: string; factor: string }) => `${a.code}=${a.factor}`)).toEqual(["box12=10", "kg=2.857142857143"]);
      expect(detail).toMatchObject({ purchaseUomCode: "box12", baseUomCode: "pcs", costVisible: true });
      const dup = await admin.post(`${M}/items`, { code: "T-CAP", nameZh: "重复", nameEn: "Dup", itemType: "raw", baseUomId: u.pcs, makeOrBuy: "buy" });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().errors[0].field).toBe("/code");
      const dupBarcode = await admin.post(`${M}/items`, { code: "T-CAP2", nameZh: "x", nameEn: "x", itemType: "raw", baseUomId: u.pcs, makeOrBuy: "buy", barcode: "6920123450015" });
      expect(dupBarcode.statusCode).toBe(409);
      // The unit a purchase default counts in cannot be dropped from the item's units.
      const drop = await admin.put(`${M}/items/${created.id}/units`, { units: [{ uomId: u.kg, factor: "2.857142857143" }] }, { "if-match": '"1"' });
      expect(drop.statusCode).toBe(400);
      expect(fields(drop)).toEqual(["/units:in_use"]);
      const swap = await admin.put(`${M}/items/${created.id}/units`, { units: [{ uomId: u.box12 }, { uomId: u.m }] }, { "if-match": '"1"' });
      expect(swap.statusCode).toBe(400);
      expect(fields(swap)).toEqual(["/units/1/factor:required"]);
    });

    it("updates with If-Match: a stale version gets 409; a new lot-size rule clears the old parameters", async () => {
      const it0 = await post(`${M}/items`, { code: "T-UPD", nameZh: "更新", nameEn: "Update", itemType: "semi", baseUomId: u.pcs, makeOrBuy: "make", lotSizeRule: "fixed", lotSizeQty: "50" });
      const first = await admin.patch(`${M}/items/${it0.id}`, { lotSizeRule: "periods-of-supply", lotSizePeriods: 3 }, { "if-match": '"1"' });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ lotSizeRule: "periods-of-supply", lotSizePeriods: 3, lotSizeQty: null, version: 2 });
      const stale = await admin.patch(`${M}/items/${it0.id}`, { nameEn: "Lost" }, { "if-match": '"1"' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().code).toBe("version_conflict");
      expect((await admin.get(`${M}/items/${it0.id}`)).json().nameEn).toBe("Update");
    });

    it("fixes the base unit once the item is referenced, and deletes only unreferenced items", async () => {
      const s = await post(`${M}/partners`, { code: "T-SUP0", nameZh: "供应商", nameEn: "Supplier", isCustomer: false, isSupplier: true });
      const item = await post(`${M}/items`, { code: "T-BASE", nameZh: "基本", nameEn: "Base", itemType: "raw", baseUomId: u.pcs, makeOrBuy: "buy" });
      const free = await admin.patch(`${M}/items/${item.id}`, { baseUomId: u.kg }, { "if-match": '"1"' });
      expect(free.statusCode).toBe(200);
      await post(`${M}/supplier-items`, { partnerId: s.id, itemId: item.id, price: "2.5" });
      const fixed = await admin.patch(`${M}/items/${item.id}`, { baseUomId: u.pcs }, { "if-match": '"2"' });
      expect(fixed.statusCode).toBe(400);
      expect(fields(fixed)).toEqual(["/baseUomId:in_use"]);
      const del = await admin.delete(`${M}/items/${item.id}`);
      expect(del.statusCode).toBe(422);
      expect(del.json().code).toBe("in_use");
      const lone = await post(`${M}/items`, { code: "T-LONE", nameZh: "独", nameEn: "Lone", itemType: "raw", baseUomId: u.pcs, makeOrBuy: "buy" });
      expect((await admin.delete(`${M}/items/${lone.id}`)).statusCode).toBe(200);
      expect(await count(sys.rt, "item", "code = 'T-LONE'")).toBe(0);
    });

    it("a blocked or obsolete item is refused by assertItemUsable, an active one passes", async () => {
      const item = await post(`${M}/items`, { code: "T-BLOCK", nameZh: "冻结", nameEn: "Blocked", itemType: "raw", baseUomId: u.pcs, makeOrBuy: "buy" });
      const db = sys.rt.database.db;
      await expect(assertItemUsable(db, companyId, item.id)).resolves.toMatchObject({ code: "T-BLOCK", baseUomId: u.pcs });
      const blocked = await admin.post(`${M}/items/${item.id}/status`, { status: "blocked", reason: "quality hold" }, { "if-match": '"1"' });
      expect(blocked.statusCode).toBe(200);
      const err = await assertItemUsable(db, companyId, item.id).catch((e) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ status: 422, code: "item_not_usable" });
      const fieldErr = await assertItemUsable(db, companyId, item.id, "/lines/0/itemId").catch((e) => e);
      expect(fieldErr).toMatchObject({ status: 400 });
      expect(fieldErr.fields[0]).toMatchObject({ field: "/lines/0/itemId", rule: "usable" });
      await admin.post(`${M}/items/${item.id}/status`, { status: "obsolete" }, { "if-match": '"2"' });
      await expect(assertItemUsable(db, companyId, item.id)).rejects.toMatchObject({ code: "item_not_usable" });
      await expect(assertItemUsable(db, companyId + 1000, item.id)).rejects.toMatchObject({ status: 404 });
      // the status change is audited with its reason
      const audit = await one<{ details: { reason: string } }>(db, sql`select details from audit_log where action = 'masterdata.item.set_status' order by id limit 1`);
      expect(audit?.details.reason).toBe("quality hold");
      const list = (await admin.get(`${M}/items?status=obsolete`)).json();
      expect(list.items.map((x: { code: string }) => x.code)).toEqual(["T-BLOCK"]);
    });

    it("lists with search, filters, sort and paging", async () => {
      const page = (await admin.get(`${M}/items?q=t-&sort=-code&pageSize=2&page=1`)).json();
      expect(page.items).toHaveLength(2);
      expect(page.total).toBeGreaterThan(3);
      expect(page.items[0].code > page.items[1].code).toBe(true);
      const semi = (await admin.get(`${M}/items?itemType=semi`)).json();
      expect(semi.items.every((x: { itemType: string }) => x.itemType === "semi")).toBe(true);
      const bad = await admin.get(`${M}/items?sort=secret`);
      expect(bad.statusCode).toBe(400);
      const badFilter = await admin.get(`${M}/items?abcClass=D`);
      expect(badFilter.statusCode).toBe(400);
      expect(fields(badFilter)[0]).toMatch(/^\/querystring\/abcClass/);
    });
  });

  describe("sensitive fields", () => {
    let clerk: Client;
    let costUser: Client;
    beforeAll(async () => {
      const base = ["masterdata.item.read", "masterdata.item.edit", "masterdata.uom.read", "masterdata.export", "masterdata.supplier_item.read", "masterdata.partner.read", "masterdata.partner.edit"];
      clerk = await userWith(sys, admin, "md.clerk", base);
      costUser = await userWith(sys, admin, "md.costing", [...base, "masterdata.item.cost.read", "masterdata.supplier_item.price.read", "masterdata.partner.bank.read"]);
    });

    it("hides standard costs in lists, details, sorting, command answers and exports without the permission", async () => {
      const item = (await admin.get(`${M}/items?q=T-CAP`)).json().items[0];
      const list = (await clerk.get(`${M}/items?q=T-CAP`)).json().items[0];
      expect(list.code).toBe("T-CAP");
      expect(list).not.toHaveProperty("standardCost");
      const detail = (await clerk.get(`${M}/items/${item.id}`)).json();
      expect(detail).not.toHaveProperty("standardCost");
      expect(detail.costVisible).toBe(false);
      expect((await clerk.get(`${M}/items?sort=standardCost`)).statusCode).toBe(400);
      const edit = await clerk.patch(`${M}/items/${item.id}`, { nameEn: "Capacitor 1.5uF" }, { "if-match": `"${item.version}"` });
      expect(edit.statusCode).toBe(200);
      expect(edit.json()).not.toHaveProperty("standardCost");
      const setCost = await clerk.patch(`${M}/items/${item.id}`, { standardCost: "2" }, { "if-match": `"${item.version + 1}"` });
      expect(setCost.statusCode).toBe(403);
      const createCost = await clerk.post(`${M}/items`, { code: "T-C1", nameZh: "x", nameEn: "x", itemType: "raw", baseUomId: u.pcs, makeOrBuy: "buy", standardCost: "3" });
      expect(createCost.statusCode).toBe(403);
      const csv = await clerk.get(`${M}/items/export?format=csv&q=T-CAP`);
      expect(csv.statusCode).toBe(200);
      expect(csv.body).not.toContain("Standard cost");
      expect(csv.body).not.toContain("1.35");
      expect(csv.body).toContain("T-CAP");
      const costCsv = await costUser.get(`${M}/items/export?format=csv&q=T-CAP`);
      expect(costCsv.body).toContain("Standard cost");
      expect(costCsv.body).toContain("1.35");
      expect((await costUser.get(`${M}/items/${item.id}`)).json().standardCost).toBe("1.35");
    });

    it("hides supplier prices and bank accounts without their permissions", async () => {
      const sup = await post(`${M}/partners`, {
        code: "T-SUPB",
        nameZh: "银行供应商",
        nameEn: "Bank supplier",
        isCustomer: false,
        isSupplier: true,
        banks: [{ bankName: "中国银行", accountName: "银行供应商", accountNo: "6217 0000 1234" }],
      });
      const item = (await admin.get(`${M}/items?q=T-CAP`)).json().items[0];
      await post(`${M}/supplier-items`, { partnerId: sup.id, itemId: item.id, price: "128.5", uomId: u.box12, minQty: "10" });
      const clerkList = (await clerk.get(`${M}/supplier-items?partnerId=${sup.id}`)).json().items;
      expect(clerkList).toHaveLength(1);
      expect(clerkList[0]).not.toHaveProperty("price");
      expect((await costUser.get(`${M}/supplier-items?partnerId=${sup.id}`)).json().items[0].price).toBe("128.5");
      const p1 = (await clerk.get(`${M}/partners/${sup.id}`)).json();
      expect(p1.banks).toBeNull();
      expect(p1.bankVisible).toBe(false);
      const p2 = (await costUser.get(`${M}/partners/${sup.id}`)).json();
      expect(p2.banks[0]).toMatchObject({ accountNo: "6217 0000 1234", isDefault: true });
      // setting bank accounts needs the bank permission too; other edits do not touch them
      const setBank = await clerk.patch(`${M}/partners/${sup.id}`, { banks: [] }, { "if-match": `"${p1.version}"` });
      expect(setBank.statusCode).toBe(403);
      const rename = await clerk.patch(`${M}/partners/${sup.id}`, { shortName: "银行" }, { "if-match": `"${p1.version}"` });
      expect(rename.statusCode).toBe(200);
      expect((await costUser.get(`${M}/partners/${sup.id}`)).json().banks).toHaveLength(1);
      // exports of supplier items follow the same rule
      const clerkCsv = await clerk.get(`${M}/supplier-items/export?format=csv&partnerId=${sup.id}`);
      expect(clerkCsv.statusCode).toBe(200);
      expect(clerkCsv.body).toContain("T-CAP");
      expect(clerkCsv.body).not.toContain("Unit price");
      expect(clerkCsv.body).not.toContain("128.5");
      expect((await costUser.get(`${M}/supplier-items/export?format=csv&partnerId=${sup.id}`)).body).toContain("128.5");
      // without the export permission there is no export at all
      const reader = await userWith(sys, admin, "md.reader", ["masterdata.item.read"]);
      const denied = await reader.get(`${M}/items/export?format=xlsx`);
      expect(denied.statusCode).toBe(403);
      expect(denied.json().code).toBe("forbidden");
    });
  });

  describe("warehouses and locations", () => {
    it("creates the virtual locations with the first warehouse and standard locations for each", async () => {
      expect(await findLocationByKind(sys.rt.database.db, companyId, "supplier")).toBeNull();
      const rm = await post(`${M}/warehouses`, { code: "RM", nameZh: "原材料仓", nameEn: "Raw materials" });
      const fg = await post(`${M}/warehouses`, { code: "FG", nameZh: "成品仓", nameEn: "Finished goods" });
      const virtual = (await admin.get(`${M}/locations?virtual=true`)).json().items.map((l: { code: string }) => l.code);
      expect(virtual).toEqual(["VIRT/ADJUST", "VIRT/CUSTOMER", "VIRT/SUPPLIER", "VIRT/TRANSIT"]);
      const rmLocs = (await admin.get(`${M}/locations?warehouseId=${rm.id}`)).json().items.map((l: { code: string; kind: string }) => `${l.code}:${l.kind}`);
      expect(rmLocs).toEqual(["RM/QC:quality_hold", "RM/RECV:receiving", "RM/SCRAP:scrap", "RM/STOCK:internal", "RM/WIP:production"]);
      const db = sys.rt.database.db;
      expect(await findLocationByKind(db, companyId, "receiving", fg.id)).toMatchObject({ code: "FG/RECV", warehouseId: fg.id });
      expect(await findLocationByKind(db, companyId, "supplier", fg.id)).toMatchObject({ code: "VIRT/SUPPLIER", warehouseId: null });
      // the audit record lists what was created with the warehouse
      const audit = await one<{ details: { locations: string[]; virtualLocations: string[] } }>(
        db,
        sql`select details from audit_log where action = 'masterdata.warehouse.create' and outcome = 'success' order by id limit 1`,
      );
      expect(audit?.details.virtualLocations).toHaveLength(4);
      expect(audit?.details.locations).toContain("RM/STOCK");
    });

    it("keeps the location tree sound: same warehouse, no cycles, defaults and deactivation rules", async () => {
      const db = sys.rt.database.db;
      const stock = (await findLocationByKind(db, companyId, "internal", (await admin.get(`${M}/warehouses?q=RM`)).json().items[0].id))!;
      const a01 = await post(`${M}/locations`, { parentId: stock.id, code: "RM/STOCK/A01", nameZh: "A01", nameEn: "A01", kind: "internal" });
      expect(a01.warehouseId).toBe(stock.warehouseId);
      const a01x = await post(`${M}/locations`, { parentId: a01.id, code: "RM/STOCK/A01/1", nameZh: "A01-1", nameEn: "A01-1", kind: "internal" });
      // moving a parent under its own child is refused by the database
      const cycle = await admin.patch(`${M}/locations/${a01.id}`, { parentId: a01x.id }, { "if-match": '"1"' });
      expect(cycle.statusCode).toBe(422);
      expect(cycle.json().code).toBe("location_no_cycle");
      const fgRecv = (await findLocationByKind(db, companyId, "receiving", (await admin.get(`${M}/warehouses?q=FG`)).json().items[0].id))!;
      const other = await admin.patch(`${M}/locations/${a01.id}`, { parentId: fgRecv.id }, { "if-match": '"1"' });
      expect(other.statusCode).toBe(422);
      expect(other.json().code).toBe("location_parent_same_warehouse");
      const virtualInWh = await admin.post(`${M}/locations`, { warehouseId: stock.warehouseId, code: "RM/SUP", nameZh: "x", nameEn: "x", kind: "supplier" });
      expect(fields(virtualInWh)).toEqual(["/warehouseId:virtual"]);
      const noWh = await admin.post(`${M}/locations`, { code: "LOOSE", nameZh: "x", nameEn: "x", kind: "internal" });
      expect(fields(noWh)).toEqual(["/warehouseId:required"]);
      // a parent with active children stays active; a leaf can go, and is then nobody's default
      const parentOff = await admin.patch(`${M}/locations/${a01.id}`, { active: false }, { "if-match": '"1"' });
      expect(fields(parentOff)).toEqual(["/active:children"]);
      const newDefault = await admin.patch(`${M}/locations/${a01x.id}`, { isDefault: true }, { "if-match": '"1"' });
      expect(newDefault.json()).toMatchObject({ isDefault: true });
      expect((await findLocationByKind(db, companyId, "internal", stock.warehouseId))!.code).toBe("RM/STOCK/A01/1");
      expect((await admin.get(`${M}/locations/${stock.id}`)).json().isDefault).toBe(false);
      const leafOff = await admin.patch(`${M}/locations/${a01x.id}`, { active: false }, { "if-match": '"2"' });
      expect(leafOff.json()).toMatchObject({ active: false, isDefault: false });
      await expect(assertLocationUsable(db, companyId, a01x.id, "/toLocationId")).rejects.toMatchObject({ status: 400 });
      // the company's virtual locations stay
      const sup = (await findLocationByKind(db, companyId, "supplier"))!;
      const off = await admin.patch(`${M}/locations/${sup.id}`, { active: false }, { "if-match": '"1"' });
      expect(fields(off)).toEqual(["/active:virtual"]);
      expect((await admin.delete(`${M}/locations/${sup.id}`)).statusCode).toBe(422);
      // referenced by a child → cannot be deleted; the leaf can
      expect((await admin.delete(`${M}/locations/${a01.id}`)).json().code).toBe("in_use");
      expect((await admin.delete(`${M}/locations/${a01x.id}`)).statusCode).toBe(200);
    });
  });

  describe("partners and payment terms", () => {
    it("validates partners with their contacts, addresses and bank accounts", async () => {
      const term = await post(`${M}/payment-terms`, { code: "EOM30", nameZh: "月结30天", nameEn: "30 days EOM", basis: "end_of_month", daysNet: 30 });
      const badTerm = await admin.post(`${M}/payment-terms`, { code: "BAD", nameZh: "x", nameEn: "x", basis: "prepayment", daysNet: 10, discountDays: 5 });
      expect(fields(badTerm)).toEqual(expect.arrayContaining(["/daysNet:prepayment", "/discountDays:prepayment", "/discountPercent:required"]));
      const bad = await admin.post(`${M}/partners`, {
        code: "C-BAD",
        nameZh: "坏",
        nameEn: "Bad",
        isCustomer: false,
        isSupplier: false,
        taxId: "91330200MA2AB1C3X6",
        email: "not-an-email",
        contacts: [
          { name: "甲", isPrimary: true },
          { name: "乙", isPrimary: true },
        ],
        addresses: [{ kind: "shipping", street: "" }],
      });
      expect(bad.statusCode).toBe(400);
      expect(fields(bad)).toEqual(expect.arrayContaining(["/email:pattern", "/addresses/0/street:minLength"]));
      const bad2 = await admin.post(`${M}/partners`, {
        code: "C-BAD",
        nameZh: "坏",
        nameEn: "Bad",
        isCustomer: false,
        isSupplier: false,
        taxId: "91330200MA2AB1C3X6",
        contacts: [
          { name: "甲", isPrimary: true },
          { name: "乙", isPrimary: true },
        ],
      });
      expect(fields(bad2)).toEqual(expect.arrayContaining(["/isCustomer:role", "/taxId:checksum", "/contacts/1/isPrimary:unique"]));
      const good = await post(`${M}/partners`, {
        code: "C-GOOD",
        nameZh: "华东家居连锁有限公司",
        nameEn: "East China Home Mart",
        isCustomer: true,
        isSupplier: false,
        taxId: "91310115MA1K4LP2Y4",
        paymentTermId: term.id,
        creditLimit: "800000",
        contacts: [{ name: "张静", mobile: "13916881234" }, { name: "吴磊" }],
        addresses: [
          { kind: "billing", province: "上海市", city: "上海市", street: "张杨路 500 号" },
          { kind: "shipping", city: "苏州市", street: "物流中心 A2" },
          { kind: "shipping", city: "杭州市", street: "仓库 3", isDefault: true },
        ],
      });
      const d = (await admin.get(`${M}/partners/${good.id}`)).json();
      expect(d.contacts.map((c: { name: string; isPrimary: boolean }) => `${c.name}:${c.isPrimary}`)).toEqual(["张静:true", "吴磊:false"]);
      expect(d.addresses.map((a: { city: string; isDefault: boolean }) => `${a.city}:${a.isDefault}`)).toEqual(["上海市:true", "苏州市:false", "杭州市:true"]);
      expect(d).toMatchObject({ paymentTermCode: "EOM30", creditLimit: "800000", contactName: "张静", city: "上海市" });
      // replace: keep one contact by id (now primary), add one, drop the other
      const upd = await admin.patch(
        `${M}/partners/${good.id}`,
        { contacts: [{ id: d.contacts[1].id, name: "吴磊", isPrimary: true }, { name: "新人" }] },
        { "if-match": `"${d.version}"` },
      );
      expect(upd.statusCode).toBe(200);
      const d2 = (await admin.get(`${M}/partners/${good.id}`)).json();
      expect(d2.contacts.map((c: { id: number; name: string; isPrimary: boolean }) => `${c.name}:${c.isPrimary}`)).toEqual(["吴磊:true", "新人:false"]);
      expect(d2.contacts[0].id).toBe(d.contacts[1].id);
      const foreign = await admin.patch(`${M}/partners/${good.id}`, { contacts: [{ id: 999999, name: "x" }] }, { "if-match": `"${d2.version}"` });
      expect(fields(foreign)).toEqual(["/contacts/0/id:exists"]);
      // the term in use cannot be deleted
      expect((await admin.delete(`${M}/payment-terms/${term.id}`)).json().code).toBe("in_use");
      expect(paymentDueDate({ basis: "end_of_month", daysNet: 30 }, "2026-11-15")).toEqual({ due: "2026-12-30", discountUntil: null });
      expect(paymentDueDate({ basis: "invoice", daysNet: 30, discountDays: 10 }, "2026-02-20")).toEqual({ due: "2026-03-22", discountUntil: "2026-03-02" });
      expect(paymentDueDate({ basis: "prepayment", daysNet: 0 }, "2026-05-01").due).toBe("2026-05-01");
    });

    it("blocks partners for new documents and keeps suppliers with prices suppliers", async () => {
      const db = sys.rt.database.db;
      const p = (await admin.get(`${M}/partners?q=C-GOOD`)).json().items[0];
      await expect(assertPartnerUsable(db, companyId, p.id, "customer")).resolves.toMatchObject({ code: "C-GOOD" });
      await expect(assertPartnerUsable(db, companyId, p.id, "supplier", "/supplierId")).rejects.toMatchObject({ status: 400 });
      const blocked = await admin.post(`${M}/partners/${p.id}/status`, { status: "blocked" }, { "if-match": `"${p.version}"` });
      expect(blocked.statusCode).toBe(200);
      await expect(assertPartnerUsable(db, companyId, p.id, "customer")).rejects.toMatchObject({ code: "partner_blocked" });
      const sup = (await admin.get(`${M}/partners?q=T-SUPB`)).json().items[0];
      const drop = await admin.patch(`${M}/partners/${sup.id}`, { isSupplier: false, isCustomer: true }, { "if-match": `"${sup.version}"` });
      expect(fields(drop)).toEqual(["/isSupplier:in_use"]);
      const filtered = (await admin.get(`${M}/partners?role=supplier&status=active`)).json().items.map((x: { code: string }) => x.code);
      expect(filtered).toContain("T-SUPB");
      expect(filtered).not.toContain("C-GOOD");
    });
  });

  describe("supplier items", () => {
    it("refuses overlapping prices, keeps one preferred source and answers supplierItemsFor", async () => {
      const item = await post(`${M}/items`, { code: "T-STATOR", nameZh: "定子", nameEn: "Stator", itemType: "raw", baseUomId: u.pcs, makeOrBuy: "buy", leadTimeDays: 9 });
      const a = await post(`${M}/partners`, { code: "S-A", nameZh: "甲供应商", nameEn: "Supplier A", isCustomer: false, isSupplier: true });
      const b = await post(`${M}/partners`, { code: "S-B", nameZh: "乙供应商", nameEn: "Supplier B", isCustomer: false, isSupplier: true, currency: "USD" });
      const c = await post(`${M}/partners`, { code: "C-ONLY", nameZh: "客户", nameEn: "Customer only", isCustomer: true, isSupplier: false });
      const p1 = await post(`${M}/supplier-items`, { partnerId: a.id, itemId: item.id, price: "9.6", validFrom: "2026-01-01", validTo: "2026-12-31", preferred: true });
      expect(p1).toMatchObject({ leadTimeDays: 9, currency: "CNY", uomId: u.pcs, preferred: true, price: "9.6" });
      const overlap = await admin.post(`${M}/supplier-items`, { partnerId: a.id, itemId: item.id, price: "9.9", validFrom: "2026-12-01" });
      expect(fields(overlap)).toEqual(["/validFrom:overlap"]);
      const later = await post(`${M}/supplier-items`, { partnerId: a.id, itemId: item.id, price: "9.9", validFrom: "2027-01-01" });
      const breakQty = await post(`${M}/supplier-items`, { partnerId: a.id, itemId: item.id, price: "9.2", minQty: "1000", validFrom: "2026-01-01", validTo: "2026-12-31" });
      const pb = await post(`${M}/supplier-items`, { partnerId: b.id, itemId: item.id, price: "1.35", preferred: true });
      expect(pb.currency).toBe("USD");
      // the new preferred source took the preference from the old one
      expect((await admin.get(`${M}/supplier-items/${p1.id}`)).json().preferred).toBe(false);
      const notSupplier = await admin.post(`${M}/supplier-items`, { partnerId: c.id, itemId: item.id, price: "1" });
      expect(fields(notSupplier)).toEqual(["/partnerId:role"]);
      const badUnit = await admin.post(`${M}/supplier-items`, { partnerId: a.id, itemId: item.id, price: "1", uomId: u.kg, minQty: "5" });
      expect(fields(badUnit)).toEqual(["/uomId:unit_of_item"]);
      const backwards = await admin.post(`${M}/supplier-items`, { partnerId: a.id, itemId: item.id, price: "1", minQty: "7", validFrom: "2026-05-01", validTo: "2026-04-01" });
      expect(fields(backwards)).toContain("/validTo:minimum");

      const db = sys.rt.database.db;
      const on = await supplierItemsFor(db, companyId, item.id, { on: "2026-06-01" });
      expect(on.map((s) => `${s.partnerCode}:${s.price}:${s.minQty}:${s.preferred}`)).toEqual(["S-B:1.35:0:true", "S-A:9.6:0:false", "S-A:9.2:1000:false"]);
      const next = await supplierItemsFor(db, companyId, item.id, { on: "2027-02-01" });
      expect(next.map((s) => `${s.partnerCode}:${s.price}`)).toEqual(["S-B:1.35", "S-A:9.9"]);
      // a blocked supplier is no longer a source
      const bRow = (await admin.get(`${M}/partners/${b.id}`)).json();
      await admin.post(`${M}/partners/${b.id}/status`, { status: "blocked" }, { "if-match": `"${bRow.version}"` });
      expect((await supplierItemsFor(db, companyId, item.id, { on: "2027-02-01" })).map((s) => s.partnerCode)).toEqual(["S-A"]);
      // deactivating the preferred row drops its preference
      const off = await admin.patch(`${M}/supplier-items/${pb.id}`, { active: false }, { "if-match": `"${pb.version}"` });
      expect(off.json()).toMatchObject({ active: false, preferred: false });
      expect(later.id).toBeGreaterThan(0);
      expect(breakQty.id).toBeGreaterThan(0);
      const list = (await admin.get(`${M}/supplier-items?itemId=${item.id}&validOn=2026-06-01&sort=price`)).json();
      expect(list.items.map((x: { price: string }) => x.price)).toEqual(["1.35", "9.2", "9.6"]);
    });
  });

  it("every catalog write above is in the audit chain", async () => {
    const actions = await rows<{ action: string }>(sys.rt.database.db, sql`select distinct action from audit_log where action like 'masterdata.%' and outcome = 'success'`);
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "masterdata.uom.create",
        "masterdata.item.create",
        "masterdata.item.update",
        "masterdata.item.set_status",
        "masterdata.warehouse.create",
        "masterdata.location.update",
        "masterdata.partner.create",
        "masterdata.supplier_item.create",
        "masterdata.export",
      ]),
    );
  });
});
