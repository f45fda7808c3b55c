import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { one, sql } from "../src/platform/db/database.ts";
import { simplePdf } from "../src/modules/identity/registration/pdf.ts";
import { type Client, DB_AVAILABLE, type TestSystem, count, dbError, login, testSystem } from "./harness.ts";

interface Part {
  name: string;
  value?: string;
  file?: { filename: string; type: string; content: Buffer };
}

/** A multipart/form-data body, as a browser sends the application form. */
function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----kaiwu${randomBytes(8).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const head = p.file
      ? `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.file.filename}"\r\nContent-Type: ${p.file.type}\r\n\r\n`
      : `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n`;
    chunks.push(Buffer.from(head, "utf8"), p.file ? p.file.content : Buffer.from(p.value ?? "", "utf8"), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const PDF = simplePdf(["Proof of employment", "Test applicant"]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]);

describe.skipIf(!DB_AVAILABLE)("registration with approval (IAM-6)", () => {
  let sys: TestSystem;
  let admin: Client;
  let depts: Record<string, number>;
  const people = new Map<string, { id: number; client: Client }>();

  beforeAll(async () => {
    sys = await testSystem({ demo: true });
    admin = await login(sys.app, "admin", sys.adminPassword);
    const all = (await admin.get("/api/org/departments?pageSize=100")).json().items as { id: number; code: string }[];
    depts = Object.fromEntries(all.map((d) => [d.code, d.id]));
  });
  afterAll(() => sys?.close());

  async function person(username: string) {
    const known = people.get(username);
    if (known) return known;
    const u = (await admin.get(`/api/identity/users?q=${username}`)).json().items.find((x: { username: string }) => x.username === username);
    const reset = await admin.post(`/api/identity/users/${u.id}/reset-password`, {});
    const client = await login(sys.app, username, reset.json().oneTimePassword, "Kw-Approver-2026!");
    people.set(username, { id: u.id, client });
    return people.get(username)!;
  }

  let seq = 0;
  function applicant(overrides: Record<string, string> = {}) {
    seq++;
    return {
      fullName: `测试 Applicant ${seq}`,
      username: `new.person${seq}`,
      email: `new.person${seq}@example.com`,
      departmentId: String(depts.WS1),
      jobTitle: "装配工 Assembler",
      password: "Bright-Lantern-4821",
      ...overrides,
    };
  }

  function apply(fields: Record<string, string>, files: Part["file"][] = [{ filename: "proof.pdf", type: "application/pdf", content: PDF }], ip = "10.0.0.1") {
    const { body, contentType } = multipart([
      ...Object.entries(fields).map(([name, value]) => ({ name, value })),
      ...files.map((file) => ({ name: "proofs", file })),
    ]);
    return sys.app.inject({
      method: "POST",
      url: "/api/public/registrations",
      payload: body,
      headers: { "content-type": contentType, "accept-language": "en-US" },
      remoteAddress: ip,
    });
  }

  const status = (number: string, email: string, ip = "10.0.0.2") =>
    sys.app.inject({ method: "POST", url: "/api/public/registrations/status", payload: { number, email }, headers: { "accept-language": "en-US" }, remoteAddress: ip });
  const tryLogin = (username: string, password: string) => sys.app.inject({ method: "POST", url: "/api/auth/login", payload: { username, password } });

  async function requestOf(number: string) {
    const r = await one<{ id: number }>(
      sys.rt.database.db,
      sql`select r.id from approval_request r join registration_application a on r.doc_id = a.id::text and r.doc_type = 'identity.registration'
          where a.number = ${number}`,
    );
    return r!.id;
  }

  it("the public form lists departments and the password policy without signing in", async () => {
    const res = await sys.app.inject({ method: "GET", url: "/api/public/registration/form" });
    expect(res.statusCode).toBe(200);
    expect(res.json().departments.some((d: { code: string }) => d.code === "WS1")).toBe(true);
    expect(res.json().passwordPolicy.minLength).toBe(10);
  });

  it("a pending account cannot log in; the department administrator sees the application and its proofs", async () => {
    const a = applicant();
    const res = await apply(a, [
      { filename: "在职证明.pdf", type: "application/pdf", content: PDF },
      { filename: "id-card.png", type: "image/png", content: PNG },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const { number } = res.json();
    expect(number).toMatch(/^REG-[0-9A-Z]{8}$/);
    expect((await tryLogin(a.username, a.password)).statusCode).toBe(401);
    expect(await count(sys.rt, "audit_log", `action = 'identity.registration.apply' and outcome = 'success' and ip = '10.0.0.1'`)).toBe(1);

    const requestId = await requestOf(number);
    const prodAdmin = await person("prod.admin");
    const inbox = (await prodAdmin.client.get("/api/workflow/inbox?docType=identity.registration")).json();
    expect(inbox.items.map((i: { id: number }) => i.id)).toContain(requestId);
    const detail = (await prodAdmin.client.get(`/api/workflow/requests/${requestId}`)).json();
    expect(detail.viewer.canDecide).toBe(true);
    expect(detail.document).toMatchObject({ kind: "registration", username: a.username, email: a.email, accountStatus: "pending" });
    expect(detail.document.files.map((f: { fileName: string; contentType: string }) => [f.fileName, f.contentType])).toEqual([
      ["在职证明.pdf", "application/pdf"],
      ["id-card.png", "image/png"],
    ]);
    const file = await prodAdmin.client.get(`/api/workflow/requests/${requestId}/files/${detail.document.files[0].id}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers["content-type"]).toBe("application/pdf");
    expect(file.rawPayload.equals(PDF)).toBe(true);

    // People with no part in the application see neither it nor its files.
    const zhao = await person("pur.zhao");
    expect((await zhao.client.get(`/api/workflow/requests/${requestId}`)).statusCode).toBe(404);
    expect((await zhao.client.get(`/api/workflow/requests/${requestId}/files/${detail.document.files[0].id}`)).statusCode).toBe(404);
    expect((await zhao.client.post(`/api/workflow/requests/${requestId}/approve`, { level: 1 })).statusCode).toBe(403);
    const anon = await sys.app.inject({ method: "GET", url: `/api/workflow/requests/${requestId}/files/${detail.document.files[0].id}` });
    expect(anon.statusCode).toBe(401);
  });

  it("approval activates the account with the password the applicant chose, to be changed at first sign-in", async () => {
    const a = applicant();
    const { number } = (await apply(a)).json();
    const prodAdmin = await person("prod.admin");
    const res = await prodAdmin.client.post(`/api/workflow/requests/${await requestOf(number)}/approve`, { level: 1 });
    expect(res.statusCode, res.body).toBe(200);
    const signIn = await tryLogin(a.username, a.password);
    expect(signIn.statusCode).toBe(200);
    // The policy's "change at first login" is on by default: the chosen password opens only the change form.
    expect(signIn.json().mustChangePassword).toBe(true);
    const s = await status(number, a.email.toUpperCase());
    expect(s.json()).toMatchObject({ number, status: "approved", username: a.username });
    expect(s.json().reason).toBeNull();
    const client = await login(sys.app, a.username, a.password, "Kw-Own-Choice-2026!");
    expect((await client.get("/api/auth/me")).json().mustChangePassword).toBe(false);
  });

  it("with \"change at first login\" off, an approved applicant signs in with their own password directly", async () => {
    const p = (await admin.get("/api/identity/policy")).json();
    expect(p.changeAtFirstLogin).toBe(true);
    const { version, ...rest } = p;
    const off = await admin.put("/api/identity/policy", { ...rest, version, changeAtFirstLogin: false });
    expect(off.statusCode, off.body).toBe(200);
    try {
      const a = applicant();
      const { number } = (await apply(a, undefined, "10.0.0.77")).json();
      const prodAdmin = await person("prod.admin");
      expect((await prodAdmin.client.post(`/api/workflow/requests/${await requestOf(number)}/approve`, { level: 1 })).statusCode).toBe(200);
      const signIn = await tryLogin(a.username, a.password);
      expect(signIn.statusCode).toBe(200);
      expect(signIn.json().mustChangePassword).toBe(false);
    } finally {
      const now = (await admin.get("/api/identity/policy")).json();
      const { version: v, ...r } = now;
      expect((await admin.put("/api/identity/policy", { ...r, version: v, changeAtFirstLogin: true })).statusCode).toBe(200);
    }
  });

  it("a rejection keeps the account closed and shows the reason to the applicant", async () => {
    const a = applicant();
    const { number } = (await apply(a)).json();
    const pending = (await status(number, a.email)).json();
    expect(pending).toMatchObject({ status: "pending", levelNameEn: "Department administrator", currentLevel: 1 });
    const prodAdmin = await person("prod.admin");
    const res = await prodAdmin.client.post(`/api/workflow/requests/${await requestOf(number)}/reject`, { level: 1, reason: "Not employed in Workshop 1" });
    expect(res.statusCode, res.body).toBe(200);
    const s = await status(` ${number.toLowerCase()} `, a.email);
    expect(s.json()).toMatchObject({ status: "rejected", reason: "Not employed in Workshop 1" });
    expect((await status(number, "someone.else@example.com")).statusCode).toBe(404);
    expect((await tryLogin(a.username, a.password)).statusCode).toBe(401);
    const u = await one<{ status: string }>(sys.rt.database.db, sql`select status from app_user where username = ${a.username}`);
    expect(u!.status).toBe("disabled");
    // Whoever writes: an account from a rejected application does not become active.
    expect(await dbError(sys.rt.database.db.execute(sql`update app_user set status = 'active' where username = ${a.username}`))).toMatch(/not approved/);
  });

  it("bad input is refused naming the field, and leaves nothing behind", async () => {
    const before = await Promise.all(["app_user", "registration_application", "stored_file", "approval_request"].map((t) => count(sys.rt, t)));
    const field = async (res: Awaited<ReturnType<typeof apply>>) => {
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      return res.json().errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
    };
    expect(await field(await apply(applicant(), []))).toContain("/proofs:minItems");
    expect(await field(await apply(applicant(), [{ filename: "notes.txt", type: "text/plain", content: Buffer.from("hello") }]))).toContain(
      "/proofs/0:fileType",
    );
    // A renamed text file is not a PDF: the bytes decide, not the name or the claimed type.
    expect(await field(await apply(applicant(), [{ filename: "fake.pdf", type: "application/pdf", content: Buffer.from("not a pdf") }]))).toContain(
      "/proofs/0:fileType",
    );
    const big = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(10 * 1024 * 1024)]);
    expect(await field(await apply(applicant(), [{ filename: "big.pdf", type: "application/pdf", content: big }]))).toContain("/proofs/0:maxSize");
    const weak = await field(await apply(applicant({ password: "abc" })));
    expect(weak).toEqual(expect.arrayContaining(["/password:minLength", "/password:complexity"]));
    expect(await field(await apply(applicant({ username: "admin" })))).toContain("/username:unique");
    expect(await field(await apply(applicant({ departmentId: "999999" })))).toContain("/departmentId:exists");
    expect(await field(await apply(applicant({ email: "not-an-address" })))).toContain("/email:format");
    expect(await field(await apply({ ...applicant(), extra: "x" }))).toContain("/extra:unknownField");
    const json = await sys.app.inject({ method: "POST", url: "/api/public/registrations", payload: applicant() });
    expect(json.statusCode).toBe(415);
    const after = await Promise.all(["app_user", "registration_application", "stored_file", "approval_request"].map((t) => count(sys.rt, t)));
    expect(after).toEqual(before);
  });

  it("an e-mail address has one application waiting at a time", async () => {
    const a = applicant();
    expect((await apply(a)).statusCode).toBe(201);
    const again = await apply(applicant({ email: a.email.toUpperCase() }));
    expect(again.statusCode).toBe(400);
    expect(again.json().errors[0]).toMatchObject({ field: "/email", rule: "unique" });
  });

  it("limits applications and status look-ups per client address", async () => {
    for (let i = 0; i < 5; i++) expect((await apply(applicant(), undefined, "10.7.7.7")).statusCode).toBe(201);
    const sixth = await apply(applicant(), undefined, "10.7.7.7");
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().code).toBe("too_many_requests");
    expect((await apply(applicant(), undefined, "10.7.7.8")).statusCode).toBe(201);
    for (let i = 0; i < 30; i++) expect((await status("REG-00000000", "x@example.com", "10.8.8.8")).statusCode).toBe(404);
    expect((await status("REG-00000000", "x@example.com", "10.8.8.8")).statusCode).toBe(429);
  });

  it("an application nobody can approve raises an alert for the administrators", async () => {
    const before = await count(sys.rt, "system_alert", "message_key = 'workflow.alert.no_approver'");
    // Quality has no department administrator in the demo company.
    expect((await apply(applicant({ departmentId: String(depts.QA) }))).statusCode).toBe(201);
    expect(await count(sys.rt, "system_alert", "message_key = 'workflow.alert.no_approver'")).toBe(before + 1);
  });

  it("lists applications for those who may read them all", async () => {
    const list = await admin.get("/api/identity/registrations?status=pending");
    expect(list.statusCode).toBe(200);
    expect(list.json().items.find((i: { username: string }) => i.username === "ws1.zhao")).toMatchObject({ fileCount: 1, currentLevel: 1 });
    expect((await (await person("prod.admin")).client.get("/api/identity/registrations")).statusCode).toBe(403);
  });
});
