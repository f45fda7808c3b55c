import { systemActor } from "../../../platform/actor.ts";
import { rows, sql } from "../../../platform/db/database.ts";
import type { DemoContext } from "../../../platform/module.ts";
import { execute } from "../../../platform/pipeline.ts";
import type { Runtime } from "../../../platform/runtime.ts";
import { createItem } from "../catalog/items.ts";
import { activateBom, createBom, obsoleteBom } from "./commands-bom.ts";
import { createLine, createSkill, createWorkCentre, createWorkshop } from "./commands-resources.ts";
import { activateRouting, createRouting } from "./commands-routing.ts";

// The demo fan family's engineering data: two workshops (WS1 assembly, WS2 machining & moulding) with
// their lines and work centres, five skills, BOMs four levels deep for the 40 cm and 30 cm desk fans
// (a phantom fastener kit, an ABS regrind by-product, scrap, metres of wire on a kilogram item) and
// the routings that cost and schedule them.

const SKILLS: [code: string, zh: string, en: string][] = [
  ["WIND", "电机绕线装配", "Motor winding and assembly"],
  ["ASSY", "总装", "Final assembly"],
  ["TEST", "安规测试", "Electrical safety testing"],
  ["MOULD", "注塑操作", "Injection moulding"],
  ["WELD", "点焊成型", "Wire forming and spot welding"],
];

interface CentreDef {
  code: string;
  zh: string;
  en: string;
  line: string | null;
  machines: number;
  efficiency: string;
  people: number;
  rates: [labour: string, machine: string, overhead: string];
  skills: [skill: string, people: number][];
}

const WORKSHOPS: {
  code: string;
  dept: string;
  zh: string;
  en: string;
  lines: [code: string, zh: string, en: string][];
  centres: CentreDef[];
}[] = [
  {
    code: "WS1",
    dept: "WS1",
    zh: "一车间（总装）",
    en: "Workshop 1 (Assembly)",
    lines: [
      ["WS1-L1", "风扇总装一线", "Fan assembly line 1"],
      ["WS1-PK", "包装线", "Packing line"],
    ],
    centres: [
      { code: "WC-MOTOR", zh: "电机装配工位", en: "Motor assembly cell", line: "WS1-L1", machines: 2, efficiency: "90", people: 4, rates: ["28", "12", "15"], skills: [["WIND", 3], ["ASSY", 4]] },
      { code: "WC-FINAL", zh: "总装输送线", en: "Final assembly conveyor", line: "WS1-L1", machines: 1, efficiency: "95", people: 8, rates: ["26", "20", "18"], skills: [["ASSY", 8], ["TEST", 2]] },
      { code: "WC-TEST", zh: "安规测试台", en: "Safety test bench", line: "WS1-L1", machines: 2, efficiency: "100", people: 2, rates: ["30", "15", "10"], skills: [["TEST", 2]] },
      { code: "WC-PACK", zh: "手工包装工位", en: "Manual packing station", line: "WS1-PK", machines: 0, efficiency: "100", people: 3, rates: ["22", "0", "8"], skills: [["ASSY", 3]] },
    ],
  },
  {
    code: "WS2",
    dept: "WS2",
    zh: "二车间（机加工/注塑）",
    en: "Workshop 2 (Machining & moulding)",
    lines: [
      ["WS2-MD", "注塑线", "Moulding line"],
      ["WS2-WF", "线材成型线", "Wire forming line"],
    ],
    centres: [
      { code: "WC-MOULD-1", zh: "注塑机 160T（3 台）", en: "Injection moulders 160 t (3)", line: "WS2-MD", machines: 3, efficiency: "85", people: 2, rates: ["25", "45", "20"], skills: [["MOULD", 2]] },
      { code: "WC-MOULD-2", zh: "注塑机 250T", en: "Injection moulder 250 t", line: "WS2-MD", machines: 1, efficiency: "80", people: 1, rates: ["25", "60", "22"], skills: [["MOULD", 1]] },
      { code: "WC-WIRE", zh: "网罩成型点焊机", en: "Guard forming and welding", line: "WS2-WF", machines: 2, efficiency: "88", people: 3, rates: ["27", "30", "16"], skills: [["WELD", 3]] },
    ],
  },
];

