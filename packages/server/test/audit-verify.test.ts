import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditVerifyResult, verifyAuditChain } from "../src/modules/audit/verify.ts";
import { systemActor } from "../src/platform/actor.ts";
import { type AuditRow, auditHash, GENESIS_HASH, writeAudit } from "../src/platform/audit.ts";
import { type Database, rows, sql } from "../src/platform/db/database.ts";
import { DB_AVAILABLE, freshDatabase } from "./harness.ts";

const key = Buffer.from("audit-verify-test-key");
const RECORDS = 3000;

/** Awkward values, cycled through the generated records. */
const TEXTS = ["tab\there", "new\nline\r\n", "back\\slash \\N \\t", 'quote " and \'', "引号 “中文” 😀", "\u2028\u2029 sep", "\x01\x1f\x7f", "", "|pipe|"];
const JSONS: unknown[] = [
  { before: null, after: { id: 7, code: "D7", active: true, nameEn: "Dept", nameZh: "部门", managerUserId: null } },
  { b: 1, a: 2, ccc: { zz: [1, { yy: "x", b: [] }], a: {} }, bb: [[], {}, [null, true, false]] },
  { big: 1e21, small: 1.5e-7, tenth: 0.1, neg: -0.25, negZero: -0, int: 100000, max: Number.MAX_SAFE_INTEGER, e: 1.2345678901234567e19 },
  { "键 with space": "值", "9": 1, "10": 2, "": "empty", é: "accent", "😀": "emoji", Z: 1, a: 2, "\u00e9\u0301": 3 },
  { "quote\"key": 'va"l', "back\\key": "\\", ctl: "\u0001\u001f\t\n\r\b\f", sep: "\u2028", nested: { deeper: { deepest: { k: [1, [2, [3]]] } } } },
  ["array", "at", { top: 1, level: [{ b: 1, a: 2 }] }],
  "a string",
  42,
  null,
];
const TIMES = ["2026-01-05T08:30:00.123Z", "1999-12-31T23:59:59.999Z", "2024-02-29T00:00:00.000Z", "2999-12-31T23:59:59.001Z", "1970-01-01T00:00:00.000Z"];

/** A chain hashed as the writer hashes (auditHash), ids with a gap. */
function chain(n: number): AuditRow[] {
  const out: AuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const id = i < n / 2 ? i + 1 : i + 101;
    const t = (k: number) => (i % (k + 2) === 0 ? null : TEXTS[(i + k) % TEXTS.length]);
    const row = {
      id,
      occurred_at: i % 7 === 0 ? TIMES[i % TIMES.length] : new Date(Date.UTC(2026, 0, 5) + i * 997).toISOString(),
      company_id: i % 5 === 0 ? null : 1 + (i % 3),
      actor_type: ["user", "token", "system", "anonymous"][i % 4],
      actor_id: i % 3 === 0 ? null : 10 + i,
      actor_name: TEXTS[i % TEXTS.length] || "name",
      session_id: t(1),
      ip: i % 4 === 0 ? null : `10.0.${i % 7}.${i % 250}`,
      user_agent: t(2),
      request_id: t(3),
      action: i % 2 ? "org.department.create" : "test.awkward",
      entity: t(4),
      entity_id: i % 6 === 0 ? null : String(i),
      outcome: ["success", "denied", "failed"][i % 3],
      error_code: t(5),
      changes: JSONS[i % JSONS.length],
      details: i % 4 === 0 ? null : JSONS[(i + 3) % JSONS.length],
    };
    const hash = auditHash(key, prev, row);
    out.push({ ...row, prev_hash: prev, hash });
    prev = hash;
  }
  return out;
}

async function load(database: Database, records: AuditRow[]) {
  const db = database.db;
  await db.execute(sql`alter table audit_log disable trigger audit_log_no_truncate`);
  await db.execute(sql`truncate audit_log`);
  await db.execute(sql`alter table audit_log enable trigger audit_log_no_truncate`);
  for (let i = 0; i < records.length; i += 500) {
    // Top-level nulls left out (SQL NULL); a jsonb null would be stored as the JSON value null.
    const batch = records.slice(i, i + 500).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)));
    await db.execute(sql`insert into audit_log select * from jsonb_populate_recordset(null::audit_log, ${JSON.stringify(batch)}::jsonb)`);
  }
  await db.execute(sql`select setval('audit_log_id_seq', (select max(id) from audit_log))`);
}

/** Changes the log as a database superuser would: with the append-only trigger switched off. */
async function tamper(database: Database, ...statements: ReturnType<typeof sql>[]) {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    for (const s of statements) await tx.execute(s);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
  });
}

const without = ({ rechecked: _, ...r }: AuditVerifyResult) => r;

