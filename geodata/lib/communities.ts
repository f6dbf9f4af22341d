/**
 * The 73 communities: placement on grid blocks near each street's metro station, gates on street-facing
 * sides, and attributes whose totals are forced to the action plan's figures (largest remainder).
 */
import { PLAN_TOTALS, type BatchYear, type CommunityProps, type Pool, type SideState, type Stage } from '../../src/lib/domain/types.ts';
import type { CommitteeRow } from './sources.ts';
import { CANALS, LINEAR_BARRIERS, MARGINS, STREET_SPECS, type StreetSpec } from './sketch.ts';
import { type Ctx, distToBoundary, insideDistrict, synth } from './context.ts';
import type { Cell, Network, Seg } from './network.ts';
import { type P, clamp, distM, distToLineM, distToSegM, insetConvex, lerp, ringAreaM2, roundP, toLL, toM } from './geo.ts';
import { type Rng, largestRemainder } from './rng.ts';
export interface Placed {
  street: StreetSpec;
  ring: P[]; // open ring, CCW, gates inserted
  gates: P[];
  land: number;
  rank: number;
}

export const SHAPES: [number, number][] = [
  [1, 1], [2, 1], [1, 2], [2, 2], [3, 1], [1, 3], [3, 2], [2, 3],
];

export function placeCommunities(ctx: Ctx, net: Network): { placed: Placed[]; removed: Set<string> } {
  const { rng } = ctx;
  const cellAt = new Map<string, Cell>();
  for (const c of net.cells) cellAt.set(`${c.grid}:${c.i}:${c.j}`, c);
  const removed = new Set<string>();
  const placed: Placed[] = [];
  const barrierLines = [...LINEAR_BARRIERS, ...CANALS];

  for (const spec of STREET_SPECS) {
    const candidates = net.cells
      .filter((c) => c.ok && c.street === spec.zh)
      .map((c) => ({ c, score: distM(c.centre, spec.anchor) + rng.range(0, 900) }))
      .sort((a, b) => a.score - b.score || a.c.i - b.c.i || a.c.j - b.c.j)
      .map((x) => x.c);
    let n = 0;
    for (const seed of candidates) {
      if (n >= spec.count) break;
      if (seed.used) continue;
      const hh = Math.min(1900, Math.max(200, Math.exp(rng.normal(Math.log(600), 0.5))));
      const targetLand = (hh * 91) / 1.35;
      let best: { w: number; h: number; score: number; land: number } | null = null;
      for (const [w, h] of SHAPES) {
        const group: Cell[] = [];
        for (let di = 0; di < w; di++)
          for (let dj = 0; dj < h; dj++) {
            const c = cellAt.get(`${seed.grid}:${seed.i + di}:${seed.j + dj}`);
            if (c && c.ok && !c.used && c.street === spec.zh) group.push(c);
          }
        if (group.length !== w * h) continue;
        const corners: P[] = [
          net.nodeAt(seed.grid, seed.i, seed.j)!.p,
          net.nodeAt(seed.grid, seed.i + w, seed.j)!.p,
          net.nodeAt(seed.grid, seed.i + w, seed.j + h)!.p,
          net.nodeAt(seed.grid, seed.i, seed.j + h)!.p,
        ];
        // expected estate area: the block inset from the street centrelines, minus irregularity
        const inset = insetConvex(corners, 25);
        const land = Math.abs(ringAreaM2(inset)) * 0.93;
        // plausible estate sizes only (≈150–2,000 households) and no sliver-shaped estates
        if (land < 11_000 || land > 115_000) continue;
        const sideW = (distM(inset[0]!, inset[1]!) + distM(inset[3]!, inset[2]!)) / 2;
        const sideH = (distM(inset[1]!, inset[2]!) + distM(inset[0]!, inset[3]!)) / 2;
        const aspect = Math.max(sideW, sideH) / Math.min(sideW, sideH);
        if (Math.min(sideW, sideH) < 70 || aspect > 3) continue;
        const score = Math.abs(Math.log(land / targetLand)) + 0.15 * Math.log(aspect);
        if (!best || score < best.score) best = { w, h, score, land };
      }
      if (!best) continue;
      const { w, h } = best;
      const i0 = seed.i;
      const j0 = seed.j;
      const corner = (i: number, j: number) => net.nodeAt(seed.grid, i, j)!.p;
      const outer: P[] = [corner(i0, j0), corner(i0 + w, j0), corner(i0 + w, j0 + h), corner(i0, j0 + h)];
      let ring = insetConvex(outer, rng.range(21, 30));
      // irregular: pull vertices inwards a little, sometimes cut a corner (pentagon)
      const cm = toM([(ring[0]![0] + ring[2]![0]) / 2, (ring[0]![1] + ring[2]![1]) / 2]);
      ring = ring.map((p) => {
        const m = toM(p);
        const d = Math.hypot(cm[0] - m[0], cm[1] - m[1]);
        const f = rng.range(0, 10) / d;
        return toLL([m[0] + (cm[0] - m[0]) * f, m[1] + (cm[1] - m[1]) * f]);
      });
      if (rng.chance(0.45)) {
        const k = rng.int(0, 3);
        const prev = ring[(k + 3) % 4]!;
        const next = ring[(k + 1) % 4]!;
        const c = ring[k]!;
        ring.splice(k, 1, lerp(c, prev, rng.range(0.15, 0.35)), lerp(c, next, rng.range(0.15, 0.35)));
      }
      ring = ring.map((p) => roundP(p));
      const okPlace = ring.every(
        (p) =>
          insideDistrict(ctx, p) &&
          distToBoundary(ctx, p) >= MARGINS.community &&
          barrierLines.every((l) => distToLineM(p, l) >= 25),
      );
      if (!okPlace) continue;
      const area = Math.abs(ringAreaM2(ring));
      const gates: P[] = []; // added once the street network is final (addGates)
      for (let di = 0; di < w; di++)
        for (let dj = 0; dj < h; dj++) cellAt.get(`${seed.grid}:${i0 + di}:${j0 + dj}`)!.used = true;
      // roads strictly inside the estate disappear (they are estate paths, not public streets)
      for (let i = i0; i < i0 + w; i++) for (let j = j0 + 1; j < j0 + h; j++) removed.add(`${seed.grid}:h:${j}:${i}`);
      for (let i = i0 + 1; i < i0 + w; i++) for (let j = j0; j < j0 + h; j++) removed.add(`${seed.grid}:v:${i}:${j}`);
      placed.push({ street: spec, ring, gates, land: area, rank: n });
      n++;
    }
    if (n < spec.count) {
      throw new Error(`generate: only ${n} of ${spec.count} communities fit in ${spec.zh}; widen its zone`);
    }
  }
  return { placed, removed };
}

