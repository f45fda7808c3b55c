// A verification worker thread: checks blocks of binary COPY data with BlockChecker, in order of arrival,
// and counts them in the shared `done` (read by verify.ts while its thread cannot receive answers).
// Started by verify.ts for large logs. A block arrives transferred and goes back with its result
// (transferred again), so the reader reuses its memory.
import { parentPort, workerData } from "node:worker_threads";
import { BlockChecker } from "./verify-core.js";

const checker = new BlockChecker(Buffer.from(workerData.key));
parentPort.on("message", (m) => {
  try {
    const result = checker.check(new Uint8Array(m.buffer, 0, m.length));
    Atomics.add(workerData.done, workerData.index, 1);
    parentPort.postMessage({ seq: m.seq, result, buffer: m.buffer }, [m.buffer]);
  } catch (err) {
    parentPort.postMessage({ seq: m.seq, error: String(err?.stack ?? err) });
  }
});
