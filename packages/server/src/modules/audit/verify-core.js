// The fast check of audit records given as text, shared by platform/audit.ts and the verification
// worker threads (plain JavaScript, so a worker loads it without the TypeScript loader). It must give the
// same answer as `auditHash` over the rows; whatever it doubts is settled by that reference.
import { createHash, createHmac } from "node:crypto";

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

/**
 * The byte path: canonical JSON (as `JsonbCanonicaliser` gives it) written straight from PostgreSQL's jsonb
 * text bytes into an output buffer, so a record is hashed without building a string. Only for input without
 * COPY escapes; JSON string escapes (the aggregated form) are copied as they are. Anything unexpected
 * throws: the record is then doubted, never accepted.
 */
class ByteCanonicaliser {
  b = EMPTY; // input
  i = 0;
  end = 0;
  out = Buffer.allocUnsafe(1 << 16);
  o = 0;
  /** Member ranges of the objects being written (start, key end, end), nested objects above their parent. */
  stack = new Int32Array(3 * 1024);
  sp = 0;
  tmp = Buffer.allocUnsafe(1 << 16);
  shapes = new Map();

  /** Makes room for `n` more output bytes. */
  ensure(n) {
    if (this.o + n <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.out.length, this.o + n));
    this.out.copy(bigger, 0, 0, this.o);
    this.out = bigger;
  }

  /** Writes the canonical form of the jsonb text b[from, to) at `o`; "" (SQL NULL) is null. */
  write(b, from, to) {
    if (from === to) {
      this.ensure(4);
      this.o = this.out.latin1Write("null", this.o) + this.o;
      return;
    }
    this.b = b;
    this.i = from;
    this.end = to;
    this.sp = 0;
    // Canonical JSON is never longer than jsonb text, except numbers rewritten by `number`.
    this.ensure(to - from);
    this.value();
    if (this.i !== to) throw new SyntaxError("trailing input");
  }

  spaces() {
    const b = this.b;
    while (this.i < this.end && b[this.i] === 32) this.i++;
  }

  value() {
    this.spaces();
    if (this.i >= this.end) throw new SyntaxError("unexpected end");
    const c = this.b[this.i];
    if (c === 34) this.string();
    else if (c === 123) this.object();
    else if (c === 91) this.array();
    else this.token();
  }

  /** A string or key, copied with its escapes (a backslash takes the byte after it along). */
  string() {
    const b = this.b;
    const out = this.out;
    const end = this.end;
    let i = this.i;
    let o = this.o;
    out[o++] = b[i++];
    for (;;) {
      if (i >= end) throw new SyntaxError("unterminated string");
      const c = b[i++];
      out[o++] = c;
      if (c === 34) break;
      if (c === 92) {
        if (i >= end) throw new SyntaxError("unterminated string");
        out[o++] = b[i++];
      }
    }
    this.i = i;
    this.o = o;
  }

  array() {
    const b = this.b;
    this.i++;
    this.out[this.o++] = 91;
    this.spaces();
    if (this.i < this.end && b[this.i] === 93) {
      this.i++;
      this.out[this.o++] = 93;
      return;
    }
    for (;;) {
      this.value();
      this.spaces();
      const sep = b[this.i++];
      if (sep === 93) break;
      if (sep !== 44 || this.i >= this.end) throw new SyntaxError("expected ',' or ']'");
      this.out[this.o++] = 44;
    }
    this.out[this.o++] = 93;
  }

  /**
   * Members are written in jsonb's order ("key":value), then moved into sorted key order. The order is
   * computed once per shape; shapes are told apart by a hash of their keys: a collision only gives a
   * wrong canonical form, i.e. a doubt settled by the reference, never a wrong verdict.
   */
  object() {
    const b = this.b;
    this.i++;
    this.spaces();
    if (this.i < this.end && b[this.i] === 125) {
      this.i++;
      this.out[this.o++] = 123;
      this.out[this.o++] = 125;
      return;
    }
    const open = this.o;
    this.out[this.o++] = 123;
    const base = this.sp;
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (;;) {
      this.spaces();
      if (this.i >= this.end || b[this.i] !== 34) throw new SyntaxError("expected a key");
      const start = this.o;
      const ks = this.i;
      this.string();
      for (let k = ks; k < this.i; k++) {
        h1 = Math.imul(h1 ^ b[k], 16777619);
        h2 = Math.imul(h2 ^ b[k], 0x5bd1e995);
      }
      const keyEnd = this.o;
      this.spaces();
      if (b[this.i] !== 58 || this.i >= this.end) throw new SyntaxError("expected ':'");
      this.i++;
      this.out[this.o++] = 58;
      this.value();
      if (this.sp + 3 > this.stack.length) throw new RangeError("too deep");
      this.stack[this.sp++] = start;
      this.stack[this.sp++] = keyEnd;
      this.stack[this.sp++] = this.o;
      this.spaces();
      const sep = b[this.i++];
      if (sep === 125) break;
      if (sep !== 44 || this.i >= this.end) throw new SyntaxError("expected ',' or '}'");
      this.out[this.o++] = 44;
    }
    const count = (this.sp - base) / 3;
    const shape = (h1 >>> 0) * 2097152 + ((h2 >>> 11) ^ count);
    let order = this.shapes.get(shape);
    if (order === undefined) order = this.learn(shape, base, count);
    if (order !== null) this.reorder(open + 1, base, order);
    this.out[this.o++] = 125;
    this.sp = base;
  }

  /** The sorted order of a new shape (null when jsonb's order is already sorted), as the reference sorts keys. */
  learn(shape, base, count) {
    const keys = [];
    for (let n = 0; n < count; n++) {
      const s = this.stack[base + 3 * n];
      keys.push(JSON.parse(this.out.toString("utf8", s, this.stack[base + 3 * n + 1])));
    }
    const order = keys.map((_, n) => n).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
    const result = order.every((p, n) => p === n) ? null : Int32Array.from(order);
    if (this.shapes.size < 10_000) this.shapes.set(shape, result);
    return result;
  }

  /** Rewrites the members after `from` in `order`, comma-separated. */
  reorder(from, base, order) {
    const len = this.o - from;
    if (this.tmp.length < len) this.tmp = Buffer.allocUnsafe(2 * len);
    const tmp = this.tmp;
    const out = this.out;
    out.copy(tmp, 0, from, this.o);
    let o = from;
    for (let n = 0; n < order.length; n++) {
      if (n > 0) out[o++] = 44;
      const m = base + 3 * order[n];
      const end = this.stack[m + 2] - from;
      for (let k = this.stack[m] - from; k < end; k++) out[o++] = tmp[k];
    }
    this.o = o;
  }

  /** true, false, null and safe integers as they are; other numbers as the JS number prints. */
  token() {
    const b = this.b;
    const s = this.i;
    let i = s;
    while (i < this.end) {
      const d = b[i];
      if (d === 44 || d === 125 || d === 93 || d === 32) break;
      i++;
    }
    this.i = i;
    const len = i - s;
    let plain = false;
    if (len === 4) plain = (b[s] === 116 && b[s + 1] === 114 && b[s + 2] === 117 && b[s + 3] === 101) || (b[s] === 110 && b[s + 1] === 117 && b[s + 2] === 108 && b[s + 3] === 108);
    else if (len === 5) plain = b[s] === 102 && b[s + 1] === 97 && b[s + 2] === 108 && b[s + 3] === 115 && b[s + 4] === 101;
    if (!plain) plain = safeInteger(b, s, i);
    if (plain) {
      for (let k = s; k < i; k++) this.out[this.o++] = b[k];
      return;
    }
    const token = b.toString("latin1", s, i);
    const n = Number(token);
    if (token === "" || Number.isNaN(n)) throw new SyntaxError("bad token");
    // PostgreSQL prints numeric as stored ("2.50", "100000"); the reference prints the JS number.
    const text = JSON.stringify(n);
    this.ensure(text.length + (this.end - this.i));
    this.o += this.out.latin1Write(text, this.o);
  }
}