describe.skipIf(!DB_AVAILABLE)("audit verification: the fast path against the reference", () => {
  let database: Database;
  let records: AuditRow[];
  let ids: number[];

  /** The verdict in this thread, on worker threads, and by blocks cut small: all must agree. */
  async function verify(batches = [1_000_000, 500]) {
    const first = await verifyAuditChain(database.db, key, undefined, { threads: 0 });
    for (const batch of batches) {
      for (const opts of [{ threads: 0 }, { threads: 2 }, { threads: 1, blockBytes: 1 }, { threads: 0, blockBytes: 300 }]) {
        const r = await verifyAuditChain(database.db, key, batch, opts);
        expect(without(r), JSON.stringify({ batch, opts })).toEqual(without(first));
      }
    }
    return first;
  }

  beforeAll(async () => {
    database = await freshDatabase();
    records = chain(RECORDS);
    ids = records.map((r) => r.id);
    await load(database, records);
    // And a few written as the application writes them, after the bulk.
    const odd = { ...systemActor("tab\there, new\nline, back\\slash, 引号\"", null), id: null };
    for (const changes of [{ after: { k: "\\u0041 not an escape" } }, { list: [1.0, 2.5, -0.001] }]) {
      await database.db.transaction((tx) => writeAudit(tx, key, odd, { ip: "::1", userAgent: "ua\ttab\\" }, { action: "test.odd", outcome: "success", changes }));
    }
  });
  afterAll(() => database?.close());

  it("confirms an intact log by itself, alike in this thread, on worker threads and in small blocks", async () => {
    const r = await verify([1_000_000, 7, 1000]);
    expect(r).toMatchObject({ ok: true, checked: RECORDS + 2, rechecked: 0 });
    const head = (await rows<{ id: number; hash: string }>(database.db, sql`select id, hash from audit_log order by id desc limit 1`))[0];
    expect(r.last).toEqual(head);
  }, 120_000);

  it("agrees with the reference inside a transaction, with or without the raw database", async () => {
    const outside = await verifyAuditChain(database.db, key);
    const inside = await database.db.transaction((tx) => verifyAuditChain(tx, key, 500));
    const raw = await database.db.transaction((tx) => verifyAuditChain(tx, key, 500, { pglite: database.pglite }));
    expect(without(inside)).toEqual(without(outside));
    expect(without(raw)).toEqual(without(outside));
  });

  it("names a row altered in SQL, a text field or inside its JSON, wherever it falls in a block", async () => {
    // The first record, one at a batch's start (batches of 7), one in the middle, the last of the bulk.
    for (const index of [0, 7, 1234, RECORDS - 1]) {
      const id = ids[index];
      const original = records[index];
      for (const change of [
        sql`update audit_log set actor_name = actor_name || 'x' where id = ${id}`,
        sql`update audit_log set changes = '{"forged": true}'::jsonb where id = ${id}`,
        sql`update audit_log set occurred_at = occurred_at + interval '1 millisecond' where id = ${id}`,
        sql`update audit_log set company_id = coalesce(company_id, 0) + 1 where id = ${id}`,
      ]) {
        await tamper(database, change);
        // Batches of 7 put record 7 first in its COPY.
        const r = await verify(index <= 7 ? [1_000_000, 7] : undefined);
        expect(r, `record ${index}`).toMatchObject({ ok: false, checked: index, firstBad: { id, problem: "hash_mismatch" } });
        if (index > 0) expect(r.last).toEqual({ id: ids[index - 1], hash: records[index - 1].hash });
        else expect(r.last).toBeUndefined();
        await tamper(
          database,
          sql`delete from audit_log where id = ${id}`,
          sql`insert into audit_log select * from jsonb_populate_record(null::audit_log, ${JSON.stringify(Object.fromEntries(Object.entries(original).filter(([, v]) => v !== null)))}::jsonb)`,
        );
      }
    }
    expect((await verify([1_000_000])).ok).toBe(true);
  }, 300_000);

  it("a deleted row breaks the next row's link; a row inserted in SQL fails its own hash", async () => {
    for (const index of [0, 7, 1500]) {
      const id = ids[index];
      const original = JSON.stringify(Object.fromEntries(Object.entries(records[index]).filter(([, v]) => v !== null)));
      await tamper(database, sql`delete from audit_log where id = ${id}`);
      expect(await verify(index <= 7 ? [1_000_000, 7] : undefined), `record ${index}`).toMatchObject({ ok: false, checked: index, firstBad: { id: ids[index + 1], problem: "broken_link" } });
      await tamper(database, sql`insert into audit_log select * from jsonb_populate_record(null::audit_log, ${original}::jsonb)`);
    }
    // Forged in the gap of the ids (linked to its predecessor), and below every id.
    const gap = ids[RECORDS / 2 - 1] + 50;
    const before = records[RECORDS / 2 - 1];
    await database.db.execute(sql`insert into audit_log (id, occurred_at, actor_type, actor_name, action, outcome, prev_hash, hash)
      values (${gap}, now(), 'user', 'Mallory', 'org.department.create', 'success', ${before.hash}, ${"e".repeat(64)})`);
    expect(await verify()).toMatchObject({ ok: false, checked: RECORDS / 2, firstBad: { id: gap, problem: "hash_mismatch" } });
    await tamper(database, sql`delete from audit_log where id = ${gap}`);
    await database.db.execute(sql`insert into audit_log (id, occurred_at, actor_type, actor_name, action, outcome, prev_hash, hash)
      values (-5, now(), 'user', 'Mallory', 'org.department.create', 'success', ${GENESIS_HASH}, ${"f".repeat(64)})`);
    expect(await verify()).toMatchObject({ ok: false, checked: 0, firstBad: { id: -5, problem: "hash_mismatch" } });
    await tamper(database, sql`delete from audit_log where id = -5`);
    expect((await verify([1_000_000])).ok).toBe(true);
  }, 300_000);

  it("an empty log is intact", async () => {
    const empty = await freshDatabase();
    try {
      await empty.db.execute(sql`alter table audit_log disable trigger audit_log_no_truncate`);
      await empty.db.execute(sql`truncate audit_log`);
      for (const threads of [0, 2]) expect(await verifyAuditChain(empty.db, key, undefined, { threads })).toEqual({ ok: true, checked: 0, rechecked: 0 });
    } finally {
      await empty.close();
    }
  });
});
