import ExcelJS from "exceljs";
import { AppError } from "../../../platform/errors.ts";

/**
 * Reading and writing the tables of imports and exports: CSV (RFC 4180; UTF-8, or GB18030 as Excel on a
 * Chinese Windows saves it; comma, semicolon or tab) and XLSX (first worksheet). Cells come back as
 * text exactly as the user sees them; numbers typed in Excel come back with at most 15 significant
 * digits, which is what Excel shows (0.1 + 0.2 is read as 0.3, not 0.30000000000000004).
 */
export interface Table {
  /** One entry per record: the file's row number (1-based, the header is usually 1) and its cells. */
  rows: { line: number; cells: string[] }[];
}

export const MAX_IMPORT_ROWS = 10_000;

function tooManyRows(): AppError {
  return new AppError(422, "too_many_rows", "masterdata.error.too_many_rows", { limit: MAX_IMPORT_ROWS });
}

export function decodeText(buf: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    text = new TextDecoder("gb18030").decode(buf);
  }
  return text.replace(/^\uFEFF/, "");
}

/** The delimiter of the header line: the most frequent of , ; and tab outside quotes. */
function sniffDelimiter(text: string): string {
  const line = text.slice(0, text.search(/\r?\n|$/));
  let inQuotes = false;
  const counts: Record<string, number> = { ",": 0, ";": 0, "\t": 0 };
  for (const ch of line) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch in counts) counts[ch]++;
  }
  const [best, n] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  return n > 0 ? best : ",";
}

export function parseCsv(buf: Buffer): Table {
  const text = decodeText(buf);
  const delim = sniffDelimiter(text);
  const out: Table["rows"] = [];
  let cells: string[] = [];
  let cell = "";
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  const endRecord = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== "")) {
      out.push({ line: recordLine, cells });
      if (out.length > MAX_IMPORT_ROWS + 1) throw tooManyRows();
    }
    cells = [];
    cell = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === "\n") line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === "") inQuotes = true;
    else if (ch === delim) {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else cell += ch;
  }
  if (cell !== "" || cells.length > 0) endRecord();
  return { rows: out };
}

function excelNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  // Excel shows 15 significant digits; a binary double has noise after them.
  const s = n.toPrecision(15);
  if (/e/i.test(s)) return String(Number(s));
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return excelNumber(v);
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof Date) {
    // Excel dates have no time zone: exceljs gives them as UTC midnight.
    const iso = v.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.replace("T", " ").slice(0, 19);
  }
  if (typeof v === "object") {
    if ("richText" in v) return v.richText.map((r) => r.text).join("");
    if ("result" in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ("text" in v) return String((v as { text: unknown }).text ?? "");
    if ("error" in v) return String((v as { error: unknown }).error);
  }
  return String(v);
}

export async function parseXlsx(buf: Buffer): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new AppError(400, "bad_file", "masterdata.error.bad_xlsx");
  }
  const ws = wb.worksheets[0];
  if (!ws) return { rows: [] };
  const out: Table["rows"] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[];
    const cells: string[] = [];
    for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]).trim());
    if (cells.some((c) => c !== "")) out.push({ line: rowNumber, cells });
    if (out.length > MAX_IMPORT_ROWS + 1) throw tooManyRows();
  });
  return { rows: out };
}

/** Which format a file is in, from its name and first bytes (an XLSX is a ZIP: "PK"). */
export function detectFormat(fileName: string, buf: Buffer): "csv" | "xlsx" {
  if (buf.length >= 2 && buf[0] === 0x50 && buf[1] === 0x4b) return "xlsx";
  if (/\.xlsx?$/i.test(fileName)) throw new AppError(400, "bad_file", "masterdata.error.bad_xlsx");
  return "csv";
}

// ---- writing --------------------------------------------------------------------------------------

export interface OutColumn {
  header: string;
  kind: "text" | "number";
  width?: number;
}

/** A spreadsheet must not run what a cell says: text starting with = + - @ is prefixed with '. */
function defuse(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export function writeCsv(columns: OutColumn[], rows: string[][]): Buffer {
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const lines = [columns.map((c) => quote(defuse(c.header))).join(",")];
  for (const r of rows) lines.push(r.map((v, i) => quote(columns[i].kind === "text" ? defuse(v) : v)).join(","));
  // The byte order mark makes Excel read UTF-8 (Chinese) correctly.
  return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8");
}

/** Numbers are written as numbers (Excel can sum them) unless a double would alter them. */
function asCell(kind: OutColumn["kind"], v: string): string | number {
  if (kind !== "number" || v === "") return v;
  const n = Number(v);
  return Number.isFinite(n) && excelNumber(n) === v ? n : v;
}

export async function writeXlsx(sheetName: string, columns: OutColumn[], rows: string[][], help?: { title: string; lines: string[][] }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Kaiwu ERP";
  wb.created = new Date();
  const ws = wb.addWorksheet(sheetName.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.min(40, Math.max(10, c.header.length * 2 + 2)) }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v, i) => asCell(columns[i].kind, v)));
  // Codes such as 001 must stay text when the user edits and saves.
  columns.forEach((c, i) => {
    if (c.kind === "text") ws.getColumn(i + 1).numFmt = "@";
  });
  if (columns.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  if (help) {
    const hs = wb.addWorksheet(help.title.slice(0, 31));
    for (const l of help.lines) hs.addRow(l);
    hs.getRow(1).font = { bold: true };
    hs.columns.forEach((col) => {
      col.width = 28;
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
