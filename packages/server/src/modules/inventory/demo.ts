import { type Actor, systemActor } from "../../platform/actor.ts";
import { rows, sql } from "../../platform/db/database.ts";
import type { DemoContext } from "../../platform/module.ts";
import { type Command, execute } from "../../platform/pipeline.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { issue, receipt, reverseDocument, transfer } from "./commands.ts";
import { dec } from "./common.ts";
import { approveCount, createCount, recordCount, startCount, submitCount } from "./counts.ts";
import { createReservation } from "./reservations.ts";

type Line = Record<string, unknown> & { item: string };
interface DocSpec {
  day: number;
  partner?: string;
  from?: string;
  to?: string;
  reference?: string;
  productionRef?: string;
  orderRef?: [type: string, id: string];
  note?: string;
  lines: Line[];
  post?: boolean;
}

/**
 * The demo company's stock over the last four weeks, written through the commands in date order:
 * opening receipts in both warehouses (lots with expiry dates), production orders consuming
 * components and delivering fans (lot and serial trace), sales, a transfer between the warehouses,
 * scrap, a reversed receipt, a return to the supplier and from a customer, a count with variances
 * approved by someone other than the counter, a reservation, and drafts that show as incoming.
 */
export async function seedDemo(runtime: Runtime, demo: DemoContext): Promise<void> {
  const companyId = demo.companyId as number;
  const actor = systemActor("demo-seed", companyId);
  const ids = async (table: "item" | "location" | "partner") =>
    new Map((await rows<{ code: string; id: number }>(runtime.database.db, sql.raw(`select code, id from ${table} where company_id = ${Number(companyId)}`))).map((r) => [r.code, r.id]));
  // The catalog's demo hands its ids over; anything it did not create is looked up by code.
  const items = new Map([...(await ids("item")), ...Object.entries((demo.items ?? {}) as Record<string, number>)]);
  const locations = new Map([...(await ids("location")), ...Object.entries((demo.locations ?? {}) as Record<string, number>)]);
  const partners = new Map([...(await ids("partner")), ...Object.entries((demo.partners ?? {}) as Record<string, number>)]);
  const today = new Date();
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const docs: Record<string, { id: number; number: string; moves?: number[] }> = {};
  const lotIds = async (itemCode: string) =>
    new Map(
      (await rows<{ lot_no: string; id: number }>(runtime.database.db, sql`select lot_no, id from stock_lot where item_id = ${items.get(itemCode) ?? 0}`)).map((r) => [r.lot_no, r.id]),
    );

  /** Posts (or keeps as a draft) one document; skipped with a log line when the master data it needs is missing. */
  const post = async (name: string, kind: "receipt" | "issue" | "transfer", spec: DocSpec, by: Actor = actor) => {
    const missing = [
      ...spec.lines.map((l) => (items.has(l.item) ? null : l.item)),
      ...[spec.from, spec.to, ...spec.lines.flatMap((l) => [l.from as string | undefined, l.to as string | undefined])].map((c) => (c && !locations.has(c) ? c : null)),
      spec.partner && !partners.has(spec.partner) ? spec.partner : null,
    ].filter(Boolean);
    if (missing.length) {
      runtime.log.warn({ document: name, missing }, "inventory demo: master data missing, document skipped");
      return;
    }
    const cmd = { receipt, issue, transfer }[kind].create as Command;
    const input = {
      postingDate: spec.day === 0 ? undefined : day(spec.day),
      partnerId: spec.partner ? partners.get(spec.partner) : undefined,
      fromLocationId: spec.from ? locations.get(spec.from) : undefined,
      toLocationId: spec.to ? locations.get(spec.to) : undefined,
      reference: spec.reference,
      productionRef: spec.productionRef,
      orderRefType: spec.orderRef?.[0],
      orderRefId: spec.orderRef?.[1],
      note: spec.note,
      post: spec.post !== false,
      lines: spec.lines.map(({ item, from, to, ...rest }) => ({
        itemId: items.get(item),
        ...(from ? { fromLocationId: locations.get(from as string) } : {}),
        ...(to ? { toLocationId: locations.get(to as string) } : {}),
        ...rest,
      })),
    };
    docs[name] = (await execute(runtime, cmd, input, by)) as { id: number; number: string; moves?: number[] };
  };
  const serials = (prefix: string, from: number, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(from + i).padStart(6, "0")}`);

  // Week 1: opening stock ------------------------------------------------------------------------
  await post("gr-motor", "receipt", {
    day: -28,
    partner: "S-MOTOR",
    to: "RM/STOCK/A02",
    reference: "NBM-DN-261101",
    note: "期初入库 / opening stock",
    lines: [
      { item: "KW-P-STATOR-40", quantity: "600", unitCost: "9.6" },
      { item: "KW-P-STATOR-30", quantity: "400", unitCost: "7.5" },
      { item: "KW-P-ROTOR-40", quantity: "500", unitCost: "6.4" },
      { item: "KW-P-ROTOR-30", quantity: "380", unitCost: "5.15" },
      { item: "KW-P-GEARBOX", quantity: "300", unitCost: "5.4" },
      { item: "KW-P-BEARING", quantity: "1500", unitCost: "0.82" },
      { item: "KW-P-SCREW-M4", quantity: "20000", unitCost: "0.029" },
    ],
  });
  await post("gr-elec", "receipt", {
    day: -28,
    partner: "S-ELEC",
    to: "RM/STOCK/A01",
    reference: "SDE-2611-0345",
    lines: [
      { item: "KW-P-CAP-1.5", quantity: "300", unitCost: "1.38", lotNo: "CAP15-2512", expiryDate: day(25), supplierLot: "SE-C15-87702" },
      { item: "KW-P-CAP-1.5", quantity: "1000", unitCost: "1.32", lotNo: "CAP15-2601", expiryDate: day(400), supplierLot: "SE-C15-88121" },
      { item: "KW-P-CAP-1.2", quantity: "800", unitCost: "1.18", lotNo: "CAP12-2601", supplierLot: "SE-C12-88007" },
      { item: "KW-P-SWITCH", quantity: "400", unitCost: "3.15" },
      { item: "KW-P-CORD", quantity: "500", unitCost: "4.45" },
    ],
  });
  await post("gr-plastic", "receipt", {
    day: -27,
    partner: "S-PLASTIC",
    to: "RM/STOCK/B01",
    reference: "DGP-88310",
    lines: [
      { item: "KW-R-ABS", quantity: "1000", unitCost: "14.2", lotNo: "ABS-2601", supplierLot: "PL-ABS-240517" },
      { item: "KW-P-BLADE-40", quantity: "300", unitCost: "3.55" },
      { item: "KW-P-BLADE-30", quantity: "250", unitCost: "2.7" },
    ],
  });
  await post("gr-metal", "receipt", {
    day: -27,
    partner: "S-METAL",
    to: "RM/STOCK/B02",
    lines: [{ item: "KW-R-WIRE-ST", quantity: "750", unitCost: "6.75" }],
  });
  await post("gr-copper", "receipt", {
    day: -26,
    partner: "S-COPPER",
    to: "RM/STOCK/B02",
    lines: [{ item: "KW-R-CU-WIRE", quantity: "300", unitCost: "77.5", lotNo: "CU-2601", supplierLot: "JX-CU-5521" }],
  });
  await post("gr-pack", "receipt", {
    day: -26,
    partner: "S-PACK",
    to: "RM/STOCK/C01",
    lines: [
      { item: "KW-R-CARTON-40", quantity: "600", unitCost: "2.75" },
      { item: "KW-R-CARTON-30", quantity: "400", unitCost: "2.25" },
      { item: "KW-C-GREASE", quantity: "20", unitCost: "25" },
    ],
  });

  // Week 1–2: production orders (components to the line, fans from it) ----------------------------
  const cap = await lotIds("KW-P-CAP-1.5");
  const cap12 = await lotIds("KW-P-CAP-1.2");
  const abs = await lotIds("KW-R-ABS");
  const cu = await lotIds("KW-R-CU-WIRE");
  await post("wo1-issue", "issue", {
    day: -21,
    from: "RM/STOCK/A02",
    to: "RM/WIP",
    productionRef: "WO-2611-001",
    note: "台扇 40cm 首批 20 台领料 / kit for 20 desk fans 40 cm",
    lines: [
      { item: "KW-P-STATOR-40", quantity: "20" },
      { item: "KW-P-ROTOR-40", quantity: "20" },
      { item: "KW-P-GEARBOX", quantity: "20" },
      { item: "KW-P-BEARING", quantity: "40" },
      { item: "KW-P-SCREW-M4", quantity: "240" },
      { item: "KW-P-CAP-1.5", quantity: "20", lotId: cap.get("CAP15-2512"), from: "RM/STOCK/A01" },
      { item: "KW-P-SWITCH", quantity: "20", from: "RM/STOCK/A01" },
      { item: "KW-P-CORD", quantity: "20", from: "RM/STOCK/A01" },
      { item: "KW-R-CU-WIRE", quantity: "6.4", lotId: cu.get("CU-2601"), from: "RM/STOCK/B02" },
      { item: "KW-R-ABS", quantity: "31.5", lotId: abs.get("ABS-2601"), from: "RM/STOCK/B01" },
      { item: "KW-P-BLADE-40", quantity: "20", from: "RM/STOCK/B01" },
      { item: "KW-R-CARTON-40", quantity: "20", from: "RM/STOCK/C01" },
    ],
  });
  await post("wo1-output", "receipt", {
    day: -20,
    from: "FG/WIP",
    to: "FG/STOCK/Z1",
    productionRef: "WO-2611-001",
    note: "完工入库（序列号） / finished fans, serial numbers",
    lines: serials("FAN40-SN-", 101, 20).map((sn) => ({ item: "KW-FAN-40", quantity: "1", lotNo: sn, unitCost: "87.1" })),
  });
  await post("wo2-issue", "issue", {
    day: -20,
    from: "RM/STOCK/A02",
    to: "RM/WIP",
    productionRef: "WO-2611-002",
    lines: [
      { item: "KW-P-STATOR-30", quantity: "120" },
      { item: "KW-P-ROTOR-30", quantity: "120" },
      { item: "KW-P-BEARING", quantity: "240" },
      { item: "KW-P-SCREW-M4", quantity: "1440" },
      { item: "KW-P-CAP-1.2", quantity: "120", lotId: cap12.get("CAP12-2601"), from: "RM/STOCK/A01" },
      { item: "KW-P-SWITCH", quantity: "120", from: "RM/STOCK/A01" },
      { item: "KW-P-CORD", quantity: "120", from: "RM/STOCK/A01" },
      { item: "KW-R-ABS", quantity: "150", lotId: abs.get("ABS-2601"), from: "RM/STOCK/B01" },
      { item: "KW-P-BLADE-30", quantity: "120", from: "RM/STOCK/B01" },
      { item: "KW-R-CARTON-30", quantity: "120", from: "RM/STOCK/C01" },
    ],
  });
  await post("wo2-output", "receipt", {
    day: -18,
    from: "FG/WIP",
    to: "FG/STOCK/Z1",
    productionRef: "WO-2611-002",
    lines: [{ item: "KW-FAN-30", quantity: "120", unitCost: "63.4" }],
  });

  // Week 2–3: sales, a transfer between warehouses, scrap, purchases -------------------------------
  const fan40 = await lotIds("KW-FAN-40");
  await post("so-trade", "issue", {
    day: -17,
    partner: "C-TRADE",
    from: "FG/STOCK/Z1",
    reference: "SO-2611-0003",
    lines: [{ item: "KW-FAN-30", quantity: "40" }, ...serials("FAN40-SN-", 101, 5).map((sn) => ({ item: "KW-FAN-40", quantity: "1", lotId: fan40.get(sn) }))],
  });
  await post("gr-elec-2", "receipt", {
    day: -15,
    partner: "S-ELEC",
    to: "RM/RECV",
    reference: "SDE-2611-0412",
    lines: [
      { item: "KW-P-CAP-1.5", quantity: "500", unitCost: "1.3", lotNo: "CAP15-2611", expiryDate: day(700), supplierLot: "SE-C15-89240" },
      { item: "KW-P-SWITCH", quantity: "200", unitCost: "3.2" },
    ],
  });
  await post("tr-recv", "transfer", {
    day: -14,
    from: "RM/RECV",
    to: "RM/STOCK/A01",
    note: "收货检验合格上架 / put away after inspection",
    lines: [
      { item: "KW-P-CAP-1.5", quantity: "500", lotId: (await lotIds("KW-P-CAP-1.5")).get("CAP15-2611") },
      { item: "KW-P-SWITCH", quantity: "200" },
    ],
  });
  await post("tr-cartons", "transfer", {
    day: -13,
    from: "RM/STOCK/C01",
    to: "FG/STOCK/Z2",
    reference: "包材转成品仓 / cartons to the FG warehouse",
    lines: [{ item: "KW-R-CARTON-40", quantity: "100" }],
  });
  await post("scrap-blades", "issue", {
    day: -12,
    from: "RM/STOCK/B01",
    to: "RM/SCRAP",
    note: "运输破损 / broken in transport",
    lines: [{ item: "KW-P-BLADE-40", quantity: "6" }],
  });
  if (items.has("KW-FAN-30") && locations.has("FG/STOCK/Z1")) {
    await execute(
      runtime,
      createReservation,
      { itemId: items.get("KW-FAN-30"), locationId: locations.get("FG/STOCK/Z1"), quantity: "30", refType: "sales_order", refId: "SO-2611-0007", note: "家居卖场 / HomeMart" },
      actor,
    );
  }
  await post("so-homemart", "issue", {
    day: -10,
    partner: "C-HOMEMART",
    from: "FG/STOCK/Z1",
    reference: "SO-2611-0007",
    orderRef: ["sales_order", "SO-2611-0007"],
    lines: [{ item: "KW-FAN-30", quantity: "30" }],
  });
  // A receipt entered with the wrong price, corrected by a reversal and a new receipt (WF-4).
  await post("gr-wrong", "receipt", {
    day: -9,
    partner: "S-MOTOR",
    to: "RM/STOCK/A02",
    reference: "NBM-DN-261118",
    lines: [{ item: "KW-P-GEARBOX", quantity: "100", unitCost: "54" }],
  });
  if (docs["gr-wrong"]) {
    await execute(runtime, reverseDocument, { id: docs["gr-wrong"].id, version: 2, reason: "单价录错（应为 5.40）/ wrong unit price (5.40)", postingDate: day(-9) }, actor);
    await post("gr-right", "receipt", {
      day: -9,
      partner: "S-MOTOR",
      to: "RM/STOCK/A02",
      reference: "NBM-DN-261118",
      lines: [{ item: "KW-P-GEARBOX", quantity: "100", unitCost: "5.4" }],
    });
  }
  // Ten switches of the second delivery go back to the supplier, at that delivery's cost.
  const switchMove = docs["gr-elec-2"]?.moves?.[1];
  if (switchMove) {
    await post("ret-switch", "issue", {
      day: -7,
      partner: "S-ELEC",
      from: "RM/STOCK/A01",
      reference: "RMA-2611-01",
      note: "外观不良退货 / cosmetic defects",
      lines: [{ item: "KW-P-SWITCH", quantity: "10", to: "VIRT/SUPPLIER", returnOfMoveId: switchMove }],
    });
  }

  // Week 4: a count with variances, approved by someone else -------------------------------------
  const counter = systemActor("demo-counter", companyId);
  const approver = systemActor("demo-approver", companyId);
  const countLoc = locations.get("RM/STOCK/A02");
  const whRm = (await rows<{ id: number }>(runtime.database.db, sql`select id from warehouse where company_id = ${companyId} and code = 'RM'`))[0]?.id;
  if (countLoc && whRm) {
    const c = await execute(runtime, createCount, { warehouseId: whRm, locationIds: [countLoc], blind: true, note: "A02 货架月度盘点 / monthly count of rack A02" }, counter);
    const started = await execute(runtime, startCount, { id: c.id, version: c.version }, counter);
    const book = await rows<{ item_id: number; on_hand: string }>(
      runtime.database.db,
      sql`select item_id, system_qty::text as on_hand from stock_count_line where count_id = ${c.id}`,
    );
    const variance: Record<string, string> = { "KW-P-BEARING": "-12", "KW-P-SCREW-M4": "150", "KW-P-ROTOR-40": "-1" };
    const entries = book.map((b) => {
      const code = [...items].find(([, id]) => id === b.item_id)?.[0] ?? "";
      const delta = variance[code] ?? "0";
      return { itemId: b.item_id, locationId: countLoc, quantity: dec(b.on_hand).plus(delta).toFixed(), mode: "set" as const };
    });
    await execute(runtime, recordCount, { id: c.id, entries }, counter);
    await execute(runtime, submitCount, { id: c.id, version: started.version }, counter);
    await execute(runtime, approveCount, { id: c.id, version: started.version + 1, postingDate: day(-5), note: "差异已核实 / variances checked" }, approver);
  }

  // Last days: new raw material to receiving and put away, a customer return ----------------------
  await post("gr-abs-2", "receipt", {
    day: -3,
    partner: "S-PLASTIC",
    to: "RM/RECV",
    reference: "DGP-88472",
    lines: [{ item: "KW-R-ABS", quantity: "500", unitCost: "14.6", lotNo: "ABS-2611", supplierLot: "PL-ABS-241102" }],
  });
  await post("tr-abs", "transfer", {
    day: -2,
    from: "RM/RECV",
    to: "RM/STOCK/B01",
    lines: [{ item: "KW-R-ABS", quantity: "500", lotId: (await lotIds("KW-R-ABS")).get("ABS-2611") }],
  });
  const soMove = docs["so-trade"]?.moves?.[0];
  if (soMove) {
    await post("ret-customer", "receipt", {
      day: -1,
      partner: "C-TRADE",
      from: "VIRT/CUSTOMER",
      to: "FG/STOCK/Z2",
      reference: "RMA-C-2611-02",
      note: "客户退货（包装破损）/ customer return, damaged packaging",
      lines: [{ item: "KW-FAN-30", quantity: "2", returnOfMoveId: soMove }],
    });
  }

  // Today: open work (drafts show as incoming; a reservation for the next order) ------------------
  await post("gr-draft", "receipt", {
    day: 0,
    partner: "S-MOTOR",
    to: "RM/RECV",
    reference: "PO-2611-0031",
    post: false,
    lines: [
      { item: "KW-P-STATOR-40", quantity: "500", unitCost: "9.6" },
      { item: "KW-P-ROTOR-40", quantity: "500", unitCost: "6.4" },
    ],
  });
  await post("wo3-draft", "issue", {
    day: 0,
    from: "RM/STOCK/A02",
    to: "RM/WIP",
    productionRef: "WO-2611-003",
    post: false,
    lines: [
      { item: "KW-P-STATOR-40", quantity: "50" },
      { item: "KW-P-ROTOR-40", quantity: "50" },
    ],
  });
  if (items.has("KW-FAN-30") && locations.has("FG/STOCK/Z1")) {
    await execute(
      runtime,
      createReservation,
      { itemId: items.get("KW-FAN-30"), locationId: locations.get("FG/STOCK/Z1"), quantity: "25", refType: "sales_order", refId: "SO-2611-0012", note: "线上旗舰店 / online store" },
      actor,
    );
  }
  demo.stockDocuments = Object.fromEntries(Object.entries(docs).map(([k, v]) => [k, v.id]));
}
