/**
 * The demonstration-data generator (演示数据) for the default dataset.
 *
 * What it computes: from the real source layers (district outline, OSM facilities, metro
 * stations, the official list of 街道/社区) it builds every layer the app needs, and generates
 * what no public source gives: approximate rivers/canals/rail/expressway, a walking network,
 * the 73 renewal communities with their gates and attributes, and the missing facility
 * categories. Everything generated carries `synthetic: true` and names this script and seed.
 *
 * How: jittered street grids per urban cluster (old town south of the rail, 庄桥/洪塘 north of
 * the Yao, 慈城), clipped to the district with a margin from the rivers; communities are
 * inset blocks of 1–6 grid cells near the real metro stations of each 2020 sub-district;
 * attribute totals are forced to the action plan's figures with largest-remainder allocation.
 *
 * Modules (geodata/lib/): sketch.ts (hand-drawn barriers, grid clusters, streets and their
 * anchor stations), network.ts (walking network), communities.ts (placement, gates, attributes),
 * facilities.ts (OSM + generated facilities), layers.ts (districts, barriers, metro), geo.ts and
 * rng.ts (planar geometry, seeded random numbers).
 *
 * Complexity: O(N) in grid nodes/edges for the network (≈ 4,000 nodes), O(C·K) for placement
 * (C communities × K candidate cells). Deterministic: one seeded mulberry32 stream, no
 * Date/Math.random, stable iteration order, coordinates rounded to 1e-6° (~0.1 m).
 *
 * Sources of the figures: 江北区城镇老旧小区改造三年行动方案 (2020–2022): 73 communities,
 * 47,000 households, 1,744 buildings, 4.27 million m² (PLAN_TOTALS in src/lib/domain/types.ts).
 */
import {
  STREETS,
  type BarrierFeature,
  type CommunityFeature,
  type DistrictFeature,
  type FacilityFeature,
  type GateFeature,
  type MetroFeature,
  type RoadFeature,
} from '../src/lib/domain/types.ts';
import type { Sources } from './lib/sources.ts';
import { STREET_SPECS } from './lib/sketch.ts';
import { type Ctx, synth } from './lib/context.ts';
import { type Seg, buildNetwork, largestComponent, roadsFromEdges } from './lib/network.ts';
import { addGates, communityAttributes, placeCommunities } from './lib/communities.ts';
import { generatedFacilities, osmFacilities } from './lib/facilities.ts';
import { fillServices } from './lib/servicefill.ts';
import { barrierLayer, districtLayer, metroLayer } from './lib/layers.ts';
import type { P } from './lib/geo.ts';
import { makeRng } from './lib/rng.ts';
import { spareSiteLayer } from './lib/sparesites.ts';
import type { SpareSiteFeature } from '../src/lib/domain/spare-sites.ts';

export { SOURCE_FILES, type CommitteeRow, type Sources } from './lib/sources.ts';
export { MARGINS } from './lib/sketch.ts';
export { commercialCategory, schoolCategory } from './lib/facilities.ts';

/** The seed of the committed default dataset (the last day of the plan's first year). */
export const DEFAULT_SEED = 20201231;

export interface Layers {
  districts: DistrictFeature[];
  barriers: BarrierFeature[];
  roads: RoadFeature[];
  communities: CommunityFeature[];
  gates: GateFeature[];
  facilities: FacilityFeature[];
  metro: MetroFeature[];
  /** demonstration spare sites (not a Dataset layer: the spare-sites feature loads it, see build.ts extra_layers) */
  spare_sites: SpareSiteFeature[];
}

/** Build every layer of the default dataset. Pure: same sources + seed ⇒ same output. */
export function generate(src: Sources, seed: number = DEFAULT_SEED): Layers {
  if (STREET_SPECS.map((s) => s.zh).join() !== STREETS.map((s) => s.zh).join()) {
    throw new Error('generate: STREET_SPECS must list the 2020 streets of types.ts in order');
  }
  const jb = src.boundary.features[0]!.geometry;
  const poly = jb.type === 'Polygon' ? jb.coordinates : jb.coordinates[0]!;
  const outer = poly[0]!.map((p) => [p[0]!, p[1]!] as P);
  const holes = poly.slice(1).map((r) => r.map((p) => [p[0]!, p[1]!] as P));
  const ctx: Ctx = {
    rng: makeRng(seed),
    source: `geodata/generate.ts (seed ${seed})`,
    outer,
    holes,
    boundary: [...outer, ...holes.flat()],
  };
  const net = buildNetwork(ctx);
  const { placed, removed } = placeCommunities(ctx, net);
  const kept = largestComponent(net.edges.filter((e) => !removed.has(`${e.line}:${Math.floor(e.order)}`)));
  const roads = roadsFromEdges(ctx, kept);
  const walkSegs: Seg[] = kept.map((e) => ({ a: e.a.p, b: e.b.p, name: e.name, major: e.cls === 'primary' || e.cls === 'secondary' }));
  addGates(ctx, placed, walkSegs);

  // community ids in street order, then nearest the street's centre first
  const props = communityAttributes(ctx, placed, src.committees);
  const communities: CommunityFeature[] = [];
  const gates: GateFeature[] = [];
  placed.forEach((pl, k) => {
    const id = `C${String(k + 1).padStart(3, '0')}`;
    const p = props[k]!;
    p.id = id;
    const ring = [...pl.ring, pl.ring[0]!];
    communities.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: p });
    pl.gates.forEach((g, gi) => {
      gates.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: g },
        properties: { id: `${id}-G${gi + 1}`, community_id: id, ...synth(ctx) },
      });
    });
  });

  const facilities = [
    ...osmFacilities(ctx, src.schools, 'school'),
    ...osmFacilities(ctx, src.hospitals, 'hospital'),
    ...osmFacilities(ctx, src.commercial, 'commercial'),
    ...generatedFacilities(ctx, placed, walkSegs),
  ];
  // service levels (dense old cores, clustered gaps) from a stream of their own, so adding them
  // leaves every layer above unchanged
  facilities.push(...fillServices(ctx, makeRng((seed + 0x5e41ce) >>> 0), placed, walkSegs, facilities));

  return {
    districts: districtLayer(src),
    barriers: barrierLayer(ctx),
    roads,
    communities,
    gates,
    facilities,
    metro: metroLayer(src, outer),
    // spare sites from a stream of their own, so adding them leaves every layer above unchanged
    spare_sites: spareSiteLayer(makeRng((seed + 0x5a7e51) >>> 0), `${ctx.source}: spare sites`, communities, gates),
  };
}
