-- The timing a schedule was last declared with (the module's default or its environment variable, such
-- as KAIWU_BACKUP_CRON). A changed declaration re-times the schedule at the next start; a timing changed
-- in the database alone stays until the declaration changes. NULL on existing rows: their first start
-- after this migration applies the current declaration.
alter table job_schedule add column declared_cron text;
