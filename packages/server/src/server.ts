import type { FastifyInstance } from "fastify";
import { buildApp } from "./http/app.ts";
import { removeServerInfo, writeServerInfo } from "./modules/ops/local-control.ts";
import { JobWorker, registerSchedules } from "./platform/jobs.ts";
import type { Subscriber } from "./platform/outbox.ts";
import type { Runtime } from "./platform/runtime.ts";

export interface RunningServer {
  app: FastifyInstance;
  worker?: JobWorker;
  url: string;
  stop(): Promise<void>;
}

/** Serves the API and the web app, and runs scheduled jobs and event delivery in the same process. */
export async function startServer(runtime: Runtime, opts: { port?: number; host?: string; jobs?: boolean; logger?: boolean } = {}): Promise<RunningServer> {
  for (const m of runtime.modules) m.checkSettings?.();
  const app = await buildApp(runtime, { logger: opts.logger });
  let worker: JobWorker | undefined;
  if (opts.jobs ?? runtime.config.jobsEnabled) {
    const handlers = new Map(runtime.modules.flatMap((m) => Object.entries(m.jobs ?? {})));
    const subscribers = new Map<string, Subscriber[]>();
    for (const m of runtime.modules) {
      for (const [type, s] of Object.entries(m.subscribers ?? {})) subscribers.set(type, [...(subscribers.get(type) ?? []), s]);
    }
    await registerSchedules(runtime.database.db, runtime.modules.flatMap((m) => m.schedules ?? []));
    worker = new JobWorker(runtime, handlers, subscribers);
    worker.start();
  }
  const host = opts.host ?? runtime.config.host;
  await app.listen({ port: opts.port ?? runtime.config.port, host });
  const { port } = app.server.address() as { port: number };
  const url = `http://${host === "0.0.0.0" || host === "::" ? "localhost" : host}:${port}`;
  writeServerInfo(runtime, port);
  return {
    app,
    worker,
    url,
    async stop() {
      await worker?.stop();
      await app.close();
      removeServerInfo(runtime);
    },
  };
}
