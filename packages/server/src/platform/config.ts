import path from "node:path";

/** Runtime configuration, read once from the environment (see README "Configuration"). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: string;
  /** Minutes without a request after which the server ends a session (IAM-3). */
  idleTimeoutMinutes: number;
  /** Hours after which a session ends whatever the activity. */
  sessionMaxHours: number;
  backupDir: string;
  /** Run scheduled jobs in this process (set KAIWU_JOBS=off on extra web-only processes). */
  jobsEnabled: boolean;
  /**
   * Keep repeated statements prepared: on each PostgreSQL connection, and in the embedded database's
   * session (KAIWU_PG_PREPARE=off behind a connection pooler that cannot carry them, such as PgBouncer
   * before 1.21 in transaction mode, or to rule them out when investigating).
   */
  preparedStatements: boolean;
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

export function loadConfig(overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(process.env.KAIWU_DATA_DIR || "./data");
  return {
    port: intFromEnv("PORT", 3000),
    host: process.env.HOST || "0.0.0.0",
    dataDir,
    databaseUrl: process.env.DATABASE_URL || undefined,
    logLevel: process.env.LOG_LEVEL || "info",
    idleTimeoutMinutes: intFromEnv("KAIWU_IDLE_TIMEOUT_MINUTES", 15),
    sessionMaxHours: intFromEnv("KAIWU_SESSION_MAX_HOURS", 12),
    backupDir: path.resolve(process.env.KAIWU_BACKUP_DIR || path.join(dataDir, "backups")),
    jobsEnabled: process.env.KAIWU_JOBS !== "off",
    preparedStatements: process.env.KAIWU_PG_PREPARE !== "off",
    ...overrides,
  };
}
