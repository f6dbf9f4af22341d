/**
 * CSV/XLSX formula injection (OWASP "CSV Injection"), handled in this one place for every writer (layer and
 * table exports in the app, every CLI output) and every reader of CSV/XLSX (the importer's table step, the
 * bundle command's --coverage reader).
 *
 * Rule (README "Formula cells"): a TEXT cell whose first character is = + - @ TAB or CR is written with a
 * leading apostrophe, so a spreadsheet shows it as text instead of running it. Numbers are never touched,
 * and neither is text that is a plain decimal number ("-5", "+3.5e2"): those are not formulas, and negative
 * values stay numbers. On reading, a text cell that is an apostrophe followed by such a text is read as the
 * text after the apostrophe — exactly the cells this rule writes (and what the apostrophe means in Excel),
 * so re-importing an export restores the original text.
 */
import Papa from 'papaparse';

const TRIGGER = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;

const risky = (s: string) => TRIGGER.test(s) && !PLAIN_NUMBER.test(s);

/** Text as it is written into a CSV/XLSX cell. */
export function neutralise(s: string): string {
  return risky(s) ? `'${s}` : s;
}

/** A cell as read from a CSV/XLSX: undoes neutralise() and nothing else. */
export function restoreCell(s: string): string {
  return s.length > 1 && s.charCodeAt(0) === 0x27 && risky(s.slice(1)) ? s.slice(1) : s;
}

/** Any value as a CSV/XLSX cell: numbers and booleans as they are, null as empty, objects as JSON, text neutralised. */
export function safeCell(v: unknown): string | number | boolean {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return neutralise(typeof v === 'object' ? JSON.stringify(v) : String(v));
}

/** CSV text of rows under the given columns (headers and cells through safeCell). No BOM, no trailing newline. */
export function csvRows(columns: readonly string[], rows: readonly Record<string, unknown>[], newline: '\n' | '\r\n' = '\r\n'): string {
  return Papa.unparse({ fields: columns.map((c) => safeCell(c) as string), data: rows.map((r) => columns.map((c) => safeCell(r[c]))) }, { newline });
}
