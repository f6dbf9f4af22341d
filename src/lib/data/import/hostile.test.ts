/**
 * Issue 16 items 1 and 2, in process (the CLI runs of the big hostile files, with a heap cap and a
 * timeout, are in scripts/cli/hostile.test.ts; the app's worker in test/e2e/import-hostile.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import { readSource, checkCsvRecords, checkDbf } from './read';
import { normaliseHeader, stripBrackets } from './mapping';
import { ImportError } from './types';
import { dbf, makeZip, pointShp, protoCommentWorkbook } from '../../../../test/hostile';

describe('issue 16 item 1: a crafted XLSX (comment ref="__proto__", CVE-2023-30533)', () => {
  it('pollutes nothing: Object.prototype keeps its own properties, and the sheet is read', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const source = await readSource('注释.xlsx', await protoCommentWorkbook());
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    const o: Record<string, unknown> = {};
    expect([o.c, o.t, o.v]).toEqual([undefined, undefined, undefined]);
    expect(source.sheets[0].rows).toEqual([['甲小区', 121.55, 29.9]]);
  });
});

describe('issue 16 item 2: importer limits (in process)', () => {
  it('CSV record limit: a quoted field running over many lines counts as one record; ordinary quoted line breaks pass', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const field = 'x\n'.repeat(600);
    expect(() => checkCsvRecords('a.csv', enc(`name,note\n甲,"${field}"\n`), 1000)).toThrow(/record starting on line 2 is longer than 1,000 bytes/);
    expect(() => checkCsvRecords('a.csv', enc(`name,note\n甲,"${'x\n'.repeat(100)}"\n乙,"a ""q"" b"\n`), 1000)).not.toThrow();
    // a stray quote inside a field opens nothing (as papaparse reads it)
    expect(() => checkCsvRecords('a.csv', enc(`name,note\n${'甲,5"高\n'.repeat(500)}`), 1000)).not.toThrow();
    expect(() => checkCsvRecords('b.csv', enc('a'.repeat(1001)), 1000)).toThrow(ImportError);
  });

  it('dBASE header: the record count is checked against the file size (also for a merely truncated file)', () => {
    expect(() => checkDbf('x.zip', 'a.dbf', dbf(1))).not.toThrow();
    expect(() => checkDbf('x.zip', 'a.dbf', dbf(2))).toThrow('a.dbf is not valid: the header claims 2 records of 11 bytes (87 bytes) but the file has 77 bytes');
  });

  it('a shapefile zip whose .dbf claims 2×10⁹ records is refused with a specific error', async () => {
    await expect(readSource('x.zip', makeZip([{ name: 'a.shp', data: pointShp() }, { name: 'a.dbf', data: dbf(2e9) }]))).rejects.toThrow('the header claims 2000000000 records');
  });

  it('header normaliser: linear bracket removal keeps the old meaning', () => {
    expect(normaliseHeader('建筑面积（万m²）')).toBe('建筑面积');
    expect(normaliseHeader('户数(户)')).toBe('户数');
    expect(normaliseHeader('面积 单位：万㎡')).toBe('面积');
    expect(normaliseHeader('建筑面积万m²')).toBe('建筑面积');
    expect(normaliseHeader('a(b(c)d')).toBe('ad');
    expect(stripBrackets('(' + 'x'.repeat(10))).toBe('(' + 'x'.repeat(10));
    expect(normaliseHeader('('.repeat(40_000))).toBe('('.repeat(40_000));
  });
});
