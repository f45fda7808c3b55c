-- API tokens limited to one warehouse (IAM-5 warehouse data scope for INT-1 tokens): every permission of
-- such a token reaches only that warehouse's stock, moves, documents and counts; null = every warehouse.
alter table api_token add column warehouse_id bigint references warehouse(id);

-- The warehouse is part of what a token may do, fixed when it is made like its rights and department.
create or replace function api_token_refuse_change() returns trigger language plpgsql as $$
begin
  if new.permissions <> old.permissions or new.department_id is distinct from old.department_id
     or new.warehouse_id is distinct from old.warehouse_id
     or new.expires_at <> old.expires_at or new.token_hash <> old.token_hash or new.company_id <> old.company_id
     or new.created_by is distinct from old.created_by or new.created_at <> old.created_at then
    raise exception 'the rights, scope, expiry and secret of API token % cannot be changed; make a new token', old.id
      using errcode = '23514', constraint = 'api_token_immutable';
  end if;
  if old.revoked_at is not null and new.revoked_at is distinct from old.revoked_at then
    raise exception 'API token % is revoked for good', old.id using errcode = '23514', constraint = 'api_token_revoked';
  end if;
  return new;
end $$;
