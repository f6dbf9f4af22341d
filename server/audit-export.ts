/**
 * The audit log as CSV (UTF-8 with BOM, for Excel): one row per change. Cells that a spreadsheet would run as a
 * formula (starting with = + - @, tab or CR) are neutralised with a leading ' (papaparse `escapeFormulae`).
 */
import Papa from 'papaparse';

export function auditToCsv(rows: Record<string, unknown>[]): string {
  const data = rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    user: r.username,
    kind: r.kind,
    record: r.key,
    version: r.version,
    label: r.label,
    before: r.before === null || r.before === undefined ? '' : JSON.stringify(r.before),
    after: r.after === null || r.after === undefined ? '' : JSON.stringify(r.after),
  }));
  return '\uFEFF' + Papa.unparse(data, { escapeFormulae: true, columns: ['seq', 'at', 'user', 'kind', 'record', 'version', 'label', 'before', 'after'] });
}
