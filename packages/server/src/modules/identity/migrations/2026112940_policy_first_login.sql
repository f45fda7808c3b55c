-- "Change at first login" as a policy rule (IAM-1): whether an account approved through self-registration
-- (IAM-6) must change the password its applicant chose before anything else. Accounts an administrator
-- creates or resets always change their one-time password; this does not weaken that.
alter table security_policy add column change_at_first_login boolean not null default true;
