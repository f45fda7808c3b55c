import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { defineCommand } from "../../platform/pipeline.ts";
import { StrictObject, Type } from "../../platform/validation.ts";
import { P } from "./permissions.ts";

/** Thresholds of the anomaly rules (AUD-3); the database checks the same bounds. */
export interface RuleSettings {
  repeatedFailuresEnabled: boolean;
  failedLoginThreshold: number;
  failedLoginWindowMinutes: number;
  offHoursEnabled: boolean;
  offHoursGraceMinutes: number;
  newAddressEnabled: boolean;
  newAddressDays: number;
  massExportEnabled: boolean;
  massExportCount: number;
  massExportRows: number;
  massExportWindowMinutes: number;
  massDeletionEnabled: boolean;
  massDeletionCount: number;
  massDeletionWindowMinutes: number;
  rightsEscalationEnabled: boolean;
  disabledAccountEnabled: boolean;
}

export const DEFAULT_SETTINGS: RuleSettings = {
  repeatedFailuresEnabled: true,
  failedLoginThreshold: 5,
  failedLoginWindowMinutes: 15,
  offHoursEnabled: true,
  offHoursGraceMinutes: 60,
  newAddressEnabled: true,
  newAddressDays: 90,
  massExportEnabled: true,
  massExportCount: 20,
  massExportRows: 50_000,
  massExportWindowMinutes: 60,
  massDeletionEnabled: true,
  massDeletionCount: 50,
  massDeletionWindowMinutes: 10,
  rightsEscalationEnabled: true,
  disabledAccountEnabled: true,
};

const COLUMNS = sql`repeated_failures_enabled as "repeatedFailuresEnabled", failed_login_threshold as "failedLoginThreshold",
  failed_login_window_minutes as "failedLoginWindowMinutes", off_hours_enabled as "offHoursEnabled",
  off_hours_grace_minutes as "offHoursGraceMinutes", new_address_enabled as "newAddressEnabled", new_address_days as "newAddressDays",
  mass_export_enabled as "massExportEnabled", mass_export_count as "massExportCount", mass_export_rows as "massExportRows",
  mass_export_window_minutes as "massExportWindowMinutes", mass_deletion_enabled as "massDeletionEnabled",
  mass_deletion_count as "massDeletionCount", mass_deletion_window_minutes as "massDeletionWindowMinutes",
  rights_escalation_enabled as "rightsEscalationEnabled", disabled_account_enabled as "disabledAccountEnabled"`;

export interface SettingsView extends RuleSettings {
  version: number;
  updatedAt: string | null;
  updatedByName: string | null;
  isDefault: boolean;
}

export async function getSettings(db: Executor, companyId: number): Promise<SettingsView> {
  const row = await one<RuleSettings & { version: number; updatedAt: string; updatedByName: string | null }>(
    db,
    sql`select ${COLUMNS}, s.version, s.updated_at as "updatedAt", u.display_name as "updatedByName"
        from security_rule_settings s left join app_user u on u.id = s.updated_by where s.company_id = ${companyId}`,
  );
  // No row yet: the defaults, as version 1 of the row the first save creates.
  return row ? { ...row, isDefault: false } : { ...DEFAULT_SETTINGS, version: 1, updatedAt: null, updatedByName: null, isDefault: true };
}

/** Every company's settings (defaults where none are saved); `null` maps records that carry no company. */
export async function allSettings(db: Executor): Promise<Map<number | null, RuleSettings>> {
  const saved = await rows<RuleSettings & { companyId: number }>(db, sql`select company_id as "companyId", ${COLUMNS} from security_rule_settings`);
  const map = new Map<number | null, RuleSettings>();
  for (const { companyId, ...s } of saved) map.set(companyId, s);
  // Records without a company (sign-in attempts on unknown accounts) follow the first company's settings.
  const first = await one<{ id: number }>(db, sql`select id from company order by id limit 1`);
  map.set(null, (first && map.get(first.id)) || DEFAULT_SETTINGS);
  return map;
}

