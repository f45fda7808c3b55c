import { Decimal } from "decimal.js";
import { type Actor, can } from "../../../platform/actor.ts";
import { type Executor, one, rows, sql } from "../../../platform/db/database.ts";
import { errors } from "../../../platform/errors.ts";
import { type ListParams, likePattern, listPage } from "../../../platform/listing.ts";
import { defineCommand } from "../../../platform/pipeline.ts";
import { type Static, StrictObject, Type } from "../../../platform/validation.ts";
import { diff, updateVersioned } from "../../../platform/versioned.ts";
import { markAttachmentsRemoved } from "./attachments.ts";
import { FieldErrors, S, assertUnreferenced, oneOf, requireCompany, requireSensitive, trimDecimals } from "./common.ts";
import { P } from "./permissions.ts";
import { partner, partnerAddress, partnerBank, partnerContact, paymentTerm } from "./schema.ts";

// ---- payment terms --------------------------------------------------------------------------------

export const PAYMENT_BASIS = ["invoice", "end_of_month", "prepayment"] as const;
const Percent = Type.String({ pattern: "^\\d{1,2}(\\.\\d{1,2})?$", description: "percent, up to 2 decimals", examples: ["2"] });

const termFields = {
  nameZh: S.Name,
  nameEn: S.Name,
  basis: oneOf(PAYMENT_BASIS),
  daysNet: Type.Integer({ minimum: 0, maximum: 365 }),
  discountDays: Type.Optional(S.Nullable(Type.Integer({ minimum: 0, maximum: 365 }))),
  discountPercent: Type.Optional(S.Nullable(Percent)),
};

function checkTerm(s: { basis: string; daysNet: number; discountDays?: number | null; discountPercent?: string | null }, fe: FieldErrors) {
  const hasDays = s.discountDays !== null && s.discountDays !== undefined;
  const hasPct = s.discountPercent !== null && s.discountPercent !== undefined;
  if (s.basis === "prepayment" && s.daysNet !== 0) fe.add("/daysNet", "prepayment", "masterdata.error.prepayment_days");
  if (s.basis === "prepayment" && (hasDays || hasPct)) fe.add("/discountDays", "prepayment", "masterdata.error.prepayment_discount");
  if (hasDays !== hasPct) fe.add(hasDays ? "/discountPercent" : "/discountDays", "required", "masterdata.error.discount_pair");
  if (hasDays && s.discountDays! >= s.daysNet) fe.add("/discountDays", "maximum", "masterdata.error.discount_days");
  if (hasPct && !new Decimal(s.discountPercent!).gt(0)) fe.add("/discountPercent", "minimum", "validation.minimum", { limit: "> 0" });
}

export const createPaymentTerm = defineCommand({
  name: "masterdata.payment_term.create",
  permission: P.partnerEdit,
  entity: "payment_term",
  input: StrictObject({ code: S.Code, ...termFields }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    const fe = new FieldErrors();
    checkTerm(input, fe);
    fe.throwIfAny();
    const [row] = await ctx.tx.insert(paymentTerm).values({ companyId, ...input }).returning();
    ctx.audit.after = row;
    return row;
  },
});

const { properties: optionalTermFields } = Type.Partial(Type.Object(termFields));

export const updatePaymentTerm = defineCommand({
  name: "masterdata.payment_term.update",
  permission: P.partnerEdit,
  entity: "payment_term",
  input: StrictObject({ id: S.Id, version: S.Version, ...optionalTermFields, active: Type.Optional(Type.Boolean()) }),
  async run(ctx, { id, version, ...changes }) {
    const companyId = requireCompany(ctx.actor);
    const [cur] = await ctx.tx.select().from(paymentTerm).where(sql`${paymentTerm.id} = ${id} and ${paymentTerm.companyId} = ${companyId}`).for("update");
    if (!cur) throw errors.notFound("payment_term");
    const fe = new FieldErrors();
    checkTerm({ ...cur, ...changes }, fe);
    fe.throwIfAny();
    const { before, after } = await updateVersioned(ctx.tx, paymentTerm, "payment_term", id, version, changes);
    Object.assign(ctx.audit, diff(before, after));
    return trimDecimals(after, ["discountPercent"]);
  },
});

