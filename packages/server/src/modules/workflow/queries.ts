import { type SQL, sql } from "drizzle-orm";
import { type Actor, can, inScope } from "../../platform/actor.ts";
import { type Executor, one, rows } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { type ListParams, likePattern, listPage } from "../../platform/listing.ts";
import { scopeCondition } from "../../platform/scope.ts";
import { docTypeDef, registeredDocTypes } from "./engine.ts";
import { P } from "./permissions.ts";

const requestColumns = sql`r.id, r.number, r.doc_type as "docType", r.doc_id as "docId", r.summary_zh as "summaryZh",
  r.summary_en as "summaryEn", trim_scale(r.amount)::text as amount, r.maker_user_id as "makerUserId", r.maker_name as "makerName",
  r.status, r.current_level as "currentLevel", (select count(*)::int8 from approval_step x where x.request_id = r.id) as "levelCount",
  r.submitted_at as "submittedAt", r.closed_at as "closedAt", r.department_id as "departmentId",
  d.name_zh as "departmentNameZh", d.name_en as "departmentNameEn", s.name_zh as "levelNameZh", s.name_en as "levelNameEn",
  s.waiting_since as "waitingSince", s.activated_at as "activatedAt"`;

const requestFrom = sql`approval_request r left join department d on d.id = r.department_id
  left join approval_step s on s.request_id = r.id and s.seq = r.current_level`;

const requestSort = {
  submittedAt: sql`r.submitted_at`,
  number: sql`r.number`,
  waitingSince: sql`s.waiting_since`,
  closedAt: sql`r.closed_at`,
  amount: sql`r.amount`,
};

function textFilter(q: string | undefined): SQL | null {
  if (!q) return null;
  const p = likePattern(q);
  return sql`(r.number ilike ${p} or r.summary_zh ilike ${p} or r.summary_en ilike ${p} or r.maker_name ilike ${p} or r.doc_type ilike ${p})`;
}

/** "What waits for me": open levels I may decide now, as myself or standing in for an absent approver. */
export function inbox(db: Executor, actor: Actor, params: ListParams & { docType?: string }) {
  const where = [sql`r.company_id = ${actor.companyId}`, sql`r.status = 'pending'`];
  const t = textFilter(params.q);
  if (t) where.push(t);
  if (params.docType) where.push(sql`r.doc_type = ${params.docType}`);
  return listPage(db, {
    columns: sql`${requestColumns}, e.on_behalf_of as "onBehalfOfUserId", ob.display_name as "onBehalfOfName",
      exists (select 1 from approval_action ea where ea.step_id = s.id and ea.action = 'escalated' and ea.to_user_id = ${actor.id}) as "escalatedToMe"`,
    from: sql`${requestFrom}
      cross join lateral (select el.on_behalf_of from approval_eligibility(s.id, ${actor.id}::int8) el order by el.on_behalf_of nulls first limit 1) e
      left join app_user ob on ob.id = e.on_behalf_of`,
    where: sql.join(where, sql` and `),
    sortable: requestSort,
    defaultSort: "waitingSince",
    params,
  });
}

export type RequestScope = "mine" | "decided" | "all";

/** Requests I made, requests I decided, or (with workflow.request.read) every request of the company. */
export function listRequests(db: Executor, actor: Actor, params: ListParams & { scope?: RequestScope; status?: string; docType?: string }) {
  const scope = params.scope ?? "mine";
  if (scope === "all" && !can(actor, P.requestRead)) throw errors.forbidden(P.requestRead);
  const where = [sql`r.company_id = ${actor.companyId}`];
  if (scope === "mine") where.push(sql`r.maker_user_id = ${actor.id}`);
  if (scope === "all") where.push(scopeCondition(actor, P.requestRead, sql`r.department_id`));
  if (scope === "decided") {
    where.push(sql`exists (select 1 from approval_step x where x.request_id = r.id and (x.decided_by = ${actor.id} or x.on_behalf_of = ${actor.id}))`);
  }
  if (params.status) where.push(sql`r.status = ${params.status}`);
  if (params.docType) where.push(sql`r.doc_type = ${params.docType}`);
  const t = textFilter(params.q);
  if (t) where.push(t);
  return listPage(db, {
    columns: requestColumns,
    from: requestFrom,
    where: sql.join(where, sql` and `),
    sortable: requestSort,
    defaultSort: "-submittedAt",
    params,
  });
}