// Items the fan structure needs beyond the catalog's: the moulded base shell, the phantom kit and the regrind.
const EXTRA_ITEMS = [
  {
    code: "KW-M-BASE-SHELL",
    nameZh: "底座壳体（ABS 注塑件）",
    nameEn: "Base shell (ABS moulding)",
    itemType: "semi",
    makeOrBuy: "make",
    uom: "pcs",
    leadTimeDays: 1,
    valuationMethod: "standard",
    standardCost: "8.2",
    abcClass: "B",
  },
  {
    code: "KW-KIT-FAST",
    nameZh: "紧固件包（虚拟件）",
    nameEn: "Fastener kit (phantom)",
    itemType: "semi",
    makeOrBuy: "make",
    uom: "pcs",
    valuationMethod: "standard",
    standardCost: "0.24",
    abcClass: "C",
  },
  {
    code: "KW-R-ABS-REGRIND",
    nameZh: "ABS 回料（水口料粉碎）",
    nameEn: "ABS regrind (sprues and runners)",
    itemType: "raw",
    makeOrBuy: "make",
    uom: "kg",
    valuationMethod: "moving_average",
    standardCost: "6",
    abcClass: "C",
  },
] as const;

type Line = [component: string, qty: string, opts?: { uom?: string; scrap?: string; phantom?: boolean; byProduct?: boolean; notes?: string }];

interface BomDef {
  item: string;
  version: string;
  from: string;
  to?: string;
  baseQty?: string;
  description: string;
  lines: Line[];
  /** draft: leave unreleased; obsolete: release, then retire. */
  state?: "draft" | "obsolete";
  supersede?: boolean;
}

const FAN_40: Line[] = [
  ["KW-HEAD-40", "1"],
  ["KW-BASE-01", "1"],
  ["KW-R-CARTON-40", "1"],
  ["KW-KIT-FAST", "1", { phantom: true, notes: "随总装领用 / issued with final assembly" }],
];

