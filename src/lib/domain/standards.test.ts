import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { FACILITY_CATEGORIES } from './types';
import { DEFAULT_PARAMS, STANDARDS, STANDARD_IDS, STRICT_15_MIN_M, checkParams, thresholdOf } from './standards';

const csv = (f: string) => Papa.parse<Record<string, string>>(readFileSync(`geodata/standards/${f}`, 'utf8'), { header: true, skipEmptyLines: true }).data;

describe('standards as data', () => {
  it('map every rule onto a known category, each category at most once per standard', () => {
    for (const id of STANDARD_IDS) {
      const cats = STANDARDS[id].rules.map((r) => r.category);
      for (const c of cats) expect(FACILITY_CATEGORIES).toContain(c);
      expect(new Set(cats).size).toBe(cats.length);
    }
  });

  it('copy tier and ▲/△ of every GB 50180 row they cite from geodata/standards/facilities-gb50180.csv', () => {
    const rows = new Map(csv('facilities-gb50180.csv').map((r) => [r.code, r]));
    for (const rule of STANDARDS.gb50180.rules) {
      const code = /\((gb\w+\.\w+)/.exec(rule.source)?.[1];
      expect(code, rule.category).toBeDefined();
      const row = rows.get(code!);
      if (!row) continue; // parks come from parks-gb50180.csv
      expect(row.mandatory.startsWith('▲'), `${rule.category} ${code}`).toBe(rule.mandatory);
      if (rule.normative && rule.maxWalkM !== undefined) expect(Number(row.max_walk_m), code).toBe(rule.maxWalkM);
      // the tier column starts with the rule's tier (e.g. "15+10" for a 15-minute item; bus stops are read at 10 with their 500 m)
      if (rule.normative && rule.category !== 'bus_stop') expect(row.tier.startsWith(String(rule.tier)), code).toBe(true);
    }
  });

  it('cite a 完整居住社区 row for every complete-community rule, all mandatory', () => {
    const codes = new Set(csv('facilities-complete-community.csv').map((r) => r.code));
    for (const rule of STANDARDS['complete-community'].rules) {
      expect(codes.has(/\((wz\.\w+)/.exec(rule.source)![1]), rule.category).toBe(true);
      expect(rule.mandatory).toBe(true);
    }
  });

  it('say which rules are our interpretation and why', () => {
    for (const id of STANDARD_IDS) for (const r of STANDARDS[id].rules) if (!r.normative) expect(r.note, r.category).toBeTruthy();
  });
});

describe('thresholds and parameters', () => {
  const kg = STANDARDS.gb50180.rules.find((r) => r.category === 'kindergarten')!;
  const culture = STANDARDS.gb50180.rules.find((r) => r.category === 'culture_station')!;

  it('use the tier distance, or the item radius the standard states (Appendix C) when asked', () => {
    expect(thresholdOf(kg, DEFAULT_PARAMS)).toBe(300);
    expect(thresholdOf(culture, DEFAULT_PARAMS)).toBe(500);
    expect(thresholdOf(culture, { ...DEFAULT_PARAMS, useItemDistances: false })).toBe(300);
    const junior = STANDARDS.gb50180.rules.find((r) => r.category === 'junior_high')!;
    expect(thresholdOf(junior, { ...DEFAULT_PARAMS, tierDistanceM: { 5: 300, 10: 500, 15: STRICT_15_MIN_M } })).toBe(800);
  });

  it('reject tier distances that are not positive or that decrease, and a detour factor below 1', () => {
    expect(checkParams(DEFAULT_PARAMS)).toEqual([]);
    expect(checkParams({ ...DEFAULT_PARAMS, tierDistanceM: { 5: 600, 10: 500, 15: 1000 } })).toHaveLength(1);
    expect(checkParams({ ...DEFAULT_PARAMS, tierDistanceM: { 5: NaN, 10: 500, 15: 1000 } }).join()).toMatch(/tier 5/);
    expect(checkParams({ ...DEFAULT_PARAMS, detourFactor: 0.9 }).join()).toMatch(/detour/);
    expect(checkParams({ ...DEFAULT_PARAMS, walkSpeedMPerMin: 0 }).join()).toMatch(/speed/);
  });
});
