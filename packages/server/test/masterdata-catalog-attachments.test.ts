import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBackup } from "../src/modules/ops/backups.ts";
import { readArchive } from "../src/platform/backup/archive.ts";
import { dataFolderTargets } from "../src/platform/backup/backup.ts";
import { RestoreRefused, restoreBackup } from "../src/platform/backup/restore.ts";
import { allMigrations } from "../src/platform/bootstrap.ts";
import { one, openDatabase, sql } from "../src/platform/db/database.ts";
import { seedDemo } from "../src/modules/masterdata/catalog/demo.ts";
import { convertItemQty, findLocationByKind, supplierItemsFor } from "../src/modules/masterdata/catalog/queries.ts";
import { type Client, DB_AVAILABLE, count, dbError, login, type TestSystem, testSystem } from "./harness.ts";
import { postMultipart, userWith } from "./masterdata-catalog-helpers.ts";

const M = "/api/masterdata";

describe.skipIf(!DB_AVAILABLE)("attachments of records and the catalog's demo data", () => {
  let sys: TestSystem;
  let admin: Client;
  let companyId: number;
  let demo: Record<string, unknown>;
  const items = () => demo.items as Record<string, number>;

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    companyId = (await admin.get("/api/org/company")).json().id;
    demo = { companyId, departments: {} };
    await seedDemo(sys.rt, demo);
  });
  afterAll(() => sys?.close());

  describe("demo data", () => {
    it("is a desk-fan maker's catalog, reachable by code for the seeds that follow", async () => {
      expect(Object.keys(items())).toEqual(expect.arrayContaining(["KW-FAN-40", "KW-FAN-30", "KW-MOT-40", "KW-P-CAP-1.5", "KW-R-ABS", "KW-R-CU-WIRE"]));
      expect(Object.keys(demo.warehouses as object)).toEqual(["RM", "FG"]);
      expect(Object.keys(demo.locations as object)).toEqual(expect.arrayContaining(["RM/STOCK/A01", "FG/RECV", "VIRT/SUPPLIER", "VIRT/ADJUST"]));
      const partners = Object.keys(demo.partners as object);
      expect(partners.filter((p) => p.startsWith("S-")).length).toBeGreaterThanOrEqual(4);
      expect(partners.filter((p) => p.startsWith("C-")).length).toBeGreaterThanOrEqual(3);
      const fan = (await admin.get(`${M}/items/${items()["KW-FAN-40"]}`)).json();
      expect(fan).toMatchObject({ itemType: "finished", makeOrBuy: "make", tracking: "serial", standardCost: "86.5", barcode: "6920123450015", attachmentCount: 1 });
      const abs = (await admin.get(`${M}/items/${items()["KW-R-ABS"]}`)).json();
      expect(abs).toMatchObject({ baseUomCode: "kg", purchaseUomCode: "bag25", tracking: "lot", lotSizeRule: "eoq", lotSizeSetupCost: "350" });
      const db = sys.rt.database.db;
      // screws are bought by the kilogram: 3 kg are 1500 pieces
      expect(await convertItemQty(db, companyId, { qty: "3", fromUomId: (demo.uoms as Record<string, number>).kg, toUomId: (demo.uoms as Record<string, number>).pcs, itemId: items()["KW-P-SCREW-M4"] })).toBe("1500");
      const sources = await supplierItemsFor(db, companyId, items()["KW-P-CORD"], { on: "2026-11-29" });
      expect(sources.map((s) => `${s.partnerCode}:${s.preferred}`)).toEqual(["S-ELEC:true", "C-TRADE:false"]);
      expect(await findLocationByKind(db, companyId, "receiving", (demo.warehouses as Record<string, number>).RM)).toMatchObject({ code: "RM/RECV" });
      const blocked = (await admin.get(`${M}/items?status=blocked`)).json().items.map((i: { code: string }) => i.code);
      expect(blocked).toEqual(["KW-P-SWITCH-OLD"]);
      const customer = (await admin.get(`${M}/partners/${(demo.partners as Record<string, number>)["C-TRADE"]}`)).json();
      expect(customer).toMatchObject({ isCustomer: true, isSupplier: true, paymentTermCode: "EOM30" });
      expect(customer.addresses.map((a: { kind: string }) => a.kind)).toEqual(["billing", "shipping"]);
      expect(customer.banks).toHaveLength(1);
    });
  });

  describe("attachments", () => {
    const drawing = Buffer.from("%PDF-1.4\n% drawing of the guard\n%%EOF\n");
    let fanId: number;
    let attachmentId: number;

    it("uploads a file to an item, lists it and downloads the same bytes", async () => {
      fanId = items()["KW-FAN-30"];
      const r = await postMultipart(admin, "/api/attachments", { entity: "item", entityId: String(fanId), description: "网罩图纸 / guard drawing" }, {
        name: "网罩图纸 GUARD-30.pdf",
        type: "application/pdf",
        content: drawing,
      });
      expect(r.statusCode).toBe(201);
      const row = r.json();
      attachmentId = row.id;
      const sha = createHash("sha256").update(drawing).digest("hex");
      expect(row).toMatchObject({ entity: "item", entityId: fanId, fileName: "网罩图纸 GUARD-30.pdf", mime: "application/pdf", sizeBytes: drawing.length, sha256: sha });
      expect(fs.readFileSync(path.join(sys.dataDir, "attachments", sha))).toEqual(drawing);
      const list = (await admin.get(`/api/attachments?entity=item&entityId=${fanId}`)).json();
      expect(list.items.map((a: { fileName: string }) => a.fileName)).toEqual(["网罩图纸 GUARD-30.pdf"]);
      const dl = await admin.get(`/api/attachments/${attachmentId}/content`);
      expect(dl.statusCode).toBe(200);
      expect(dl.rawPayload).toEqual(drawing);
      expect(dl.headers["content-type"]).toBe("application/pdf");
      expect(String(dl.headers["content-disposition"])).toBe(
        `attachment; filename="____ GUARD-30.pdf"; filename*=UTF-8''${encodeURIComponent("网罩图纸 GUARD-30.pdf")}`,
      );
      expect(String((await admin.get(`/api/attachments/${attachmentId}/content?inline=true`)).headers["content-disposition"])).toMatch(/^inline;/);
      const audit = await one<{ entity_id: string; actor_name: string }>(
        sys.rt.database.db,
        sql`select entity_id, actor_name from audit_log where action = 'attachment.upload' and outcome = 'success' order by id desc limit 1`,
      );
      expect(audit?.entity_id).toBe(String(attachmentId));
    });

    it("a backup takes the attachment files along; a restore brings them back, and a damaged file is named", async () => {
      const out = path.join(sys.dataDir, "with-files.kwbackup");
      const run = await runBackup(sys.rt, { trigger: "cli", outFile: out });
      expect(run.verified).toBe(true);
      const sha = createHash("sha256").update(drawing).digest("hex");
      const report = await readArchive(out);
      expect(report.manifest!.files!.map((f) => f.part)).toContain(`files/attachments/${sha}`);
      // into an empty database and an empty data folder
      const target = await openDatabase({ dataDir: "memory://" });
      const folder = fs.mkdtempSync(path.join(sys.dataDir, "restored-"));
      try {
        const r = await restoreBackup(target, out, allMigrations(), { files: dataFolderTargets(folder) });
        expect(r.files).toBe(report.manifest!.files!.length);
        expect(fs.readFileSync(path.join(folder, "attachments", sha))).toEqual(drawing);
        const row = await one<{ sha256: string }>(target.db, sql`select sha256 from attachment where id = ${attachmentId}`);
        expect(row?.sha256).toBe(sha);
      } finally {
        await target.close();
      }
      // one changed byte in a stored file is found by the verification, and such an archive is not restored
      const buf = fs.readFileSync(out);
      const at = buf.indexOf(drawing);
      buf[at + 3] ^= 0xff;
      const damaged = path.join(sys.dataDir, "damaged.kwbackup");
      fs.writeFileSync(damaged, buf);
      const bad = await readArchive(damaged);
      expect(bad.ok).toBe(false);
      expect(bad.problems.map((p) => p.part)).toContain(`files/attachments/${sha}`);
      const again = await openDatabase({ dataDir: "memory://" });
      await expect(restoreBackup(again, damaged, allMigrations(), { files: dataFolderTargets(folder) })).rejects.toBeInstanceOf(RestoreRefused);
      await again.close();
    });

    it("checks the record's permissions: read to list and download, edit to upload and remove", async () => {
      const stranger = await userWith(sys, admin, "att.stranger", ["masterdata.partner.read"]);
      expect((await stranger.get(`/api/attachments/${attachmentId}/content`)).statusCode).toBe(403);
      expect((await stranger.get(`/api/attachments?entity=item&entityId=${fanId}`)).statusCode).toBe(403);
      const reader = await userWith(sys, admin, "att.reader", ["masterdata.item.read"]);
      expect((await reader.get(`/api/attachments/${attachmentId}/content`)).statusCode).toBe(200);
      const before = await count(sys.rt, "attachment");
      const up = await postMultipart(reader, "/api/attachments", { entity: "item", entityId: String(fanId) }, { name: "x.txt", type: "text/plain", content: Buffer.from("x") });
      expect(up.statusCode).toBe(403);
      expect(up.json().code).toBe("forbidden");
      expect((await reader.delete(`/api/attachments/${attachmentId}`)).statusCode).toBe(403);
      expect(await count(sys.rt, "attachment")).toBe(before);
      const denied = await one<{ outcome: string }>(sys.rt.database.db, sql`select outcome from audit_log where action = 'attachment.upload' order by id desc limit 1`);
      expect(denied?.outcome).toBe("denied");
    });

    it("refuses bad uploads with the field named, and files over 20 MB", async () => {
      const noRecord = await postMultipart(admin, "/api/attachments", { entity: "item", entityId: "999999" }, { name: "a.txt", type: "text/plain", content: Buffer.from("a") });
      expect(noRecord.statusCode).toBe(400);
      expect(noRecord.json().errors[0]).toMatchObject({ field: "/entityId", rule: "exists" });
      const noEntity = await postMultipart(admin, "/api/attachments", { entity: "spaceship", entityId: "1" }, { name: "a.txt", type: "text/plain", content: Buffer.from("a") });
      expect(noEntity.json().errors[0]).toMatchObject({ field: "/entity", rule: "enum" });
      const noFile = await postMultipart(admin, "/api/attachments", { entity: "item", entityId: String(fanId) });
      expect(noFile.json().errors[0]).toMatchObject({ field: "/file", rule: "required" });
      const json = await admin.post("/api/attachments", { entity: "item" });
      expect(json.statusCode).toBe(415);
      const big = await postMultipart(admin, "/api/attachments", { entity: "item", entityId: String(fanId) }, { name: "big.bin", type: "application/octet-stream", content: Buffer.alloc(20 * 1024 * 1024 + 1) });
      expect(big.statusCode).toBe(413);
      expect(big.json().code).toBe("file_too_large");
      // a path in the file name is dropped; a bogus type becomes octet-stream
      const odd = await postMultipart(admin, "/api/attachments", { entity: "partner", entityId: String((demo.partners as Record<string, number>)["S-ELEC"]) }, {
        name: "..\\..\\etc\\contract.pdf",
        type: "text/html; charset=utf-8",
        content: Buffer.from("<script>alert(1)</script>"),
      });
      expect(odd.statusCode).toBe(201);
      expect(odd.json()).toMatchObject({ fileName: "contract.pdf", mime: "text/html" });
      const html = await admin.get(`/api/attachments/${odd.json().id}/content?inline=true`);
      expect(String(html.headers["content-disposition"])).toMatch(/^attachment;/);
    });

    it("removal keeps the row as history and hides it; rows cannot be edited or deleted", async () => {
      const del = await admin.delete(`/api/attachments/${attachmentId}`);
      expect(del.statusCode).toBe(200);
      expect((await admin.get(`/api/attachments?entity=item&entityId=${fanId}`)).json().items).toEqual([]);
      expect((await admin.get(`/api/attachments/${attachmentId}/content`)).statusCode).toBe(404);
      expect((await admin.delete(`/api/attachments/${attachmentId}`)).statusCode).toBe(404);
      const db = sys.rt.database.db;
      expect(await dbError(db.execute(sql`delete from attachment where id = ${attachmentId}`))).toContain("never deleted");
      expect(await dbError(db.execute(sql`update attachment set file_name = 'x' where id = ${attachmentId}`))).toContain("only be marked removed");
      expect((await one<{ removed_by_name: string }>(db, sql`select removed_by_name from attachment where id = ${attachmentId}`))?.removed_by_name).toBeTruthy();
    });
  });
});
