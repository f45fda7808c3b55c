import { type Executor, one, rows, sql } from "../../../platform/db/database.ts";
import { errors } from "../../../platform/errors.ts";
import { type ListParams, likePattern, listPage } from "../../../platform/listing.ts";
import { defineCommand } from "../../../platform/pipeline.ts";
import { StrictObject, Type } from "../../../platform/validation.ts";
import { diff, updateVersioned } from "../../../platform/versioned.ts";
import { FieldErrors, S, assertUnreferenced, oneOf, requireCompany } from "./common.ts";
import { P } from "./permissions.ts";
import { type LocationKind, location, warehouse } from "./schema.ts";

export const LOCATION_KINDS = [
  "internal",
  "receiving",
  "quality_hold",
  "production",
  "scrap",
  "supplier",
  "customer",
  "adjustment",
  "transit",
] as const;
/** Kinds that stand for the world outside the warehouses: they have no warehouse. */
export const VIRTUAL_KINDS: readonly LocationKind[] = ["supplier", "customer", "adjustment", "transit"];

const VIRTUAL_LOCATIONS: { kind: LocationKind; code: string; nameZh: string; nameEn: string }[] = [
  { kind: "supplier", code: "VIRT/SUPPLIER", nameZh: "供应商（虚拟库位）", nameEn: "Suppliers (virtual)" },
  { kind: "customer", code: "VIRT/CUSTOMER", nameZh: "客户（虚拟库位）", nameEn: "Customers (virtual)" },
  { kind: "adjustment", code: "VIRT/ADJUST", nameZh: "库存调整（虚拟库位）", nameEn: "Inventory adjustment (virtual)" },
  { kind: "transit", code: "VIRT/TRANSIT", nameZh: "在途（虚拟库位）", nameEn: "In transit (virtual)" },
];

/** The locations a new warehouse gets unless told otherwise; each is the default of its kind there. */
const DEFAULT_LOCATIONS: { kind: LocationKind; suffix: string; nameZh: string; nameEn: string }[] = [
  { kind: "receiving", suffix: "RECV", nameZh: "收货区", nameEn: "Receiving" },
  { kind: "quality_hold", suffix: "QC", nameZh: "待检区", nameEn: "Quality hold" },
  { kind: "internal", suffix: "STOCK", nameZh: "库存区", nameEn: "Stock" },
  { kind: "production", suffix: "WIP", nameZh: "线边仓（在制品）", nameEn: "Line side (WIP)" },
  { kind: "scrap", suffix: "SCRAP", nameZh: "报废区", nameEn: "Scrap" },
];

/**
 * Creates the company's virtual locations (suppliers, customers, adjustment, transit) that are missing.
 * Every stock move goes from one location to another, so receipts come from the supplier location,
 * deliveries go to the customer location and count differences to the adjustment location.
 */
export async function ensureVirtualLocations(tx: Executor, companyId: number): Promise<string[]> {
  const created: string[] = [];
  for (const v of VIRTUAL_LOCATIONS) {
    const has = await one(tx, sql`select 1 as x from location where company_id = ${companyId} and kind = ${v.kind} and warehouse_id is null limit 1`);
    if (has) continue;
    await tx.insert(location).values({ companyId, warehouseId: null, code: v.code, nameZh: v.nameZh, nameEn: v.nameEn, kind: v.kind, isDefault: true });
    created.push(v.code);
  }
  return created;
}