export const deletePaymentTerm = defineCommand({
  name: "masterdata.payment_term.delete",
  permission: P.partnerEdit,
  entity: "payment_term",
  input: StrictObject({ id: S.Id }),
  async run(ctx, { id }) {
    const companyId = requireCompany(ctx.actor);
    const cur = await one(ctx.tx, sql`select * from payment_term where id = ${id} and company_id = ${companyId} for update`);
    if (!cur) throw errors.notFound("payment_term");
    await assertUnreferenced(ctx.tx, "payment_term", id);
    await ctx.tx.execute(sql`delete from payment_term where id = ${id}`);
    ctx.audit.before = cur;
    return { id, deleted: true };
  },
});

export function listPaymentTerms(db: Executor, companyId: number, params: ListParams & { active?: boolean }) {
  const where = [sql`t.company_id = ${companyId}`];
  if (params.q) {
    const p = likePattern(params.q);
    where.push(sql`(t.code ilike ${p} or t.name_zh ilike ${p} or t.name_en ilike ${p})`);
  }
  if (params.active !== undefined) where.push(sql`t.active = ${params.active}`);
  return listPage(db, {
    columns: sql`t.id, t.code, t.name_zh as "nameZh", t.name_en as "nameEn", t.basis, t.days_net as "daysNet",
      t.discount_days as "discountDays", trim_scale(t.discount_percent)::text as "discountPercent", t.active, t.version,
      (select count(*)::int8 from partner p where p.payment_term_id = t.id) as "partnerCount"`,
    from: sql`payment_term t`,
    where: sql.join(where, sql` and `),
    sortable: { code: sql`t.code`, nameZh: sql`t.name_zh`, nameEn: sql`t.name_en`, daysNet: sql`t.days_net` },
    defaultSort: "code",
    params,
  });
}

/**
 * When an invoice under a payment term falls due (YYYY-MM-DD): days after the invoice date, days after
 * the end of the invoice's month (月结), or on the invoice date for prepayment; and the last day the
 * cash discount applies, if the term has one. Pure: payables and receivables call it.
 */
export function paymentDueDate(
  term: { basis: "invoice" | "end_of_month" | "prepayment"; daysNet: number; discountDays?: number | null },
  invoiceDate: string,
): { due: string; discountUntil: string | null } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(invoiceDate);
  if (!m) throw new Error(`not a date: ${invoiceDate}`);
  const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const endOfMonth = Date.UTC(Number(m[1]), Number(m[2]), 0);
  const from = term.basis === "end_of_month" ? endOfMonth : start;
  const day = (t: number, n: number) => new Date(t + n * 86_400_000).toISOString().slice(0, 10);
  if (term.basis === "prepayment") return { due: invoiceDate, discountUntil: null };
  return {
    due: day(from, term.daysNet),
    discountUntil: term.discountDays === null || term.discountDays === undefined ? null : day(from, term.discountDays),
  };
}

// ---- partners -------------------------------------------------------------------------------------

export const ADDRESS_KINDS = ["billing", "shipping", "office", "other"] as const;
const Opt = <T extends Parameters<typeof S.Nullable>[0]>(t: T) => Type.Optional(S.Nullable(t));

const Contact = StrictObject({
  id: Type.Optional(S.Id),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  title: Opt(S.Text(100)),
  phone: Opt(S.Phone),
  mobile: Opt(S.Phone),
  email: Opt(S.Email),
  isPrimary: Type.Optional(Type.Boolean()),
});
const Address = StrictObject({
  id: Type.Optional(S.Id),
  kind: oneOf(ADDRESS_KINDS),
  country: Type.Optional(Type.String({ pattern: "^[A-Z]{2}$" })),
  province: Opt(S.Text(100)),
  city: Opt(S.Text(100)),
  district: Opt(S.Text(100)),
  street: Type.String({ minLength: 1, maxLength: 300 }),
  postcode: Opt(Type.String({ pattern: "^[0-9A-Za-z -]{3,12}$" })),
  contactName: Opt(S.Text(100)),
  contactPhone: Opt(S.Phone),
  isDefault: Type.Optional(Type.Boolean()),
});
const Bank = StrictObject({
  id: Type.Optional(S.Id),
  bankName: Type.String({ minLength: 1, maxLength: 200 }),
  branch: Opt(S.Text(200)),
  accountName: Type.String({ minLength: 1, maxLength: 200 }),
  accountNo: Type.String({ pattern: "^[0-9A-Z][0-9A-Z -]{3,39}$" }),
  swift: Opt(Type.String({ pattern: "^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$" })),
  currency: Type.Optional(S.Currency),
  isDefault: Type.Optional(Type.Boolean()),
});
type ContactIn = Static<typeof Contact>;
type AddressIn = Static<typeof Address>;
type BankIn = Static<typeof Bank>;

