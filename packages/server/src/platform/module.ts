import type { FastifyInstance } from "fastify";
import type { Bilingual } from "./i18n.ts";
import type { JobHandler } from "./jobs.ts";
import type { Runtime } from "./runtime.ts";

export interface PermissionDef {
  key: string;
  label: Bilingual;
  /** Grants sight of sensitive fields (costs, prices, BOM quantities…). */
  sensitive?: boolean;
}

export interface ScheduleDef {
  name: string;
  job: string;
  /** Standard five-field cron expression, server time zone. */
  cron: string;
  payload?: Record<string, unknown>;
}

/**
 * A business module: a folder under src/modules with its tables (migrations), commands, queries,
 * routes, permissions, jobs and demo data. Registering it in modules/index.ts is all it takes.
 */
export interface KaiwuModule {
  name: string;
  /** Absolute path of the module's migrations folder. */
  migrationsDir?: string;
  permissions?: PermissionDef[];
  routes?: (app: FastifyInstance, runtime: Runtime) => void | Promise<void>;
  jobs?: Record<string, JobHandler>;
  schedules?: ScheduleDef[];
  /** Domain event subscribers, run after commit from the outbox. */
  subscribers?: Record<string, (runtime: Runtime, payload: unknown) => Promise<void>>;
  /**
   * Checks the module's settings (environment variables) when the server starts: throws an Error that
   * names the variable and the rule, so a bad value stops the start-up instead of the first run using it.
   */
  checkSettings?: () => void;
  /** Loads this module's part of the demo company; called in module order. */
  seedDemo?: (runtime: Runtime, demo: DemoContext) => Promise<void>;
}

/** What earlier modules' demo seeds hand to later ones (ids of the demo company, people…). */
export type DemoContext = Record<string, unknown>;