const EMPTY = Buffer.alloc(0);

/** What SAFE_INT matches: -?(0|[1-9][0-9]{0,14}). */
function safeInteger(b, s, e) {
  let k = s;
  if (k < e && b[k] === 45) k++;
  const digits = e - k;
  if (digits < 1 || digits > 15) return false;
  if (b[k] === 48) return digits === 1;
  for (; k < e; k++) if (b[k] < 48 || b[k] > 57) return false;
  return true;
}

/**
 * HMAC-SHA-256 (RFC 2104, what createHmac computes) from two SHA-256 states primed with the padded key
 * and copied per message: createHmac sets up its key on every call (~1.5 µs), a copy costs ~0.35 µs.
 * Digests come as latin1 strings (one char a byte): cheaper than a Buffer per call.
 */
class PrimedHmac {
  constructor(key) {
    const k = key.length > 64 ? createHash("sha256").update(key).digest() : key;
    const ipad = Buffer.alloc(64, 0x36);
    const opad = Buffer.alloc(64, 0x5c);
    for (let n = 0; n < k.length; n++) {
      ipad[n] ^= k[n];
      opad[n] ^= k[n];
    }
    this.inner = createHash("sha256").update(ipad);
    this.outer = createHash("sha256").update(opad);
  }

  digest(message) {
    return this.outer.copy().update(this.inner.copy().update(message).digest("latin1"), "latin1").digest("latin1");
  }
}