const partnerFields = {
  code: S.Code,
  nameZh: S.Name,
  nameEn: S.Name,
  shortName: Opt(Type.String({ minLength: 1, maxLength: 50 })),
  isCustomer: Type.Boolean(),
  isSupplier: Type.Boolean(),
  taxId: Opt(Type.String({ pattern: "^[0-9A-Z-]{6,30}$" })),
  phone: Opt(S.Phone),
  email: Opt(S.Email),
  website: Opt(S.Text(200)),
  currency: Type.Optional(S.Currency),
  paymentTermId: Opt(S.Id),
  creditLimit: Opt(Type.String({ pattern: "^\\d{1,16}(\\.\\d{1,2})?$", description: "amount ≥ 0, up to 2 decimals" })),
  notes: Opt(S.Text(2000)),
};
const children = {
  contacts: Type.Optional(Type.Array(Contact, { maxItems: 50 })),
  addresses: Type.Optional(Type.Array(Address, { maxItems: 50 })),
  banks: Type.Optional(Type.Array(Bank, { maxItems: 10 })),
};

export const partnerCreateInput = StrictObject({ ...partnerFields, ...children });
export type PartnerCreateInput = Static<typeof partnerCreateInput>;
const { properties: optionalPartnerFields } = Type.Partial(Type.Object(partnerFields));
export const partnerUpdateInput = StrictObject({ id: S.Id, version: S.Version, ...optionalPartnerFields, ...children });

/** 统一社会信用代码 check character (GB 32100-2015); other tax numbers are not checked. */
export function usccValid(code: string): boolean {
  const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return true;
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += alphabet.indexOf(code[i]) * weights[i];
  const check = (31 - (sum % 31)) % 31;
  return alphabet[check] === code[17];
}

/** Rules of a partner beyond the schema; `prefix` for the import's per-row fields. */
export async function checkPartner(
  tx: Executor,
  companyId: number,
  s: { isCustomer: boolean; isSupplier: boolean; taxId?: string | null; paymentTermId?: number | null },
  fe: FieldErrors,
  opts: { prefix?: string; newTerm?: boolean } = {},
): Promise<void> {
  const p = opts.prefix ?? "";
  if (!s.isCustomer && !s.isSupplier) fe.add(`${p}/isCustomer`, "role", "masterdata.error.partner_role");
  if (s.taxId && !usccValid(s.taxId)) fe.add(`${p}/taxId`, "checksum", "masterdata.error.uscc_checksum");
  if (s.paymentTermId) {
    const t = await one<{ active: boolean }>(tx, sql`select active from payment_term where id = ${s.paymentTermId} and company_id = ${companyId}`);
    if (!t) fe.add(`${p}/paymentTermId`, "exists", "masterdata.error.no_such_payment_term");
    else if (!t.active && opts.newTerm !== false) fe.add(`${p}/paymentTermId`, "active", "masterdata.error.payment_term_inactive");
  }
}

/** At most one flagged row per group (a second one is an error); the first of a group is flagged when none is. */
function flagOne<T>(list: T[], flag: keyof T, group: (x: T) => string, field: (i: number) => string, fe: FieldErrors, messageKey: string): T[] {
  const chosen = new Map<string, number>();
  list.forEach((x, i) => {
    if (!x[flag]) return;
    if (chosen.has(group(x))) fe.add(field(i), "unique", messageKey);
    else chosen.set(group(x), i);
  });
  list.forEach((x, i) => {
    if (!chosen.has(group(x))) chosen.set(group(x), i);
  });
  return list.map((x, i) => ({ ...x, [flag]: chosen.get(group(x)) === i }));
}

