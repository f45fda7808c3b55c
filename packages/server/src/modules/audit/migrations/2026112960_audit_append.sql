-- The chain writer in one statement, and records staged for sealing (docs/architecture.md, "Audit chain").
--
-- The caller predicts the chain head (the record it last saw appended), hashes its record against it
-- and sends it; kaiwu_audit_append() takes the writers' lock, reads the committed head and inserts the
-- record only if the prediction holds and the predicted id is the sequence's next. Otherwise it answers
-- the real head and the id it allocated, still holding the lock, so the caller's second call cannot miss.
-- The lock is then held until the caller's commit: callers make this the last statement.
--
-- A caller that may not wait for the lock (a command under concurrency) also sends the record's own
-- keyed MAC: when another transaction holds the lock, the record goes to audit_staged instead, and the
-- sealer (platform/audit.ts) chains it right after the commit, many records per lock and commit.

create table audit_staged (
  seq bigserial primary key,
  -- random, in the MAC: a copied staged row is refused as a duplicate
  nonce text not null unique,
  -- the record's fields as the writer hashed them (no id, prev_hash or hash yet)
  record jsonb not null,
  -- HMAC of the record with the audit key: a row staged in SQL without the key cannot carry one
  mac text not null,
  staged_at timestamptz not null default now()
);

create function kaiwu_audit_append(p_id bigint, p_prev text, p_record jsonb, p_nonce text, p_mac text,
    out ok boolean, out staged boolean, out head_hash text, out next_id bigint)
  language plpgsql volatile as $$
declare
  allocated bigint;
  head_id bigint;
  r audit_log;
begin
  staged := false;
  if p_mac is not null then
    if not pg_try_advisory_xact_lock(7240002) then
      insert into audit_staged (nonce, record, mac) values (p_nonce, p_record - 'hash', p_mac);
      ok := true;
      staged := true;
      return;
    end if;
  else
    perform pg_advisory_xact_lock(7240002);
  end if;
  -- A new statement, so a new snapshot: the head the previous holder committed while this one waited.
  select a.id, a.hash into head_id, head_hash from audit_log a order by a.id desc limit 1;
  head_hash := coalesce(head_hash, repeat('0', 64));
  if p_prev is distinct from head_hash then
    ok := false;
    next_id := nextval('audit_log_id_seq');
    return;
  end if;
  if p_id < 0 then
    -- the second call: -p_id was allocated by the first one, under this lock
    allocated := -p_id;
    if allocated <= coalesce(head_id, 0) then
      raise exception 'audit record % would not follow the chain head %', allocated, head_id;
    end if;
  else
    allocated := nextval('audit_log_id_seq');
    if allocated <> p_id then
      ok := false;
      next_id := allocated;
      return;
    end if;
  end if;
  -- the id and the link are the function's, whatever the record says; the row is built once
  r := jsonb_populate_record(null::audit_log, p_record);
  r.id := allocated;
  r.prev_hash := p_prev;
  insert into audit_log values (r.*);
  ok := true;
  next_id := allocated;
end $$;

-- The sealer's first round trip: the lock (waited for), the committed head, the next staged records and
-- as many ids, in one call. The sealer checks each record's MAC, hashes them in order and inserts them.
create function kaiwu_audit_seal_begin(p_limit int, out head_hash text, out ids jsonb, out staged jsonb)
  language plpgsql volatile as $$
begin
  perform pg_advisory_xact_lock(7240002);
  select a.hash into head_hash from audit_log a order by a.id desc limit 1;
  head_hash := coalesce(head_hash, repeat('0', 64));
  select coalesce(jsonb_agg(jsonb_build_object('seq', s.seq, 'nonce', s.nonce, 'record', s.record, 'mac', s.mac) order by s.seq), '[]'::jsonb)
    into staged from (select * from audit_staged order by seq limit p_limit) s;
  select coalesce(jsonb_agg(nextval('audit_log_id_seq')), '[]'::jsonb) into ids from generate_series(1, jsonb_array_length(staged));
end $$;
