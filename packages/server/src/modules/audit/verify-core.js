// The fast check of audit records given as text, shared by platform/audit.ts and the verification
// worker threads (plain JavaScript, so a worker loads it without the TypeScript loader). It must give the
// same answer as `auditHash` over the rows; whatever it doubts is settled by that reference.
import { createHmac } from "node:crypto";

/** id, occurred_at, 13 more hashed fields, changes, details, prev_hash, hash. */
export const N_FIELDS = 19;
const SAFE_INT = /^-?(0|[1-9][0-9]{0,14})$/;

/**
 * Canonical JSON (keys sorted, no spaces; what `canonicalJson(JSON.parse(text))` gives) straight from
 * PostgreSQL's jsonb text, without building objects. String and key tokens are kept as they are:
 * PostgreSQL and JSON.stringify escape the same characters the same way. jsonb orders the keys of an
 * object deterministically, so the sorted order is computed once per shape and cached.
 */
export class JsonbCanonicaliser {
  t = "";
  i = 0;
  shapes = new Map();

  canonical(text) {
    // "" is SQL NULL in the COPY form read here (NULL ''): the reference hashes it as null.
    if (text === "null" || text === "") return "null";
    this.t = text;
    this.i = 0;
    return this.value();
  }

  stringEnd(at) {
    const t = this.t;
    let j = at;
    for (;;) {
      const q = t.indexOf('"', j + 1);
      if (q < 0) throw new SyntaxError("unterminated string");
      let b = q - 1;
      while (t.charCodeAt(b) === 92) b--;
      if ((q - 1 - b) % 2 === 0) return q + 1;
      j = q;
    }
  }

  value() {
    const t = this.t;
    while (t.charCodeAt(this.i) === 32) this.i++;
    const c = t.charCodeAt(this.i);
    if (c === 34) {
      const s = this.i;
      this.i = this.stringEnd(s);
      return t.slice(s, this.i);
    }
    if (c === 123) {
      this.i++;
      while (t.charCodeAt(this.i) === 32) this.i++;
      if (t.charCodeAt(this.i) === 125) {
        this.i++;
        return "{}";
      }
      let shape = "";
      const keys = [];
      const vals = [];
      for (;;) {
        while (t.charCodeAt(this.i) === 32) this.i++;
        const ks = this.i;
        this.i = this.stringEnd(ks);
        const rawKey = t.slice(ks, this.i);
        shape += rawKey;
        keys.push(rawKey);
        while (t.charCodeAt(this.i) === 32) this.i++;
        if (t.charCodeAt(this.i) !== 58) throw new SyntaxError("expected ':'");
        this.i++;
        vals.push(this.value());
        while (t.charCodeAt(this.i) === 32) this.i++;
        const sep = t.charCodeAt(this.i++);
        if (sep === 44) continue;
        if (sep !== 125) throw new SyntaxError("expected ',' or '}'");
        break;
      }
      let order = this.shapes.get(shape);
      if (order === undefined) {
        const decoded = keys.map((k) => (k.includes("\\") ? JSON.parse(k) : k.slice(1, -1)));
        order = decoded.map((_, n) => n).sort((a, b) => (decoded[a] < decoded[b] ? -1 : decoded[a] > decoded[b] ? 1 : 0));
        if (this.shapes.size < 10_000) this.shapes.set(shape, order);
      }
      let s = "{";
      for (let n = 0; n < order.length; n++) {
        const p = order[n];
        s += n === 0 ? `${keys[p]}:${vals[p]}` : `,${keys[p]}:${vals[p]}`;
      }
      return `${s}}`;
    }
    if (c === 91) {
      this.i++;
      while (t.charCodeAt(this.i) === 32) this.i++;
      if (t.charCodeAt(this.i) === 93) {
        this.i++;
        return "[]";
      }
      let s = "[";
      for (let n = 0; ; n++) {
        s += n === 0 ? this.value() : `,${this.value()}`;
        while (t.charCodeAt(this.i) === 32) this.i++;
        const sep = t.charCodeAt(this.i++);
        if (sep === 44) continue;
        if (sep !== 93) throw new SyntaxError("expected ',' or ']'");
        break;
      }
      return `${s}]`;
    }
    const s = this.i;
    while (this.i < t.length) {
      const d = t.charCodeAt(this.i);
      if (d === 44 || d === 125 || d === 93 || d === 32) break;
      this.i++;
    }
    const token = t.slice(s, this.i);
    if (token === "true" || token === "false" || token === "null" || SAFE_INT.test(token)) return token;
    const n = Number(token);
    if (token === "" || Number.isNaN(n)) throw new SyntaxError("bad token");
    // PostgreSQL prints numeric as stored ("2.50", "100000"); the reference prints the JS number.
    return JSON.stringify(n);
  }
}

