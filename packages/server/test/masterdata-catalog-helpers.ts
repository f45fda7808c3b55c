import type { LightMyRequestResponse } from "fastify";
import { sql } from "../src/platform/db/database.ts";
import { type Client, type TestSystem, login } from "./harness.ts";

/** A user holding exactly these permissions (a company role written as data; roles are the access module's). */
export async function userWith(sys: TestSystem, admin: Client, username: string, permissions: string[]): Promise<Client> {
  const company = (await admin.get("/api/org/company")).json();
  const role = username.replace(/[^a-z0-9]/g, "_");
  await sys.rt.database.db.execute(sql`insert into role (company_id, code, name_zh, name_en, permissions)
    values (${company.id}, ${role}, ${role}, ${role}, array(select jsonb_array_elements_text(${JSON.stringify(permissions)}::jsonb)))`);
  const r = await admin.post("/api/identity/users", { username, displayName: username, roles: [{ role }] });
  if (r.statusCode !== 201) throw new Error(`user ${username}: ${r.body}`);
  return login(sys.app, username, r.json().oneTimePassword);
}

/** A multipart/form-data body: text fields and one file. */
export function multipartBody(fields: Record<string, string>, file?: { name: string; type: string; content: Buffer; field?: string }) {
  const boundary = `----kaiwu${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`, "utf8"));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? "file"}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
        "utf8",
      ),
    );
    parts.push(file.content, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Posts multipart through the client's session (its cookie and CSRF token). */
export function postMultipart(
  client: Client,
  url: string,
  fields: Record<string, string>,
  file?: { name: string; type: string; content: Buffer },
): Promise<LightMyRequestResponse> {
  const body = multipartBody(fields, file);
  return client.post(url, body.payload, { "content-type": body.contentType });
}
