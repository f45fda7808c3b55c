import { Command, Option } from "commander";
import { VERSION } from "../platform/bootstrap.ts";
import { registerAdminCommands } from "./admin.ts";
import { registerBackupCommands } from "./backup.ts";
import { registerEngineCommands } from "./engines.ts";
import { registerServerCommands } from "./server.ts";

/** `kaiwu`: the one entry point for operators with shell access. Every subcommand has --help. */
const program = new Command();
program
  .name("kaiwu")
  .description("Kaiwu (开物) ERP for manufacturers. Configuration comes from the environment: PORT, KAIWU_DATA_DIR, DATABASE_URL, LOG_LEVEL.")
  .version(VERSION)
  .addOption(new Option("--data-dir <dir>", "data folder (embedded database, backups, secrets)").env("KAIWU_DATA_DIR"))
  .addOption(new Option("--database-url <url>", "PostgreSQL server instead of the embedded database").env("DATABASE_URL"))
  .showHelpAfterError();

registerServerCommands(program);
registerBackupCommands(program);
registerAdminCommands(program);
registerEngineCommands(program);

program.parseAsync(process.argv).catch((e: Error) => {
  process.stderr.write(`kaiwu: ${e.message}\n`);
  process.exit(1);
});