const BOMS: BomDef[] = [
  // level 3–4 first: a released version must not wait for its components' BOMs, but reading top-down is easier below.
  {
    item: "KW-MOT-40",
    version: "V1",
    from: "2026-01-01",
    description: "45W 电机 / 45 W motor",
    lines: [
      ["KW-P-STATOR-40", "1"],
      ["KW-P-ROTOR-40", "1"],
      ["KW-P-CAP-1.5", "1"],
      ["KW-P-BEARING", "2"],
      ["KW-C-GREASE", "2", { uom: "g", notes: "轴承润滑 / bearing lubrication" }],
    ],
  },
  {
    item: "KW-MOT-30",
    version: "V1",
    from: "2026-01-01",
    description: "35W 电机 / 35 W motor",
    lines: [
      ["KW-P-STATOR-30", "1"],
      ["KW-P-ROTOR-30", "1"],
      ["KW-P-CAP-1.2", "1"],
      ["KW-P-BEARING", "2"],
      ["KW-C-GREASE", "1.5", { uom: "g" }],
    ],
  },
  { item: "KW-GUARD-40", version: "V1", from: "2026-01-01", description: "前后网罩 / front and rear guards", lines: [["KW-R-WIRE-ST", "18.5", { uom: "m", scrap: "3" }]] },
  { item: "KW-GUARD-30", version: "V1", from: "2026-01-01", description: "前后网罩 / front and rear guards", lines: [["KW-R-WIRE-ST", "14", { uom: "m", scrap: "3" }]] },
  {
    item: "KW-M-BASE-SHELL",
    version: "V1",
    from: "2026-01-01",
    baseQty: "100",
    description: "每模 2 件，用量按 100 件计 / 2 cavities, quantities per 100 shells",
    lines: [
      ["KW-R-ABS", "42", { scrap: "2.5" }],
      ["KW-R-ABS-REGRIND", "1.5", { byProduct: true, notes: "水口料回收粉碎 / sprues reground" }],
    ],
  },
  {
    item: "KW-BASE-01",
    version: "V1",
    from: "2026-01-01",
    description: "通用底座 / common base",
    lines: [
      ["KW-M-BASE-SHELL", "1"],
      ["KW-P-SWITCH", "1"],
      ["KW-P-CORD", "1"],
    ],
  },
  { item: "KW-KIT-FAST", version: "V1", from: "2026-01-01", description: "整机紧固件 / screws for the whole fan", lines: [["KW-P-SCREW-M4", "8", { scrap: "2" }]] },
  {
    item: "KW-HEAD-40",
    version: "V1",
    from: "2026-01-01",
    description: "机头 / head",
    lines: [
      ["KW-MOT-40", "1"],
      ["KW-P-BLADE-40", "1", { scrap: "1" }],
      ["KW-GUARD-40", "1"],
      ["KW-P-GEARBOX", "1"],
    ],
  },
  {
    item: "KW-HEAD-30",
    version: "V1",
    from: "2026-01-01",
    description: "机头 / head",
    lines: [
      ["KW-MOT-30", "1"],
      ["KW-P-BLADE-30", "1", { scrap: "1" }],
      ["KW-GUARD-30", "1"],
    ],
  },
  // The first release of the 40 cm fan had its screws loose on the BOM; the kit replaced them in 2026.
  {
    item: "KW-FAN-40",
    version: "2025.1",
    from: "2025-03-01",
    description: "首版 / first release",
    lines: [
      ["KW-HEAD-40", "1"],
      ["KW-BASE-01", "1"],
      ["KW-R-CARTON-40", "1"],
      ["KW-P-SCREW-M4", "10"],
    ],
  },
  { item: "KW-FAN-40", version: "V1", from: "2026-01-01", description: "紧固件改为套件 / fasteners as a kit", lines: FAN_40, supersede: true },
  {
    item: "KW-FAN-40",
    version: "V2",
    from: "2027-01-01",
    description: "拟改用加厚纸箱（待评审）/ heavier carton planned (under review)",
    lines: FAN_40.map((l): Line => (l[0] === "KW-R-CARTON-40" ? ["KW-R-CARTON-40", "1", { notes: "七层瓦楞 / 7-ply" }] : l)),
    state: "draft",
  },
  {
    item: "KW-FAN-30",
    version: "V0",
    from: "2025-06-01",
    to: "2026-01-01",
    description: "试产版，已作废 / pilot run, retired",
    lines: [
      ["KW-HEAD-30", "1"],
      ["KW-BASE-01", "1"],
      ["KW-R-CARTON-30", "1"],
      ["KW-P-SCREW-M4", "10"],
    ],
    state: "obsolete",
  },
  {
    item: "KW-FAN-30",
    version: "V1",
    from: "2026-01-01",
    description: "30cm 台扇 / 30 cm desk fan",
    lines: [
      ["KW-HEAD-30", "1"],
      ["KW-BASE-01", "1"],
      ["KW-R-CARTON-30", "1"],
      ["KW-KIT-FAST", "1", { phantom: true }],
    ],
  },
];

