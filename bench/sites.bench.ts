/**
 * Spare-site siting benchmark (`npm run bench -- sites`): suggested sites on the default dataset for the
 * elderly day-care centre (k = 3, 300 m), candidates = the spare sites whose area fits the minimum size (the area
 * check, sitefit.ts, included in the time) against the app's default, thinned network nodes (the strongest simple
 * alternative: no candidate limit). Both through the analysis engine (engine.suggest, HiGHS), 5 runs each;
 * figures printed, never asserted. Also prints how many residents each covers: limiting candidates trades
 * coverage for feasibility.
 */
import { readFileSync } from 'node:fs';
import { parseLayer } from '../src/lib/data/load.ts';
import { validateSpareSites } from '../src/lib/data/schema.ts';
import { readFgbBytes } from '../src/lib/data/import/fgb.ts';
import { CoverageEngine, type SuggestResponse } from '../src/lib/worker/engine.ts';
import { DEFAULT_PARAMS } from '../src/lib/domain/standards.ts';
import { fitSites } from '../src/lib/analysis/sitefit.ts';
import type { FacilityInput } from '../src/lib/analysis/coverage.ts';
import type { Dataset } from '../src/lib/domain/types.ts';
import { compare, line, machine, record } from './figures.ts';

async function layer<T>(name: keyof Dataset): Promise<T[]> {
  return (await parseLayer(name, new Uint8Array(readFileSync(`public/data/${name}.fgb`)), `${name}.fgb`)) as unknown as T[];
}

async function times(fn: () => Promise<unknown>, runs = 5): Promise<number[]> {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return t;
}

export async function run(): Promise<void> {
  console.log(machine());
  const [communities, gates, facilities, metro, roads] = await Promise.all([layer<any>('communities'), layer<any>('gates'), layer<any>('facilities'), layer<any>('metro'), layer<any>('roads')]);
  const sites = validateSpareSites(readFgbBytes(new Uint8Array(readFileSync('public/data/spare_sites.fgb'))).map((f) => ({ geometry: f.geometry ?? null, properties: (f.properties as Record<string, unknown>) ?? null })));
  const facs: FacilityInput[] = [...facilities, ...metro.map((m: any) => ({ ...m, properties: { ...m.properties, category: 'metro' } }))];
  const engine = new CoverageEngine();
  engine.load({ communities, gates, facilities: facs, roads });
  const base = { standardId: 'gb50180' as const, params: DEFAULT_PARAMS, mode: 'network' as const, category: 'elderly_daycare', k: 3 };
  await engine.suggest(base); // warm-up: solver load, graph, coverage cache
  const res: { spare?: SuggestResponse; nodes?: SuggestResponse } = {};
  const spare = record(
    'suggest elderly_daycare k=3: spare sites that fit (incl. area check)',
    await times(async () => {
      const fit = fitSites(
        sites.map((s) => s.properties),
        'elderly_daycare',
      );
      const kept = new Set(fit.kept);
      const candidates = sites.filter((s) => kept.has(s.properties.id)).map((s) => ({ id: s.properties.id, label: s.properties.name, lon: s.geometry.coordinates[0], lat: s.geometry.coordinates[1] }));
      res.spare = await engine.suggest({ ...base, candidates });
    }),
  );
  const nodes = record('suggest elderly_daycare k=3: network nodes (default)', await times(async () => (res.nodes = await engine.suggest(base))));
  console.log(line(nodes));
  console.log(line(compare(spare, nodes)));
  const fit = fitSites(
    sites.map((s) => s.properties),
    'elderly_daycare',
  );
  console.log(`  spare sites: ${sites.length}, fit the ≥ 350 m² floor minimum: ${fit.kept.length}, excluded: ${fit.excluded.length}`);
  console.log(`  residents newly covered: spare sites ${res.spare!.totalAdded} (${res.spare!.method}), network nodes ${res.nodes!.totalAdded} (${res.nodes!.method}), demand ${res.nodes!.demandResidents}`);
  console.log(`  candidates considered after dropping duplicate/dominated cover sets: spare ${res.spare!.candidatesConsidered}, nodes ${res.nodes!.candidatesConsidered}`);
}
