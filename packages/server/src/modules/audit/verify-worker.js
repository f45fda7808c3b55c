// A verification worker thread: checks blocks of audit records with BlockChecker and answers in order
// of arrival. Started by platform/audit.ts for large logs, one per CPU.
import { parentPort, workerData } from "node:worker_threads";
import { BlockChecker } from "./verify-core.js";

const checker = new BlockChecker(Buffer.from(workerData.key));
parentPort.on("message", (m) => {
  try {
    const text = typeof m.data === "string" ? m.data : Buffer.from(m.data).toString("utf8");
    parentPort.postMessage({ seq: m.seq, result: checker.check(text, m.format) });
  } catch (err) {
    parentPort.postMessage({ seq: m.seq, error: String(err?.stack ?? err) });
  }
});
