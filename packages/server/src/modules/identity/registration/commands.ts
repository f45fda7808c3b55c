import { randomInt } from "node:crypto";
import { eq } from "drizzle-orm";
import { type Executor, one, sql } from "../../../platform/db/database.ts";
import { type AppError, type FieldError, errors } from "../../../platform/errors.ts";
import { translate } from "../../../platform/i18n.ts";
import { type CommandContext, defineCommand } from "../../../platform/pipeline.ts";
import { StrictObject, Type } from "../../../platform/validation.ts";
import { registerApprovalHandler, submitForApproval } from "../../workflow/engine.ts";
import { listFiles, MAX_FILE_BYTES, saveFile, sniffProofType } from "../../workflow/files.ts";
import { checkPassword, hashPassword } from "../password.ts";
import { loadPolicy } from "../policy.ts";
import { appUser } from "../schema.ts";
import { P } from "./permissions.ts";
import { registrationApplication } from "./schema.ts";

export const REGISTRATION = "identity.registration";
export const APPLY = "identity.registration.apply";
export const STATUS = "identity.registration.status";

/** Per client address and hour: this many applications, and this many attempts of any outcome. */
export const LIMITS = { applications: 5, applyAttempts: 30, statusLookups: 30 };

const Base64 = Type.String({ minLength: 1, maxLength: Math.ceil(MAX_FILE_BYTES / 3) * 4 + 4, pattern: "^[A-Za-z0-9+/]*={0,2}$" });

export const apply = defineCommand({
  name: APPLY,
  permission: null,
  allowAnonymous: true,
  entity: "registration_application",
  input: StrictObject({
    fullName: Type.String({ minLength: 1, maxLength: 100 }),
    username: Type.String({ pattern: "^[a-z0-9][a-z0-9._-]{1,63}$", description: "lower-case letters, digits, . _ -" }),
    email: Type.String({ format: "email", maxLength: 200 }),
    departmentId: Type.Integer({ minimum: 1 }),
    jobTitle: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    proofs: Type.Array(StrictObject({ fileName: Type.String({ minLength: 1, maxLength: 255 }), contentBase64: Base64 }), { minItems: 1, maxItems: 5 }),
  }),
  async run(ctx, input) {
    await rateLimit(ctx, APPLY, [
      { outcome: "success", max: LIMITS.applications },
      { outcome: null, max: LIMITS.applyAttempts },
    ]);
    const fullName = input.fullName.trim();
    const jobTitle = input.jobTitle.trim();
    const problems: FieldError[] = [];
    if (!fullName) problems.push({ field: "/fullName", rule: "required", messageKey: "validation.required" });
    if (!jobTitle) problems.push({ field: "/jobTitle", rule: "required", messageKey: "validation.required" });
    const dept = await one<{ company_id: number; name_zh: string; name_en: string }>(
      ctx.tx,
      sql`select company_id, name_zh, name_en from department where id = ${input.departmentId} and active`,
    );
    if (!dept) problems.push({ field: "/departmentId", rule: "exists", messageKey: "registration.error.department" });
    for (const p of checkPassword(input.password, input.username)) problems.push({ ...p, field: "/password" });
    const files = input.proofs.map((p, i) => {
      const content = Buffer.from(p.contentBase64, "base64");
      const at = `/proofs/${i}`;
      if (content.length === 0) problems.push({ field: at, rule: "empty", messageKey: "registration.error.file_empty" });
      else if (content.length > MAX_FILE_BYTES) problems.push({ field: at, rule: "maxSize", messageKey: "registration.error.file_size" });
      const type = sniffProofType(content);
      if (content.length > 0 && !type) problems.push({ field: at, rule: "fileType", messageKey: "registration.error.file_type" });
      return { fileName: p.fileName, content, type };
    });
    if (problems.length > 0) throw errors.validation(problems);
    const companyId = dept!.company_id;
    if (await one(ctx.tx, sql`select 1 from app_user where username = ${input.username}`)) throw errors.unique("username");
    const email = input.email.trim();
    if (await one(ctx.tx, sql`select 1 from registration_application where lower(email) = lower(${email}) and status = 'pending'`)) {
      throw errors.field("/email", "unique", "registration.error.email_pending");
    }

    // The account exists from now on, but `pending` cannot log in; the password is the applicant's own.
    const [user] = await ctx.tx
      .insert(appUser)
      .values({
        companyId,
        departmentId: input.departmentId,
        username: input.username,
        displayName: fullName,
        email,
        jobTitle,
        locale: ctx.actor.lang,
        status: "pending",
        passwordHash: await hashPassword(input.password),
        mustChangePassword: false,
      })
      .returning({ id: appUser.id });
    const [application] = await ctx.tx
      .insert(registrationApplication)
      .values({
        companyId,
        number: applicationNumber(),
        userId: user.id,
        fullName,
        username: input.username,
        email,
        departmentId: input.departmentId,
        jobTitle,
        ip: ctx.meta.ip ?? null,
      })
      .returning();
    const stored = [];
    for (const f of files) {
      stored.push(
        await saveFile(ctx.tx, { companyId, entity: REGISTRATION, entityId: application.id, fileName: f.fileName, contentType: f.type!, content: f.content, uploadedBy: null }),
      );
    }
    const params = { fullName, username: input.username, jobTitle };
    const approval = await submitForApproval(ctx, {
      docType: REGISTRATION,
      docId: application.id,
      departmentId: input.departmentId,
      companyId,
      makerId: user.id,
      summary: {
        "zh-CN": translate("registration.summary", "zh-CN", { ...params, department: dept!.name_zh }),
        "en-US": translate("registration.summary", "en-US", { ...params, department: dept!.name_en }),
      },
    });
    ctx.audit.entityId = application.id;
    ctx.audit.after = {
      number: application.number,
      userId: user.id,
      username: input.username,
      fullName,
      email,
      departmentId: input.departmentId,
      jobTitle,
      proofs: stored.map((s) => ({ fileName: s.fileName, contentType: s.contentType, sizeBytes: s.sizeBytes, sha256: s.sha256 })),
    };
    return { id: application.id, number: application.number, status: application.status, submittedAt: application.createdAt, approvalNumber: approval.number };
  },
});

