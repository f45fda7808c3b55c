import { BomCycleError, explodeMultiLevel } from "@kaiwu/bom";
import { CostingError, type RollupRouting, type WorkCenterRates, rollUpCosts } from "@kaiwu/costing";
import { type Actor, can } from "../../../platform/actor.ts";
import { type Executor, rows, sql } from "../../../platform/db/database.ts";
import { errors } from "../../../platform/errors.ts";
import { D, fixed, idList, requireItem } from "./common.ts";
import { P } from "./permissions.ts";
import { engineLines, loadStructure, qtyPerUnit } from "./structure.ts";

interface OperationCostRow {
  itemId: number;
  lotSize: string;
  routingVersion: string;
  seq: number;
  setupMinutes: string;
  runMinutes: string;
  crewSize: number;
  workCentre: string;
  labourRate: string;
  machineRate: string;
  overheadRate: string;
}

/** Minutes → hours for the costing engine, to 20 places (exact for whole and half minutes; never off by more than 1e-20 h). */
const hours = (minutes: string) => new D(minutes).div(60).toDecimalPlaces(20).toFixed();

/**
 * Standard cost roll-up of one unit of an item on a date, by the costing engine, bottom-up by low-level
 * code: material from the bought components' standard costs (scrap included), labour, machine and
 * overhead from each manufactured item's active routing (setup spread over its standard lot, run time
 * per unit) × its work centres' hourly rates. Labour rates are per person-hour, so an operation's crew
 * size multiplies them. By-products are not credited.
 */
