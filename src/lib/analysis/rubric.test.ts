import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { DEFAULT_RUBRIC } from '../domain/rubric-default';
import { criterionMax, validateRubric } from './rubric';

// The default rubric transcribes geodata/standards/scoring-default.csv; this keeps the two from drifting apart.
const csv = Papa.parse<Record<string, string>>(readFileSync('geodata/standards/scoring-default.csv', 'utf8'), {
  header: true,
  skipEmptyLines: true,
}).data;

describe('default rubric vs geodata/standards/scoring-default.csv', () => {
  it('has the same criteria, in the same order', () => {
    expect(DEFAULT_RUBRIC.criteria.map((c) => c.code)).toEqual(csv.map((r) => r.code));
  });

  it.each(csv.map((r) => [r.code, r] as const))('%s: labels, maximum points and bonus flag match', (code, row) => {
    const c = DEFAULT_RUBRIC.criteria.find((x) => x.code === code)!;
    expect(c.zh).toBe(row.criterion_zh);
    expect(c.en).toBe(row.criterion_en);
    expect(c.bonus).toBe(row.points.startsWith('+'));
    expect(criterionMax(c)).toBe(Number(row.points.replace('+', '')));
    // a gate in the CSV text means a gate in the data, and vice versa
    expect(c.gates.length > 0).toBe(/gate/i.test(row['how_measured (default rule)']));
  });

  it('passes its own validation', () => {
    expect(() => validateRubric(DEFAULT_RUBRIC)).not.toThrow();
  });
});