/**
 * One to three gates per estate, on sides that face a street (the side's midpoint within
 * 50 m of a walkable road), inserted as ring vertices so they lie exactly on the boundary.
 */
export function addGates(ctx: Ctx, placed: Placed[], segs: readonly Seg[]): void {
  const { rng } = ctx;
  for (const pl of placed) {
    const ring = pl.ring;
    const [cx, cy] = [ring[0]![0], ring[0]![1]];
    const local = segs.filter((s) => Math.abs(s.a[0] - cx) < 0.006 && Math.abs(s.a[1] - cy) < 0.006);
    const sideDist = ring.map((a, k) => {
      const mid = lerp(a, ring[(k + 1) % ring.length]!, 0.5);
      return Math.min(...local.map((s) => distToSegM(mid, s.a, s.b)));
    });
    let sides = ring.map((_, k) => k).filter((k) => sideDist[k]! <= 50 && distM(ring[k]!, ring[(k + 1) % ring.length]!) > 30);
    if (sides.length === 0) sides = [sideDist.indexOf(Math.min(...sideDist))];
    const nGates = Math.min(sides.length, pl.land < 25_000 ? rng.int(1, 2) : rng.int(2, 3));
    const chosen = rng.shuffle(sides.slice()).slice(0, nGates).sort((a, b) => b - a);
    for (const k of chosen) {
      const g = roundP(lerp(ring[k]!, ring[(k + 1) % ring.length]!, rng.range(0.3, 0.7)));
      ring.splice(k + 1, 0, g);
      pl.gates.unshift(g);
    }
  }
}

