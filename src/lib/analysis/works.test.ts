import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, Geometry, Polygon } from 'geojson';
import { byRole, expectedFor, fixtureCases } from './fixtures.testutil';
import { coordinate, departmentTable, diffConflicts, gantt, conflictsOf, sortConflicts, withYear, yearOf, type WorkRecord } from './works';
import type { Renovation } from './conflicts';

function caseInput(input: FeatureCollection) {
  const renovations: Renovation[] = byRole<Feature<Polygon>>(input, 'community').map((f) => ({ id: f.properties!.id, outline: f.geometry, year: f.properties!.year }));
  const works: WorkRecord[] = byRole<Feature>(input, 'work').map((f) => {
    const { role: _r, ...p } = f.properties as Record<string, unknown>;
    return { ...(p as Omit<WorkRecord, 'geometry'>), geometry: f.geometry as WorkRecord['geometry'] };
  });
  return { renovations, works };
}

const STROKE = { conflict: '#d7191c', integrated: '#1a9641', later: '#777777', unknown: '#fdae61', none: '#bbbbbb' };

describe('coordination fixtures (test/fixtures/works)', () => {
  for (const c of fixtureCases('works')) {
    it(c.name, () => {
      const { renovations, works } = caseInput(c.input);
      const co = coordinate(works, renovations, { distanceM: c.params.distanceM as number, horizonYears: c.params.horizonYears as number });
      const out: FeatureCollection = {
        type: 'FeatureCollection',
        features: works.map((w) => {
          const ts = co.touches.filter((t) => t.work === w.id);
          const worst = ts.find((t) => t.timing === 'conflict')?.timing ?? ts[0]?.timing ?? 'none';
          return {
            type: 'Feature',
            geometry: w.geometry as Geometry,
            properties: {
              id: w.id,
              name: w.name,
              touches: ts.map((t) => ({ community: t.community, distanceM: t.distanceM, timing: t.timing, yearsAfter: t.yearsAfter })),
              conflicts: co.conflicts.filter((x) => x.work === w.id || (x.kind === 'same-trench' && x.other === w.id)).map((x) => ({ key: x.key, severity: x.severity })),
              stroke: STROKE[worst],
            },
          };
        }),
      };
      const { actual, expected } = expectedFor(c, out);
      expect(actual).toEqual(expected);
    });
  }
});

