import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditModule } from "../src/modules/audit/index.ts";
import { bursts } from "../src/modules/audit/rules.ts";
import { one, rows, sql } from "../src/platform/db/database.ts";
import { JobWorker, enqueueJob } from "../src/platform/jobs.ts";
import { type Client, DB_AVAILABLE, type TestSystem, count, dbError, login, testSystem } from "./harness.ts";

interface EventRow {
  id: number;
  rule: string;
  severity: string;
  status: string;
  subject_key: string;
  subject_name: string | null;
  occurrences: number;
  facts: Record<string, unknown>;
}

describe.skipIf(!DB_AVAILABLE)("anomaly rules and security events", () => {
  let sys: TestSystem;
  let admin: Client;
  let adminId: number;
  const users: Record<string, { id: number; version: number; password: string }> = {};

  const tryLogin = (username: string, password: string, ip = "127.0.0.1") =>
    sys.app.inject({ method: "POST", url: "/api/auth/login", payload: { username, password }, remoteAddress: ip, headers: { "accept-language": "en-US" } });
  const scan = async () => {
    const r = await admin.post("/api/security/scan", {});
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { created: number[]; extended: number[]; skipped: { rule: string }[] };
  };
  const events = (where: string) =>
    rows<EventRow>(sys.rt.database.db, sql.raw(`select id, rule, severity, status, subject_key, subject_name, occurrences, facts from security_event where ${where} order by id`));
  const userId = (name: string) => users[name].id;
  const makeUser = async (username: string, role = "operator") => {
    const r = await admin.post("/api/identity/users", { username, displayName: `${username} name`, roles: [{ role }] });
    expect(r.statusCode, r.body).toBe(201);
    users[username] = { id: r.json().id, version: r.json().version, password: r.json().oneTimePassword };
  };

  beforeAll(async () => {
    sys = await testSystem();
    admin = await login(sys.app, "admin", sys.adminPassword);
    adminId = (await admin.get("/api/auth/me")).json().id;
    for (const u of ["rf.user", "na.user", "oh.user", "da.user", "esc.op"]) await makeUser(u);
    await scan(); // everything so far is the set-up
  });
  afterAll(() => sys?.close());

  it("repeated failed sign-ins for one account: once at the threshold, not below it, never twice", async () => {
    for (let i = 0; i < 4; i++) expect((await tryLogin("rf.user", `wrong-${i}`)).statusCode).toBe(401);
    await scan();
    expect(await events(`rule = 'repeated_failures' and subject_key = 'user:${userId("rf.user")}'`)).toEqual([]);
    expect((await tryLogin("rf.user", "wrong-4")).statusCode).toBe(401);
    const r = await scan();
    const found = await events(`rule = 'repeated_failures' and subject_key = 'user:${userId("rf.user")}'`);
    expect(found).toHaveLength(1);
    expect(r.created).toContain(found[0].id);
    expect(found[0]).toMatchObject({ status: "open", occurrences: 5, facts: expect.objectContaining({ count: 5, minutes: 15 }) });
    // Running again, or rescanning the last hour, finds the same burst: no second event.
    await scan();
    expect((await admin.post("/api/security/scan", { since: new Date(Date.now() - 3_600_000).toISOString() })).statusCode).toBe(200);
    expect(await events(`rule = 'repeated_failures' and subject_key = 'user:${userId("rf.user")}'`)).toHaveLength(1);
    // More failures in the same burst extend the event.
    await tryLogin("rf.user", "wrong-5");
    const ext = await scan();
    const after = await events(`rule = 'repeated_failures' and subject_key = 'user:${userId("rf.user")}'`);
    expect(after).toHaveLength(1);
    expect(ext.extended).toContain(after[0].id);
    expect(after[0].occurrences).toBe(6);
    expect(after[0].facts.count).toBe(6);
  });

  it("one address trying several accounts is one event for that address; a couple of mistakes are none", async () => {
    for (const u of ["root", "test", "oracle", "guest", "sa"]) await tryLogin(u, "123456", "203.0.113.5");
    for (const u of ["nobody1", "nobody2"]) await tryLogin(u, "123456", "203.0.113.6");
    await scan();
    const found = await events(`rule = 'repeated_failures' and subject_key like 'ip:%'`);
    expect(found.map((e) => e.subject_key)).toEqual(["ip:203.0.113.5"]);
    expect(found[0].facts.usernames).toEqual(expect.arrayContaining(["root", "sa"]));
    // Tied to no company (the accounts do not exist), yet visible to the company's security staff.
    const list = (await admin.get("/api/security/events?rule=repeated_failures")).json();
    expect(list.items.map((e: { subjectName: string }) => e.subjectName)).toContain("203.0.113.5");
  });

  it("sign-ins on a disabled account: an event; a wrong password on an active one: none", async () => {
    const u = users["da.user"];
    expect((await admin.post(`/api/identity/users/${u.id}/disable`, { version: u.version, reason: "left" })).statusCode).toBe(200);
    await tryLogin("da.user", u.password, "10.20.4.87");
    await tryLogin("na.user", "not-it");
    await scan();
    const found = await events(`rule = 'disabled_account'`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ subject_key: `user:${u.id}`, occurrences: 1 });
    await tryLogin("da.user", "again", "10.20.4.87");
    await scan();
    expect((await events(`rule = 'disabled_account'`))[0].occurrences).toBe(2);
  });

  it("sign-in from a new address: only against a history, once per new address", async () => {
    const u = users["na.user"];
    // The first sign-in ever has nothing to compare with; the same address again is normal.
    expect((await tryLogin("na.user", u.password, "10.1.1.1")).statusCode).toBe(200);
    expect((await tryLogin("na.user", u.password, "10.1.1.1")).statusCode).toBe(200);
    await scan();
    expect(await events(`rule = 'new_address'`)).toEqual([]);
    expect((await tryLogin("na.user", u.password, "198.51.100.23")).statusCode).toBe(200);
    expect((await tryLogin("na.user", u.password, "198.51.100.23")).statusCode).toBe(200);
    await scan();
    const found = await events(`rule = 'new_address'`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ subject_key: `user:${u.id}`, facts: expect.objectContaining({ ip: "198.51.100.23" }) });
  });

  it("sign-in outside working hours of the default calendar: per person and day; inside them: none", async () => {
    const noCalendar = await scan();
    void noCalendar;
    const cal = await admin.post("/api/org/calendars", {
      code: "ALLDAY",
      nameZh: "全天",
      nameEn: "All day",
      workingWeekdays: [1, 2, 3, 4, 5, 6, 7],
      isDefault: true,
      shifts: [{ code: "D", nameZh: "全天", nameEn: "All day", startTime: "00:00", endTime: "23:59", breakMinutes: 0 }],
    });
    expect(cal.statusCode, cal.body).toBe(201);
    const u = users["oh.user"];
    expect((await tryLogin("oh.user", u.password)).statusCode).toBe(200);
    await scan();
    expect(await events(`rule = 'off_hours_login'`)).toEqual([]);
    // Now every day is a day off.
    const c = cal.json();
    expect((await admin.patch(`/api/org/calendars/${c.id}`, { workingWeekdays: [] }, { "if-match": `"${c.version}"` })).statusCode).toBe(200);
    await tryLogin("oh.user", u.password);
    await tryLogin("oh.user", u.password);
    await scan();
    const found = await events(`rule = 'off_hours_login'`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ subject_key: `user:${u.id}`, severity: "low", facts: expect.objectContaining({ reason: "day_off", calendar: "ALLDAY" }) });
    expect(found[0].occurrences).toBe(2);
    // Back to working days with a shift that does not cover now: outside the shift.
    const v = (await admin.get(`/api/org/calendars/${c.id}`)).json().version;
    const hour = (new Date().getUTCHours() + 8 + 12) % 24; // twelve hours away from now in Asia/Shanghai
    const start = `${String(hour).padStart(2, "0")}:00`;
    const end = `${String((hour + 1) % 24).padStart(2, "0")}:00`;
    const patched = await admin.patch(
      `/api/org/calendars/${c.id}`,
      { workingWeekdays: [1, 2, 3, 4, 5, 6, 7], shifts: [{ code: "N", nameZh: "班", nameEn: "Shift", startTime: start, endTime: end, breakMinutes: 0 }] },
      { "if-match": `"${v}"` },
    );
    expect(patched.statusCode, patched.body).toBe(200);
    await tryLogin("na.user", "no"); // a failure is not a sign-in
    const esc = users["esc.op"];
    await tryLogin("esc.op", esc.password);
    await scan();
    const outside = await events(`rule = 'off_hours_login' and subject_key = 'user:${esc.id}'`);
    expect(outside).toHaveLength(1);
    expect(outside[0].facts.reason).toBe("outside_shifts");
  });

  it("mass export and mass deletion: at the configured thresholds, not below", async () => {
    const s = (await admin.get("/api/security/settings")).json();
    expect(s).toMatchObject({ isDefault: true, massExportCount: 20, version: 1 });
    const bad = await admin.patch("/api/security/settings", { failedLoginThreshold: 1 }, { "if-match": `"${s.version}"` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: "/failedLoginThreshold", rule: "minimum" });
    const saved = await admin.patch("/api/security/settings", { massExportCount: 3, massDeletionCount: 3 }, { "if-match": `"${s.version}"` });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ massExportCount: 3, massDeletionCount: 3, version: 2, isDefault: false });
    expect((await admin.patch("/api/security/settings", { massExportCount: 4 }, { "if-match": `"${s.version}"` })).statusCode).toBe(409);

    for (let i = 0; i < 2; i++) expect((await admin.get("/api/audit/export?outcome=denied")).statusCode).toBe(200);
    await scan();
    expect(await events(`rule = 'mass_export'`)).toEqual([]);
    await admin.get("/api/audit/export?outcome=denied");
    await scan();
    const exp = await events(`rule = 'mass_export'`);
    expect(exp).toHaveLength(1);
    expect(exp[0]).toMatchObject({ subject_key: `actor:user:${adminId}`, severity: "high", facts: expect.objectContaining({ count: 3 }) });

    const cal = (await admin.get("/api/org/calendars")).json().items[0];
    const ids: number[] = [];
    for (const day of ["2027-03-01", "2027-03-02", "2027-03-03"]) {
      const r = await admin.put("/api/org/calendar-exceptions", { calendarId: cal.id, day, kind: "holiday", nameZh: "假", nameEn: "Off" });
      ids.push(r.json().id);
    }
    for (const id of ids.slice(0, 2)) expect((await admin.delete(`/api/org/calendar-exceptions/${id}`)).statusCode).toBe(200);
    await scan();
    expect(await events(`rule = 'mass_deletion'`)).toEqual([]);
    await admin.delete(`/api/org/calendar-exceptions/${ids[2]}`);
    await scan();
    expect(await events(`rule = 'mass_deletion'`)).toHaveLength(1);
  });

  it("rights escalation: administrative roles given, permissions changed, self-granting and refused attempts", async () => {
    await makeUser("esc.admin", "system_admin");
    await makeUser("esc.plain", "operator");
    const escAdmin = await login(sys.app, "esc.admin", users["esc.admin"].password);
    const escOp = await login(sys.app, "esc.op", users["esc.op"].password, "Quiet-Harbor-2231");
    const self = await escAdmin.post("/api/access/user-roles", { userId: userId("esc.admin"), role: "auditor" });
    const denied = await escOp.post("/api/access/roles", { code: "sneaky", nameZh: "偷偷", nameEn: "Sneaky", permissions: ["org.read"] });
    expect(denied.statusCode).toBe(403);
    const exceeds = await escAdmin.post("/api/access/tokens", {
      name: "too much",
      permissions: ["audit.log.read"],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(exceeds.statusCode).toBe(400);
    expect(exceeds.json().code).toBe("exceeds_own_rights");
    const role = await admin.post("/api/access/roles", { code: "qc_reader", nameZh: "质检只读", nameEn: "QC reader", permissions: ["org.read"] });
    expect(role.statusCode, role.body).toBe(201);
    await scan();
    const found = await events(`rule = 'rights_escalation'`);
    const kinds = found.map((e) => `${e.facts.kind}:${e.subject_key}`);
    expect(kinds).toContain(`admin_role:user:${userId("esc.admin")}`);
    expect(kinds).not.toContain(`admin_role:user:${userId("esc.plain")}`);
    expect(kinds).toContain(`denied:user:${userId("esc.op")}`);
    expect(kinds).toContain(`exceeds_own_rights:user:${userId("esc.admin")}`);
    expect(kinds).toContain(`permission_change:user:${adminId}`);
    expect(self.statusCode).toBe(422);
    expect(kinds).toContain(`self_grant:user:${userId("esc.admin")}`);
    // The installation's own administrator is not an escalation.
    expect(found.some((e) => e.facts.kind === "admin_role" && e.subject_name?.includes("Administrator"))).toBe(false);
    // Each record is one finding: scanning again adds nothing.
    await admin.post("/api/security/scan", { since: new Date(Date.now() - 3_600_000).toISOString() });
    expect(await events(`rule = 'rights_escalation'`)).toHaveLength(found.length);
    // High and critical findings are alerts for the administrators.
    expect(await count(sys.rt, "system_alert", "message_key = 'alert.security_event'")).toBeGreaterThan(0);
    const alerts = (await admin.get("/api/system/alerts", { "accept-language": "zh-CN" })).json();
    expect(alerts.some((a: { message: string }) => a.message.includes("安全事件"))).toBe(true);
  });

  it("an event is handled open → investigating → resolved, with notes, an assignee and a resolution", async () => {
    const [e] = await events(`rule = 'repeated_failures' and subject_key = 'user:${userId("rf.user")}'`);
    const auditor = await (async () => {
      await makeUser("sec.auditor", "auditor");
      return login(sys.app, "sec.auditor", users["sec.auditor"].password);
    })();
    const detail = (await auditor.get(`/api/security/events/${e.id}`)).json();
    expect(detail).toMatchObject({ status: "open", title: "6 failed sign-ins for rf.user name within 15 minutes" });
    expect(detail.records).toHaveLength(6);
    expect(detail.records[0]).toMatchObject({ action: "auth.login", outcome: "failed", actionLabel: "Sign in" });
    expect(detail.notes.map((n: { kind: string }) => n.kind)).toEqual(["detected", "recurred"]);
    const zh = (await auditor.get(`/api/security/events/${e.id}`, { "accept-language": "zh-CN" })).json();
    expect(zh.title).toBe("rf.user name 在 15 分钟内登录失败 6 次");
    // Auditors read; handling needs audit.security.manage.
    expect((await auditor.post(`/api/security/events/${e.id}/investigate`, { version: detail.version, note: "x" })).statusCode).toBe(403);

    const noNote = await admin.post(`/api/security/events/${e.id}/investigate`, { version: detail.version });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().errors[0]).toMatchObject({ field: "/note", rule: "required" });
    const badAssignee = await admin.post(`/api/security/events/${e.id}/investigate`, { version: detail.version, note: "x", assigneeId: userId("esc.op") });
    expect(badAssignee.statusCode).toBe(400);
    expect(badAssignee.json().errors[0].field).toBe("/assigneeId");
    expect((await one(sys.rt.database.db, sql`select status from security_event where id = ${e.id}`))).toEqual({ status: "open" });

    const inv = await admin.post(`/api/security/events/${e.id}/investigate`, { note: "Asked the user.", assigneeId: adminId }, { "if-match": `"${detail.version}"` });
    expect(inv.statusCode, inv.body).toBe(200);
    expect(inv.json()).toMatchObject({ status: "investigating", assigneeId: adminId });
    const stale = await admin.post(`/api/security/events/${e.id}/resolve`, { version: detail.version, resolution: "mitigated", note: "x" });
    expect(stale.statusCode).toBe(409);
    const again = await admin.post(`/api/security/events/${e.id}/investigate`, { version: inv.json().version, note: "again" });
    expect(again.statusCode).toBe(422);
    expect(again.json().code).toBe("security_event_transition");
    const badRes = await admin.post(`/api/security/events/${e.id}/resolve`, { version: inv.json().version, resolution: "shrug", note: "x" });
    expect(badRes.statusCode).toBe(400);
    expect(badRes.json().errors[0].field).toBe("/resolution");
    expect((await admin.post(`/api/security/events/${e.id}/comments`, { note: "The user forgot the new password." })).statusCode).toBe(201);
    const res = await admin.post(`/api/security/events/${e.id}/resolve`, { version: inv.json().version, resolution: "false_positive", note: "Forgotten password; reset." });
    expect(res.statusCode, res.body).toBe(200);
    const done = (await admin.get(`/api/security/events/${e.id}`)).json();
    expect(done).toMatchObject({ status: "resolved", resolution: "false_positive", assigneeName: "系统管理员 Administrator" });
    expect(done.notes.map((n: { kind: string; toStatus: string | null }) => `${n.kind}:${n.toStatus ?? ""}`)).toEqual([
      "detected:",
      "recurred:",
      "status:investigating",
      "comment:",
      "status:resolved",
    ]);
    const reopened = await admin.post(`/api/security/events/${e.id}/reopen`, { version: done.version, note: "It happened again." });
    expect(reopened.json()).toMatchObject({ status: "investigating", resolution: null });
    // The database itself refuses a step the process does not have, and the timeline cannot be rewritten.
    expect(await dbError(sys.rt.database.db.execute(sql`update security_event set status = 'open' where id = ${e.id}`))).toMatch(/cannot go from/);
    expect(await dbError(sys.rt.database.db.execute(sql`update security_event set status = 'resolved' where id = ${e.id}`))).toMatch(/security_event_resolution/);
    expect(await dbError(sys.rt.database.db.execute(sql`delete from security_event_note where event_id = ${e.id}`))).toMatch(/append-only/);
    // Every step is audited.
    expect(await count(sys.rt, "audit_log", `action like 'audit.security.%' and entity_id = '${e.id}' and outcome = 'success'`)).toBe(4);

    const summary = (await admin.get("/api/security/events/summary")).json();
    expect(summary.open + summary.investigating).toBe(await count(sys.rt, "security_event", "status <> 'resolved'"));
    expect(summary.lastScanAt).not.toBeNull();
    const unresolved = (await auditor.get("/api/security/events?status=unresolved&sort=-severity")).json();
    expect(unresolved.items.every((x: { status: string }) => x.status !== "resolved")).toBe(true);
  });

  it("people report incidents the rules cannot see", async () => {
    const r = await admin.post("/api/security/events", { title: "门禁卡遗失 Lost access badge", severity: "medium", description: "Badge of the night guard." });
    expect(r.statusCode, r.body).toBe(201);
    const e = (await admin.get(`/api/security/events/${r.json().id}`)).json();
    expect(e).toMatchObject({ rule: "manual", title: "门禁卡遗失 Lost access badge", status: "open" });
    expect(e.notes[0]).toMatchObject({ kind: "reported", note: "Badge of the night guard." });
    const bad = await admin.post("/api/security/events", { title: "", severity: "urgent" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((x: { field: string }) => x.field)).toEqual(expect.arrayContaining(["/title", "/severity"]));
  });

  it("the rules run on a schedule and the chain is verified daily, as jobs", async () => {
    const schedules = auditModule.schedules!.map((s) => `${s.name}:${s.cron}`);
    expect(schedules).toEqual(expect.arrayContaining(["security-anomaly-scan:*/10 * * * *", expect.stringMatching(/^daily-audit-verification:/)]));
    for (let i = 0; i < 5; i++) await tryLogin("esc.plain", `nope-${i}`);
    const before = await count(sys.rt, "security_event", `subject_key = 'user:${userId("esc.plain")}' and rule = 'repeated_failures'`);
    expect(before).toBe(0);
    const db = sys.rt.database.db;
    await enqueueJob(db, "audit.anomaly_scan");
    await enqueueJob(db, "audit.verify_chain");
    const worker = new JobWorker(sys.rt, new Map(Object.entries(auditModule.jobs!)));
    expect(await worker.runOnce()).toBe(2);
    const jobs = await rows<{ name: string; status: string; result: Record<string, unknown> }>(db, sql`select name, status, result from job order by id`);
    expect(jobs.map((j) => `${j.name}:${j.status}`)).toEqual(["audit.anomaly_scan:done", "audit.verify_chain:done"]);
    expect(jobs[1].result).toMatchObject({ ok: true });
    expect(await count(sys.rt, "security_event", `subject_key = 'user:${userId("esc.plain")}' and rule = 'repeated_failures'`)).toBe(1);
    expect(await count(sys.rt, "audit_verification", "trigger = 'scheduled'")).toBe(1);
  });

  it("bursts: windows that hold enough hits, merged when they overlap", () => {
    const h = (id: number, min: number) => ({ id, at: min * 60_000, companyId: 1, actorId: 1, actorName: "a", actorType: "user", ip: null });
    const hits = [h(1, 0), h(2, 1), h(3, 2), h(4, 30), h(5, 31), h(6, 32), h(7, 33)];
    const found = bursts(hits, 10 * 60_000, (w) => w.length >= 3, 0);
    expect(found.map((b) => b.map((x) => x.id))).toEqual([[1, 2, 3], [4, 5, 6, 7]]);
    expect(bursts(hits, 10 * 60_000, (w) => w.length >= 3, 3).map((b) => b.length)).toEqual([4]);
    expect(bursts(hits, 10 * 60_000, (w) => w.length >= 5, 0)).toEqual([]);
  });
});
