import { rows, sql } from "./db/database.ts";
import type { Runtime } from "./runtime.ts";

export type Subscriber = (runtime: Runtime, payload: unknown) => Promise<void>;

/**
 * Delivers committed domain events to subscribers, oldest first. A batch is claimed with SKIP LOCKED
 * (claims older than five minutes count as abandoned), so with several processes every event goes
 * to one worker; no transaction is held while subscribers run, as they run commands of their own.
 * A subscriber that fails leaves its event for a later pass: subscribers must be idempotent.
 */
export async function dispatchOutbox(runtime: Runtime, subscribers: Map<string, Subscriber[]>, workerId: string, batch = 100): Promise<number> {
  const db = runtime.database.db;
  const events = await rows<{ id: number; type: string; payload: unknown }>(
    db,
    sql`update outbox_event set claimed_by = ${workerId}, claimed_at = now()
      where id in (select id from outbox_event
                   where dispatched_at is null and (claimed_at is null or claimed_at < now() - interval '5 minutes')
                   order by id limit ${batch} for update skip locked)
      returning id, type, payload`,
  );
  events.sort((a, b) => a.id - b.id);
  let delivered = 0;
  for (const ev of events) {
    try {
      for (const s of subscribers.get(ev.type) ?? []) await s(runtime, ev.payload);
      await db.execute(sql`update outbox_event set dispatched_at = now() where id = ${ev.id}`);
      delivered++;
    } catch (err) {
      runtime.log.warn({ err, event: ev.type, id: ev.id }, "event subscriber failed; will retry");
      await db.execute(sql`update outbox_event set claimed_by = null, claimed_at = null where id = ${ev.id}`);
    }
  }
  return delivered;
}