/** the 社区 (2023 committee name stem) an estate belongs to: contiguous ranks share one */
export function committeeStemOf(pl: Placed): string {
  const list = pl.street.committees;
  return list[Math.floor((pl.rank * list.length) / pl.street.count)]!;
}

export const STAGE_BY_BATCH: Record<BatchYear, [Stage, number][]> = {
  2020: [['TENDERED', 1], ['CONSTRUCTION', 6], ['ACCEPTED', 7], ['HANDED_OVER', 4], ['ARCHIVED', 2]],
  2021: [['APPLIED', 3], ['DRAFT_SCHEME', 5], ['SCHEME_VOTED', 6], ['PLANNED', 5], ['APPROVED', 4], ['TENDERED', 5]],
  2022: [['POOL', 11], ['APPLIED', 10]],
};

export function poolOf(stage: Stage, rng: Rng): Pool {
  switch (stage) {
    case 'POOL':
      return rng.chance(0.5) ? '谋划' : '储备';
    case 'APPLIED':
    case 'DRAFT_SCHEME':
    case 'SCHEME_VOTED':
      return '生成';
    default:
      return '实施';
  }
}

export const r3 = (v: number) => Math.round(v * 1000) / 1000;

export function communityAttributes(ctx: Ctx, placed: Placed[], committees: CommitteeRow[]): CommunityProps[] {
  const { rng } = ctx;
  const n = placed.length;
  // build years and housing type first: they drive density and condition
  const years = placed.map((pl) => {
    const late = pl.street.zh === '庄桥街道' || pl.street.zh === '洪塘街道' || pl.street.zh === '慈城镇' ? 0.3 : 0.07;
    if (rng.chance(late)) return rng.int(2001, 2008);
    const old = pl.street.zh === '中马街道' || pl.street.zh === '白沙街道' ? 1 : 0;
    return clamp(Math.round(rng.normal(old ? 1987 : 1992, 4.5)), 1980, 2000);
  });
  const types = years.map((y) => (y > 2000 ? 'resettlement' : rng.chance(0.4) ? 'danwei' : 'commodity'));
  const far = types.map((t) => (t === 'resettlement' ? rng.range(1.5, 1.9) : rng.range(1.2, 1.5)));
  const floor = largestRemainder(placed.map((pl, k) => pl.land * far[k]!), PLAN_TOTALS.floor_area_m2);
  // the smallest estates still need room for ≥ 160 households at ≥ 80 m² each; the difference
  // comes from the largest estate so the total stays exact
  for (let k = 0; k < n; k++) {
    const short = 13_500 - floor[k]!;
    if (short <= 0) continue;
    const big = floor.indexOf(Math.max(...floor));
    floor[k]! += short;
    floor[big]! -= short;
  }
  const households = largestRemainder(floor.map((f) => f / rng.range(80, 101)), PLAN_TOTALS.households);
  // keep every estate at ≥ 160 households (the plan's smallest estates), moving the difference
  // to the largest estate so the total stays exact
  for (let k = 0; k < n; k++) {
    const short = 160 - households[k]!;
    if (short <= 0) continue;
    const big = households.indexOf(Math.max(...households));
    households[k]! += short;
    households[big]! -= short;
  }
  for (let k = 0; k < n; k++) {
    const excess = households[k]! - 1950;
    if (excess <= 0) continue;
    // give the excess to the estate with the most floor area per household
    let roomy = 0;
    for (let q = 1; q < n; q++) if (floor[q]! / households[q]! > floor[roomy]! / households[roomy]!) roomy = q;
    households[k]! -= excess;
    households[roomy]! += excess;
  }
  const buildings = largestRemainder(
    floor.map((f, k) => f / (types[k] === 'resettlement' ? rng.range(3000, 3800) : rng.range(2000, 2800))),
    PLAN_TOTALS.buildings,
  );
  // batches: exactly 20 / 28 / 25, older estates tend to go first
  const order = placed.map((_, k) => k).sort((a, b) => years[a]! + rng.range(-8, 8) - (years[b]! + rng.range(-8, 8)) || a - b);
  const batch = new Array<BatchYear>(n);
  order.forEach((k, r) => (batch[k] = r < 20 ? 2020 : r < 48 ? 2021 : 2022));
  // exactly-at-threshold consent shares make the 2/3 rule visible
  const exactTwoThirds = new Set(rng.shuffle(placed.map((_, k) => k)).slice(0, 3));
  const sideStates: (SideState | null)[] = new Array(n).fill(null);
  const sideIdx = rng.shuffle(placed.map((_, k) => k).filter((k) => batch[k] !== 2020)).slice(0, 4);
  sideStates[sideIdx[0]!] = 'DEFERRED';
  sideStates[sideIdx[1]!] = 'DEFERRED';
  sideStates[sideIdx[2]!] = 'SUSPENDED';
  sideStates[sideIdx[3]!] = 'REJECTED';

  const usedNames = new Set<string>();
  const suffixes = ['新村', '小区', '一村', '二村', '三村', '花园', '北村', '南村', '东村', '西村', '公寓', '苑'];
  return placed.map((pl, k) => {
    const street = pl.street;
    const committeeStem = committeeStemOf(pl);
    const committeeRow = committees.find((c) => c.name.startsWith(committeeStem) && c.kind === '社区居委会');
    let name = '';
    const sfx = types[k] === 'resettlement' ? ['家园', '安置小区', '新苑', ...suffixes] : suffixes;
    for (const s of sfx) {
      if (!usedNames.has(committeeStem + s)) {
        name = committeeStem + s;
        break;
      }
    }
    usedNames.add(name);
    const hh = households[k]!;
    const b = buildings[k]!;
    const year = years[k]!;
    const ht = types[k] as CommunityProps['housing_type'];
    const stages = STAGE_BY_BATCH[batch[k]!];
    const stage = stages[rng.weighted(stages.map((s) => s[1]))]![0];
    const older = year < 1990;
    const area = exactTwoThirds.has(k) && k % 2 === 0 ? 2 / 3 : r3(clamp(rng.normal(0.74, 0.11), 0.45, 0.97));
    const head = exactTwoThirds.has(k) && k % 2 === 1 ? 2 / 3 : r3(clamp(area + rng.normal(0, 0.05), 0.45, 0.98));
    const props: CommunityProps = {
      id: '',
      name,
      street: street.zh,
      committee: committeeRow ? committeeRow.name : null,
      build_year: year,
      housing_type: ht,
      households: hh,
      buildings: b,
      floor_area_m2: floor[k]!,
      residents: Math.round(hh * rng.range(2.6, 2.9)),
      property_mgmt: rng.chance(older ? 0.15 : 0.45) ? 'professional' : rng.chance(0.55) ? 'self' : 'none',
      maintenance_fund: ht === 'commodity' && rng.chance(0.7) ? 'established' : rng.chance(0.35) ? 'committed' : rng.chance(0.5) ? 'none' : 'established',
      dangerous_buildings: rng.chance(older ? 0.2 : 0.05) ? rng.int(1, 2) : 0,
      lift_demand: rng.chance(0.55) ? rng.int(1, Math.max(1, Math.round(b * 0.35))) : 0,
      consent_area_share: area,
      consent_headcount_share: head,
      owner_contribution_share: rng.chance(0.08) ? 0 : r3(clamp(rng.normal(0.05, 0.02), 0.005, 0.12)),
      illegal_cleared_share: rng.chance(0.55) ? 1 : r3(rng.range(0.5, 0.99)),
      safety_hazard: rng.chance(older ? 0.25 : 0.1) ? 'confirmed' : rng.chance(0.3) ? 'partial' : 'none',
      third_party_funding: rng.chance(0.2),
      batch_year: batch[k]!,
      pool: poolOf(stage, rng),
      stage,
      side_state: sideStates[k]!,
      ...synth(ctx),
    };
    return props;
  });
}
