import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from "node:crypto";
import * as OTPAuth from "otpauth";
import { type Executor, one, sql } from "../../platform/db/database.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { loadSecret } from "../../platform/secrets.ts";

const keys = new WeakMap<Runtime, Buffer>();
function key(rt: Runtime): Buffer {
  let k = keys.get(rt);
  if (!k) {
    k = createHash("sha256").update(loadSecret(rt.config.dataDir, "totp.key", "KAIWU_TOTP_KEY")).digest();
    keys.set(rt, k);
  }
  return k;
}

export function encryptSecret(rt: Runtime, base32: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key(rt), iv);
  const data = Buffer.concat([c.update(base32, "utf8"), c.final()]);
  return [iv, c.getAuthTag(), data].map((b) => b.toString("base64")).join(".");
}

export function decryptSecret(rt: Runtime, stored: string): string {
  const [iv, tag, data] = stored.split(".").map((p) => Buffer.from(p, "base64"));
  const d = createDecipheriv("aes-256-gcm", key(rt), iv);
  d.setAuthTag(tag);
  return Buffer.concat([d.update(data), d.final()]).toString("utf8");
}

export function newTotp(username: string, base32?: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: "Kaiwu",
    label: username,
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    secret: base32 ? OTPAuth.Secret.fromBase32(base32) : new OTPAuth.Secret({ size: 20 }),
  });
}

/** The time step a code is valid for (±1 step of clock drift), or null. */
export function codeStep(totp: OTPAuth.TOTP, code: string, now = Date.now()): number | null {
  const delta = totp.validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / 30) + delta;
}

export const hashRecovery = (code: string) => createHash("sha256").update(code.replace(/[^A-Za-z0-9]/g, "").toUpperCase()).digest("hex");

export function newRecoveryCodes(n = 10): string[] {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from({ length: n }, () => {
    const raw = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join("");
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
}

/**
 * Checks a second factor at login: a current TOTP code not used before, or an unused recovery code
 * (which is then spent). Returns how it was satisfied, or null.
 */
export async function verifySecondFactor(rt: Runtime, tx: Executor, userId: number, username: string, code: string): Promise<"totp" | "recovery" | null> {
  const row = await one<{ secret_enc: string; last_step: number | null }>(
    tx,
    sql`select secret_enc, last_step from user_totp where user_id = ${userId} and enabled for update`,
  );
  if (!row) return null;
  const trimmed = code.trim();
  if (/^\d{6}$/.test(trimmed)) {
    const step = codeStep(newTotp(username, decryptSecret(rt, row.secret_enc)), trimmed);
    // A code is accepted once: replaying an observed code within its 30 s window fails.
    if (step === null || (row.last_step !== null && step <= row.last_step)) return null;
    await tx.execute(sql`update user_totp set last_step = ${step} where user_id = ${userId}`);
    return "totp";
  }
  const used = await one(
    tx,
    sql`update totp_recovery_code set used_at = now()
        where id = (select id from totp_recovery_code where user_id = ${userId} and used_at is null and code_hash = ${hashRecovery(trimmed)} limit 1)
        returning id`,
  );
  return used ? "recovery" : null;
}
