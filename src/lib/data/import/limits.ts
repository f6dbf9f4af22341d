/**
 * Limits on untrusted input files, so that every hostile file ends in a specific error within seconds and
 * bounded memory instead of a hang or a crash (documented in the README, "Import limits"). Each limit is
 * far above any real planning file (the 清册 has 73 rows; Jiangbei's OSM extract is ~20 MB).
 */
export const LIMITS = {
  /** the file as chosen/dropped */
  fileBytes: 200 * 1024 * 1024,
  /** one CSV record (a line, or several lines joined by a quoted field): longer is not a table */
  csvRecordBytes: 1024 * 1024,
  /** one zip entry once inflated (.shp, .dbf, an XLSX sheet) — checked on the declared size and while inflating */
  zipEntryBytes: 200 * 1024 * 1024,
  /** all entries read from one archive, inflated */
  zipTotalBytes: 400 * 1024 * 1024,
  /** small side files of a shapefile (.prj, .cpg) */
  zipSideFileBytes: 64 * 1024,
  /** entries in one archive */
  zipEntries: 10_000,
  /** rows in one spreadsheet sheet (Excel's own maximum is 1,048,576) */
  sheetRows: 100_000,
} as const;

/** a size for messages: "200 MB", or bytes below 1 MB */
export const MB = (n: number): string => (n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${n.toLocaleString('en')} bytes`);
/** the same in Chinese messages ("77 字节") */
export const MBzh = (n: number): string => (n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${n} 字节`);
