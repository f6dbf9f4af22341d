import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { FACILITY_MIN_SIZES } from './spare-sites';
import { FACILITY_CATEGORIES } from './types';

const csv = (f: string) => Papa.parse<Record<string, string>>(readFileSync(`geodata/standards/${f}`, 'utf8'), { header: true, skipEmptyLines: true }).data;

describe('facility minimum sizes as data', () => {
  const rows = csv('facility-min-sizes.csv');
  const sources = new Map([...csv('facilities-complete-community.csv'), ...csv('facilities-gb50180.csv')].map((r) => [r.code, r]));

  it('transcribe geodata/standards/facility-min-sizes.csv row by row', () => {
    expect(FACILITY_MIN_SIZES.map((m) => [m.category, m.measure, m.minM2, m.code, m.scaleText, m.ver, m.note])).toEqual(
      rows.map((r) => [r.category, r.measure, Number(r.min_m2), r.code, r.scale_text, r.ver, r.note]),
    );
  });

  it('quote the standard row they cite: its scale (or name) holds the figure, and the category is known', () => {
    for (const m of FACILITY_MIN_SIZES) {
      const row = sources.get(m.code);
      expect(row, m.code).toBeDefined();
      expect(`${row!.scale ?? ''} ${row!.en}`, m.code).toContain(String(m.minM2));
      expect(`${row!.scale ?? ''} ${row!.en}`.replace(/\s+/g, ' '), m.code).toContain(m.scaleText.replace(/^日间照料中心 /, ''));
      expect(FACILITY_CATEGORIES).toContain(m.category);
    }
  });

  it('say why wherever the reading is ours', () => {
    for (const m of FACILITY_MIN_SIZES) if (m.ver.includes('U') || m.note.startsWith('INF')) expect(m.note, m.code).not.toBe('');
  });
});
