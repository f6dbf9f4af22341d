import { readFileSync } from 'node:fs';
import { parseLayer } from '../src/lib/data/load.ts';
import { buildAdjacency } from '../src/lib/analysis/adjacency.ts';
import { optimiseBundles } from '../src/lib/analysis/bundle-opt.ts';
import { loadSolver } from '../src/lib/analysis/solver.ts';
const read = (f: string) => new Uint8Array(readFileSync(`public/data/${f}`));
const cs = await parseLayer('communities', read('communities.fgb'), 'communities.fgb');
const adj = buildAdjacency(cs, { maxGapM: 300 });
const solver = await loadSolver();
for (const opts of [{ maxSize: 3000 }, {}, { minSize: 1500 }, { minSize: 1500, maxSize: 3000 }]) {
  const t0 = performance.now();
  const p = optimiseBundles(cs, adj, opts, solver);
  console.log(JSON.stringify(opts), (performance.now() - t0).toFixed(0), 'ms', p.bundles.length, 'bundles', p.unbundled.length, 'unbundled', JSON.stringify(p.quality));
  if (opts.maxSize === 3000 && !opts.minSize) console.log(p.bundles.filter(b => b.members.some(m => m >= 'C069')).map(b => b.members.join('+')));
}
