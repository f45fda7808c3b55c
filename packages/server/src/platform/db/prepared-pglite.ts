import { type PGlite, type QueryOptions, type Results, type Transaction, parse, protocol } from "@electric-sql/pglite";
import { statementName } from "./prepared-client.ts";

/**
 * The embedded database's counterpart of prepared-client.ts. PGlite runs every parameterised query as an
 * unnamed statement in five protocol calls into the WASM module (parse, describe, bind, describe, execute),
 * and plans it again each time: for a command's short statements that is most of the embedded database's
 * work (an audit record's statement: ~0.4 ms of planning out of ~0.6). A text seen a few times (the same
 * rule and names as on PostgreSQL) is parsed once per PGlite instance under its name; after that each run
 * is one call: bind, describe, execute and sync in one message, with PostgreSQL's plan cache doing the rest.
 *
 * Only `query` with parameters is changed, on the instance and on its transactions; `exec`, COPY with a
 * blob and everything else go through PGlite as before.
 */
interface Internals {
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  _checkReady(): Promise<void>;
}

type QueryFn = <T>(query: string, params?: unknown[], options?: QueryOptions) => Promise<Results<T>>;

export function prepareRepeatedQueries(pglite: PGlite): void {
  // The names parsed in this instance's session, with the types of their parameters.
  const parsed = new Map<string, number[]>();
  const internals = pglite as unknown as Internals;
  const plainQuery = pglite.query.bind(pglite) as QueryFn;
  const plainTransaction = pglite.transaction.bind(pglite);

  const run = async <T>(name: string, text: string, params: unknown[], options: QueryOptions | undefined, inTransaction: boolean) =>
    internals._runExclusiveQuery(async () => {
      let types = parsed.get(name);
      if (!types) {
        const described = await pglite.execProtocol(
          concat([protocol.serialize.parse({ name, text, types: options?.paramTypes }), protocol.serialize.describe({ type: "S", name }), protocol.serialize.sync()]),
          { syncToFs: false },
        );
        types = parse.parseDescribeStatementResults(described.messages);
        parsed.set(name, types);
      }
      const values = params.map((value, i) => {
        if (value === null || value === undefined) return null;
        const serialize = options?.serializers?.[types![i]] ?? pglite.serializers[types![i]];
        return serialize ? serialize(value) : String(value);
      });
      let result: Awaited<ReturnType<PGlite["execProtocol"]>>;
      try {
        result = await pglite.execProtocol(
          concat([
            protocol.serialize.bind({ statement: name, values: values as string[] }),
            protocol.serialize.describe({ type: "P" }),
            protocol.serialize.execute({}),
            protocol.serialize.sync(),
          ]),
          { syncToFs: false },
        );
      } catch (e) {
        // A table under the statement changed its columns: parse it again next time (PostgreSQL re-plans
        // by itself otherwise). This run fails as an unprepared one would have, had the table changed mid-way.
        if ((e as { code?: string }).code === "0A000") {
          parsed.delete(name);
          await pglite.execProtocol(concat([protocol.serialize.close({ type: "S", name }), protocol.serialize.sync()]), { syncToFs: false });
        }
        throw e;
      }
      if (!inTransaction) await pglite.syncToFs();
      return parse.parseResults(result.messages, pglite.parsers, options)[0] as Results<T>;
    });

  const nameFor = (text: string, params: unknown[] | undefined, options: QueryOptions | undefined) =>
    params && params.length > 0 && !options?.blob ? statementName(text) : undefined;

  const query = async <T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> => {
    const name = nameFor(text, params, options);
    if (!name) return plainQuery<T>(text, params, options);
    await internals._checkReady();
    return internals._runExclusiveTransaction(() => run<T>(name, text, params!, options, false));
  };
  const transaction = <T>(callback: (tx: Transaction) => Promise<T>): Promise<T> =>
    plainTransaction((tx) => {
      const txQuery = tx.query.bind(tx) as QueryFn;
      const preparing: Transaction = Object.create(tx);
      preparing.query = async <R>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<R>> => {
        const name = nameFor(text, params, options);
        if (!name || tx.closed) return txQuery<R>(text, params, options);
        return run<R>(name, text, params!, options, true);
      };
      return callback(preparing);
    });
  Object.assign(pglite, { query, transaction });
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
