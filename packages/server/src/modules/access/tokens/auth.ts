import { createHash, randomBytes } from "node:crypto";
import type { Actor } from "../../../platform/actor.ts";
import { type AuditMeta, writeAudit } from "../../../platform/audit.ts";
import { one, sql } from "../../../platform/db/database.ts";
import { AppError } from "../../../platform/errors.ts";
import type { Lang } from "../../../platform/i18n.ts";
import type { Runtime } from "../../../platform/runtime.ts";

/** `kw_` + 32 random bytes in base64url: recognisable in logs and secret scanners, 256 bits of secret. */
export function newToken(): { token: string; prefix: string; hash: string } {
  const token = `kw_${randomBytes(32).toString("base64url")}`;
  return { token, prefix: token.slice(0, 9), hash: hashToken(token) };
}

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const BEARER = /^bearer\s+(kw_[A-Za-z0-9_-]{43})\s*$/i;
// The usage stamp is refreshed at most this often (and whenever the address changes).
const TOUCH_SECONDS = 60;

interface TokenRow {
  id: number;
  company_id: number;
  name: string;
  permissions: string[];
  department_id: number | null;
  warehouse_id: number | null;
  expired: boolean;
  revoked: boolean;
  touch: boolean;
  scope: number[] | null;
}

/**
 * An `Authorization: Bearer kw_…` header → the token's actor: kind `token`, exactly the token's
 * permissions, in its creator's company, limited to its department subtree and to its warehouse when it has
 * them. The creator
 * being disabled later does not stop the token (the token list shows it). Unknown, expired and revoked
 * tokens get 401, and the attempt is audited.
 */
export async function authenticateBearer(runtime: Runtime, header: string, meta: AuditMeta, lang: Lang): Promise<Actor> {
  const m = BEARER.exec(header);
  if (!m) return refuse(runtime, meta, "token_invalid", "access.token.invalid", header.startsWith("Bearer kw_") ? header.slice(7, 16) : null);
  const token = m[1];
  const t = await one<TokenRow>(
    runtime.database.db,
    sql`select t.id, t.company_id, t.name, t.permissions, t.department_id, t.warehouse_id, t.expires_at <= now() as expired,
          t.revoked_at is not null as revoked,
          (t.last_used_at is null or t.last_used_at < now() - make_interval(secs => ${TOUCH_SECONDS})
            or t.last_used_ip is distinct from ${meta.ip ?? null}) as touch,
          case when t.department_id is null then null else array(
            with recursive d(id) as (select t.department_id union all select c.id from department c join d on c.parent_id = d.id)
            select id from d) end as scope
        from api_token t where t.token_hash = ${hashToken(token)}`,
  );
  if (!t) return refuse(runtime, meta, "token_invalid", "access.token.invalid", token.slice(0, 9));
  const tokenActor: Actor = {
    kind: "token",
    id: null,
    name: t.name,
    companyId: t.company_id,
    departmentId: t.department_id,
    permissions: new Set(t.permissions),
    tokenId: t.id,
    lang,
  };
  if (t.revoked) return refuse(runtime, meta, "token_revoked", "access.token.revoked", token.slice(0, 9), tokenActor);
  if (t.expired) return refuse(runtime, meta, "token_expired", "access.token.expired", token.slice(0, 9), tokenActor);
  if (t.touch) {
    await runtime.database.db.execute(sql`update api_token set last_used_at = now(), last_used_ip = ${meta.ip ?? null} where id = ${t.id}`);
  }
  let actor = tokenActor;
  if (t.scope) {
    // Every permission of a department-limited token reaches that department and the ones below it.
    const scope = t.scope.map(Number);
    actor = { ...actor, scopes: new Map(t.permissions.map((p) => [p, scope])) };
  }
  if (t.warehouse_id !== null) {
    // Every permission of a warehouse-limited token reaches only that warehouse (IAM-5 warehouse scope).
    const warehouses = [Number(t.warehouse_id)];
    actor = { ...actor, warehouses: new Map(t.permissions.map((p) => [p, warehouses])) };
  }
  return actor;
}

async function refuse(runtime: Runtime, meta: AuditMeta, code: string, messageKey: string, prefix: string | null, actor?: Actor): Promise<never> {
  const who: Actor = actor ?? { kind: "anonymous", id: null, name: "anonymous", companyId: null, departmentId: null, permissions: new Set(), lang: "en-US" };
  await runtime.database.db
    .transaction((tx) =>
      writeAudit(tx, runtime.auditKey, who, meta, { action: "auth.token", outcome: "denied", entity: "api_token", entityId: actor?.tokenId ?? null, errorCode: code, details: { prefix } }),
    )
    .catch((err) => runtime.log.error({ err }, "could not audit a refused API token"));
  throw new AppError(401, code, messageKey);
}
