import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
