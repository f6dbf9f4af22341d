import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { barrierStyle, community, deepFreeze, expectedOutput, FIXTURE_COLOURS, loadFixtures, type Fixture } from '../../../test/fixtures/bundle/harness';
import { buildAdjacency, type Adjacency } from './adjacency';
import { assignmentOf, generateBundles, prepare, resolveBundleOptions, type BundlePlan } from './bundle';
import { enumerateGroups, improveLocally, optimiseBundles, validGroup, type Ctx, type OptimiseOptions } from './bundle-opt';
import { moveCommunity } from './bundle-edit';
import { loadSolver } from './solver';
import type { CommunityFeature } from '../domain/types';

const solver = await loadSolver();

function setup(fx: Fixture, extra: Record<string, unknown> = {}) {
  const { maxGapM, ...opts } = { ...fx.params, ...extra } as Record<string, any>;
  const adj = buildAdjacency(fx.communities, { maxGapM, barriers: fx.barriers });
  return { adj, opts: opts as OptimiseOptions };
}
function plan(fx: Fixture, extra: Record<string, unknown> = {}, withSolver = true): BundlePlan {
  const { adj, opts } = setup(fx, extra);
  return optimiseBundles(fx.communities, adj, opts, withSolver ? solver : null);
}
const groups = (p: Pick<BundlePlan, 'bundles'>) => p.bundles.map((b) => b.members.join('+'));

function render(fx: Fixture, p: BundlePlan) {
  const asg = assignmentOf(p);
  const colour = new Map(p.bundles.map((b, i) => [b.id, FIXTURE_COLOURS[i % FIXTURE_COLOURS.length]]));
  const feats: Feature[] = [
    ...fx.communities.map((c) => {
      const b = asg[c.properties.id];
      return {
        type: 'Feature' as const,
        geometry: c.geometry,
        properties: { id: c.properties.id, households: c.properties.households, bundle: b, fill: b ? colour.get(b)! : '#ffffff', 'fill-opacity': 0.7, stroke: '#333333' },
      };
    }),
    ...fx.barriers.map(barrierStyle),
  ];
  const q = p.quality!;
  return JSON.parse(
    JSON.stringify({
      type: 'FeatureCollection',
      properties: { ...fx.params, status: q.status, objective: q.objective, value: q.value, bound: q.bound, heuristicValue: q.heuristicValue },
      features: feats,
    }),
  );
}

describe('bundle-opt fixtures', () => {
  for (const fx of loadFixtures('bundle/opt')) {
    it(fx.name, () => {
      const out = render(fx, plan(fx));
      expect(out).toEqual(expectedOutput('bundle/opt', `${fx.name}.geojson`, out));
    });
  }
});

describe('optimal bundles', () => {
  const fx = Object.fromEntries(loadFixtures('bundle/opt').map((f) => [f.name, f]));

  it('bundles all five of the 慈城镇-shaped case as {C069, C073} + {C070, C071, C072}, where the heuristic leaves C073 out', () => {
    const f = fx['cicheng-five'];
    const { adj, opts } = setup(f);
    expect(generateBundles(f.communities, adj, opts).unbundled).toEqual(['C073']);
    const p = plan(f);
    expect(groups(p)).toEqual(['C069+C073', 'C070+C071+C072']);
    expect(p.unbundled).toEqual([]);
    expect(p.quality).toMatchObject({ status: 'exact', value: 5, bound: 5, heuristicValue: 4 });
  });

  it('without the solver, local search still reaches the 慈城镇 answer, and says it is not proved', () => {
    const p = plan(fx['cicheng-five'], {}, false);
    expect(groups(p)).toEqual(['C069+C073', 'C070+C071+C072']);
    expect(p.quality?.status).toBe('gap');
    expect(p.quality?.bound).toBeGreaterThanOrEqual(5);
  });

  it('counts households first when asked', () => {
    const f = fx['objective-households'];
    expect(groups(plan(f))).toEqual(['A+B+C']);
    const h = plan(f, { objective: 'households' });
    expect(groups(h)).toEqual(['A+X']);
    expect(h.quality).toMatchObject({ status: 'exact', objective: 'households', value: 1200 });
  });

  it('among plans that bundle as many, prefers bundles whose members lack the same facilities', () => {
    const f = fx['shared-gaps-tiebreak'];
    expect(groups(plan(f))).toEqual(['A+C', 'B+D']);
    expect(groups(plan(f, { gaps: { A: ['park'], B: ['park'], C: ['kindergarten'], D: ['kindergarten'] } }))).toEqual(['A+B', 'C+D']);
  });

  it('stops at the group limit and falls back to local search with a bound, saying gap', () => {
    const f = fx['cicheng-five'];
    const p = plan(f, { maxGroups: 1 });
    expect(p.quality?.status).toBe('gap');
    expect(p.quality!.value).toBeLessThanOrEqual(p.quality!.bound);
    for (const b of p.bundles) expect(b.members.reduce((s, id) => s + f.communities.find((c) => c.properties.id === id)!.properties.households, 0)).toBeLessThanOrEqual(3000);
  });

  it('keeps hand edits working on top of an optimised plan', () => {
    const p = plan(fx['cicheng-five']);
    const moved = moveCommunity(p, 'C072', null);
    expect(moved.unbundled).toEqual(['C072']);
    expect(groups(moved)).toEqual(['C069+C073', 'C070+C071']);
  });

  it('is deterministic and does not mutate its inputs', () => {
    const f = fx['cicheng-five'];
    const cs = deepFreeze(structuredClone(f.communities));
    const adj = deepFreeze(buildAdjacency(cs, { maxGapM: 300 }));
    expect(optimiseBundles(cs, adj, { maxSize: 3000 }, solver)).toEqual(optimiseBundles(cs, adj, { maxSize: 3000 }, solver));
  });
});