describe('coordination rules at their boundaries', () => {
  const cases = Object.fromEntries(fixtureCases('works').map((c) => [c.name, caseInput(c.input)]));

  it('a work 49.5 m from the outline touches at 50 m, 50.5 m does not; inside, crossing, covering and attached all touch at 0 m', () => {
    const { works, renovations } = cases['distance-boundary']!;
    const co = coordinate(works, renovations, { distanceM: 50, horizonYears: 3 });
    const touched = Object.fromEntries(co.touches.map((t) => [t.work, Math.round(t.distanceM * 10) / 10]));
    expect(touched).toEqual({ w495: 49.5, crossing: 0, area: 0, inside: 0, attached: 0 });
    // one year after the renovation: every one of them will dig up the community, severity high
    const digUps = co.conflicts.filter((x) => x.kind === 'dig-up');
    expect(digUps.map((x) => x.work).sort()).toEqual(['area', 'attached', 'crossing', 'inside', 'w495']);
    expect(digUps.every((x) => x.severity === 3)).toBe(true);
  });

  it('same year or before is integrated, 1…3 years after a conflict of falling severity, later outside, unknown without a year', () => {
    const { works, renovations } = cases['timing-boundary']!;
    const co = coordinate(works, renovations, { distanceM: 50, horizonYears: 3 });
    const timing = Object.fromEntries(co.touches.map((t) => [t.work, t.timing]));
    expect(timing).toEqual({ y2020: 'integrated', y2021: 'integrated', y2022: 'conflict', y2023: 'conflict', y2024: 'conflict', y2025: 'later', ynull: 'unknown', unsched: 'unknown' });
    expect(co.conflicts.map((x) => [x.work, x.severity])).toEqual([['y2022', 3], ['y2023', 2], ['y2024', 1]]);
    expect(co.unknown.map((t) => t.work).sort()).toEqual(['unsched', 'ynull']);
    // a horizon of 4 years makes 2025 a conflict too
    expect(coordinate(works, renovations, { distanceM: 50, horizonYears: 4 }).conflicts.map((x) => x.work)).toContain('y2025');
  });

  it('only works of different departments, close and overlapping in time, are to be bundled', () => {
    const { works, renovations } = cases['same-trench']!;
    const co = coordinate(works, renovations, { distanceM: 50, horizonYears: 3 });
    expect(co.conflicts.map((x) => (x.kind === 'same-trench' ? [x.work, x.other, x.from, x.to] : null))).toEqual([['water', 'power', 2023, 2023]]);
  });

  it('moving the renovation to a later year resolves the dig-ups and shows what appears', () => {
    const { works, renovations } = cases['timing-boundary']!;
    const before = coordinate(works, renovations, { distanceM: 50, horizonYears: 3 }).conflicts;
    const after = coordinate(works, withYear(renovations, 'C', 2022), { distanceM: 50, horizonYears: 3 }).conflicts;
    const d = diffConflicts(before, after);
    expect([d.before, d.after]).toEqual([3, 3]);
    expect(d.resolved.map((x) => x.work)).toEqual(['y2022']);
    expect(d.appeared.map((x) => x.work)).toEqual(['y2025']);
    // 2024 stays a conflict but is now less severe: same key, not counted as resolved
    expect(after.find((x) => x.work === 'y2024')!.severity).toBe(2);
    const clear = coordinate(works, withYear(renovations, 'C', 2025), { distanceM: 50, horizonYears: 3 }).conflicts;
    expect(diffConflicts(before, clear).after).toBe(0);
  });

  it('sorts by department when asked, and filters the conflicts of a bundle', () => {
    const { works, renovations } = cases['distance-boundary']!;
    const byId = new Map(works.map((w) => [w.id, w]));
    const co = coordinate(works, renovations, { distanceM: 50, horizonYears: 3 });
    const digUps = co.conflicts.filter((x) => x.kind === 'dig-up');
    // Chinese collation (pinyin): 电 dian < 区 qu < 燃 ran
    expect(sortConflicts(digUps, 'department', byId).map((x) => x.departments[0])).toEqual(['电力公司', '区住建局', '区住建局', '区住建局', '燃气公司']);
    // by severity: the dig-ups (high) come before the works to bundle (low)
    expect(co.conflicts.map((x) => x.kind)).toEqual([...digUps.map(() => 'dig-up'), ...co.conflicts.filter((x) => x.kind === 'same-trench').map(() => 'same-trench')]);
    expect(conflictsOf(co, ['C'])).toHaveLength(co.conflicts.length);
    expect(conflictsOf(co, ['other'])).toHaveLength(0);
  });

  it('the department table counts works, budgets (unknown apart), communities and conflicts', () => {
    const { works, renovations } = cases['distance-boundary']!;
    const ws = works.map((w) => (w.id === 'inside' ? { ...w, budgetWan: null } : w));
    const co = coordinate(ws, renovations, { distanceM: 50, horizonYears: 3 });
    const t = departmentTable(ws, co);
    expect(t.find((r) => r.department === '区住建局')).toMatchObject({ works: 3, budgetWan: 200, budgetUnknown: 1, communities: 1, digUps: 3, from: 2022, to: 2023 });
    expect(t.find((r) => r.department === '电力公司')).toMatchObject({ works: 2, communities: 1, digUps: 1 });
  });

  it('the timeline has one bar per touching work with its worst timing; undated works are listed apart', () => {
    const { works, renovations } = cases['timing-boundary']!;
    const co = coordinate(works, renovations, { distanceM: 50, horizonYears: 3 });
    const g = gantt(co, works, ['C']);
    expect(g.bars.map((b) => [b.work, b.from, b.timing])).toEqual([
      ['y2020', 2020, 'integrated'],
      ['y2021', 2021, 'integrated'],
      ['y2022', 2022, 'conflict'],
      ['y2023', 2023, 'conflict'],
      ['y2024', 2024, 'conflict'],
      ['y2025', 2025, 'later'],
    ]);
    expect(g.undated).toEqual(['ynull']);
  });

  it('reads the year of a planned date and refuses malformed ones', () => {
    expect([yearOf('2023'), yearOf('2023-05'), yearOf('2023-05-31'), yearOf('2023-13'), yearOf('23'), yearOf(null)]).toEqual([2023, 2023, 2023, null, null, null]);
  });
});