export const createWarehouse = defineCommand({
  name: "masterdata.warehouse.create",
  permission: P.warehouseEdit,
  entity: "warehouse",
  input: StrictObject({
    code: S.Code,
    nameZh: S.Name,
    nameEn: S.Name,
    departmentId: Type.Optional(S.Nullable(S.Id)),
    address: Type.Optional(S.Nullable(S.Text(500))),
    /** Receiving, quality hold, stock, line side and scrap locations (default true). */
    defaultLocations: Type.Optional(Type.Boolean()),
  }),
  async run(ctx, { defaultLocations, ...input }) {
    const companyId = requireCompany(ctx.actor);
    if (input.departmentId) {
      const d = await one(ctx.tx, sql`select 1 as x from department where id = ${input.departmentId} and company_id = ${companyId}`);
      if (!d) throw errors.field("/departmentId", "exists", "org.error.no_such_department");
    }
    const [row] = await ctx.tx.insert(warehouse).values({ companyId, ...input, address: input.address?.trim() || null }).returning();
    const virtual = await ensureVirtualLocations(ctx.tx, companyId);
    const locations: string[] = [];
    if (defaultLocations !== false) {
      for (const d of DEFAULT_LOCATIONS) {
        const code = `${row.code}/${d.suffix}`;
        await ctx.tx.insert(location).values({ companyId, warehouseId: row.id, code, nameZh: d.nameZh, nameEn: d.nameEn, kind: d.kind, isDefault: true });
        locations.push(code);
      }
    }
    ctx.audit.after = row;
    ctx.audit.details = { locations, virtualLocations: virtual };
    ctx.emit("masterdata.warehouse.created", { id: row.id, companyId, code: row.code });
    return row;
  },
});

export const updateWarehouse = defineCommand({
  name: "masterdata.warehouse.update",
  permission: P.warehouseEdit,
  entity: "warehouse",
  input: StrictObject({
    id: S.Id,
    version: S.Version,
    nameZh: Type.Optional(S.Name),
    nameEn: Type.Optional(S.Name),
    departmentId: Type.Optional(S.Nullable(S.Id)),
    address: Type.Optional(S.Nullable(S.Text(500))),
    active: Type.Optional(Type.Boolean()),
  }),
  async run(ctx, { id, version, ...changes }) {
    const companyId = requireCompany(ctx.actor);
    const owned = await one(ctx.tx, sql`select 1 as x from warehouse where id = ${id} and company_id = ${companyId}`);
    if (!owned) throw errors.notFound("warehouse");
    if (changes.departmentId) {
      const d = await one(ctx.tx, sql`select 1 as x from department where id = ${changes.departmentId} and company_id = ${companyId}`);
      if (!d) throw errors.field("/departmentId", "exists", "org.error.no_such_department");
    }
    const { before, after } = await updateVersioned(ctx.tx, warehouse, "warehouse", id, version, changes);
    Object.assign(ctx.audit, diff(before, after));
    return after;
  },
});

export const deleteWarehouse = defineCommand({
  name: "masterdata.warehouse.delete",
  permission: P.warehouseEdit,
  entity: "warehouse",
  input: StrictObject({ id: S.Id }),
  async run(ctx, { id }) {
    const companyId = requireCompany(ctx.actor);
    const wh = await one(ctx.tx, sql`select * from warehouse where id = ${id} and company_id = ${companyId} for update`);
    if (!wh) throw errors.notFound("warehouse");
    // Its own locations go with it, if nothing else refers to them (a stock move would).
    const locs = await rows<{ id: number; code: string }>(ctx.tx, sql`select id, code from location where warehouse_id = ${id}`);
    for (const l of locs) await assertUnreferenced(ctx.tx, "location", l.id, ["location"]);
    await assertUnreferenced(ctx.tx, "warehouse", id, ["location"]);
    await ctx.tx.execute(sql`delete from location where warehouse_id = ${id}`);
    await ctx.tx.execute(sql`delete from warehouse where id = ${id}`);
    ctx.audit.before = { ...wh, locations: locs.map((l) => l.code) };
    return { id, deleted: true };
  },
});

// ---- locations ------------------------------------------------------------------------------------

export const locationCreateInput = StrictObject({
  warehouseId: Type.Optional(S.Nullable(S.Id)),
  parentId: Type.Optional(S.Nullable(S.Id)),
  code: S.LocationCode,
  nameZh: S.Name,
  nameEn: S.Name,
  kind: oneOf(LOCATION_KINDS),
  allowNegativeStock: Type.Optional(Type.Boolean()),
  isDefault: Type.Optional(Type.Boolean()),
});

async function clearDefault(tx: Executor, companyId: number, warehouseId: number | null, kind: string, exceptId = 0) {
  await tx.execute(
    sql`update location set is_default = false where company_id = ${companyId} and kind = ${kind}
        and coalesce(warehouse_id, 0) = ${warehouseId ?? 0} and is_default and id <> ${exceptId}`,
  );
}

