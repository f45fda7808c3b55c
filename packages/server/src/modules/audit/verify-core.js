// The fast check of audit records read as binary COPY, shared by modules/audit/verify.ts and the
// verification worker threads (plain JavaScript, so a worker loads it without the TypeScript loader). It
// must give the same answer as `auditHash` over the rows; whatever it cannot confirm it doubts, and the
// reference settles those.
import { createHash, hash } from "node:crypto";

/**
 * What the COPY selects: id, occurred_at, the 13 other hashed fields joined as the reference joins them
 * (`|`, NULL as empty; int8 prints as JS prints a safe integer), changes, details, prev_hash, hash. The
 * server joining them costs it about what sending them apart would, and saves the checker a field each.
 */
export const COPY_SELECT = `id, occurred_at, ${[
  "company_id::text", "actor_type", "actor_id::text", "actor_name", "session_id", "ip", "user_agent", "request_id", "action",
  "entity", "entity_id", "outcome", "error_code",
].map((c) => `coalesce(${c}, '')`).join(" || '|' || ")}, changes, details, prev_hash, hash`;
const N_FIELDS = 7;
const MIDDLE = 2;
const CHANGES = 3;
const PREV_HASH = 5;
const HASH = 6;
const PIPE = 124;
const COPY_DATA = 0x64;
/** The binary COPY header starts the first row's message: "PGCOPY\n\377\r\n\0", flags, extension length. */
const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];

/**
 * Canonical JSON (keys sorted as the reference sorts them, no spaces: what `canonicalJson(JSON.parse(text))`
 * gives) written straight from PostgreSQL's jsonb text bytes into an output buffer, without building
 * objects or strings. jsonb prints `{"k": v, "k2": v2}` and `[a, b]`, keys ordered by length first.
 * String and key tokens are copied as they are: PostgreSQL and JSON.stringify escape the same characters
 * the same way. Anything unexpected throws: the record is then doubted, never accepted.
 */
class ByteCanonicaliser {
  b = EMPTY; // input
  i = 0;
  end = 0;
  /** The output; the caller keeps its own prefix in front (see BlockChecker). */
  out = Buffer.allocUnsafe(1 << 16);
  o = 0;
  /** Member ranges of the objects being written (start, key end, end), nested objects above their parent. */
  stack = new Int32Array(3 * 1024);
  sp = 0;
  shape = 0;
  shapes = new Map();

