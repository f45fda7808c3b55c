-- Data scope by warehouse (IAM-5): a role held with a warehouse reaches only that warehouse's stock,
-- moves, documents and counts; null = every warehouse (the department scope still applies as before).
alter table user_role add column warehouse_id bigint references warehouse(id);
create index user_role_warehouse on user_role (warehouse_id) where warehouse_id is not null;