const HEX = Buffer.from("0123456789abcdef");

/** Whether b[s, e) is the lowercase hex of `digest` (a latin1 string), as `digest("hex")` writes it. */
function hexEquals(b, s, e, digest) {
  if (e - s !== 2 * digest.length) return false;
  for (let k = 0; k < digest.length; k++) {
    const d = digest.charCodeAt(k);
    if (b[s + 2 * k] !== HEX[d >> 4] || b[s + 2 * k + 1] !== HEX[d & 15]) return false;
  }
  return true;
}

function bytesEqual(b, s1, e1, s2, e2) {
  if (e1 - s1 !== e2 - s2) return false;
  for (let k = 0; k < e1 - s1; k++) if (b[s1 + k] !== b[s2 + k]) return false;
  return true;
}

/** The id field's number (digits only; anything else is NaN, which no link or lookup matches). */
function parseId(b, s, e) {
  if (s === e) return Number.NaN;
  let v = 0;
  for (let k = s; k < e; k++) {
    const d = b[k] - 48;
    if (d < 0 || d > 9) return Number(b.toString("latin1", s, e));
    v = v * 10 + d;
  }
  return v;
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
 * or "null"). The block comes as bytes (a string is encoded once): records are checked on the bytes, no
 * string per record. Returns the block's ends and the records to settle with the reference, by index.
 */
export class BlockChecker {
  constructor(key) {
    this.key = key;
    this.canon = new JsonbCanonicaliser();
    this.bytes = new ByteCanonicaliser();
    this.mac = new PrimedHmac(key);
    // recordBytes' answers besides the verdict: the id, and where the prev_hash and hash fields are.
    this.id = 0;
    this.ps = 0;
    this.pe = 0;
    this.hs = 0;
    this.he = 0;
  }