  /** Makes room for `n` more output bytes. */
  ensure(n) {
    if (this.o + n <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.out.length, this.o + n));
    this.out.copy(bigger, 0, 0, this.o);
    this.out = bigger;
  }

  /** Writes the canonical form of the jsonb text b[from, to) at `o`. */
  write(b, from, to) {
    this.b = b;
    this.i = from;
    this.end = to;
    this.sp = 0;
    // Canonical JSON is never longer than jsonb text, except numbers rewritten by `token`.
    this.ensure(to - from);
    this.value();
    if (this.i !== to) throw new SyntaxError("trailing input");
  }

  value() {
    if (this.i >= this.end) throw new SyntaxError("unexpected end");
    const c = this.b[this.i];
    if (c === 34) this.string();
    else if (c === 123) this.object();
    else if (c === 91) this.array();
    else this.token();
  }

  /** The ", " between members or elements, or the closing bracket (true). */
  next(close) {
    const b = this.b;
    const c = b[this.i];
    if (c === close) {
      this.i++;
      return true;
    }
    if (c !== 44 || b[this.i + 1] !== 32 || this.i + 2 >= this.end) throw new SyntaxError("expected ', '");
    this.i += 2;
    return false;
  }

  /** A key, copied as a string, its bytes hashed into `shape` (FNV-1a; a nested object saves and restores it). */
  key() {
    const b = this.b;
    const out = this.out;
    const end = this.end;
    let i = this.i;
    let o = this.o;
    let h = this.shape;
    out[o++] = b[i++];
    for (;;) {
      if (i >= end) throw new SyntaxError("unterminated string");
      const c = b[i++];
      out[o++] = c;
      h = Math.imul(h ^ c, 16777619);
      if (c === 34) break;
      if (c === 92) {
        if (i >= end) throw new SyntaxError("unterminated string");
        const d = b[i++];
        out[o++] = d;
        h = Math.imul(h ^ d, 16777619);
      }
    }
    this.shape = h;
    this.i = i;
    this.o = o;
  }

  /** A string, copied with its escapes (a backslash takes the byte after it along). */
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
    this.i++;
    this.out[this.o++] = 91;
    if (this.b[this.i] === 93) {
      this.i++;
      this.out[this.o++] = 93;
      return;
    }
    for (;;) {
      this.value();
      if (this.next(93)) break;
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
    if (b[this.i] === 125) {
      this.i++;
      this.out[this.o++] = 123;
      this.out[this.o++] = 125;
      return;
    }
    const open = this.o;
    this.out[this.o++] = 123;
    const base = this.sp;
    this.shape = 0x811c9dc5;
    for (;;) {
      if (b[this.i] !== 34) throw new SyntaxError("expected a key");
      const start = this.o;
      this.key();
      const keyEnd = this.o;
      if (b[this.i] !== 58 || b[this.i + 1] !== 32) throw new SyntaxError("expected ': '");
      this.i += 2;
      this.out[this.o++] = 58;
      const shape = this.shape;
      this.value();
      this.shape = shape;
      if (this.sp + 3 > this.stack.length) throw new RangeError("too deep");
      this.stack[this.sp++] = start;
      this.stack[this.sp++] = keyEnd;
      this.stack[this.sp++] = this.o;
      if (this.next(125)) break;
      this.out[this.o++] = 44;
    }
    const count = (this.sp - base) / 3;
    // The hash of the keys' bytes (quotes included, so key boundaries count) and their number, as a small
    // integer (a cheap map key).
    const shape = (this.shape ^ Math.imul(count, 0x9e3779b1)) & 0x3fffffff;
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

  /**
   * Rewrites the members after `from` in `order`, comma-separated, from a copy made past the end of the
   * output (copyWithin: Buffer.copy between offsets would make a view per call).
   */
  reorder(from, base, order) {
    const len = this.o - from;
    this.ensure(len);
    const out = this.out;
    const shift = this.o - from;
    out.copyWithin(this.o, from, this.o);
    let o = from;
    for (let n = 0; n < order.length; n++) {
      if (n > 0) out[o++] = 44;
      const m = base + 3 * order[n];
      const s = this.stack[m] + shift;
      const end = this.stack[m + 2] + shift;
      if (end - s > 24) {
        out.copyWithin(o, s, end);
        o += end - s;
      } else for (let k = s; k < end; k++) out[o++] = out[k];
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
      if (d === 44 || d === 125 || d === 93) break;
      i++;
    }
    this.i = i;
    const len = i - s;
    let plain = false;
    if (len === 4) plain = (b[s] === 116 && b[s + 1] === 114 && b[s + 2] === 117 && b[s + 3] === 101) || (b[s] === 110 && b[s + 1] === 117 && b[s + 2] === 108 && b[s + 3] === 108);
    else if (len === 5) plain = b[s] === 102 && b[s + 1] === 97 && b[s + 2] === 108 && b[s + 3] === 115 && b[s + 4] === 101;
    if (!plain) plain = safeInteger(b, s, i);
    if (plain) {
      const out = this.out;
      let o = this.o;
      for (let k = s; k < i; k++) out[o++] = b[k];
      this.o = o;
      return;
    }
    const token = Buffer.from(b.buffer, b.byteOffset + s, len).toString("latin1");
    const n = Number(token);
    if (token === "" || Number.isNaN(n)) throw new SyntaxError("bad token");
    // PostgreSQL prints numeric as stored ("2.50", "100000", "1000000000000000000000"); the reference
    // prints the JS number ("2.5", "100000", "1e+21").
    const text = JSON.stringify(n);
    this.ensure(text.length + (this.end - this.i));
    this.o += this.out.latin1Write(text, this.o);
  }
}

const EMPTY = new Uint8Array(0);

/** Whether b[s, e) is -?(0|[1-9][0-9]{0,14}): printed the same by PostgreSQL and by JSON.stringify. */
function safeInteger(b, s, e) {
  let k = s;
  if (k < e && b[k] === 45) k++;
  const digits = e - k;
  if (digits < 1 || digits > 15) return false;
  if (b[k] === 48) return digits === 1;
  for (; k < e; k++) if (b[k] < 48 || b[k] > 57) return false;
  return true;
}

const HEX = Buffer.from("0123456789abcdef");

/** Whether b[s, s + 64) is the lowercase hex of `digest` (32 bytes as a latin1 string), as `digest("hex")` writes it. */
function hexEquals(b, s, digest) {
  for (let k = 0; k < 32; k++) {
    const d = digest.charCodeAt(k);
    if (b[s + 2 * k] !== HEX[d >> 4] || b[s + 2 * k + 1] !== HEX[d & 15]) return false;
  }
  return true;
}

