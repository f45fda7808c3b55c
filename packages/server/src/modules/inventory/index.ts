import path from "node:path";
import { fileURLToPath } from "node:url";
import type { KaiwuModule } from "../../platform/module.ts";
import { seedDemo } from "./demo.ts";
import "./import-opening.ts";
import "./exports.ts";
import "./messages.ts";
import { permissions } from "./permissions.ts";
import { routes } from "./routes.ts";

/** Stock moves (the one append-only ledger), documents that post them, balances, reservations, valuation. */
export const inventoryModule: KaiwuModule = {
  name: "inventory",
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
  permissions,
  routes,
  seedDemo,
};
