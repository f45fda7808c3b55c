import fs from "node:fs";
import path from "node:path";
import { MrpInputError, MrpRangeError, mrpResultToJson, parseMrpInput, runMrp } from "@kaiwu/mrp";
import type { Command } from "commander";

/** Pure engines run from files, without a database. */
export function registerEngineCommands(program: Command): void {
  program
    .command("mrp")
    .description("Run the MRP engine on a JSON file (format: docs/mrp-engine.md); bad input exits 2 and writes nothing")
    .requiredOption("--input <file>", "input JSON: periods, items, bom, scheduledReceipts, demand")
    .requiredOption("--output <file>", "where to write the time-phased records, planned orders and exceptions")
    .option("--pegging <level>", "full (orders and dependent requirements), orders, or none — large plans need less", "full")
    .action((opts: { input: string; output: string; pegging: string }) => {
      if (!["full", "orders", "none"].includes(opts.pegging)) {
        process.stderr.write("kaiwu mrp: --pegging must be full, orders or none\n");
        process.exitCode = 2;
        return;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(fs.readFileSync(opts.input, "utf8"));
      } catch (e) {
        process.stderr.write(`kaiwu mrp: cannot read ${opts.input}: ${(e as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      try {
        const t0 = performance.now();
        const result = runMrp(parseMrpInput(raw));
        const json = mrpResultToJson(result, { pegging: opts.pegging as "full" | "orders" | "none" });
        fs.mkdirSync(path.dirname(path.resolve(opts.output)), { recursive: true });
        fs.writeFileSync(opts.output, `${JSON.stringify(json, null, 2)}\n`);
        const planned = (json as { plannedOrders?: unknown[] }).plannedOrders?.length ?? 0;
        const exceptions = (json as { exceptions?: unknown[] }).exceptions?.length ?? 0;
        process.stderr.write(`mrp: ${planned} planned orders, ${exceptions} exceptions in ${Math.round(performance.now() - t0)} ms → ${opts.output}\n`);
      } catch (e) {
        if (e instanceof MrpInputError || e instanceof MrpRangeError) {
          process.stderr.write(`kaiwu mrp: ${e instanceof MrpInputError ? "invalid input" : "out of range"}: ${e.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw e;
      }
    });
}