export const createLocation = defineCommand({
  name: "masterdata.location.create",
  permission: P.warehouseEdit,
  entity: "location",
  input: locationCreateInput,
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    const fe = new FieldErrors();
    let warehouseId = input.warehouseId ?? null;
    if (input.parentId) {
      const parent = await one<{ warehouse_id: number | null; active: boolean }>(
        ctx.tx,
        sql`select warehouse_id, active from location where id = ${input.parentId} and company_id = ${companyId}`,
      );
      if (!parent) fe.add("/parentId", "exists", "masterdata.error.no_such_location");
      else {
        if (!parent.active) fe.add("/parentId", "active", "masterdata.error.location_inactive");
        if (input.warehouseId !== undefined && input.warehouseId !== parent.warehouse_id) fe.add("/warehouseId", "parent", "masterdata.error.location_parent_warehouse");
        warehouseId = parent.warehouse_id;
      }
    }
    const virtual = VIRTUAL_KINDS.includes(input.kind);
    if (virtual && warehouseId !== null) fe.add("/warehouseId", "virtual", "masterdata.error.virtual_no_warehouse");
    if (!virtual && input.kind !== "production" && warehouseId === null) fe.add("/warehouseId", "required", "masterdata.error.location_needs_warehouse");
    if (warehouseId !== null) {
      const wh = await one<{ active: boolean }>(ctx.tx, sql`select active from warehouse where id = ${warehouseId} and company_id = ${companyId}`);
      if (!wh) fe.add("/warehouseId", "exists", "masterdata.error.no_such_warehouse");
      else if (!wh.active) fe.add("/warehouseId", "active", "masterdata.error.warehouse_inactive");
    }
    fe.throwIfAny();
    if (input.isDefault) await clearDefault(ctx.tx, companyId, warehouseId, input.kind);
    const [row] = await ctx.tx
      .insert(location)
      .values({
        companyId,
        warehouseId,
        parentId: input.parentId ?? null,
        code: input.code,
        nameZh: input.nameZh,
        nameEn: input.nameEn,
        kind: input.kind,
        allowNegativeStock: input.allowNegativeStock ?? false,
        isDefault: input.isDefault ?? false,
      })
      .returning();
    ctx.audit.after = row;
    return row;
  },
});

export const updateLocation = defineCommand({
  name: "masterdata.location.update",
  permission: P.warehouseEdit,
  entity: "location",
  input: StrictObject({
    id: S.Id,
    version: S.Version,
    code: Type.Optional(S.LocationCode),
    nameZh: Type.Optional(S.Name),
    nameEn: Type.Optional(S.Name),
    parentId: Type.Optional(S.Nullable(S.Id)),
    allowNegativeStock: Type.Optional(Type.Boolean()),
    isDefault: Type.Optional(Type.Boolean()),
    active: Type.Optional(Type.Boolean()),
  }),
  async run(ctx, { id, version, ...changes }) {
    const companyId = requireCompany(ctx.actor);
    const cur = await one<{ warehouse_id: number | null; kind: string; is_default: boolean; active: boolean }>(
      ctx.tx,
      sql`select warehouse_id, kind, is_default, active from location where id = ${id} and company_id = ${companyId} for update`,
    );
    if (!cur) throw errors.notFound("location");
    const fe = new FieldErrors();
    if (changes.parentId) {
      const parent = await one<{ active: boolean }>(ctx.tx, sql`select active from location where id = ${changes.parentId} and company_id = ${companyId}`);
      if (!parent) fe.add("/parentId", "exists", "masterdata.error.no_such_location");
      else if (!parent.active) fe.add("/parentId", "active", "masterdata.error.location_inactive");
    }
    const virtual = VIRTUAL_KINDS.includes(cur.kind as LocationKind);
    if (changes.active === false) {
      if (virtual && cur.is_default) fe.add("/active", "virtual", "masterdata.error.virtual_keep");
      const child = await one(ctx.tx, sql`select 1 as x from location where parent_id = ${id} and active limit 1`);
      if (child) fe.add("/active", "children", "masterdata.error.location_active_children");
      // an inactive location is nobody's default
      if (changes.isDefault === undefined && !(virtual && cur.is_default)) changes.isDefault = false;
    }
    if (changes.isDefault && (changes.active === false || (!cur.active && changes.active !== true))) fe.add("/isDefault", "active", "masterdata.error.default_inactive");
    if (changes.isDefault === false && virtual && cur.is_default) fe.add("/isDefault", "virtual", "masterdata.error.virtual_keep");
    fe.throwIfAny();
    if (changes.isDefault) await clearDefault(ctx.tx, companyId, cur.warehouse_id, cur.kind, id);
    const { before, after } = await updateVersioned(ctx.tx, location, "location", id, version, changes);
    Object.assign(ctx.audit, diff(before, after));
    return after;
  },
});

