import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";
import pino from "pino";
import { inject } from "vitest";
import { createRuntime } from "../packages/server/src/platform/bootstrap.ts";
import { type Config, loadConfig } from "../packages/server/src/platform/config.ts";
import { openDatabase } from "../packages/server/src/platform/db/database.ts";
import type { Runtime } from "../packages/server/src/platform/runtime.ts";
import { type RunningServer, startServer } from "../packages/server/src/server.ts";
import { ensureInstalled } from "../packages/server/src/setup.ts";
import { E2E_AUDIT_KEY } from "./global-setup.ts";

export const CHROMIUM = process.env.KAIWU_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_AVAILABLE = fs.existsSync(CHROMIUM);
if (!CHROMIUM_AVAILABLE) {
  if (process.env.CI === "true") throw new Error(`Chromium is required under CI=true (not found at ${CHROMIUM})`);
  process.stderr.write(`\n*** Chromium not found at ${CHROMIUM}: end-to-end tests are SKIPPED ***\n\n`);
}

export const SHOTS = path.resolve("test-results/screenshots");

export interface E2E {
  rt: Runtime;
  server: RunningServer;
  browser: Browser;
  adminPassword: string;
  demoLogins: { username: string; password: string; roles: string }[];
  newPage(lang?: "zh-CN" | "en-US"): Promise<Page>;
  close(): Promise<void>;
}

/**
 * A real server (embedded database, demo company, the built web app) and a real Chromium. `config`
 * overrides the server's configuration, e.g. `{ idleTimeoutMinutes: 1 }` to see the idle logout.
 */
export async function startE2E(config: Partial<Pick<Config, "idleTimeoutMinutes" | "sessionMaxHours">> = {}): Promise<E2E> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kaiwu-e2e-"));
  process.env.KAIWU_AUDIT_KEY ??= E2E_AUDIT_KEY;
  // A copy of the run's installed demo company (e2e/global-setup.ts): database, data folder, passwords.
  const template = inject("e2eTemplate");
  fs.cpSync(path.join(template, "data"), dataDir, { recursive: true });
  const database = await openDatabase({ dataDir: "memory://", loadDataDir: new Blob([fs.readFileSync(path.join(template, "db.tar.gz"))]) });
  const rt = await createRuntime({
    config: loadConfig({ dataDir, backupDir: path.join(dataDir, "backups"), logLevel: "silent", ...config }),
    database,
    logger: pino({ level: "silent" }),
  });
  await ensureInstalled(rt, { demo: true }); // already installed: only brings the built-in roles up to date
  const install = JSON.parse(fs.readFileSync(path.join(template, "install.json"), "utf8")) as {
    adminPassword: string;
    demoLogins: E2E["demoLogins"];
  };
  const server = await startServer(rt, { port: 0, host: "127.0.0.1", logger: false, jobs: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  fs.mkdirSync(SHOTS, { recursive: true });
  const contexts: { close(): Promise<void> }[] = [];
  return {
    rt,
    server,
    browser,
    adminPassword: install.adminPassword,
    demoLogins: install.demoLogins,
    async newPage(lang = "zh-CN") {
      // A fresh context is a fresh profile: no cookies, no stored language.
      // Reduced motion (the app then turns antd's motion off): a click never lands on a dialog or menu still moving in.
      const context = await browser.newContext({ locale: lang, baseURL: server.url, viewport: { width: 1440, height: 900 }, reducedMotion: "reduce" });
      contexts.push(context);
      const page = await context.newPage();
      page.on("pageerror", (e) => process.stderr.write(`[browser error] ${e.message}\n`));
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await server.stop();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