/** Whether someone may read a request: its maker, its deciders (past, present, future, delegates), or readers. */
export async function canViewRequest(
  db: Executor,
  actor: Actor,
  request: { id: number; docType: string; makerUserId: number | null; companyId: number; departmentId: number | null },
) {
  if (request.companyId !== actor.companyId) return false;
  // Readers see the requests of the departments their role covers (IAM-5).
  if (can(actor, P.requestRead) && inScope(actor, P.requestRead, request.departmentId)) return true;
  const readPermission = docTypeDef(request.docType)?.readPermission;
  if (readPermission && can(actor, readPermission) && inScope(actor, readPermission, request.departmentId)) return true;
  if (!actor.id) return false;
  if (actor.id === request.makerUserId) return true;
  const r = await one<{ ok: boolean }>(
    db,
    sql`select exists (select 1 from approval_action a where a.request_id = ${request.id}
                         and (a.actor_user_id = ${actor.id} or a.on_behalf_of_user_id = ${actor.id} or a.to_user_id = ${actor.id}))
            or exists (select 1 from approval_step s where s.request_id = ${request.id} and s.status in ('waiting', 'pending')
                         and (exists (select 1 from approval_step_approvers(s.id) x where x.approver_id = ${actor.id})
                              or exists (select 1 from approval_eligibility(s.id, ${actor.id}::int8)))) as ok`,
  );
  return Boolean(r?.ok);
}

interface RequestRow {
  id: number;
  companyId: number;
  docType: string;
  docId: string;
  makerUserId: number | null;
  departmentId: number | null;
  status: string;
  currentLevel: number | null;
}

async function loadRequest(db: Executor, actor: Actor, id: number): Promise<RequestRow & Record<string, unknown>> {
  const r = await one<RequestRow & Record<string, unknown>>(
    db,
    sql`select ${requestColumns}, r.company_id as "companyId", r.chain_id as "chainId", r.chain_revision as "chainRevision",
          c.name_zh as "chainNameZh", c.name_en as "chainNameEn", r.distinct_approvers as "distinctApprovers"
        from ${requestFrom} join approval_chain c on c.id = r.chain_id where r.id = ${id}`,
  );
  // Not found and not allowed answer the same: the existence of a request is not for everyone to learn.
  if (!r || !(await canViewRequest(db, actor, r))) throw errors.notFound("approval_request");
  return r;
}

async function stepsOf(db: Executor, requestId: number) {
  const steps = await rows<Record<string, unknown> & { id: number; status: string }>(
    db,
    sql`select s.id, s.seq, s.chain_level as "chainLevel", s.name_zh as "nameZh", s.name_en as "nameEn", trim_scale(s.min_amount)::text as "minAmount",
          s.approver_kind as "approverKind", ro.code as "roleCode", ro.name_zh as "roleNameZh", ro.name_en as "roleNameEn",
          sd.name_zh as "departmentNameZh", sd.name_en as "departmentNameEn", su.display_name as "userName",
          s.escalate_after_hours as "escalateAfterHours", s.status, s.activated_at as "activatedAt", s.waiting_since as "waitingSince",
          s.escalation_exhausted as "escalationExhausted", s.decided_at as "decidedAt", s.decided_by as "decidedBy",
          db.display_name as "decidedByName", s.on_behalf_of as "onBehalfOf", ob.display_name as "onBehalfOfName", s.comment
        from approval_step s left join role ro on ro.id = s.role_id left join department sd on sd.id = s.department_id
          left join app_user su on su.id = s.user_id left join app_user db on db.id = s.decided_by left join app_user ob on ob.id = s.on_behalf_of
        where s.request_id = ${requestId} order by s.seq`,
  );
  for (const s of steps) {
    if (s.status !== "pending" && s.status !== "waiting") continue;
    s.approvers = await rows(
      db,
      sql`select distinct a.approver_id as id, u.display_name as name, a.via from approval_step_approvers(${s.id}::int8) a
          join app_user u on u.id = a.approver_id order by name`,
    );
    // Who stands in for them today (their approvals reach the delegate's inbox).
    s.delegates = await rows(
      db,
      sql`select dl.from_user_id as "fromUserId", fu.display_name as "fromName", dl.to_user_id as "toUserId", tu.display_name as "toName",
            to_char(dl.ends_on, 'YYYY-MM-DD') as "endsOn"
          from approval_step_approvers(${s.id}::int8) a
          join approval_delegation dl on dl.from_user_id = a.approver_id
          join approval_request r on r.id = (select request_id from approval_step where id = ${s.id})
          join company c on c.id = dl.company_id
          join app_user fu on fu.id = dl.from_user_id join app_user tu on tu.id = dl.to_user_id
          where dl.company_id = r.company_id and dl.cancelled_at is null and (dl.doc_type is null or dl.doc_type = r.doc_type)
            and (now() at time zone c.timezone)::date between dl.starts_on and dl.ends_on and tu.status = 'active'`,
    );
  }
  return steps;
}

