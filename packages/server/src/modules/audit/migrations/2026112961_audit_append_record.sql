-- The chain writer, cheaper per record: the same checks, lock and protocol as 2026112960_audit_append
-- (unchanged signature, so callers are the same), but the record is built as a row once and the id and
-- link set on it, instead of concatenating a second jsonb and populating the row from the copy. On the
-- embedded database this saves ~20 µs of the record's ~300 µs (bench/audit.bench.ts -- command).
create or replace function kaiwu_audit_append(p_id bigint, p_prev text, p_record jsonb, p_nonce text, p_mac text,
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
  -- the id and the link are the function's, whatever the record says
  r := jsonb_populate_record(null::audit_log, p_record);
  r.id := allocated;
  r.prev_hash := p_prev;
  insert into audit_log values (r.*);
  ok := true;
  next_id := allocated;
end $$;