const COPY_ESCAPES = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };
const unescapeCopy = (s, k) => {
  if (s === "\\N") return k === 15 || k === 16 ? "null" : "";
  if (!s.includes("\\")) return s;
  return s.replace(/\\(.)/g, (_, c) => COPY_ESCAPES[c] ?? c);
};

/**
 * Checks the records of one block: each record's own hash, and each link to the record before it in the
 * block (the first record's link is left to the caller, who knows the previous block's last hash).
 * `format`: "copy" = COPY text lines; "agg" = fields joined by \x1f, records by \x1e (NULL already ""
 * or "null"). Returns the block's ends and the records to settle with the reference, by index.
 */
export class BlockChecker {
  constructor(key) {
    this.key = key;
    this.canon = new JsonbCanonicaliser();
  }

  check(text, format) {
    const sep = format === "copy" ? "\n" : "\x1e";
    const fieldSep = format === "copy" ? "\t" : "\x1f";
    const doubts = [];
    let n = 0;
    let firstId = 0;
    let firstPrev = "";
    let prevHash = null;
    let prevId = 0;
    let start = 0;
    for (;;) {
      let end = text.indexOf(sep, start);
      if (end === -1) end = text.length;
      if (end > start) {
        const rec = text.slice(start, end);
        const r = this.record(rec, fieldSep, format === "copy" && rec.includes("\\"));
        // A separator inside a text column (aggregated form only): the caller re-reads this block as rows.
        if (r === null) return { n, structural: true };
        if (n === 0) {
          firstId = r.id;
          firstPrev = r.prev;
          if (!r.own) doubts.push({ index: 0, id: r.id, prev: null, prevId: null });
        } else if (!r.own || r.prev !== prevHash) doubts.push({ index: n, id: r.id, prev: prevHash, prevId });
        prevHash = r.hash;
        prevId = r.id;
        n++;
      }
      if (end >= text.length) break;
      start = end + 1;
    }
    return { n, firstId, firstPrev, lastId: prevId, lastHash: prevHash ?? "", doubts };
  }

  /**
   * One record: its id, links and whether its own hash holds. The 15 hashed fields are taken as one slice
   * with the separators turned into "|" (what the hash joins them with); only a COPY line with escapes is
   * split and decoded field by field.
   */
  record(rec, fieldSep, escaped) {
    if (escaped) {
      const f = rec.split("\t");
      if (f.length !== N_FIELDS) return null;
      const d = f.map(unescapeCopy);
      return { id: Number(d[0]), prev: d[17], hash: d[18], own: this.ownHashOk(d) };
    }
    const ends = [];
    for (let i = rec.indexOf(fieldSep); i !== -1 && ends.length < N_FIELDS; i = rec.indexOf(fieldSep, i + 1)) ends.push(i);
    if (ends.length !== N_FIELDS - 1) return null;
    const prefix = rec.slice(0, ends[14]);
    const changes = rec.slice(ends[14] + 1, ends[15]);
    const details = rec.slice(ends[15] + 1, ends[16]);
    const prev = rec.slice(ends[16] + 1, ends[17]);
    const hash = rec.slice(ends[17] + 1);
    const id = Number(rec.slice(0, ends[0]));
    let c;
    let d;
    try {
      c = this.canon.canonical(changes);
      d = this.canon.canonical(details);
    } catch {
      return { id, prev, hash, own: false };
    }
    const data = `${prev}|${prefix.replaceAll(fieldSep, "|")}|${c}|${d}`;
    return { id, prev, hash, own: createHmac("sha256", this.key).update(data).digest("hex") === hash };
  }

  ownHashOk(f) {
    let changes;
    let details;
    try {
      changes = this.canon.canonical(f[15]);
      details = this.canon.canonical(f[16]);
    } catch {
      return false;
    }
    const data = `${f[17]}|${f[0]}|${f[1]}|${f[2]}|${f[3]}|${f[4]}|${f[5]}|${f[6]}|${f[7]}|${f[8]}|${f[9]}|${f[10]}|${f[11]}|${f[12]}|${f[13]}|${f[14]}|${changes}|${details}`;
    return createHmac("sha256", this.key).update(data).digest("hex") === f[18];
  }
}
