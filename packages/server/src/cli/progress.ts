/** Progress for long CLI operations: a redrawn line on a terminal, plain lines otherwise (CI logs). */
export function progress(label: string) {
  const tty = process.stderr.isTTY;
  let last = 0;
  return {
    update(done: number, total: number, detail = "") {
      const now = Date.now();
      if (!tty && now - last < 2000 && done < total) return;
      last = now;
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      const line = `${label}: ${pct}% (${done}/${total}) ${detail}`;
      if (tty) process.stderr.write(`\r${line.padEnd(100).slice(0, 100)}`);
      else process.stderr.write(`${line}\n`);
    },
    done(message: string) {
      if (tty) process.stderr.write(`\r${" ".repeat(100)}\r`);
      process.stderr.write(`${label}: ${message}\n`);
    },
  };
}
