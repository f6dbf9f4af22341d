/**
 * Turn a grid of cells (a CSV, an XLSX sheet) into a Sheet: find the header block and the data rows.
 *
 * Real 清册 spreadsheets start with a title row merged across the table ("附件2 …清册"), then one or two
 * header rows where a group header ("基本情况") is merged over sub-headers (户数, 幢数, 建筑面积) and
 * single headers ("小区名称") are merged vertically. Merged ranges are filled with their top-left value
 * first; then the header block is the first row with ≥2 text cells, plus the next row while it is
 * all text under a horizontally merged group; each column's header is the distinct parts joined by " ".
 * Fully empty rows are dropped (their file row numbers are kept for messages). Text cells neutralised
 * against formula injection by our exports ("'=…", see export/cells.ts) get their original text back.
 * O(rows × columns).
 */
import type { Cell, Message, Sheet } from './types';
import { restoreCell } from '../export/cells';

export interface Merge {
  s: { r: number; c: number };
  e: { r: number; c: number };
}

function isEmpty(c: Cell | undefined): boolean {
  return c === null || c === undefined || (typeof c === 'string' && c.trim() === '');
}
function isTextCell(c: Cell | undefined): boolean {
  return typeof c === 'string' && c.trim() !== '' && !/^[-+]?[\d.,]+(e[-+]?\d+)?$/i.test(c.trim());
}

export function sheetFromGrid(name: string, input: Cell[][], merges: Merge[] = [], encoding?: string): Sheet {
  const notes: Message[] = [];
  // a text cell our exports neutralised against formula injection ("'=…") reads back as written (cells.ts)
  const grid = input.map((r) => r.map((c) => (typeof c === 'string' ? restoreCell(c) : c)));
  const width = grid.reduce((m, r) => Math.max(m, r.length), 0);
  for (const r of grid) while (r.length < width) r.push(null);
  // fill merged ranges with their top-left value
  const horizontalAt = new Set<number>(); // rows holding a horizontal merge start
  for (const m of merges) {
    const v = grid[m.s.r]?.[m.s.c] ?? null;
    if (m.e.c > m.s.c) horizontalAt.add(m.s.r);
    for (let r = m.s.r; r <= m.e.r && r < grid.length; r++)
      for (let c = m.s.c; c <= m.e.c && c < width; c++) grid[r][c] = v;
  }
  if (merges.length) notes.push({ zh: `已填充 ${merges.length} 个合并单元格`, en: `${merges.length} merged cell ranges filled` });

  const textCount = (r: Cell[]) => r.filter(isTextCell).length;
  const distinctNonEmpty = (r: Cell[]) => new Set(r.filter((c) => !isEmpty(c)).map((c) => String(c).trim())).size;
  let h = 0;
  // skip empty rows and title rows (one distinct value across the row, e.g. a merged title)
  while (h < grid.length && (distinctNonEmpty(grid[h]) <= 1 || textCount(grid[h]) < 2) && h < 20) h++;
  if (h >= grid.length || h >= 20) h = 0;
  if (h > 0) notes.push({ zh: `跳过前 ${h} 行标题`, en: `skipped ${h} title row(s) above the header` });
  let end = h + 1;
  while (
    end < grid.length &&
    (horizontalAt.has(end - 1) || merges.some((m) => m.s.r <= end - 1 && m.e.r >= end)) &&
    grid[end].every((c) => isEmpty(c) || isTextCell(c)) &&
    textCount(grid[end]) > 0
  )
    end++;
  const headers: string[] = [];
  const seen = new Map<string, number>();
  for (let c = 0; c < width; c++) {
    const parts: string[] = [];
    for (let r = h; r < end; r++) {
      const v = grid[r][c];
      const s = isEmpty(v) ? '' : String(v).replace(/\s+/g, ' ').trim();
      if (s && !parts.includes(s)) parts.push(s);
    }
    let label = parts.join(' ') || `column ${c + 1}`;
    const n = seen.get(label) ?? 0;
    seen.set(label, n + 1);
    if (n > 0) label = `${label} (${n + 1})`;
    headers.push(label);
  }
  if (end - h > 1) notes.push({ zh: `表头占 ${end - h} 行，已合并为一行`, en: `the header spans ${end - h} rows; combined into one` });
  // data rows: keep file row numbers; drop fully empty rows
  const rows: Cell[][] = [];
  const rowNumbers: number[] = [];
  for (let r = end; r < grid.length; r++) {
    if (grid[r].every(isEmpty)) continue;
    rows.push(grid[r].map((c) => (typeof c === 'string' ? c.trim() : c)));
    rowNumbers.push(r + 1);
  }
  return { name, headers, rows, rowNumbers, firstRow: end + 1, rowLabel: 'row', encoding, notes };
}