type Op = [seq: number, zh: string, en: string, centre: string, setup: string, run: string, opts?: { skill?: string; crew?: number; queue?: string; move?: string; alt?: string[] }];
const ROUTINGS: { item: string; lot: string; ops: Op[] }[] = [
  {
    item: "KW-MOT-40",
    lot: "200",
    ops: [
      [10, "定转子装配", "Fit stator and rotor", "WC-MOTOR", "20", "2.5", { skill: "WIND", crew: 2, move: "15" }],
      [20, "电机空载测试", "No-load motor test", "WC-TEST", "10", "0.8", { skill: "TEST", queue: "30" }],
    ],
  },
  {
    item: "KW-MOT-30",
    lot: "200",
    ops: [
      [10, "定转子装配", "Fit stator and rotor", "WC-MOTOR", "20", "2.2", { skill: "WIND", crew: 2, move: "15" }],
      [20, "电机空载测试", "No-load motor test", "WC-TEST", "10", "0.8", { skill: "TEST", queue: "30" }],
    ],
  },
  { item: "KW-GUARD-40", lot: "500", ops: [[10, "网罩成型点焊", "Form and weld guard", "WC-WIRE", "45", "1.8", { skill: "WELD", move: "30" }]] },
  { item: "KW-GUARD-30", lot: "500", ops: [[10, "网罩成型点焊", "Form and weld guard", "WC-WIRE", "45", "1.5", { skill: "WELD", move: "30" }]] },
  {
    item: "KW-M-BASE-SHELL",
    lot: "1000",
    ops: [[10, "注塑成型", "Injection moulding", "WC-MOULD-1", "60", "0.75", { skill: "MOULD", crew: 1, move: "30", alt: ["WC-MOULD-2"] }]],
  },
  { item: "KW-BASE-01", lot: "200", ops: [[10, "底座装配", "Assemble base", "WC-FINAL", "10", "1.2", { skill: "ASSY" }]] },
  { item: "KW-HEAD-40", lot: "200", ops: [[10, "机头装配", "Assemble head", "WC-FINAL", "15", "2", { skill: "ASSY", crew: 2 }]] },
  { item: "KW-HEAD-30", lot: "200", ops: [[10, "机头装配", "Assemble head", "WC-FINAL", "15", "1.8", { skill: "ASSY", crew: 2 }]] },
  {
    item: "KW-FAN-40",
    lot: "200",
    ops: [
      [10, "整机总装", "Final assembly", "WC-FINAL", "30", "3", { skill: "ASSY", crew: 2 }],
      [20, "安规测试", "Electrical safety test", "WC-TEST", "5", "1", { skill: "TEST", queue: "20" }],
      [30, "包装", "Pack", "WC-PACK", "0", "1.5", { queue: "60" }],
    ],
  },
  {
    item: "KW-FAN-30",
    lot: "200",
    ops: [
      [10, "整机总装", "Final assembly", "WC-FINAL", "30", "2.6", { skill: "ASSY", crew: 2 }],
      [20, "安规测试", "Electrical safety test", "WC-TEST", "5", "1", { skill: "TEST", queue: "20" }],
      [30, "包装", "Pack", "WC-PACK", "0", "1.3", { queue: "60" }],
    ],
  },
];

/** Ids by code: what earlier seeds handed over, else looked up (a catalog without this item fails loudly). */
async function codeMap(runtime: Runtime, companyId: number, table: "item" | "uom", given: Record<string, number> | undefined, codes: string[]) {
  const out: Record<string, number> = { ...(given ?? {}) };
  const missing = codes.filter((c) => out[c] === undefined);
  if (missing.length > 0) {
    const found = await rows<{ code: string; id: number }>(
      runtime.database.db,
      sql`select code, id from ${sql.identifier(table)} where company_id = ${companyId}
          and code in (select jsonb_array_elements_text(${JSON.stringify(missing)}::jsonb))`,
    );
    for (const f of found) out[f.code] = f.id;
  }
  const absent = codes.filter((c) => out[c] === undefined);
  if (absent.length > 0) throw new Error(`engineering demo: the catalog demo has no ${table} ${absent.join(", ")}`);
  return out;
}

