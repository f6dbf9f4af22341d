/**
 * Issue 16 item 2 — importer denial of service, through the CLI as a user runs it. Each hostile file is
 * generated here (nothing large is committed) and imported by `planner import` in a child process with a
 * V8 heap cap (--max-old-space-size) and a hard timeout: a hang is killed by the timeout and a memory blow-up
 * by the heap cap, both of which fail the test. No timing is asserted; the bound is the harness's.
 * Before the fix: the .dbf ran at 100 % CPU into gigabytes, the bracket header took minutes (ReDoS), the long
 * line took minutes and 2.7 GB, the bombs were inflated whole or crashed V8, and the big sheet exhausted the heap.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bigWorkbook, dbf, deflateBomb, makeZip, pointShp, workbookBomb } from '../../test/hostile.ts';

const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** the harness's bounds: a generous wall clock for a shared 2-core machine, and a V8 heap cap */
const TIMEOUT_MS = 45_000;
const HEAP_MB = 512;

function importCli(name: string, bytes?: Uint8Array): { status: number | null; signal: string | null; stderr: string; out: string } {
  const file = join(dir, name);
  if (bytes) writeFileSync(file, bytes);
  const out = join(dir, `${name}.out.geojson`);
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', 'scripts/planner.ts', 'import', '--in', file, '--out', out], {
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  return { status: r.status, signal: r.signal, stderr: r.stderr, out };
}

describe('issue 16 item 2: importer denial of service (CLI, child process with heap cap and timeout)', { timeout: 180_000 }, () => {
  it('a .dbf whose header claims 2×10⁹ records: refused from the file size', () => {
    const r = importCli('dbf-2e9.zip', makeZip([{ name: 'a.shp', data: pointShp() }, { name: 'a.dbf', data: dbf(2e9) }]));
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('a.dbf is not valid: the header claims 2000000000 records of 11 bytes (22000000065 bytes) but the file has 77 bytes');
    expect(existsSync(r.out)).toBe(false);
  });

  it('a CSV header of 5,000 and 40,000 "(" (header normaliser ReDoS): read at once, the column simply not mapped', () => {
    for (const n of [5_000, 40_000]) {
      const r = importCli(`parens-${n}.csv`, new TextEncoder().encode(`小区名称,经度,纬度,${'('.repeat(n)}\n甲小区,121.55,29.9,1\n`));
      expect(r.signal).toBeNull();
      expect(r.stderr).toContain('1 ok, 0 unlocated (未定位), 0 skipped, 0 rejected');
      expect(r.status).toBe(0);
      const fc = JSON.parse(readFileSync(r.out, 'utf8'));
      expect(fc.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(['甲小区']);
    }
  });

  it('a 190 MB CSV line without a newline: refused at the record limit', () => {
    const file = join(dir, 'one-line.csv');
    const fd = openSync(file, 'w');
    const chunk = Buffer.alloc(1 << 20, 0x61);
    for (let i = 0; i < 190; i++) writeSync(fd, chunk);
    closeSync(fd);
    const r = importCli('one-line.csv');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('one-line.csv: the record starting on line 1 is longer than 1 MB (no line break, or an unclosed quote): not a table; the limit is 1 MB per record');
  });

  it('zip bombs: a .dbf declaring 1.1 GB is refused before inflating; lying headers (.dbf, .shp, XLSX sheet) stop at the limit', () => {
    const honest = importCli('dbf-bomb.zip', makeZip([{ name: 'a.shp', data: pointShp() }, { name: 'a.dbf', deflated: deflateBomb(1100) }]));
    expect(honest.status).toBe(1);
    expect(honest.stderr).toContain('a.dbf in the archive inflates to 1100 MB, more than the limit of 200 MB per file (a zip bomb?)');
    const lyingDbf = importCli('dbf-bomb-lying.zip', makeZip([{ name: 'a.shp', data: pointShp() }, { name: 'a.dbf', deflated: deflateBomb(1100), declared: 77 }]));
    expect(lyingDbf.status).toBe(1);
    expect(lyingDbf.stderr).toContain('a.dbf in the archive inflates past 200 MB (its header says 77 bytes; a zip bomb?): stopped');
    const lyingShp = importCli('shp-bomb-lying.zip', makeZip([{ name: 'a.shp', deflated: deflateBomb(2100), declared: 128 }, { name: 'a.dbf', data: dbf(1) }]));
    expect(lyingShp.signal).toBeNull();
    expect(lyingShp.status).toBe(1);
    expect(lyingShp.stderr).toContain('a.shp in the archive inflates past 200 MB (its header says 128 bytes; a zip bomb?): stopped');
  });

  it('zip bombs: an XLSX sheet inflating to 1.1 GB (honest and lying headers)', async () => {
    const honest = importCli('sheet-bomb.xlsx', await workbookBomb(1100));
    expect(honest.status).toBe(1);
    expect(honest.stderr).toContain('xl/worksheets/sheet1.xml in the archive inflates to 1100 MB, more than the limit of 200 MB per file (a zip bomb?)');
    const lying = importCli('sheet-bomb-lying.xlsx', await workbookBomb(1100, 4096));
    expect(lying.signal).toBeNull();
    expect(lying.status).toBe(1);
    expect(lying.stderr).toContain('xl/worksheets/sheet1.xml in the archive inflates past 200 MB (its header says 4,096 bytes; a zip bomb?): stopped');
  });

  it('an XLSX with 1,048,576 rows: refused above the documented row limit, before SheetJS reads the sheet', async () => {
    const r = importCli('million-rows.xlsx', await bigWorkbook(1_048_576));
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('sheet "Sheet1" has > 100,000 rows, more than the limit of 100,000: split the table or keep only the rows needed');
  });
});