function actionsOf(db: Executor, requestId: number) {
  return rows(
    db,
    sql`select a.id, a.seq, a.action, a.actor_user_id as "actorUserId", a.actor_name as "actorName",
          a.on_behalf_of_user_id as "onBehalfOfUserId", a.on_behalf_of_name as "onBehalfOfName",
          a.to_user_id as "toUserId", a.to_user_name as "toUserName", a.reason, a.at,
          s.name_zh as "levelNameZh", s.name_en as "levelNameEn"
        from approval_action a left join approval_step s on s.id = a.step_id
        where a.request_id = ${requestId} order by a.id`,
  );
}

/** A request with its levels, who may decide the open one, its full history and the document itself. */
export async function getRequest(db: Executor, actor: Actor, id: number) {
  const r = await loadRequest(db, actor, id);
  const steps = await stepsOf(db, r.id);
  const actions = await actionsOf(db, r.id);
  let viewer: { canDecide: boolean; onBehalfOf: { id: number; name: string } | null; blockedReason: string | null } = {
    canDecide: false,
    onBehalfOf: null,
    blockedReason: r.status === "pending" ? "not_eligible" : "closed",
  };
  if (r.status === "pending") {
    const open = steps.find((s) => s.status === "pending")!;
    if (actor.id === r.makerUserId) viewer.blockedReason = "maker";
    else if (actor.id) {
      const e = await rows<{ on_behalf_of: number | null; name: string | null }>(
        db,
        sql`select e.on_behalf_of, u.display_name as name from approval_eligibility(${open.id}::int8, ${actor.id}::int8) e
            left join app_user u on u.id = e.on_behalf_of order by e.on_behalf_of nulls first limit 1`,
      );
      if (e.length > 0) viewer = { canDecide: true, onBehalfOf: e[0].on_behalf_of ? { id: e[0].on_behalf_of, name: e[0].name ?? "" } : null, blockedReason: null };
    }
  }
  const def = docTypeDef(r.docType);
  const document = def?.describe ? await def.describe(db, r.docId, actor) : null;
  const { companyId: _, ...rest } = r;
  return {
    ...rest,
    docTypeLabel: def?.label ?? null,
    steps,
    actions,
    viewer,
    canWithdraw: r.status === "pending" && actor.id === r.makerUserId,
    document,
  };
}

/** Every approval request of one document (newest first) with levels and history: the timeline on a document. */
export async function documentHistory(db: Executor, actor: Actor, docType: string, docId: string) {
  const list = await rows<{ id: number }>(
    db,
    sql`select id from approval_request where company_id = ${actor.companyId} and doc_type = ${docType} and doc_id = ${docId} order by id desc`,
  );
  const out = [];
  for (const { id } of list) {
    try {
      const r = await loadRequest(db, actor, id);
      out.push({ ...r, companyId: undefined, steps: await stepsOf(db, id), actions: await actionsOf(db, id) });
    } catch {
      // requests this person may not read are left out
    }
  }
  return out;
}

/** Whether the viewer may read the document's files: the same people who may read its request. */
export async function requestForFile(db: Executor, actor: Actor, requestId: number) {
  return loadRequest(db, actor, requestId);
}

export function listChains(db: Executor, companyId: number, params: ListParams & { docType?: string; active?: boolean }) {
  const where = [sql`c.company_id = ${companyId}`];
  if (params.docType) where.push(sql`c.doc_type = ${params.docType}`);
  if (params.active !== undefined) where.push(sql`c.active = ${params.active}`);
  if (params.q) {
    const p = likePattern(params.q);
    where.push(sql`(c.doc_type ilike ${p} or c.name_zh ilike ${p} or c.name_en ilike ${p})`);
  }
  return listPage(db, {
    columns: sql`c.id, c.doc_type as "docType", c.department_id as "departmentId", d.name_zh as "departmentNameZh",
      d.name_en as "departmentNameEn", c.name_zh as "nameZh", c.name_en as "nameEn", c.distinct_approvers as "distinctApprovers",
      c.active, c.revision, c.version, c.updated_at as "updatedAt",
      (select count(*)::int8 from approval_chain_level l where l.chain_id = c.id) as "levelCount",
      (select count(*)::int8 from approval_request r where r.chain_id = c.id and r.status = 'pending') as "openRequests"`,
    from: sql`approval_chain c left join department d on d.id = c.department_id`,
    where: sql.join(where, sql` and `),
    sortable: { docType: sql`c.doc_type`, nameZh: sql`c.name_zh`, nameEn: sql`c.name_en`, updatedAt: sql`c.updated_at` },
    defaultSort: "docType",
    params,
  });
}

