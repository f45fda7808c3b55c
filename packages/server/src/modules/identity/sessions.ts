import { createHash, randomBytes } from "node:crypto";
import type { Actor } from "../../platform/actor.ts";
import { type Database, type Executor, one, sql } from "../../platform/db/database.ts";
import type { Lang } from "../../platform/i18n.ts";

export const SESSION_COOKIE = "kaiwu_session";

export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createSession(
  tx: Executor,
  userId: number,
  opts: { ip?: string; userAgent?: string; maxHours: number },
): Promise<{ token: string; csrfToken: string; expiresAt: string }> {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  const row = await one<{ expires_at: string }>(
    tx,
    sql`insert into user_session (id, user_id, csrf_token, expires_at, ip, user_agent)
        values (${tokenHash(token)}, ${userId}, ${csrfToken}, now() + make_interval(hours => ${opts.maxHours}), ${opts.ip ?? null},
                ${opts.userAgent?.slice(0, 500) ?? null})
        returning expires_at`,
  );
  return { token, csrfToken, expiresAt: row!.expires_at };
}

export interface SessionActor extends Actor {
  csrfToken: string;
  mustChangePassword: boolean;
  /** The policy requires two-factor authentication for a role the user holds, and it is not set up. */
  mustEnrollTotp: boolean;
  username: string;
}

export type SessionLookup = { actor: SessionActor } | { expired: "idle" | "lifetime" | "disabled" } | null;

/**
 * Resolves a cookie token to the acting user with their current permissions. The server enforces the
 * idle timeout (IAM-3): a session unused for longer is ended here, whatever the browser believes.
 */
export async function resolveSession(database: Database, token: string, idleMinutes: number, lang: Lang, touch = false): Promise<SessionLookup> {
  const db = database.db;
  const id = tokenHash(token);
  const s = await lookup(database, id);
  if (!s) return null;
  const end = async (reason: "idle" | "lifetime" | "disabled") => {
    await db.execute(sql`update user_session set ended_at = now(), end_reason = ${reason} where id = ${id} and ended_at is null`);
    return { expired: reason } as const;
  };
  if (s.status !== "active") return end("disabled");
  if (s.expired) return end("lifetime");
  if (s.idle_seconds > idleMinutes * 60) return end("idle");
  // Touch at most every 15 s: keeps idle tracking accurate without a write per request.
  if (touch || s.idle_seconds > 15) await db.execute(sql`update user_session set last_seen_at = now() where id = ${id}`);
  return {
    actor: {
      kind: "user",
      id: s.user_id,
      name: s.display_name,
      username: s.username,
      companyId: s.company_id,
      departmentId: s.department_id,
      // Until the password is changed (first login, or expired by the policy) the user may do nothing else.
      ...grantsToPermissions(s.must_change_password || s.password_expired ? [] : s.grants),
      sessionId: id.slice(0, 16),
      csrfToken: s.csrf_token,
      mustChangePassword: s.must_change_password || s.password_expired,
      mustEnrollTotp: s.must_enroll_totp,
      lang,
    },
  };
}

export async function endSession(db: Executor, sessionIdPrefix: string, userId: number, reason: string): Promise<void> {
  await db.execute(
    sql`update user_session set ended_at = now(), end_reason = ${reason}
        where user_id = ${userId} and left(id, 16) = ${sessionIdPrefix} and ended_at is null`,
  );
}

interface SessionRow {
  user_id: number;
  csrf_token: string;
  idle_seconds: number;
  expired: boolean;
  username: string;
  display_name: string;
  company_id: number;
  department_id: number | null;
  status: string;
  must_change_password: boolean;
  password_expired: boolean;
  must_enroll_totp: boolean;
  grants: { p: string[]; d: number[] | null; w?: number | null }[];
}

// One round trip per request: the session, its user and the permissions held right now.
const SESSION_QUERY = `select s.user_id, s.csrf_token, extract(epoch from now() - s.last_seen_at)::float8 as idle_seconds,
    now() > s.expires_at as expired, u.username, u.display_name, u.company_id, u.department_id, u.status,
    u.must_change_password,
    (coalesce(p.password_max_age_days, 90) > 0 and u.password_changed_at is not null
      and u.password_changed_at < now() - make_interval(days => coalesce(p.password_max_age_days, 90))) as password_expired,
    (exists (select 1 from user_role ur join role r on r.id = ur.role_id
             where ur.user_id = u.id and ur.valid_from <= now() and (ur.valid_until is null or ur.valid_until > now())
               and r.code = any(coalesce(p.totp_required_roles, '{}')))
     and not exists (select 1 from user_totp t where t.user_id = u.id and t.enabled)) as must_enroll_totp,
    coalesce((
      select jsonb_agg(jsonb_build_object('p', r.permissions, 'w', ur.warehouse_id, 'd',
               case when ur.department_id is null then null else (
                 with recursive t(id) as (
                   select ur.department_id union all select d.id from department d join t on d.parent_id = t.id)
                 select jsonb_agg(id) from t) end))
      from user_role ur join role r on r.id = ur.role_id
      where ur.user_id = u.id and ur.valid_from <= now() and (ur.valid_until is null or ur.valid_until > now())
    ), '[]'::jsonb) as grants
  from user_session s join app_user u on u.id = s.user_id
  left join security_policy p on p.company_id = u.company_id
  where s.id = $1 and s.ended_at is null`;

/** Every request runs this: on a server it is a named prepared statement, planned once per connection. */
async function lookup(database: Database, id: string): Promise<SessionRow | undefined> {
  if (database.pool) return (await database.pool.query<SessionRow>({ name: "kaiwu_session_lookup", text: SESSION_QUERY, values: [id] })).rows[0];
  return (await database.pglite!.query<SessionRow>(SESSION_QUERY, [id])).rows[0];
}

/**
 * Roles held → permission keys, and for each key its data scope: company-wide if any role holding it
 * is company-wide, else the union of the departments (subtrees) of the roles that hold it; likewise
 * every warehouse if any role holding it has no warehouse, else the union of the roles' warehouses.
 */
export function grantsToPermissions(grants: { p: string[]; d: number[] | null; w?: number | null }[]): {
  permissions: Set<string>;
  scopes: Map<string, number[] | null>;
  warehouses: Map<string, number[] | null>;
} {
  const scopes = new Map<string, number[] | null>();
  const warehouses = new Map<string, number[] | null>();
  for (const g of grants) {
    const w = g.w ?? null;
    for (const p of g.p) {
      const had = scopes.get(p);
      if (had !== null) scopes.set(p, g.d === null ? null : [...new Set([...(had ?? []), ...g.d])]);
      const hadW = warehouses.get(p);
      if (hadW !== null) warehouses.set(p, w === null ? null : [...new Set([...(hadW ?? []), w])]);
    }
  }
  return { permissions: new Set(scopes.keys()), scopes, warehouses };
}
