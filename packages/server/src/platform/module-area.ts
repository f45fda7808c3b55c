import type { FastifyInstance } from "fastify";
import type { DemoContext, PermissionDef } from "./module.ts";
import type { Runtime } from "./runtime.ts";

/**
 * A part of a large module kept in its own sub-folder (masterdata/catalog, masterdata/engineering…):
 * the module's index composes its areas, so each area's author touches only their folder.
 */
export interface ModuleArea {
  permissions?: PermissionDef[];
  routes?: (app: FastifyInstance, runtime: Runtime) => void | Promise<void>;
  seedDemo?: (runtime: Runtime, demo: DemoContext) => Promise<void>;
}

export function composeAreas(areas: ModuleArea[]): Required<ModuleArea> {
  return {
    permissions: areas.flatMap((a) => a.permissions ?? []),
    routes: async (app, rt) => {
      for (const a of areas) await a.routes?.(app, rt);
    },
    seedDemo: async (rt, demo) => {
      for (const a of areas) await a.seedDemo?.(rt, demo);
    },
  };
}
