/**
 * Accessibility-surface benchmark (`npm run bench -- surface`), on the default dataset (public/data/*.fgb):
 *  - ours: engine.surface — ONE multi-source search per category (the coverage's distance field), then the
 *    per-edge midpoint distance and one MultiLineString per tier;
 *  - the strongest simple alternative: one single-source search per facility, the minimum taken per node
 *    (what a per-facility isochrone approach does), same classing.
 * For one category (菜市场, wet_market) and for "all mandatory ▲" (max over the categories). Medians of 7 runs
 * with min–max; figures are printed, never asserted. The in-browser time from choosing a category to the surface
 * drawn is measured by test/e2e/map.spec.ts (printed as [measure]).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseLayer } from '../src/lib/data/load.ts';
import { DEFAULT_PARAMS, STANDARDS } from '../src/lib/domain/standards.ts';
import { CoverageEngine } from '../src/lib/worker/engine.ts';
import { buildWalkGraph } from '../src/lib/analysis/walkgraph.ts';
import { multiSourceReach } from '../src/lib/analysis/reach.ts';
import { snapXY } from '../src/lib/analysis/snap.ts';
import { toXY } from '../src/lib/analysis/localproj.ts';
import { accessSurface } from '../src/lib/analysis/surface.ts';
import type { FacilityInput } from '../src/lib/analysis/coverage.ts';
import type { Dataset } from '../src/lib/domain/types.ts';

async function layer<T>(name: keyof Dataset): Promise<T[]> {
  return (await parseLayer(name, new Uint8Array(readFileSync(`public/data/${name}.fgb`)), `${name}.fgb`)) as unknown as T[];
}

function stats(fn: () => void, reps = 7): string {
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return `median ${t[Math.floor(reps / 2)].toFixed(1)} ms (min ${t[0].toFixed(1)}, max ${t[reps - 1].toFixed(1)}, n=${reps})`;
}

export async function run(): Promise<void> {
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min)`);
  const [communities, gates, facilities, metro, roads] = await Promise.all([
    layer<any>('communities'),
    layer<any>('gates'),
    layer<any>('facilities'),
    layer<any>('metro'),
    layer<any>('roads'),
  ]);
  const facs: FacilityInput[] = [...facilities, ...metro.map((m: any) => ({ ...m, properties: { ...m.properties, category: 'metro' } }))];
  const engine = new CoverageEngine();
  const summary = engine.load({ communities, gates, facilities: facs, roads });
  console.log(`default dataset: ${summary.nodes} nodes, ${summary.edges} edges, ${facs.length} facilities`);
  const g = buildWalkGraph(roads);
  const t = DEFAULT_PARAMS.tierDistanceM;
  const breaks = [t[5], t[10], t[15]];
  const perFacility = (cats: string[]) => {
    const fields = cats.map((c) => {
      const min = new Float64Array(g.nodeCount).fill(Infinity);
      for (const f of facs.filter((x) => x.properties.category === c)) {
        const [x, y] = toXY(g.proj, f.geometry.coordinates[0], f.geometry.coordinates[1]);
        const s = snapXY(g, x, y, 500);
        if (!s) continue;
        const d = multiSourceReach(g, [s]).dist;
        for (let i = 0; i < d.length; i++) if (d[i] < min[i]) min[i] = d[i];
      }
      return min;
    });
    return accessSurface(g, fields, breaks);
  };
  const mandatory = [...new Set(STANDARDS.gb50180.rules.filter((r) => r.mandatory).map((r) => r.category as string))];
  for (const [label, cat, cats] of [
    ['one category (wet_market)', 'wet_market', ['wet_market']],
    [`all mandatory ▲ (${mandatory.length} categories)`, 'mandatory', mandatory],
  ] as const) {
    const n = facs.filter((f) => (cats as readonly string[]).includes(f.properties.category)).length;
    console.log(`\nsurface, ${label}, ${n} facilities:`);
    console.log(`  ours (one multi-source search per category): ${stats(() => engine.surface({ standardId: 'gb50180', params: DEFAULT_PARAMS, category: cat }))}`);
    console.log(`  baseline (one search per facility, min per node): ${stats(() => perFacility([...cats]), 5)}`);
  }
}