function checkChildren(input: { contacts?: ContactIn[]; addresses?: AddressIn[]; banks?: BankIn[] }, fe: FieldErrors) {
  return {
    contacts: input.contacts && flagOne(input.contacts, "isPrimary", () => "", (i) => `/contacts/${i}/isPrimary`, fe, "masterdata.error.one_primary_contact"),
    addresses:
      input.addresses && flagOne(input.addresses, "isDefault", (a) => a.kind, (i) => `/addresses/${i}/isDefault`, fe, "masterdata.error.one_default_address"),
    banks: input.banks && flagOne(input.banks, "isDefault", () => "", (i) => `/banks/${i}/isDefault`, fe, "masterdata.error.one_default_bank"),
  };
}

/**
 * Replaces a partner's contacts / addresses / bank accounts with the given list: rows with an id are
 * updated (the id must be the partner's), rows without one are added, rows left out are deleted.
 */
async function replaceChildren(
  tx: Executor,
  partnerId: number,
  table: typeof partnerContact | typeof partnerAddress | typeof partnerBank,
  name: "contacts" | "addresses" | "banks",
  list: Record<string, unknown>[],
  fe: FieldErrors,
): Promise<{ before: unknown[]; after: unknown[] }> {
  // biome-ignore lint/suspicious/noExplicitAny: the three child tables share id, partner_id and sort
  const t = table as any;
  const before = (await tx.select().from(t).where(sql`partner_id = ${partnerId}`).orderBy(t.sort, t.id)) as { id: number }[];
  const ids = new Set(before.map((b) => b.id));
  list.forEach((x, i) => {
    if (x.id !== undefined && !ids.has(x.id as number)) fe.add(`/${name}/${i}/id`, "exists", "masterdata.error.no_such_child");
  });
  if (fe.any) return { before, after: [] };
  const keep = new Set(list.map((x) => x.id).filter((x) => x !== undefined));
  const gone = before.filter((b) => !keep.has(b.id)).map((b) => b.id);
  if (gone.length > 0) await tx.execute(sql`delete from ${t} where id in (select jsonb_array_elements_text(${JSON.stringify(gone)}::jsonb)::int8)`);
  // The one-primary / one-default indexes hold after every statement: clear the flags, then set them.
  const flag = name === "contacts" ? sql`is_primary` : sql`is_default`;
  await tx.execute(sql`update ${t} set ${flag} = false where partner_id = ${partnerId}`);
  const after: unknown[] = [];
  for (const [sort, x] of list.entries()) {
    const { id, ...values } = x;
    if (id !== undefined) {
      const [row] = (await tx.update(t).set({ ...values, sort }).where(sql`id = ${id}`).returning()) as unknown[];
      after.push(row);
    } else {
      const [row] = (await tx.insert(t).values({ ...values, partnerId, sort }).returning()) as unknown[];
      after.push(row);
    }
  }
  return { before, after };
}

const contactValues = (c: ContactIn) => ({
  ...(c.id !== undefined ? { id: c.id } : {}),
  name: c.name.trim(),
  title: c.title ?? null,
  phone: c.phone ?? null,
  mobile: c.mobile ?? null,
  email: c.email ?? null,
  isPrimary: c.isPrimary ?? false,
});
const addressValues = (a: AddressIn) => ({
  ...(a.id !== undefined ? { id: a.id } : {}),
  kind: a.kind,
  country: a.country ?? "CN",
  province: a.province ?? null,
  city: a.city ?? null,
  district: a.district ?? null,
  street: a.street.trim(),
  postcode: a.postcode ?? null,
  contactName: a.contactName ?? null,
  contactPhone: a.contactPhone ?? null,
  isDefault: a.isDefault ?? false,
});
const bankValues = (b: BankIn) => ({
  ...(b.id !== undefined ? { id: b.id } : {}),
  bankName: b.bankName.trim(),
  branch: b.branch ?? null,
  accountName: b.accountName.trim(),
  accountNo: b.accountNo,
  swift: b.swift ?? null,
  currency: b.currency ?? "CNY",
  isDefault: b.isDefault ?? false,
});