const int32At = (b, p) => (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
/** A big-endian int8 as a number; NaN beyond 2^53, where the reference's number would not be exact. */
function int64At(b, p) {
  const hi = int32At(b, p);
  if (hi >= 0x200000 || hi < -0x200000) return Number.NaN;
  return hi * 4294967296 + (int32At(b, p + 4) >>> 0);
}

/**
 * A timestamptz (microseconds since 2000-01-01 UTC) as Unix milliseconds, truncated as to_char's MS is.
 * Beyond ±285 years of 2000 microseconds are not exact as a number: BigInt, rarely.
 */
function millisAt(b, p) {
  const hi = int32At(b, p);
  if (hi < 0x200000 && hi >= -0x200000) return Math.floor((hi * 4294967296 + (int32At(b, p + 4) >>> 0)) / 1000) + PG_EPOCH_MS;
  const us = (BigInt(hi) << 32n) | BigInt(int32At(b, p + 4) >>> 0);
  // BigInt division truncates towards zero; to_char's milliseconds are the floor.
  const ms = us / 1000n - (us < 0n && us % 1000n !== 0n ? 1n : 0n);
  return Number(ms) + PG_EPOCH_MS;
}

const MS_PER_DAY = 86_400_000;
/** 2000-01-01, PostgreSQL's epoch, in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;

/**
 * Checks the records of one block: whole CopyData messages of a binary COPY, one row each (PostgreSQL
 * sends a message per row; the first also carries the header, the last message is the trailer). Checks
 * each record's own hash, and each link to the record before it in the block (the first record's link
 * is left to the caller, who knows the previous block's last hash). Returns the block's ends and the
 * records to settle with the reference, by index.
 */
export class BlockChecker {
  constructor(key) {
    // HMAC-SHA-256 (RFC 2104, what createHmac computes) as two one-shot hashes: the message is written
    // after the 64-byte inner key block and the inner digest after the outer one. A one-shot hash costs
    // about half of createHmac (which sets its key up on every call) or of copying primed hash states.
    const k = key.length > 64 ? createHash("sha256").update(key).digest() : key;
    this.canon = new ByteCanonicaliser();
    this.canon.out.fill(0x36, 0, 64);
    this.outer = Buffer.alloc(96, 0x5c);
    for (let n = 0; n < k.length; n++) {
      this.canon.out[n] ^= k[n];
      this.outer[n] ^= k[n];
    }
    /** Field starts and lengths (-1: NULL) of the record at hand. */
    this.fs = new Int32Array(N_FIELDS);
    this.fl = new Int32Array(N_FIELDS);
    /** The date part ("YYYY-MM-DD") of the last timestamp written, and its day number. */
    this.day = Number.NaN;
    this.date = Buffer.alloc(10);
  }

  /** `block`: whole CopyData messages at [from, to) of a Uint8Array. */
  check(block, from = 0, to = block.length) {
    const b = block;
    const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    const fs = this.fs;
    const fl = this.fl;
    const doubts = [];
    let n = 0;
    let firstId = 0;
    let firstPrev = "";
    let lastId = 0;
    // Where the previous record's hash is in b.
    let hs = 0;
    let he = 0;
    let p = from;
    while (p < to) {
      if (b[p] !== COPY_DATA) throw new Error("unexpected COPY data");
      const end = p + 1 + int32At(b, p + 1);
      p += 5;
      if (end > to) throw new Error("unexpected COPY data");
      if (b[p] === SIGNATURE[0]) p = afterHeader(b, p);
      const fields = (b[p] << 8) | b[p + 1];
      p += 2;
      if (fields === 0xffff && p === end) continue; // the trailer
      if (fields !== N_FIELDS) throw new Error("unexpected COPY data");
      for (let f = 0; f < N_FIELDS; f++) {
        const len = int32At(b, p);
        p += 4;
        fs[f] = p;
        fl[f] = len;
        if (len > 0) p += len;
      }
      if (p !== end || fl[0] !== 8) throw new Error("unexpected COPY data");
      const id = int64At(b, fs[0]);
      const own = this.ownHash(b, id, end - fs[0]);
      const ps = fs[PREV_HASH];
      const pe = ps + Math.max(fl[PREV_HASH], 0);
      if (n === 0) {
        firstId = id;
        firstPrev = text.toString("utf8", ps, pe);
        if (!own) doubts.push({ index: 0, id, prev: null, prevId: null });
      } else if (!own || text.compare(text, hs, he, ps, pe) !== 0) {
        doubts.push({ index: n, id, prev: text.toString("utf8", hs, he), prevId: lastId });
      }
      hs = fs[HASH];
      he = hs + Math.max(fl[HASH], 0);
      lastId = id;
      n++;
    }
    return { n, firstId, firstPrev, lastId, lastHash: n === 0 ? "" : text.toString("utf8", hs, he), doubts };
  }

  /**
   * Whether the record's own hash holds: the hashed text (prev_hash|id|occurred_at|the other 13 fields|
   * changes|details, JSON canonical) is written into the canonicaliser's buffer after the inner key block.
   * `size`: the row's bytes, which bound the text but for numbers printed longer (room is made for those).
   */
  ownHash(b, id, size) {
    const fs = this.fs;
    const fl = this.fl;
    const c = this.canon;
    c.o = 64;
    c.ensure(size + 64);
    const out = c.out;
    let o = copy(b, fs[PREV_HASH], fl[PREV_HASH], out, 64);
    out[o++] = PIPE;
    o = integer(id, out, o);
    if (o < 0 || fl[1] !== 8) return false;
    out[o++] = PIPE;
    o = this.timestamp(millisAt(b, fs[1]), out, o);
    if (o < 0) return false;
    out[o++] = PIPE;
    o = copy(b, fs[MIDDLE], fl[MIDDLE], out, o);
    c.o = o;
    try {
      for (let f = CHANGES; f <= CHANGES + 1; f++) {
        c.ensure(5);
        c.out[c.o++] = PIPE;
        // jsonb's binary form: a version byte (1), then its text.
        if (fl[f] < 0) c.o += c.out.latin1Write("null", c.o);
        else if (fl[f] < 1 || b[fs[f]] !== 1) return false;
        else c.write(b, fs[f] + 1, fs[f] + fl[f]);
      }
    } catch {
      return false;
    }
    if (fl[HASH] !== 64) return false;
    const inner = hash("sha256", new Uint8Array(c.out.buffer, c.out.byteOffset, c.o), "latin1");
    this.outer.latin1Write(inner, 64);
    return hexEquals(b, fs[HASH], hash("sha256", this.outer, "latin1"));
  }

  /**
   * A time (Unix milliseconds) as the reference reads it, to_char(... at time zone 'UTC',
   * 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'). Years outside 1..9999 (printed differently) and infinities are left
   * to the reference (-1).
   */
  timestamp(ms, out, o) {
    const day = Math.floor(ms / MS_PER_DAY);
    if (day !== this.day && !this.setDay(day)) return -1;
    for (let k = 0; k < 10; k++) out[o++] = this.date[k];
    let t = ms - day * MS_PER_DAY;
    const milli = t % 1000;
    t = (t - milli) / 1000;
    const sec = t % 60;
    t = (t - sec) / 60;
    const min = t % 60;
    const hour = (t - min) / 60;
    out[o++] = 84; // T
    out[o++] = 48 + ((hour / 10) | 0);
    out[o++] = 48 + (hour % 10);
    out[o++] = 58;
    out[o++] = 48 + ((min / 10) | 0);
    out[o++] = 48 + (min % 10);
    out[o++] = 58;
    out[o++] = 48 + ((sec / 10) | 0);
    out[o++] = 48 + (sec % 10);
    out[o++] = 46;
    out[o++] = 48 + ((milli / 100) | 0);
    out[o++] = 48 + (((milli / 10) | 0) % 10);
    out[o++] = 48 + (milli % 10);
    out[o++] = 90; // Z
    return o;
  }

  /** The civil date of a day number (days since 1970-01-01), as "YYYY-MM-DD". */
  setDay(day) {
    // Howard Hinnant's civil_from_days.
    const z = day + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp < 10 ? mp + 3 : mp - 9;
    const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    if (y < 1 || y > 9999) return false;
    this.date.latin1Write(`${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`, 0);
    this.day = day;
    return true;
  }
}

/** b[s, s + len) copied to out at o (nothing for NULL, len -1); answers the end. */
function copy(b, s, len, out, o) {
  // A loop for short fields; set() costs a view but copies long ones several times faster.
  if (len > 48) out.set(b.subarray(s, s + len), o);
  else for (let k = 0; k < len; k++) out[o + k] = b[s + k];
  return o + Math.max(len, 0);
}

/** Where the row starts after the COPY header at p (checked). */
function afterHeader(b, p) {
  for (let k = 0; k < SIGNATURE.length; k++) if (b[p + k] !== SIGNATURE[k]) throw new Error("not binary COPY data");
  return p + 19 + int32At(b, p + 15);
}

/** A safe integer in decimal at o, as `${number}` prints it; -1 for NaN (not exact). */
function integer(v, out, o) {
  if (Number.isNaN(v)) return -1;
  if (v < 0) {
    out[o++] = 45;
    v = -v;
  }
  let end = o + 1;
  for (let t = v; t >= 10; t = Math.floor(t / 10)) end++;
  for (let w = end; w > o; ) {
    const q = Math.floor(v / 10);
    out[--w] = 48 + v - 10 * q;
    v = q;
  }
  return end;
}
