import { type Actor, anonymous, systemActor } from "../../platform/actor.ts";
import { one, sql } from "../../platform/db/database.ts";
import type { DemoContext } from "../../platform/module.ts";
import { execute } from "../../platform/pipeline.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { createUser, disableUser, login } from "../identity/commands.ts";
import { grantsToPermissions } from "../identity/sessions.ts";
import * as ev from "./events.ts";

/** A person of the demo company as an actor with the rights their roles give them now. */
export async function userActor(runtime: Runtime, username: string): Promise<Actor> {
  const u = await one<{ id: number; display_name: string; company_id: number; department_id: number | null; grants: { p: string[]; d: number[] | null }[] }>(
    runtime.database.db,
    sql`select u.id, u.display_name, u.company_id, u.department_id,
          coalesce((select jsonb_agg(jsonb_build_object('p', r.permissions, 'd', case when ur.department_id is null then null
                      else jsonb_build_array(ur.department_id) end))
                    from user_role ur join role r on r.id = ur.role_id
                    where ur.user_id = u.id and ur.valid_from <= now() and (ur.valid_until is null or ur.valid_until > now())), '[]'::jsonb) as grants
        from app_user u where u.username = ${username}`,
  );
  if (!u) throw new Error(`demo: no user ${username}`);
  return { kind: "user", id: u.id, name: u.display_name, companyId: u.company_id, departmentId: u.department_id, ...grantsToPermissions(u.grants), lang: "zh-CN" };
}

/**
 * The demo company's security picture, made the way it happens in real life: sign-in attempts through
 * the login command (a password-guessing run from outside, a departed storekeeper's account tried
 * again), the anomaly rules run over them, and the events in different states of handling.
 */
export async function seedDemo(runtime: Runtime, demo: DemoContext): Promise<void> {
  const companyId = demo.companyId as number;
  const system = systemActor("demo-seed", companyId);
  const depts = demo.departments as Record<string, number>;
  const outside = { ip: "203.0.113.77", userAgent: "python-requests/2.31" };
  // Someone outside tries common account names: repeated failures from one address.
  for (const username of ["root", "test", "administrator", "sa", "guest", "manager"]) {
    await execute(runtime, login, { username, password: "123456" }, anonymous("en-US"), outside);
  }
  // A storekeeper left the company; their account was disabled, and someone tried it again.
  const departed = await execute(
    runtime,
    createUser,
    { username: "wh.ma", displayName: "马超 Ma Chao", departmentId: depts.WH, jobTitle: "前仓管员 Former storekeeper", roles: [{ role: "operator", departmentId: depts.WH }] },
    system,
  );
  await execute(runtime, disableUser, { id: departed.id, version: departed.version, reason: "离职 Left the company" }, system);
  const warehousePc = { ip: "10.20.4.87", userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" };
  for (let i = 0; i < 2; i++) await execute(runtime, login, { username: "wh.ma", password: "Warehouse-2025" }, anonymous("zh-CN"), warehousePc);
  // A buyer mistyping twice: below the threshold, no event.
  for (let i = 0; i < 2; i++) await execute(runtime, login, { username: "pur.chen", password: "typo" }, anonymous("zh-CN"), { ip: "10.20.2.31" });

  const scanned = await execute(runtime, ev.scan, {}, systemActor("demo-seed", null));
  const it = await userActor(runtime, "it.zhou");
  const event = async (where: ReturnType<typeof sql>) => one<{ id: number; version: number }>(runtime.database.db, sql`select id, version from security_event where ${where}`);

  const disabled = await event(sql`rule = 'disabled_account'`);
  if (disabled) {
    await execute(
      runtime,
      ev.investigate,
      { id: disabled.id, version: disabled.version, assigneeId: it.id!, note: "已确认该账户于离职当日停用。正在核对 10.20.4.87 是哪台电脑、当时谁在使用。" },
      it,
    );
  }
  const appointment = await event(sql`rule = 'rights_escalation' and subject_name like '%Zhou Min%'`);
  if (appointment) {
    await execute(
      runtime,
      ev.investigate,
      { id: appointment.id, version: appointment.version, note: "核对任命：周敏为信息部系统管理员。" },
      it,
    );
    await execute(
      runtime,
      ev.resolve,
      {
        id: appointment.id,
        version: appointment.version + 1,
        resolution: "false_positive",
        note: "总经理办公室 2026 年第 12 号任命文件批准周敏担任系统管理员，授权与职责分工一致，非异常。Approved appointment (GM office memo 2026-12).",
      },
      it,
    );
  }
  demo.securityEvents = scanned.created;
}