/** Inserts a checked partner with its contacts, addresses and bank accounts (create and import share it). */
export async function insertPartner(tx: Executor, companyId: number, input: PartnerCreateInput, kids: ReturnType<typeof checkChildren>) {
  const { contacts: _c, addresses: _a, banks: _b, ...fields } = input;
  const [row] = await tx
    .insert(partner)
    .values({ companyId, ...fields, currency: fields.currency ?? "CNY", status: "active" })
    .returning();
  const fe = new FieldErrors();
  const contacts = kids.contacts ? await replaceChildren(tx, row.id, partnerContact, "contacts", kids.contacts.map(contactValues), fe) : null;
  const addresses = kids.addresses ? await replaceChildren(tx, row.id, partnerAddress, "addresses", kids.addresses.map(addressValues), fe) : null;
  const banks = kids.banks ? await replaceChildren(tx, row.id, partnerBank, "banks", kids.banks.map(bankValues), fe) : null;
  fe.throwIfAny();
  return { row, contacts: contacts?.after ?? [], addresses: addresses?.after ?? [], banks: banks?.after ?? [] };
}

export const createPartner = defineCommand({
  name: "masterdata.partner.create",
  permission: P.partnerEdit,
  entity: "partner",
  input: partnerCreateInput,
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    requireSensitive(ctx.actor, P.partnerBankRead, (input.banks?.length ?? 0) > 0);
    const fe = new FieldErrors();
    await checkPartner(ctx.tx, companyId, input, fe);
    const kids = checkChildren(input, fe);
    fe.throwIfAny();
    const r = await insertPartner(ctx.tx, companyId, input, kids);
    // Bank accounts are kept out of the audit record's body: it is readable by auditors without the key.
    ctx.audit.after = { ...r.row, contacts: r.contacts, addresses: r.addresses, banks: r.banks.length };
    ctx.emit("masterdata.partner.created", { id: r.row.id, companyId, code: r.row.code });
    return trimDecimals(r.row, ["creditLimit"]);
  },
});

export const updatePartner = defineCommand({
  name: "masterdata.partner.update",
  permission: P.partnerEdit,
  entity: "partner",
  input: partnerUpdateInput,
  async run(ctx, { id, version, contacts, addresses, banks, ...changes }) {
    const companyId = requireCompany(ctx.actor);
    requireSensitive(ctx.actor, P.partnerBankRead, banks !== undefined);
    const [cur] = await ctx.tx.select().from(partner).where(sql`${partner.id} = ${id} and ${partner.companyId} = ${companyId}`).for("update");
    if (!cur) throw errors.notFound("partner");
    if (cur.version !== version) throw errors.versionConflict(cur.version);
    const fe = new FieldErrors();
    await checkPartner(ctx.tx, companyId, { ...cur, ...changes }, fe, { newTerm: changes.paymentTermId !== undefined && changes.paymentTermId !== cur.paymentTermId });
    if (changes.isSupplier === false && cur.isSupplier) {
      const priced = await one(ctx.tx, sql`select 1 as x from supplier_item where partner_id = ${id} and active limit 1`);
      if (priced) fe.add("/isSupplier", "in_use", "masterdata.error.partner_has_supplier_items");
    }
    const kids = checkChildren({ contacts, addresses, banks }, fe);
    fe.throwIfAny();
    const { before, after } = await updateVersioned(ctx.tx, partner, "partner", id, version, changes);
    const d = diff(before, after);
    if (kids.contacts) {
      const r = await replaceChildren(ctx.tx, id, partnerContact, "contacts", kids.contacts.map(contactValues), fe);
      d.before.contacts = r.before;
      d.after.contacts = r.after;
    }
    if (kids.addresses) {
      const r = await replaceChildren(ctx.tx, id, partnerAddress, "addresses", kids.addresses.map(addressValues), fe);
      d.before.addresses = r.before;
      d.after.addresses = r.after;
    }
    if (kids.banks) {
      const r = await replaceChildren(ctx.tx, id, partnerBank, "banks", kids.banks.map(bankValues), fe);
      d.after.banks = `${r.after.length} account(s) replaced`;
    }
    fe.throwIfAny();
    Object.assign(ctx.audit, d);
    return trimDecimals(after, ["creditLimit"]);
  },
});

