import { type Executor, one, rows, sql } from "../../../platform/db/database.ts";

/**
 * Test and benchmark fixtures only (never called by the product): units and items written straight
 * into the catalog's tables, so the engineering tests do not depend on the catalog's API.
 */
export interface FixtureUnits {
  pcs: number;
  kg: number;
  g: number;
  m: number;
}

export async function fixtureUnits(db: Executor, companyId: number): Promise<FixtureUnits> {
  const existing = await rows<{ code: string; id: number }>(db, sql`select code, id from uom where company_id = ${companyId} and code in ('pcs', 'kg', 'g', 'm')`);
  if (existing.length === 4) return Object.fromEntries(existing.map((u) => [u.code, u.id])) as unknown as FixtureUnits;
  const cat = async (code: string, zh: string, en: string) =>
    (await one<{ id: number }>(db, sql`insert into uom_category (company_id, code, name_zh, name_en) values (${companyId}, ${code}, ${zh}, ${en}) returning id`))!.id;
  const unit = async (category: number, code: string, zh: string, en: string, ratio: string, reference: boolean) =>
    (await one<{ id: number }>(
      db,
      sql`insert into uom (company_id, category_id, code, name_zh, name_en, ratio, is_reference)
          values (${companyId}, ${category}, ${code}, ${zh}, ${en}, ${ratio}, ${reference}) returning id`,
    ))!.id;
  const count = await cat("FX-COUNT", "数量", "Count");
  const mass = await cat("FX-MASS", "重量", "Mass");
  const length = await cat("FX-LENGTH", "长度", "Length");
  return {
    pcs: await unit(count, "pcs", "个", "piece", "1", true),
    kg: await unit(mass, "kg", "千克", "kilogram", "1", true),
    g: await unit(mass, "g", "克", "gram", "0.001", false),
    m: await unit(length, "m", "米", "metre", "1", true),
  };
}

export async function fixtureItem(
  db: Executor,
  companyId: number,
  code: string,
  opts: { uom: number; type?: string; makeOrBuy?: "make" | "buy"; cost?: string; status?: string },
): Promise<number> {
  const row = await one<{ id: number }>(
    db,
    sql`insert into item (company_id, code, name_zh, name_en, item_type, base_uom_id, make_or_buy, standard_cost, status)
        values (${companyId}, ${code}, ${`物料 ${code}`}, ${`Item ${code}`}, ${opts.type ?? "raw"}, ${opts.uom},
                ${opts.makeOrBuy ?? "buy"}, ${opts.cost ?? "0"}, ${opts.status ?? "active"}) returning id`,
  );
  return row!.id;
}