export const deleteLocation = defineCommand({
  name: "masterdata.location.delete",
  permission: P.warehouseEdit,
  entity: "location",
  input: StrictObject({ id: S.Id }),
  async run(ctx, { id }) {
    const companyId = requireCompany(ctx.actor);
    const cur = await one<{ kind: string; is_default: boolean }>(ctx.tx, sql`select kind, is_default from location where id = ${id} and company_id = ${companyId} for update`);
    if (!cur) throw errors.notFound("location");
    if (VIRTUAL_KINDS.includes(cur.kind as LocationKind) && cur.is_default) throw errors.rule("virtual_location", "masterdata.error.virtual_keep");
    await assertUnreferenced(ctx.tx, "location", id);
    const row = await one(ctx.tx, sql`delete from location where id = ${id} returning *`);
    ctx.audit.before = row;
    return { id, deleted: true };
  },
});

// ---- reads ----------------------------------------------------------------------------------------

const warehouseColumns = sql`w.id, w.code, w.name_zh as "nameZh", w.name_en as "nameEn", w.department_id as "departmentId",
  d.code as "departmentCode", d.name_zh as "departmentNameZh", d.name_en as "departmentNameEn", w.address, w.active, w.version,
  w.created_at as "createdAt", w.updated_at as "updatedAt",
  (select count(*)::int8 from location l where l.warehouse_id = w.id) as "locationCount"`;

export function listWarehouses(db: Executor, companyId: number, params: ListParams & { active?: boolean }) {
  const where = [sql`w.company_id = ${companyId}`];
  if (params.q) {
    const p = likePattern(params.q);
    where.push(sql`(w.code ilike ${p} or w.name_zh ilike ${p} or w.name_en ilike ${p})`);
  }
  if (params.active !== undefined) where.push(sql`w.active = ${params.active}`);
  return listPage<Record<string, unknown>>(db, {
    columns: warehouseColumns,
    from: sql`warehouse w left join department d on d.id = w.department_id`,
    where: sql.join(where, sql` and `),
    sortable: { code: sql`w.code`, nameZh: sql`w.name_zh`, nameEn: sql`w.name_en`, updatedAt: sql`w.updated_at` },
    defaultSort: "code",
    params,
  });
}

export async function getWarehouse(db: Executor, companyId: number, id: number) {
  const row = await one(db, sql`select ${warehouseColumns} from warehouse w left join department d on d.id = w.department_id where w.id = ${id} and w.company_id = ${companyId}`);
  if (!row) throw errors.notFound("warehouse");
  return row;
}

const locationColumns = sql`l.id, l.code, l.name_zh as "nameZh", l.name_en as "nameEn", l.kind, l.warehouse_id as "warehouseId",
  w.code as "warehouseCode", l.parent_id as "parentId", p.code as "parentCode", l.allow_negative_stock as "allowNegativeStock",
  l.is_default as "isDefault", l.active, l.version, l.updated_at as "updatedAt"`;
const locationFrom = sql`location l left join warehouse w on w.id = l.warehouse_id left join location p on p.id = l.parent_id`;

