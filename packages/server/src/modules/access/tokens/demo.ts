import type { DemoContext } from "../../../platform/module.ts";
import { execute } from "../../../platform/pipeline.ts";
import type { Runtime } from "../../../platform/runtime.ts";
import { userActor } from "../../audit/demo.ts";
import { createToken } from "./commands.ts";

/** The demo company's shop-floor system (MES) reads items, BOMs, routings and stock for production. */
export async function seedDemo(runtime: Runtime, demo: DemoContext): Promise<void> {
  const admin = await userActor(runtime, "admin");
  const wanted = ["masterdata.item.read", "masterdata.bom.read", "masterdata.routing.read", "masterdata.warehouse.read", "inventory.stock.read", "org.read"];
  const permissions = wanted.filter((k) => runtime.permissions.has(k));
  const departments = demo.departments as Record<string, number> | undefined;
  const t = await execute(
    runtime,
    createToken,
    {
      name: "MES 接口 MES interface",
      description: "车间制造执行系统读取物料、BOM、工艺路线与库存。Shop-floor MES reads items, BOMs, routings and stock.",
      permissions,
      departmentId: departments?.PROD ?? null,
      expiresAt: new Date(Date.now() + 180 * 86_400_000).toISOString(),
    },
    admin,
  );
  demo.apiTokens = [{ id: t.id, name: t.name, prefix: t.prefix }];
}