  check(data, format) {
    const copy = format === "copy";
    const b = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const recordSep = copy ? 10 : 0x1e;
    const fieldSep = copy ? 9 : 0x1f;
    const doubts = [];
    let n = 0;
    let firstId = 0;
    let firstPrev = "";
    let lastId = 0;
    // The previous record's hash: where it is in b, or its text when that record took the string path.
    let hs = 0;
    let he = 0;
    let hText = null;
    const lastHash = () => hText ?? b.toString("utf8", hs, he);
    // COPY lines with a backslash (escapes) take the string path; they are rare, so one search finds the next.
    const nextEscape = (from) => {
      const k = copy ? b.indexOf(92, from) : -1;
      return k < 0 ? b.length : k;
    };
    let backslash = nextEscape(0);
    for (let start = 0; start < b.length; start++) {
      let end = b.indexOf(recordSep, start);
      if (end < 0) end = b.length;
      if (end > start) {
        let id;
        let own;
        let prev; // this record's prev_hash, as text (only needed for the first record or a string-path one)
        let link = true;
        let hashText = null; // this record's hash when it took the string path
        if (backslash < end) {
          const r = this.record(b.toString("utf8", start, end));
          if (r === null) return { n, structural: true };
          id = r.id;
          own = r.own;
          prev = r.prev;
          hashText = r.hash;
          if (n > 0) link = prev === lastHash();
        } else {
          own = this.recordBytes(b, start, end, fieldSep);
          // A separator inside a text column (aggregated form only): the caller re-reads this block as rows.
          if (own === null) return { n, structural: true };
          id = this.id;
          if (n === 0) prev = b.toString("utf8", this.ps, this.pe);
          else if (hText === null) link = bytesEqual(b, this.ps, this.pe, hs, he);
          else link = b.toString("utf8", this.ps, this.pe) === hText;
        }
        if (n === 0) {
          firstId = id;
          firstPrev = prev;
          if (!own) doubts.push({ index: 0, id, prev: null, prevId: null });
        } else if (!own || !link) {
          doubts.push({ index: n, id, prev: lastHash(), prevId: lastId });
        }
        hText = hashText;
        if (hashText === null) {
          hs = this.hs;
          he = this.he;
        } else backslash = nextEscape(end);
        if (n === 0) firstId = id;
        lastId = id;
        n++;
      }
      start = end;
    }
    return { n, firstId, firstPrev, lastId, lastHash: n === 0 ? "" : lastHash(), doubts };
  }

  /**
   * One record on the bytes b[s, e) without COPY escapes: its own hash holds (true/false), or null when it
   * does not have 19 fields. The hashed text (prev_hash|15 fields|changes|details) is written into the
   * canonicaliser's buffer and hashed as bytes.
   */
  recordBytes(b, s, e, sep) {
    // prev_hash and hash are the last two fields.
    const t17 = e - 1 > s ? b.lastIndexOf(sep, e - 1) : -1;
    if (t17 <= s) return null;
    const t16 = b.lastIndexOf(sep, t17 - 1);
    if (t16 <= s) return null;
    const c = this.bytes;
    c.o = 0;
    c.ensure(e - s + 16);
    let out = c.out;
    let o = 0;
    for (let k = t16 + 1; k < t17; k++) out[o++] = b[k];
    out[o++] = 124;
    // The 15 fields before changes, separators turned into "|".
    let k = s;
    let seps = 0;
    let t0 = -1;
    for (; k < t16; k++) {
      const ch = b[k];
      if (ch !== sep) out[o++] = ch;
      else if (++seps === 15) break;
      else {
        if (seps === 1) t0 = k;
        out[o++] = 124;
      }
    }
    if (seps !== 15) return null;
    const t15 = b.indexOf(sep, k + 1);
    if (t15 < 0 || t15 >= t16 || b.indexOf(sep, t15 + 1) !== t16) return null;
    this.id = parseId(b, s, t0);
    this.ps = t16 + 1;
    this.pe = t17;
    this.hs = t17 + 1;
    this.he = e;
    try {
      out[o++] = 124;
      c.o = o;
      c.write(b, k + 1, t15);
      c.ensure(1);
      c.out[c.o++] = 124;
      c.write(b, t15 + 1, t16);
    } catch {
      return false;
    }
    out = c.out;
    return hexEquals(b, t17 + 1, e, this.mac.digest(out.subarray(0, c.o)));
  }

  /** A COPY line with escapes, decoded field by field: its id, links and whether its own hash holds. */
  record(rec) {
    const f = rec.split("\t");
    if (f.length !== N_FIELDS) return null;
    const d = f.map(unescapeCopy);
    return { id: Number(d[0]), prev: d[17], hash: d[18], own: this.ownHashOk(d) };
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