// ---- small random instances against brute force over every set partition

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** n squares of 150 m on a jittered 3-column grid, random households, two streets on some instances. */
function randomCommunities(seed: number, n: number): CommunityFeature[] {
  const r = rng(seed);
  const k = 1 / 96_000,
    y = 1 / 111_195;
  return Array.from({ length: n }, (_, i) => {
    const x0 = (i % 3) * 230 + r() * 60,
      y0 = Math.floor(i / 3) * 230 + r() * 60;
    const ring = [
      [x0, y0],
      [x0 + 150, y0],
      [x0 + 150, y0 + 150],
      [x0, y0 + 150],
      [x0, y0],
    ].map(([a, b]) => [121.55 + a * k, 29.89 + b * y]);
    const street = seed % 3 === 0 && r() < 0.3 ? '甲街道' : '乙街道';
    return community({ id: `R${i}`, street, households: 200 + Math.floor(r() * 900) }, { type: 'Polygon', coordinates: [ring] });
  });
}

/** Best number of communities in valid bundles, by enumerating every set partition (restricted growth strings). */
function bruteForce(ctx: Ctx, n: number): number {
  let best = 0;
  const block = new Int32Array(n);
  const rec = (i: number, blocks: number) => {
    if (i === n) {
      let v = 0;
      for (let b = 0; b < blocks; b++) {
        const g: number[] = [];
        for (let j = 0; j < n; j++) if (block[j] === b) g.push(j);
        if (g.length >= 2) {
          if (!validGroup(ctx, g)) return; // a block of ≥ 2 must be a valid bundle; singletons are unbundled
          v += g.length;
        }
      }
      best = Math.max(best, v);
      return;
    }
    for (let b = 0; b <= blocks; b++) {
      block[i] = b;
      rec(i + 1, Math.max(blocks, b + 1));
    }
  };
  rec(0, 0);
  return best;
}

describe('optimiseBundles against brute force (property, 40 random instances of 5–9 communities)', () => {
  it('bundles exactly as many communities as the best set partition, says exact, and every bundle is valid', () => {
    let heuristicShort = 0,
      notAll = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const n = 5 + (seed % 5);
      const cs = deepFreeze(randomCommunities(seed, n));
      const adj: Adjacency = buildAdjacency(cs, { maxGapM: 120 });
      const options: OptimiseOptions = {
        maxSize: 1200 + (seed % 4) * 400,
        minSize: seed % 5 === 0 ? 700 : undefined,
        maxCommunities: 2 + (seed % 3),
        maxSpanM: 450 + (seed % 3) * 150,
      };
      const o = resolveBundleOptions(options);
      const ctx: Ctx = { P: prepare(cs, adj, o), o, value: new Float64Array(n).fill(1) };
      const best = bruteForce(ctx, n);
      const p = optimiseBundles(cs, adj, options, solver);
      const pos = new Map(adj.ids.map((id, i) => [id, i] as const));
      for (const b of p.bundles) expect(validGroup(ctx, b.members.map((m) => pos.get(m)!)), `seed ${seed}: ${b.members.join('+')}`).toBe(true);
      expect(n - p.unbundled.length, `seed ${seed}`).toBe(best);
      expect(p.quality).toMatchObject({ status: 'exact', value: best, bound: best });
      if (p.quality!.heuristicValue < best) heuristicShort++;
      if (best < n) notAll++;
      // the heuristic and local search alone never beat it, and never break a limit
      const ls = improveLocally(
        ctx,
        generateBundles(cs, adj, options).bundles.map((b) => b.members.map((m) => pos.get(m)!)),
      );
      for (const g of ls) expect(validGroup(ctx, g)).toBe(true);
      expect(new Set(ls.flat()).size).toBe(ls.flat().length);
      expect(ls.flat().length).toBeLessThanOrEqual(best);
      // with no solver nodes to spend, the answer is never below the local-search start and the bound never below the optimum
      const cut = optimiseBundles(cs, adj, { ...options, maxNodes: 0 }, solver);
      expect(cut.quality!.value).toBeGreaterThanOrEqual(ls.flat().length);
      expect(cut.quality!.bound).toBeGreaterThanOrEqual(best);
      // the enumeration lists each admissible group once
      const all = enumerateGroups(ctx, adj.ids.map((_, i) => i), 1e6)!;
      expect(new Set(all.map((g) => g.join(','))).size).toBe(all.length);
      let valid = 0;
      for (let mask = 1; mask < 1 << n; mask++) if (validGroup(ctx, adj.ids.map((_, i) => i).filter((i) => mask & (1 << i)))) valid++;
      expect(all.length, `seed ${seed}: every admissible group is listed`).toBe(valid);
    }
    // the instances are not trivial: on some the heuristic falls short, on some not everyone can be bundled
    expect(heuristicShort).toBeGreaterThan(0);
    expect(notAll).toBeGreaterThan(0);
  });
});
