import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { company } from "../src/modules/org/schema.ts";
import { type Database, rows, sql } from "../src/platform/db/database.ts";
import { statementName } from "../src/platform/db/prepared-client.ts";
import { DB_AVAILABLE, DB_KIND, freshDatabase } from "./harness.ts";

describe("statement naming (the PostgreSQL pool's automatic prepared statements)", () => {
  it("names a text only once it has been seen a few times, and always by the same name", () => {
    const text = `select ${Math.random()} as once_only where 1 = $1`;
    expect(statementName(text)).toBeUndefined();
    expect(statementName(text)).toBeUndefined();
    const name = statementName(text);
    expect(name).toMatch(/^k[A-Za-z0-9_-]{20}$/);
    expect(statementName(text)).toBe(name);
    expect(statementName(`${text} `)).toBeUndefined(); // another text, its own count
  });
});

describe.skipIf(!DB_AVAILABLE || DB_KIND !== "postgres")("prepared statements on a PostgreSQL server", () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database?.close());

  it("a repeated parameterised query is prepared on the connection and answers as before", async () => {
    const client = await database.pool!.connect();
    try {
      const text = `select $1::int8 as n, 'probe ${Date.now()}'::text as tag`;
      const answers: unknown[] = [];
      for (let i = 0; i < 6; i++) answers.push((await client.query({ text, values: [i] })).rows[0].n);
      expect(answers).toEqual([0, 1, 2, 3, 4, 5]);
      const name = statementName(text);
      const prepared = await client.query("select name, statement from pg_prepared_statements");
      expect(prepared.rows).toContainEqual({ name, statement: text });
      // Parameterless text stays a simple query: a script of several statements still runs.
      await client.query("select 1; select 2");
    } finally {
      client.release();
    }
  });

  it("errors inside a transaction still roll it back, and the prepared statement keeps working afterwards", async () => {
    const db = database.db;
    await db.execute(sql`create table prep_probe (id int primary key)`);
    for (let i = 1; i <= 5; i++) await db.execute(sql`insert into prep_probe values (${i})`);
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into prep_probe values (${100})`);
        await tx.execute(sql`insert into prep_probe values (${1})`); // duplicate: fails
      }),
    ).rejects.toThrow();
    const [{ n }] = await rows<{ n: number }>(db, sql`select count(*)::int8 as n from prep_probe where id >= ${0}`);
    expect(n).toBe(5);
    await db.execute(sql`insert into prep_probe values (${6})`);
    const [{ m }] = await rows<{ m: number }>(db, sql`select max(id)::int8 as m from prep_probe where id >= ${0}`);
    expect(m).toBe(6);
  });
});

describe.skipIf(DB_KIND !== "pglite")("prepared statements on the embedded database", () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
    await database.db.execute(sql`create table prep_lite (id int primary key, doc jsonb, at timestamptz, tags text[], amount numeric(18,4))`);
  });
  afterAll(() => database?.close());

  it("a repeated parameterised query is parsed once under its name and answers exactly as before", async () => {
    const db = database.db;
    for (let i = 1; i <= 6; i++) {
      await db.execute(sql`insert into prep_lite values (${i}, ${JSON.stringify({ n: i, name: "名称" })}::jsonb, ${new Date(Date.UTC(2026, 0, i)).toISOString()}::timestamptz,
        ${`{a${i},b}`}::text[], ${`${i}.1250`}::numeric)`);
    }
    const seen: unknown[] = [];
    for (let i = 1; i <= 6; i++) seen.push(...(await rows(db, sql`select id, doc, at, tags, amount::text as amount from prep_lite where id = ${i}`)));
    // The first runs are unprepared: the prepared ones answer in the same shapes and types.
    expect(seen[0]).toEqual({ id: 1, doc: { n: 1, name: "名称" }, at: "2026-01-01T00:00:00.000Z", tags: ["a1", "b"], amount: "1.1250" });
    expect(seen[5]).toEqual({ id: 6, doc: { n: 6, name: "名称" }, at: "2026-01-06T00:00:00.000Z", tags: ["a6", "b"], amount: "6.1250" });
    expect(seen.map((r) => (r as { id: number }).id)).toEqual([1, 2, 3, 4, 5, 6]);
    // A null parameter, and drizzle's array row mode (a query builder), on prepared texts.
    for (let i = 0; i < 4; i++) expect(await rows(db, sql`select coalesce(${null}::int, -1) as v`)).toEqual([{ v: -1 }]);
    const [{ id: companyId }] = await rows<{ id: number }>(
      db,
      sql`insert into company (code, name_zh, name_en, base_currency, timezone) values ('PREP', '公司', 'Company', 'CNY', 'Asia/Shanghai') returning id`,
    );
    for (let i = 0; i < 4; i++) {
      const found = await db.select({ id: company.id, code: company.code }).from(company).where(eq(company.id, companyId));
      expect(found).toEqual([{ id: companyId, code: "PREP" }]);
    }
    const prepared = await rows<{ statement: string }>(db, sql`select statement from pg_prepared_statements where statement like ${"%from prep_lite where id = $1%"}`);
    expect(prepared).toHaveLength(1);
  });

  it("an error inside a transaction rolls it back, and the prepared statement works afterwards", async () => {
    const db = database.db;
    for (let attempt = 0; attempt < 4; attempt++) {
      await expect(
        db.transaction(async (tx) => {
          await tx.execute(sql`insert into prep_lite (id) values (${100 + attempt})`);
          await tx.execute(sql`insert into prep_lite (id) values (${1})`); // duplicate: fails
        }),
      ).rejects.toMatchObject({ cause: { code: "23505" } });
    }
    const [{ n }] = await rows<{ n: number }>(db, sql`select count(*)::int8 as n from prep_lite where id >= ${100}`);
    expect(n).toBe(0);
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into prep_lite (id) values (${100})`);
    });
    const [{ m }] = await rows<{ m: number }>(db, sql`select max(id)::int8 as m from prep_lite where id >= ${0}`);
    expect(m).toBe(100);
  });

  it("a table whose columns change under a prepared statement: it is parsed again", async () => {
    const db = database.db;
    const read = () => rows(db, sql`select * from prep_lite where id = ${1}`);
    for (let i = 0; i < 4; i++) await read();
    await db.execute(sql`alter table prep_lite add column note text`);
    const after = await read().catch(() => read()); // at most the first run after the change fails
    expect(after[0]).toHaveProperty("note", null);
    expect((await read())[0]).toHaveProperty("note", null);
  });
});