export async function costRollup(db: Executor, actor: Actor, query: { itemId: number; asOf: string }) {
  const companyId = actor.companyId!;
  const root = await requireItem(db, companyId, query.itemId, "/querystring/itemId");
  const structure = await loadStructure(db, companyId, root, query.asOf);
  const asOf = query.asOf;
  const effective = structure.lines.filter(
    (l) => !l.byProduct && (!l.effectiveFrom || l.effectiveFrom <= asOf) && (!l.effectiveTo || asOf < l.effectiveTo),
  );
  const itemIds = [...structure.items.keys()];
  const ops = await rows<OperationCostRow>(
    db,
    sql`select r.item_id as "itemId", r.lot_size::text as "lotSize", r.version_code as "routingVersion", o.seq,
          o.setup_minutes::text as "setupMinutes", o.run_minutes::text as "runMinutes", o.crew_size as "crewSize",
          w.code as "workCentre", w.labour_rate::text as "labourRate", w.machine_rate::text as "machineRate", w.overhead_rate::text as "overheadRate"
        from routing r join routing_operation o on o.routing_id = r.id join work_centre w on w.id = o.work_centre_id
        where r.company_id = ${companyId} and r.status = 'active' and r.item_id in ${idList(itemIds)}
          and r.effective_from <= ${asOf}::date and (r.effective_to is null or r.effective_to > ${asOf}::date)
        order by r.item_id, o.seq`,
  );
  if (!structure.rootBom && !ops.some((o) => o.itemId === root.id)) {
    throw errors.rule("no_bom", "masterdata.error.no_bom", { code: root.code, date: asOf });
  }
  const standard = new Map(
    (await rows<{ id: number; cost: string }>(db, sql`select id, standard_cost::text as cost from item where id in ${idList(itemIds)}`)).map((r) => [
      r.id,
      r.cost,
    ]),
  );

  // The engine's work centres carry one labour rate; an operation's crew multiplies it, so each
  // (work centre, crew size) pair becomes its own rate entry.
  const centres = new Map<string, WorkCenterRates>();
  const routings = new Map<number, RollupRouting & { version: string }>();
  for (const o of ops) {
    const key = `${o.workCentre}×${o.crewSize}`;
    if (!centres.has(key)) {
      centres.set(key, {
        id: key,
        labourRatePerHour: new D(o.labourRate).times(o.crewSize).toFixed(),
        machineRatePerHour: new D(o.machineRate).toFixed(),
        overheadRatePerHour: new D(o.overheadRate).toFixed(),
      });
    }
    const r = routings.get(o.itemId) ?? { item: String(o.itemId), lotSize: new D(o.lotSize).toFixed(), operations: [], version: o.routingVersion };
    r.operations.push({ id: String(o.seq), workCenter: key, setupHours: hours(o.setupMinutes), runHoursPerUnit: hours(o.runMinutes) });
    routings.set(o.itemId, r);
  }

  let rolled: ReturnType<typeof rollUpCosts>;
  try {
    rolled = rollUpCosts({
      bomLines: effective.map((l) => ({ parent: String(l.parent), component: String(l.component), qtyPer: qtyPerUnit(l), scrapPct: new D(l.scrapPct).toFixed() })),
      componentCosts: itemIds.map((id) => ({ item: String(id), unitCost: new D(standard.get(id) ?? "0").toFixed() })),
      routings: [...routings.values()].map(({ version: _v, ...r }) => r),
      workCenters: [...centres.values()],
    });
  } catch (e) {
    if (e instanceof CostingError && e.code === "BOM_CYCLE") {
      const path = e.message.replace(/^BOM cycle: /, "").split(" → ").map((id) => structure.items.get(Number(id))?.code ?? id).join(" → ");
      throw errors.rule("bom_cycle", "masterdata.error.bom_cycle", { path });
    }
    throw e;
  }
  const byItem = new Map(rolled.map((r) => [Number(r.item), r]));
  const showQty = can(actor, P.bomQuantityRead);
  const unitCostOf = (id: number) => byItem.get(id)?.unitCost ?? fixed(new D(standard.get(id) ?? "0"), 6);

  // The indented tree of one unit: what each component costs and how much of it goes in.
  let tree: ReturnType<typeof explodeMultiLevel>["rows"] = [];
  if (structure.rootBom) {
    try {
      tree = explodeMultiLevel(engineLines(structure.lines), { item: String(root.id), qty: "1", asOf }).rows;
    } catch (e) {
      if (e instanceof BomCycleError) throw errors.rule("bom_cycle", "masterdata.error.bom_cycle", { path: e.cycle.join(" → ") });
      throw e;
    }
  }
  const brief = (id: number) => {
    const i = structure.items.get(id)!;
    return { itemId: i.id, code: i.code, nameZh: i.nameZh, nameEn: i.nameEn, uom: i.baseUomCode, makeOrBuy: i.makeOrBuy };
  };
  const rootCost = byItem.get(root.id);
  return {
    item: brief(root.id),
    asOf,
    quantitiesHidden: !showQty,
    bom: structure.rootBom ? { id: structure.rootBom.id, versionCode: structure.rootBom.versionCode } : null,
    routing: routings.get(root.id) ? { versionCode: routings.get(root.id)!.version } : null,
    unitCost: unitCostOf(root.id),
    currentStandardCost: fixed(new D(standard.get(root.id) ?? "0"), 6),
    thisLevel: rootCost?.thisLevel ?? null,
    rolledUp: rootCost?.rolledUp ?? null,
    items: rolled
      .map((r) => ({
        ...brief(Number(r.item)),
        lowLevelCode: r.lowLevelCode,
        lotSize: r.lotSize,
        routingVersion: routings.get(Number(r.item))?.version ?? null,
        unitCost: r.unitCost,
        currentStandardCost: fixed(new D(standard.get(Number(r.item)) ?? "0"), 6),
        thisLevel: r.thisLevel,
        rolledUp: r.rolledUp,
      }))
      .sort((a, b) => a.lowLevelCode - b.lowLevelCode || (a.code < b.code ? -1 : 1)),
    tree: tree.map((r) => {
      const id = Number(r.component);
      const unitCost = r.byProduct ? null : unitCostOf(id);
      return {
        key: r.path.join("/") + (r.byProduct ? "#bp" : ""),
        level: r.level,
        path: r.path.map(Number),
        ...brief(id),
        manufactured: byItem.has(id),
        byProduct: r.byProduct,
        viaPhantom: r.viaPhantom,
        qtyPer: showQty ? r.qtyPer : null,
        scrapPct: showQty ? r.scrapPct : null,
        extendedQty: showQty ? fixed(new D(r.extendedQty), 6) : null,
        unitCost,
        extendedCost: showQty && unitCost !== null ? fixed(new D(r.extendedQty).times(unitCost), 6) : null,
      };
    }),
    zeroCostComponents: [...new Set(effective.map((l) => l.component))]
      .filter((id) => !byItem.has(id) && new D(standard.get(id) ?? "0").isZero())
      .map((id) => structure.items.get(id)!.code)
      .sort(),
  };
}