export const settingsFor = (map: Map<number | null, RuleSettings>, companyId: number | null): RuleSettings =>
  map.get(companyId) ?? DEFAULT_SETTINGS;

const Int = (minimum: number, maximum: number) => Type.Optional(Type.Integer({ minimum, maximum }));

export const updateSettings = defineCommand({
  name: "audit.settings.update",
  permission: P.securityConfigure,
  entity: "security_rule_settings",
  input: StrictObject({
    version: Type.Integer({ minimum: 1 }),
    repeatedFailuresEnabled: Type.Optional(Type.Boolean()),
    failedLoginThreshold: Int(2, 1000),
    failedLoginWindowMinutes: Int(1, 1440),
    offHoursEnabled: Type.Optional(Type.Boolean()),
    offHoursGraceMinutes: Int(0, 720),
    newAddressEnabled: Type.Optional(Type.Boolean()),
    newAddressDays: Int(1, 730),
    massExportEnabled: Type.Optional(Type.Boolean()),
    massExportCount: Int(1, 100_000),
    massExportRows: Int(1, 100_000_000),
    massExportWindowMinutes: Int(1, 1440),
    massDeletionEnabled: Type.Optional(Type.Boolean()),
    massDeletionCount: Int(1, 100_000),
    massDeletionWindowMinutes: Int(1, 1440),
    rightsEscalationEnabled: Type.Optional(Type.Boolean()),
    disabledAccountEnabled: Type.Optional(Type.Boolean()),
  }),
  async run(ctx, { version, ...changes }) {
    const companyId = ctx.actor.companyId;
    if (!companyId) throw errors.rule("no_company", "org.error.no_company");
    await ctx.tx.execute(sql`insert into security_rule_settings (company_id) values (${companyId}) on conflict do nothing`);
    const before = await getSettingsForUpdate(ctx.tx, companyId);
    if (before.version !== version) throw errors.versionConflict(before.version);
    const next = { ...before, ...changes };
    await ctx.tx.execute(sql`update security_rule_settings set
        repeated_failures_enabled = ${next.repeatedFailuresEnabled}, failed_login_threshold = ${next.failedLoginThreshold},
        failed_login_window_minutes = ${next.failedLoginWindowMinutes}, off_hours_enabled = ${next.offHoursEnabled},
        off_hours_grace_minutes = ${next.offHoursGraceMinutes}, new_address_enabled = ${next.newAddressEnabled},
        new_address_days = ${next.newAddressDays}, mass_export_enabled = ${next.massExportEnabled},
        mass_export_count = ${next.massExportCount}, mass_export_rows = ${next.massExportRows},
        mass_export_window_minutes = ${next.massExportWindowMinutes}, mass_deletion_enabled = ${next.massDeletionEnabled},
        mass_deletion_count = ${next.massDeletionCount}, mass_deletion_window_minutes = ${next.massDeletionWindowMinutes},
        rights_escalation_enabled = ${next.rightsEscalationEnabled}, disabled_account_enabled = ${next.disabledAccountEnabled},
        version = version + 1, updated_at = now(), updated_by = ${ctx.actor.kind === "user" ? ctx.actor.id : null}
      where company_id = ${companyId}`);
    const b: Record<string, unknown> = {};
    const a: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(changes)) {
      const old = (before as unknown as Record<string, unknown>)[k];
      if (old !== v) {
        b[k] = old;
        a[k] = v;
      }
    }
    ctx.audit.entityId = companyId;
    ctx.audit.before = b;
    ctx.audit.after = a;
    return getSettings(ctx.tx, companyId);
  },
});

async function getSettingsForUpdate(tx: Executor, companyId: number): Promise<RuleSettings & { version: number }> {
  const row = await one<RuleSettings & { version: number }>(
    tx,
    sql`select ${COLUMNS}, version from security_rule_settings where company_id = ${companyId} for update`,
  );
  return row!;
}