export async function seedDemo(runtime: Runtime, demo: DemoContext): Promise<void> {
  const companyId = demo.companyId as number;
  const actor = systemActor("demo-seed", companyId);
  const run = <T>(command: Parameters<typeof execute>[1], input: unknown) => execute(runtime, command, input, actor) as Promise<T>;
  const departments = (demo.departments ?? {}) as Record<string, number>;
  const plant = (demo.calendars as { plant?: number } | undefined)?.plant ?? null;

  const uoms = await codeMap(runtime, companyId, "uom", demo.uoms as Record<string, number>, ["pcs", "kg", "g", "m"]);
  const items = { ...((demo.items ?? {}) as Record<string, number>) };
  for (const { uom, ...item } of EXTRA_ITEMS) {
    if (items[item.code]) continue;
    const row = await run<{ id: number }>(createItem, { ...item, baseUomId: uoms[uom] });
    items[item.code] = row.id;
  }
  const needed = [...new Set([...BOMS.flatMap((b) => [b.item, ...b.lines.map((l) => l[0])]), ...ROUTINGS.map((r) => r.item)])];
  Object.assign(items, await codeMap(runtime, companyId, "item", items, needed));
  demo.items = items;

  const skills: Record<string, number> = {};
  for (const [code, nameZh, nameEn] of SKILLS) skills[code] = (await run<{ id: number }>(createSkill, { code, nameZh, nameEn })).id;

  const workshops: Record<string, number> = {};
  const lines: Record<string, number> = {};
  const centres: Record<string, number> = {};
  for (const ws of WORKSHOPS) {
    const w = await run<{ id: number }>(createWorkshop, { code: ws.code, nameZh: ws.zh, nameEn: ws.en, departmentId: departments[ws.dept] ?? null, calendarId: plant });
    workshops[ws.code] = w.id;
    for (const [code, nameZh, nameEn] of ws.lines) lines[code] = (await run<{ id: number }>(createLine, { workshopId: w.id, code, nameZh, nameEn })).id;
    for (const c of ws.centres) {
      const row = await run<{ id: number }>(createWorkCentre, {
        workshopId: w.id,
        lineId: c.line ? lines[c.line] : null,
        code: c.code,
        nameZh: c.zh,
        nameEn: c.en,
        machineCount: c.machines,
        efficiencyPct: c.efficiency,
        peopleCount: c.people,
        labourRate: c.rates[0],
        machineRate: c.rates[1],
        overheadRate: c.rates[2],
        skills: c.skills.map(([s, people]) => ({ skillId: skills[s], peopleCount: people })),
      });
      centres[c.code] = row.id;
    }
  }

  const boms: Record<string, number> = {};
  for (const b of BOMS) {
    const created = await run<{ id: number; version: number }>(createBom, {
      itemId: items[b.item],
      versionCode: b.version,
      description: b.description,
      effectiveFrom: b.from,
      ...(b.to ? { effectiveTo: b.to } : {}),
      ...(b.baseQty ? { baseQty: b.baseQty } : {}),
      lines: b.lines.map(([code, qty, o = {}]) => ({
        componentItemId: items[code],
        qty,
        ...(o.uom ? { uomId: uoms[o.uom] } : {}),
        ...(o.scrap ? { scrapPct: o.scrap } : {}),
        ...(o.phantom ? { phantom: true } : {}),
        ...(o.byProduct ? { byProduct: true } : {}),
        ...(o.notes ? { notes: o.notes } : {}),
      })),
    });
    boms[`${b.item}/${b.version}`] = created.id;
    if (b.state === "draft") continue;
    const active = await run<{ id: number; version: number }>(activateBom, { id: created.id, version: created.version, ...(b.supersede ? { supersede: true } : {}) });
    if (b.state === "obsolete") await run(obsoleteBom, { id: active.id, version: active.version });
  }

  const routings: Record<string, number> = {};
  for (const r of ROUTINGS) {
    const created = await run<{ id: number; version: number }>(createRouting, {
      itemId: items[r.item],
      versionCode: "R1",
      effectiveFrom: "2026-01-01",
      lotSize: r.lot,
      operations: r.ops.map(([seq, nameZh, nameEn, centre, setupMinutes, runMinutes, o = {}]) => ({
        seq,
        nameZh,
        nameEn,
        workCentreId: centres[centre],
        setupMinutes,
        runMinutes,
        ...(o.queue ? { queueMinutes: o.queue } : {}),
        ...(o.move ? { moveMinutes: o.move } : {}),
        crewSize: o.crew ?? 1,
        requiredSkillId: o.skill ? skills[o.skill] : null,
        alternativeWorkCentreIds: (o.alt ?? []).map((a) => centres[a]),
      })),
    });
    await run(activateRouting, { id: created.id, version: created.version });
    routings[r.item] = created.id;
  }

  demo.skills = skills;
  demo.workshops = workshops;
  demo.productionLines = lines;
  demo.workCentres = centres;
  demo.boms = boms;
  demo.routings = routings;
}
