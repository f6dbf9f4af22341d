/**
 * Demonstration spare sites (存量资源, 演示数据): idle rooms (闲置用房) inside communities and spare plots
 * (空地/闲置地/边角地) at their edges, with area, owner and kind. No public source lists them, so they are
 * generated: a seeded stream of their own (leaving every other layer unchanged), one pass over the
 * communities in id order. Idle rooms sit a third of the way from a gate to the community's centre; plots
 * 25–45 m outside a corner. Areas follow the sizes such rooms and plots have in old estates (tens to a few
 * hundred m² of floor; a few hundred to several thousand m² of land); every ninth site has an unknown area and
 * some an unknown owner, so the app's "unknown" paths are exercised. Complexity O(C) for C communities.
 */
import type { CommunityFeature, GateFeature } from '../../src/lib/domain/types.ts';
import type { SpareSiteFeature, SpareSiteKind } from '../../src/lib/domain/spare-sites.ts';
import type { Rng } from './rng.ts';
import { type P, lerp, roundP, toLL, toM } from './geo.ts';

const OWNERS = ['街道办事处', '社区居委会', '区国资公司', '原产权单位', '物业服务企业', '区住建局', '区教育局'];
const PLOT_KINDS: SpareSiteKind[] = ['vacant_land', 'idle_land', 'corner_land'];
const KIND_ZH: Record<SpareSiteKind, string> = { idle_room: '闲置用房', vacant_land: '空地', idle_land: '闲置地', corner_land: '边角地' };

export function spareSiteLayer(rng: Rng, source: string, communities: readonly CommunityFeature[], gates: readonly GateFeature[]): SpareSiteFeature[] {
  const out: SpareSiteFeature[] = [];
  const add = (kind: SpareSiteKind, at: P, area: number | null, owner: string | null, c: CommunityFeature) => {
    const n = out.length + 1;
    out.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: roundP(at) },
      properties: {
        id: `S${String(n).padStart(3, '0')}`,
        name: `${c.properties.name}${KIND_ZH[kind]}`,
        kind,
        area_m2: area,
        owner,
        community_id: c.properties.id,
        synthetic: true,
        source,
      },
    });
  };
  for (const c of communities) {
    const ring = (c.geometry.type === 'Polygon' ? c.geometry.coordinates[0] : c.geometry.coordinates[0]![0])!.slice(0, -1) as P[];
    const centre = ring.reduce<P>((s, p) => [s[0] + p[0] / ring.length, s[1] + p[1] / ring.length], [0, 0]);
    const gate = gates.find((g) => g.properties.community_id === c.properties.id);
    // every ninth site has an unknown area and about one in ten an unknown owner; the first site always has
    // both (FlatGeobuf takes each column's type from feature 0)
    const unknownArea = () => (out.length + 1) % 9 === 0;
    const unknownOwner = out.length > 0 && rng.chance(0.1);
    if (gate && rng.chance(0.5)) {
      const at = lerp(gate.geometry.coordinates, centre, 0.33);
      const floor = Math.round(Math.exp(rng.range(Math.log(60), Math.log(900))) / 10) * 10;
      add('idle_room', at, unknownArea() ? null : floor, unknownOwner ? null : rng.pick(OWNERS), c);
    }
    if (rng.chance(0.3)) {
      const corner = toM(ring[rng.int(0, ring.length - 1)]!);
      const m = toM(centre);
      const dx = corner[0] - m[0];
      const dy = corner[1] - m[1];
      const len = Math.hypot(dx, dy) || 1;
      const off = rng.range(25, 45);
      const at = toLL([corner[0] + (dx / len) * off, corner[1] + (dy / len) * off]);
      // mostly small plots; about one in five large enough for a kindergarten (≥ 3,500 m² of land)
      const land = rng.chance(0.2) ? Math.round(rng.range(3500, 6500) / 50) * 50 : Math.round(Math.exp(rng.range(Math.log(150), Math.log(3000))) / 10) * 10;
      add(rng.pick(PLOT_KINDS), at, unknownArea() ? null : land, rng.chance(0.1) ? null : rng.pick(OWNERS), c);
    }
  }
  return out;
}