export async function getChain(db: Executor, companyId: number, id: number) {
  const chain = await one<Record<string, unknown>>(
    db,
    sql`select c.id, c.doc_type as "docType", c.department_id as "departmentId", d.name_zh as "departmentNameZh",
          d.name_en as "departmentNameEn", c.name_zh as "nameZh", c.name_en as "nameEn", c.distinct_approvers as "distinctApprovers",
          c.active, c.revision, c.version, c.updated_at as "updatedAt"
        from approval_chain c left join department d on d.id = c.department_id where c.id = ${id} and c.company_id = ${companyId}`,
  );
  if (!chain) throw errors.notFound("approval_chain");
  chain.levels = await rows(
    db,
    sql`select l.level, l.name_zh as "nameZh", l.name_en as "nameEn", trim_scale(l.min_amount)::text as "minAmount",
          l.approver_kind as "approverKind", l.role_id as "roleId", ro.code as "roleCode", ro.name_zh as "roleNameZh", ro.name_en as "roleNameEn",
          l.department_id as "departmentId", ld.name_zh as "departmentNameZh", ld.name_en as "departmentNameEn",
          l.user_id as "userId", u.display_name as "userName", l.escalate_after_hours as "escalateAfterHours"
        from approval_chain_level l left join role ro on ro.id = l.role_id left join department ld on ld.id = l.department_id
          left join app_user u on u.id = l.user_id
        where l.chain_id = ${id} order by l.level`,
  );
  chain.revisions = await rows(
    db,
    sql`select revision, definition, note, changed_by_name as "changedByName", changed_at as "changedAt"
        from approval_chain_revision where chain_id = ${id} order by revision desc`,
  );
  return chain;
}

/** Document types: those the modules declare, and those chains already use. */
export async function docTypes(db: Executor, companyId: number) {
  const used = await rows<{ doc_type: string; name_zh: string; name_en: string }>(
    db,
    sql`select distinct on (doc_type) doc_type, name_zh, name_en from approval_chain where company_id = ${companyId} order by doc_type, active desc, id`,
  );
  const known = registeredDocTypes();
  // A type no module declares yet (its module is still to come) is named by its chain.
  for (const u of used) {
    if (!known.some((k) => k.docType === u.doc_type)) known.push({ docType: u.doc_type, label: { "zh-CN": u.name_zh, "en-US": u.name_en } });
  }
  return known.sort((a, b) => a.docType.localeCompare(b.docType));
}

export type DelegationScope = "mine" | "all";

export function listDelegations(db: Executor, actor: Actor, params: ListParams & { scope?: DelegationScope; state?: string }) {
  const scope = params.scope ?? "mine";
  if (scope === "all" && !can(actor, P.delegationAdmin)) throw errors.forbidden(P.delegationAdmin);
  const where = [sql`dl.company_id = ${actor.companyId}`];
  if (scope === "all") where.push(scopeCondition(actor, P.delegationAdmin, sql`fu.department_id`));
  if (scope === "mine") where.push(sql`(dl.from_user_id = ${actor.id} or dl.to_user_id = ${actor.id})`);
  if (params.q) {
    const p = likePattern(params.q);
    where.push(sql`(fu.display_name ilike ${p} or tu.display_name ilike ${p} or fu.username ilike ${p} or tu.username ilike ${p})`);
  }
  const state = sql`case when dl.cancelled_at is not null then 'cancelled'
      when (now() at time zone c.timezone)::date > dl.ends_on then 'past'
      when (now() at time zone c.timezone)::date < dl.starts_on then 'upcoming' else 'active' end`;
  if (params.state) where.push(sql`${state} = ${params.state}`);
  return listPage(db, {
    columns: sql`dl.id, dl.from_user_id as "fromUserId", fu.display_name as "fromName", dl.to_user_id as "toUserId",
      tu.display_name as "toName", to_char(dl.starts_on, 'YYYY-MM-DD') as "startsOn", to_char(dl.ends_on, 'YYYY-MM-DD') as "endsOn",
      dl.doc_type as "docType", dl.reason, dl.created_at as "createdAt", dl.cancelled_at as "cancelledAt", ${state} as state, dl.version`,
    from: sql`approval_delegation dl join company c on c.id = dl.company_id join app_user fu on fu.id = dl.from_user_id
      join app_user tu on tu.id = dl.to_user_id`,
    where: sql.join(where, sql` and `),
    sortable: { startsOn: sql`dl.starts_on`, endsOn: sql`dl.ends_on`, createdAt: sql`dl.created_at` },
    defaultSort: "-startsOn",
    params,
  });
}

/** Colleagues to pick as a delegate or a named approver (active people of the company; names only). */
export function people(db: Executor, companyId: number, q: string | undefined) {
  const p = q ? likePattern(q) : null;
  return rows(
    db,
    sql`select u.id, u.username, u.display_name as "displayName", d.name_zh as "departmentNameZh", d.name_en as "departmentNameEn"
        from app_user u left join department d on d.id = u.department_id
        where u.company_id = ${companyId} and u.status = 'active'
          ${p ? sql`and (u.username ilike ${p} or u.display_name ilike ${p})` : sql``}
        order by u.display_name limit 50`,
  );
}
