import client from "prom-client";

/** Prometheus metrics for /metrics (OPS-1). One registry per process. */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: "kaiwu_" });

export const metrics = {
  httpDuration: new client.Histogram({
    name: "kaiwu_http_request_duration_seconds",
    help: "HTTP request latency by route and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  }),
  commandDuration: new client.Histogram({
    name: "kaiwu_command_duration_seconds",
    help: "Command pipeline latency by command and outcome",
    labelNames: ["command", "outcome"],
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  }),
  jobsFinished: new client.Counter({
    name: "kaiwu_jobs_finished_total",
    help: "Jobs finished by name and outcome",
    labelNames: ["job", "outcome"],
    registers: [registry],
  }),
};