export const setPartnerStatus = defineCommand({
  name: "masterdata.partner.set_status",
  permission: P.partnerEdit,
  entity: "partner",
  input: StrictObject({ id: S.Id, version: S.Version, status: oneOf(["active", "blocked"] as const), reason: Type.Optional(Type.String({ maxLength: 500 })) }),
  async run(ctx, { id, version, status, reason }) {
    const companyId = requireCompany(ctx.actor);
    const owned = await one(ctx.tx, sql`select 1 as x from partner where id = ${id} and company_id = ${companyId}`);
    if (!owned) throw errors.notFound("partner");
    const { before, after } = await updateVersioned(ctx.tx, partner, "partner", id, version, { status });
    Object.assign(ctx.audit, diff(before, after));
    if (reason) ctx.audit.details = { reason };
    ctx.emit("masterdata.partner.status_changed", { id, companyId, code: after.code, status });
    return trimDecimals(after, ["creditLimit"]);
  },
});

export const deletePartner = defineCommand({
  name: "masterdata.partner.delete",
  permission: P.partnerEdit,
  entity: "partner",
  input: StrictObject({ id: S.Id }),
  async run(ctx, { id }) {
    const companyId = requireCompany(ctx.actor);
    const [cur] = await ctx.tx.select().from(partner).where(sql`${partner.id} = ${id} and ${partner.companyId} = ${companyId}`).for("update");
    if (!cur) throw errors.notFound("partner");
    await assertUnreferenced(ctx.tx, "partner", id, ["partner_contact", "partner_address", "partner_bank"]);
    const removed = await markAttachmentsRemoved(ctx.tx, ctx.actor, companyId, "partner", id);
    await ctx.tx.execute(sql`delete from partner where id = ${id}`);
    ctx.audit.before = cur;
    if (removed > 0) ctx.audit.details = { attachmentsRemoved: removed };
    return { id, deleted: true };
  },
});

// ---- reads ----------------------------------------------------------------------------------------

const partnerColumns = sql`p.id, p.code, p.name_zh as "nameZh", p.name_en as "nameEn", p.short_name as "shortName",
  p.is_customer as "isCustomer", p.is_supplier as "isSupplier", p.tax_id as "taxId", p.phone, p.email, p.website, p.currency,
  p.payment_term_id as "paymentTermId", t.code as "paymentTermCode", t.name_zh as "paymentTermNameZh", t.name_en as "paymentTermNameEn",
  trim_scale(p.credit_limit)::text as "creditLimit", p.notes, p.status, p.version, p.created_at as "createdAt", p.updated_at as "updatedAt",
  c.name as "contactName", coalesce(c.mobile, c.phone) as "contactPhone", c.email as "contactEmail",
  a.province as "province", a.city as "city", a.district as "district", a.street as "street", a.postcode as "postcode"`;
// The primary contact and the first billing/office address, for lists and exports.
const partnerFrom = sql`partner p left join payment_term t on t.id = p.payment_term_id
  left join lateral (select * from partner_contact c where c.partner_id = p.id order by c.is_primary desc, c.sort, c.id limit 1) c on true
  left join lateral (select * from partner_address a where a.partner_id = p.id
                     order by a.is_default desc, (a.kind in ('billing', 'office')) desc, a.sort, a.id limit 1) a on true`;