/** The applicant's own view of the outcome: the application number and the e-mail address they gave. */
export const checkStatus = defineCommand({
  name: STATUS,
  permission: null,
  allowAnonymous: true,
  entity: "registration_application",
  input: StrictObject({
    number: Type.String({ pattern: "^\\s*[Rr][Ee][Gg]-[0-9A-Za-z]{8}\\s*$" }),
    email: Type.String({ minLength: 3, maxLength: 200 }),
  }),
  async run(ctx, input) {
    await rateLimit(ctx, STATUS, [{ outcome: null, max: LIMITS.statusLookups }]);
    const a = await one<Record<string, unknown> & { id: number }>(
      ctx.tx,
      sql`select a.id, a.number, a.status, a.full_name as "fullName", a.username, a.job_title as "jobTitle",
            d.name_zh as "departmentNameZh", d.name_en as "departmentNameEn", a.created_at as "submittedAt", a.decided_at as "decidedAt",
            case when a.status = 'rejected' then a.decision_reason end as reason,
            s.name_zh as "levelNameZh", s.name_en as "levelNameEn", r.current_level as "currentLevel",
            (select count(*)::int8 from approval_step x where x.request_id = r.id) as "levelCount"
          from registration_application a join department d on d.id = a.department_id
          left join lateral (select * from approval_request r where r.doc_type = ${REGISTRATION} and r.doc_id = a.id::text order by r.id desc limit 1) r on true
          left join approval_step s on s.request_id = r.id and s.seq = r.current_level
          where a.number = upper(btrim(${input.number})) and lower(a.email) = lower(btrim(${input.email}))`,
    );
    // A wrong number and a wrong address answer the same, and both count against the address's limit.
    if (!a) throw errors.notFound("registration_application");
    ctx.audit.entityId = a.id;
    const { id: _, ...rest } = a;
    return rest;
  },
});

/**
 * Limits anonymous commands per client address, counting their audit records (successes and failures
 * alike, committed or recorded after a rollback). An advisory lock per address makes concurrent
 * attempts count one after the other.
 */
