#!/usr/bin/env node
// Builds the web app when its sources are newer than the last build (or there is none), so that
// `npm start` and the end-to-end tests always serve the current UI without a separate build step.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const web = path.join(root, "packages/web");
const built = path.join(web, "dist/index.html");

function newest(dir) {
  let t = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const sources = Math.max(newest(path.join(web, "src")), ...["index.html", "vite.config.ts", "package.json"].map((f) => fs.existsSync(path.join(web, f)) ? fs.statSync(path.join(web, f)).mtimeMs : 0));
if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources && !process.argv.includes("--force")) process.exit(0);
process.stderr.write("Building the web app…\n");
execFileSync(process.execPath, [path.join(root, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"], { cwd: web, stdio: "inherit" });
