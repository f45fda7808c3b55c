import type { Command } from "commander";

/** Pure engines run from files, without a database (the MRP engine is wired here when it lands). */
export function registerEngineCommands(_program: Command): void {}
