// A verification worker thread: checks blocks of audit records with BlockChecker and answers in order
// of arrival. Started by platform/audit.ts for large logs, one per CPU. Blocks arrive as transferred
// bytes (COPY) or strings (aggregated form); the checker works on the bytes as they are.
import { parentPort, workerData } from "node:worker_threads";
import { BlockChecker } from "./verify-core.js";

const checker = new BlockChecker(Buffer.from(workerData.key));
parentPort.on("message", (m) => {
  try {
    parentPort.postMessage({ seq: m.seq, result: checker.check(m.data, m.format) });
  } catch (err) {
    parentPort.postMessage({ seq: m.seq, error: String(err?.stack ?? err) });
  }
});