export function listPartners(db: Executor, companyId: number, params: ListParams & { role?: "customer" | "supplier"; status?: string }) {
  const where = [sql`p.company_id = ${companyId}`];
  if (params.q) {
    const q = likePattern(params.q);
    where.push(sql`(p.code ilike ${q} or p.name_zh ilike ${q} or p.name_en ilike ${q} or p.short_name ilike ${q} or p.tax_id ilike ${q} or c.name ilike ${q})`);
  }
  if (params.role === "customer") where.push(sql`p.is_customer`);
  if (params.role === "supplier") where.push(sql`p.is_supplier`);
  if (params.status) where.push(sql`p.status = ${params.status}`);
  return listPage<Record<string, unknown>>(db, {
    columns: partnerColumns,
    from: partnerFrom,
    where: sql.join(where, sql` and `),
    sortable: { code: sql`p.code`, nameZh: sql`p.name_zh`, nameEn: sql`p.name_en`, status: sql`p.status`, updatedAt: sql`p.updated_at` },
    defaultSort: "code",
    params,
  });
}

export async function getPartner(db: Executor, actor: Actor, id: number) {
  const row = await one<Record<string, unknown>>(db, sql`select ${partnerColumns} from ${partnerFrom} where p.id = ${id} and p.company_id = ${actor.companyId}`);
  if (!row) throw errors.notFound("partner");
  row.contacts = await rows(
    db,
    sql`select id, name, title, phone, mobile, email, is_primary as "isPrimary" from partner_contact where partner_id = ${id} order by sort, id`,
  );
  row.addresses = await rows(
    db,
    sql`select id, kind, country, province, city, district, street, postcode, contact_name as "contactName",
          contact_phone as "contactPhone", is_default as "isDefault" from partner_address where partner_id = ${id} order by sort, id`,
  );
  row.bankVisible = can(actor, P.partnerBankRead);
  row.banks = row.bankVisible
    ? await rows(
        db,
        sql`select id, bank_name as "bankName", branch, account_name as "accountName", account_no as "accountNo", swift, currency,
              is_default as "isDefault" from partner_bank where partner_id = ${id} order by sort, id`,
      )
    : null;
  const counts = await one<{ supplierItems: number; attachments: number }>(
    db,
    sql`select (select count(*)::int8 from supplier_item s where s.partner_id = ${id}) as "supplierItems",
               (select count(*)::int8 from attachment a where a.company_id = ${actor.companyId} and a.entity = 'partner'
                  and a.entity_id = ${id} and a.removed_at is null) as attachments`,
  );
  row.supplierItemCount = counts?.supplierItems ?? 0;
  row.attachmentCount = counts?.attachments ?? 0;
  return row;
}

export interface UsablePartner {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  currency: string;
  paymentTermId: number | null;
}

/**
 * For sales and purchasing documents: the partner exists, has the role (customer / supplier) and is
 * not blocked. Field error on `field` when given, else 404 / 422.
 */
export async function assertPartnerUsable(tx: Executor, companyId: number, partnerId: number, role: "customer" | "supplier", field?: string): Promise<UsablePartner> {
  const row = await one<UsablePartner & { isCustomer: boolean; isSupplier: boolean; status: string }>(
    tx,
    sql`select id, code, name_zh as "nameZh", name_en as "nameEn", currency, payment_term_id as "paymentTermId",
          is_customer as "isCustomer", is_supplier as "isSupplier", status
        from partner where id = ${partnerId} and company_id = ${companyId}`,
  );
  if (!row) {
    if (field) throw errors.field(field, "exists", "masterdata.error.no_such_partner");
    throw errors.notFound("partner");
  }
  const hasRole = role === "customer" ? row.isCustomer : row.isSupplier;
  if (!hasRole) {
    const key = role === "customer" ? "masterdata.error.not_customer" : "masterdata.error.not_supplier";
    if (field) throw errors.field(field, "role", key, { code: row.code });
    throw errors.rule(`not_${role}`, key, { code: row.code });
  }
  if (row.status !== "active") {
    if (field) throw errors.field(field, "usable", "masterdata.error.partner_blocked", { code: row.code });
    throw errors.rule("partner_blocked", "masterdata.error.partner_blocked", { code: row.code });
  }
  return { id: row.id, code: row.code, nameZh: row.nameZh, nameEn: row.nameEn, currency: row.currency, paymentTermId: row.paymentTermId };
}

export { checkChildren as checkPartnerChildren };
