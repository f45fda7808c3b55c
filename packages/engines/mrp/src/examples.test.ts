/**
 * The worked example of docs/mrp-engine.md: the stored output must be exactly
 * what the engine produces for the stored input (regenerate both together).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mrpResultToJson } from "./json.ts";
import { parseMrpInput } from "./parse-input.ts";
import { runMrp } from "./run-mrp.ts";

const read = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../examples/${name}`, import.meta.url), "utf8"));

describe("worked example", () => {
  it("bicycle.input.json produces bicycle.output.json", () => {
    const output = mrpResultToJson(runMrp(parseMrpInput(read("bicycle.input.json"))));
    expect(JSON.parse(JSON.stringify(output))).toEqual(read("bicycle.output.json"));
  });
});
