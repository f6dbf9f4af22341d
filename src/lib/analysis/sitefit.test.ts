import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { fitSite, fitSites, minimaOf, type SiteForFit } from './sitefit';
import { byRole, deepFreeze, expectedFor, fixtureCases } from './fixtures.testutil';

const COLOR: Record<string, string> = { fits: '#1a9850', no_minimum: '#91bfdb', too_small: '#d73027', needs_land: '#fc8d59', area_unknown: '#999999' };

describe('sitefit fixtures', () => {
  for (const c of fixtureCases('sitefit')) {
    it(c.name, () => {
      const sites = byRole<Feature<Point, SiteForFit & { role: string }>>(c.input, 'site');
      const r = fitSites(
        sites.map((f) => f.properties),
        c.params.category as string,
      );
      const out: FeatureCollection = {
        type: 'FeatureCollection',
        features: sites.map((f, i) => ({
          type: 'Feature',
          geometry: f.geometry,
          properties: {
            id: r.fits[i].id,
            fits: r.fits[i].fits,
            reason: r.fits[i].reason,
            measure: r.fits[i].measure,
            min_m2: r.fits[i].rule?.minM2 ?? null,
            rule: r.fits[i].rule?.code ?? null,
            'marker-color': COLOR[r.fits[i].reason],
          },
        })),
      };
      const { actual, expected } = expectedFor(c, out);
      expect(actual).toEqual(expected);
    });
  }
});

describe('fitSites', () => {
  it('reads a kindergarten as needing ≥ 3,500 m² of land: exactly the minimum fits, one m² less does not, rooms never', () => {
    const r = fitSites(
      deepFreeze([
        { id: 'a', kind: 'vacant_land', area_m2: 3500 },
        { id: 'b', kind: 'corner_land', area_m2: 3499 },
        { id: 'c', kind: 'idle_room', area_m2: 9000 },
      ] as SiteForFit[]),
      'kindergarten',
    );
    expect(r.minima.map((m) => `${m.measure} ${m.minM2}`)).toEqual(['land 3500', 'floor 2200']);
    expect(r.kept).toEqual(['a']);
    expect(r.excluded.map((x) => [x.id, x.reason])).toEqual([
      ['b', 'too_small'],
      ['c', 'needs_land'],
    ]);
  });

  it('never lets an unknown area pass a minimum, and says when a category has no minimum in the standards', () => {
    expect(fitSite({ id: 'x', kind: 'idle_room', area_m2: null }, minimaOf('nursery'))).toMatchObject({ fits: false, reason: 'area_unknown' });
    expect(fitSite({ id: 'x', kind: 'idle_room', area_m2: Number.NaN }, minimaOf('nursery'))).toMatchObject({ fits: false, reason: 'area_unknown' });
    expect(minimaOf('wet_market')).toEqual([]);
    expect(fitSite({ id: 'x', kind: 'idle_room', area_m2: null }, [])).toMatchObject({ fits: true, reason: 'no_minimum', rule: null });
  });

  it('compares a plot with a floor-only minimum as a one-storey footprint and says so', () => {
    const f = fitSite({ id: 'p', kind: 'vacant_land', area_m2: 250 }, minimaOf('nursery'));
    expect(f).toMatchObject({ fits: true, measure: 'floor-on-land' });
    expect(f.rule?.code).toBe('wz.nursery');
  });
});