async function rateLimit(ctx: CommandContext, action: string, limits: { outcome: "success" | null; max: number }[]) {
  const ip = ctx.meta.ip;
  if (!ip) return;
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(7240120, hashtext(${`${action}|${ip}`}))`);
  const c = await one<{ success: number; total: number }>(
    ctx.tx,
    sql`select count(*) filter (where outcome = 'success')::int8 as success, count(*)::int8 as total
        from audit_log where ip = ${ip} and action = ${action} and occurred_at > now() - interval '1 hour'`,
  );
  for (const l of limits) {
    const n = Number(l.outcome === "success" ? c?.success : c?.total);
    if (n >= l.max) throw errors.tooManyRequests();
  }
}

// Crockford's base 32 without I, L, O, U: easy to read out and type.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
function applicationNumber(): string {
  let s = "REG-";
  for (let i = 0; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

async function lockApplication(tx: Executor, id: string) {
  const [a] = await tx.select().from(registrationApplication).where(eq(registrationApplication.id, Number(id))).for("update");
  if (!a) throw errors.notFound("registration_application");
  if (a.status !== "pending") throw errors.rule("registration_not_pending", "registration.error.not_pending", { status: a.status });
  return a;
}

// Approval activates the account in the transaction of the final approval; rejection closes it for good.
registerApprovalHandler(
  REGISTRATION,
  async (ctx, docId) => {
    const a = await lockApplication(ctx.tx, docId);
    await ctx.tx.execute(sql`update registration_application set status = 'approved', decided_at = now(), version = version + 1 where id = ${a.id}`);
    // The policy's "change at first login" (default on): the password was chosen in an anonymous form,
    // possibly days ago; the first sign-in replaces it with one only the account's owner has used.
    const { changeAtFirstLogin } = await loadPolicy(ctx.tx, a.companyId);
    const activated = await one(
      ctx.tx,
      sql`update app_user set status = 'active', must_change_password = ${changeAtFirstLogin}, password_changed_at = now(), version = version + 1,
            updated_at = now() where id = ${a.userId} and status = 'pending' returning id`,
    );
    if (!activated) throw errors.rule("registration_account_changed", "registration.error.account_changed");
    ctx.audit.details = { ...ctx.audit.details, registration: a.number, activatedUserId: a.userId, username: a.username, changeAtFirstLogin };
  },
  {
    label: { "zh-CN": "账号注册申请", "en-US": "Account application" },
    readPermission: P.registrationRead,
    onRejected: async (ctx, docId, { reason }) => {
      const a = await lockApplication(ctx.tx, docId);
      await ctx.tx.execute(sql`update registration_application set status = 'rejected', decided_at = now(), decision_reason = ${reason},
          version = version + 1 where id = ${a.id}`);
      await ctx.tx.execute(sql`update app_user set status = 'disabled', version = version + 1, updated_at = now() where id = ${a.userId}`);
      ctx.audit.details = { ...ctx.audit.details, registration: a.number, disabledUserId: a.userId, username: a.username };
    },
    describe: async (db, docId) => {
      const a = await one<Record<string, unknown>>(
        db,
        sql`select a.id, a.number, a.full_name as "fullName", a.username, a.email, a.job_title as "jobTitle", a.department_id as "departmentId",
              d.code as "departmentCode", d.name_zh as "departmentNameZh", d.name_en as "departmentNameEn", a.status,
              a.decision_reason as "decisionReason", a.created_at as "submittedAt", a.decided_at as "decidedAt", a.ip, u.status as "accountStatus"
            from registration_application a join department d on d.id = a.department_id join app_user u on u.id = a.user_id
            where a.id = ${Number(docId)}`,
      );
      if (!a) return null;
      return { kind: "registration", ...a, files: await listFiles(db, REGISTRATION, docId) };
    },
  },
);

/** Mapped onto the form's fields by the route: a multipart part that broke a limit. */
export function fileProblem(index: number, rule: "maxSize" | "maxItems"): AppError {
  return rule === "maxSize"
    ? errors.field(`/proofs/${index}`, "maxSize", "registration.error.file_size")
    : errors.field("/proofs", "maxItems", "registration.error.too_many_files");
}
