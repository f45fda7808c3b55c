import { randomBytes, randomInt } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import type { FieldError } from "../../platform/errors.ts";

// argon2id, OWASP's minimum profile (19 MiB, 2 passes): about 10 ms here, memory-hard against GPUs.
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  // An unknown account is checked against a real hash too, so timing does not tell whether it exists.
  const target = stored ?? (await dummyHash());
  const ok = await verify(target, password).catch(() => false);
  return stored !== null && ok;
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString("hex"));
  return dummy;
}

export interface PasswordPolicy {
  minLength: number;
  /** How many of: lower case, upper case, digits, symbols. */
  minClasses: number;
  /** Refuse the last N passwords. */
  historyCount: number;
}

export const DEFAULT_POLICY: PasswordPolicy = { minLength: 10, minClasses: 3, historyCount: 5 };

// The most common passwords of public breach lists (and their obvious Chinese-keyboard variants).
const COMMON = new Set(
  "123456 123456789 12345678 password qwerty123 qwerty 1q2w3e4r 111111 123123 1234567890 000000 abc123 password1 iloveyou admin admin123 welcome welcome1 p@ssw0rd passw0rd qwertyuiop 1qaz2wsx 5201314 woaini1314 a123456 a123456789 aa123456 zxcvbnm asdfghjkl changeme letmein dragon monkey sunshine 666666 888888 147258369 123qwe 1234qwer qazwsx kaiwu kaiwu123 erp123 erpadmin"
    .split(" "),
);

/** Checks a new password against the policy; returns the broken rules (empty when acceptable). */
export function checkPassword(password: string, username: string, policy: PasswordPolicy = DEFAULT_POLICY): FieldError[] {
  const out: FieldError[] = [];
  const field = "/newPassword";
  if (password.length < policy.minLength) out.push({ field, rule: "minLength", messageKey: "validation.min_length", params: { limit: policy.minLength } });
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((re) => re.test(password)).length;
  if (classes < policy.minClasses) out.push({ field, rule: "complexity", messageKey: "identity.password.classes", params: { n: policy.minClasses } });
  const lower = password.toLowerCase();
  const stripped = lower.replace(/[^a-z0-9]/g, "");
  if (COMMON.has(lower) || COMMON.has(stripped) || COMMON.has(stripped.replace(/\d+$/, ""))) {
    out.push({ field, rule: "common", messageKey: "identity.password.common" });
  }
  const name = username.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (name.length >= 3 && (stripped.includes(name) || name.includes(stripped))) {
    out.push({ field, rule: "similarToUsername", messageKey: "identity.password.username" });
  }
  return out;
}

/** A random one-time password that itself satisfies the policy (for new accounts and resets). */
export function oneTimePassword(): string {
  const sets = ["abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "-_.@+"];
  const chars = sets.map((s) => s[randomInt(s.length)]);
  const all = sets.join("");
  while (chars.length < 14) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}