export function listLocations(
  db: Executor,
  companyId: number,
  params: ListParams & { warehouseId?: number; kind?: string; active?: boolean; virtual?: boolean },
) {
  const where = [sql`l.company_id = ${companyId}`];
  if (params.q) {
    const p = likePattern(params.q);
    where.push(sql`(l.code ilike ${p} or l.name_zh ilike ${p} or l.name_en ilike ${p})`);
  }
  if (params.warehouseId) where.push(sql`l.warehouse_id = ${params.warehouseId}`);
  if (params.kind) where.push(sql`l.kind = ${params.kind}`);
  if (params.active !== undefined) where.push(sql`l.active = ${params.active}`);
  if (params.virtual !== undefined) where.push(params.virtual ? sql`l.warehouse_id is null` : sql`l.warehouse_id is not null`);
  return listPage<Record<string, unknown>>(db, {
    columns: locationColumns,
    from: locationFrom,
    where: sql.join(where, sql` and `),
    sortable: { code: sql`l.code`, nameZh: sql`l.name_zh`, nameEn: sql`l.name_en`, kind: sql`l.kind`, warehouse: sql`w.code` },
    defaultSort: "code",
    params,
  });
}

export async function getLocation(db: Executor, companyId: number, id: number) {
  const row = await one(db, sql`select ${locationColumns} from ${locationFrom} where l.id = ${id} and l.company_id = ${companyId}`);
  if (!row) throw errors.notFound("location");
  return row;
}

export interface LocationRef {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  kind: LocationKind;
  warehouseId: number | null;
  allowNegativeStock: boolean;
}

const locationRefColumns = sql`l.id, l.code, l.name_zh as "nameZh", l.name_en as "nameEn", l.kind, l.warehouse_id as "warehouseId",
  l.allow_negative_stock as "allowNegativeStock"`;

/**
 * The location of a kind for the inventory module and its documents: the default one (or else the
 * oldest active one) of that kind in the warehouse; for the virtual kinds (supplier, customer,
 * adjustment, transit) the company's, whatever warehouse is given. Only active locations of active
 * warehouses; null when there is none.
 */
export async function findLocationByKind(tx: Executor, companyId: number, kind: LocationKind, warehouseId?: number | null): Promise<LocationRef | null> {
  const virtual = VIRTUAL_KINDS.includes(kind);
  const scope = virtual ? sql`l.warehouse_id is null` : warehouseId ? sql`l.warehouse_id = ${warehouseId}` : sql`true`;
  const row = await one<LocationRef>(
    tx,
    sql`select ${locationRefColumns} from location l left join warehouse w on w.id = l.warehouse_id
        where l.company_id = ${companyId} and l.kind = ${kind} and l.active and coalesce(w.active, true) and ${scope}
        order by l.is_default desc, l.id limit 1`,
  );
  return row ?? null;
}

/** findLocationByKind, or a 422 naming the missing kind (the user must create such a location first). */
export async function requireLocationByKind(tx: Executor, companyId: number, kind: LocationKind, warehouseId?: number | null): Promise<LocationRef> {
  const row = await findLocationByKind(tx, companyId, kind, warehouseId);
  if (!row) throw errors.rule("location_missing", "masterdata.error.location_missing", { kind });
  return row;
}

/** For documents naming a location: it exists in the company, is active and so is its warehouse. */
export async function assertLocationUsable(tx: Executor, companyId: number, locationId: number, field?: string): Promise<LocationRef> {
  const row = await one<LocationRef & { active: boolean; warehouseActive: boolean | null }>(
    tx,
    sql`select ${locationRefColumns}, l.active, w.active as "warehouseActive" from location l left join warehouse w on w.id = l.warehouse_id
        where l.id = ${locationId} and l.company_id = ${companyId}`,
  );
  if (!row) {
    if (field) throw errors.field(field, "exists", "masterdata.error.no_such_location");
    throw errors.notFound("location");
  }
  if (!row.active || row.warehouseActive === false) {
    if (field) throw errors.field(field, "usable", "masterdata.error.location_inactive");
    throw errors.rule("location_not_usable", "masterdata.error.location_not_usable", { code: row.code });
  }
  const { active: _a, warehouseActive: _w, ...ref } = row;
  return ref;
}
