import { describe, expect, it, beforeEach } from 'vitest';
import { coverage, coverageTheme, proposalsGeoJSON, type CoverageSliceData } from './coverage.svelte';
import { allSlices, onEdited } from './persisted';
import { DEFAULT_PARAMS } from '../domain/standards';
import type { CoverageResult } from '../analysis/coverage';

beforeEach(() => coverage.restore(undefined));

describe('coverage slice', () => {
  it('is registered under the key "coverage" and round-trips its snapshot', () => {
    const slice = allSlices().find((s) => s.key === 'coverage')!;
    expect(slice).toBeDefined();
    coverage.setStandard('complete-community');
    coverage.setParams({ ...DEFAULT_PARAMS, tierDistanceM: { 5: 300, 10: 500, 15: 800 } });
    coverage.addProposal({ category: 'elderly_daycare', lon: 121.55, lat: 29.9, kind: 'conversion', communityId: 'C001', label: '闲置用房改长者之家' });
    const snap = JSON.parse(JSON.stringify(slice.snapshot())) as CoverageSliceData;
    slice.restore(undefined);
    expect(coverage.proposals).toEqual([]);
    expect(coverage.standardId).toBe('gb50180');
    slice.restore(snap);
    expect(coverage.standardId).toBe('complete-community');
    expect(coverage.params.tierDistanceM[15]).toBe(800);
    expect(coverage.proposals).toEqual([expect.objectContaining({ id: 'P1', category: 'elderly_daycare', kind: 'conversion' })]);
  });

  it('records an undo step for every edit', () => {
    const labels: string[] = [];
    const off = onEdited((l) => labels.push(l));
    coverage.addProposal({ category: 'kindergarten', lon: 121.55, lat: 29.9, kind: 'point', label: 'k' });
    coverage.removeProposal('P1');
    coverage.setMode('buffer');
    off();
    expect(labels).toHaveLength(3);
  });

  it('numbers new proposals after the highest existing id, also after a removal', () => {
    coverage.addProposal({ category: 'kindergarten', lon: 1, lat: 1, kind: 'point', label: 'a' });
    coverage.addProposal({ category: 'kindergarten', lon: 1, lat: 1, kind: 'point', label: 'b' });
    coverage.removeProposal('P1');
    coverage.addProposal({ category: 'kindergarten', lon: 1, lat: 1, kind: 'point', label: 'c' });
    expect(coverage.proposals.map((p) => p.id)).toEqual(['P2', 'P3']);
  });

  it('drops proposals with unknown categories or coordinates from a project file, and rejects unknown versions', () => {
    coverage.restore({
      version: 1,
      standardId: 'gb50180',
      params: DEFAULT_PARAMS,
      mode: 'network',
      proposals: [
        { id: 'P1', category: 'kindergarten', lon: 121.5, lat: 29.9, kind: 'point', label: 'ok' },
        { id: 'P2', category: 'spaceport' as never, lon: 121.5, lat: 29.9, kind: 'point', label: 'bad' },
        { id: 'P3', category: 'park', lon: NaN, lat: 29.9, kind: 'point', label: 'bad' },
      ],
    });
    expect(coverage.proposals.map((p) => p.id)).toEqual(['P1']);
    expect(() => coverage.restore({ version: 2 } as never)).toThrow(/version 2/);
  });

  it('exports proposals as GeoJSON points that say they are proposals', () => {
    coverage.addProposal({ category: 'park', lon: 121.5, lat: 29.9, kind: 'point', label: '口袋公园' });
    const fc = proposalsGeoJSON(coverage.proposals, 'gb50180');
    expect(fc.features[0]).toMatchObject({ geometry: { type: 'Point', coordinates: [121.5, 29.9] }, properties: { category: 'park', proposed: true, label: '口袋公园' } });
  });
});

describe('coverageTheme', () => {
  const result = {
    standardId: 'gb50180',
    mode: 'network',
    rules: [{ category: 'kindergarten', threshold: 300, mandatory: true }],
    communities: [
      { id: 'A', lacking: [], byCategory: [{ category: 'kindergarten', distance: 100, met: true }] },
      { id: 'B', lacking: ['kindergarten'], byCategory: [{ category: 'kindergarten', distance: 900, met: false }] },
      { id: 'C', lacking: ['kindergarten'], byCategory: [{ category: 'kindergarten', distance: null, met: false }] },
    ],
  } as unknown as CoverageResult;

  it('colours by the number of mandatory categories lacking, and by one category met / unmet / unreachable', () => {
    coverage.result = result;
    coverage.colorBy = 'lacking';
    const th = coverageTheme()!;
    expect(th.colorOf.A).not.toBe(th.colorOf.B);
    expect(th.colorOf.B).toBe(th.colorOf.C);
    coverage.colorBy = 'kindergarten';
    const one = coverageTheme()!;
    expect(new Set([one.colorOf.A, one.colorOf.B, one.colorOf.C]).size).toBe(3);
    expect(one.title).toContain('300');
    coverage.result = null;
    expect(coverageTheme()).toBeNull();
  });
});
