/**
 * Accessibility surface: the walking network coloured by walking distance to the nearest facility.
 *
 * What it computes: given per-node walking distances (the multi-source field reach.ts builds for coverage,
 * one per category), the distance at each edge's midpoint — min(dA, dB) + length / 2, the nearest way in from
 * either end — combined over categories by the MAX (for "all mandatory ▲": the farthest category decides
 * whether a street is fully served), and classed by the tier distances in force (GB 50180: 300/500/1000 m,
 * or the user's edited tiers): class i = distance ≤ breaks[i], class breaks.length = beyond, -1 = unreachable.
 * Output: one MultiLineString per class (lon/lat), plus the network length per class.
 *
 * Complexity: O(E · C) for E edges and C categories, after the C searches coverage already does.
 */
import type { Feature, MultiLineString } from 'geojson';
import type { WalkGraph } from './walkgraph';
import { toLonLat } from './localproj';

export interface SurfaceClassProps {
  /** class index (0 = within the first tier … breaks.length = beyond), -1 = unreachable */
  cls: number;
  /** upper bound of the class in metres (null: beyond the last tier, or unreachable) */
  maxM: number | null;
  lengthM: number;
}

export interface Surface {
  breaks: number[];
  features: Feature<MultiLineString, SurfaceClassProps>[];
  /** total network length per class, same order as features */
  lengthM: number[];
}

/** Midpoint distance per edge, the max over the given node fields. Infinity when any field leaves it unreached. */
export function edgeDistances(g: WalkGraph, fields: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(g.edgeCount);
  for (let e = 0; e < g.edgeCount; e++) {
    const a = g.edgeA[e];
    const b = g.edgeB[e];
    const half = g.edgeLen[e] / 2;
    let worst = fields.length === 0 ? Infinity : 0;
    for (const f of fields) {
      const d = Math.min(f[a], f[b]) + half;
      if (d > worst) worst = d;
    }
    out[e] = worst;
  }
  return out;
}

export function classify(d: number, breaks: readonly number[]): number {
  if (!Number.isFinite(d)) return -1;
  for (let i = 0; i < breaks.length; i++) if (d <= breaks[i]) return i;
  return breaks.length;
}

export function accessSurface(g: WalkGraph, fields: readonly Float64Array[], breaks: readonly number[]): Surface {
  const ed = edgeDistances(g, fields);
  const n = breaks.length + 2; // tiers, beyond, unreachable (last)
  const lines: [number, number][][][] = Array.from({ length: n }, () => []);
  const len = new Array<number>(n).fill(0);
  const ll = (node: number) => toLonLat(g.proj, g.nodeX[node], g.nodeY[node]) as [number, number];
  for (let e = 0; e < g.edgeCount; e++) {
    const c = classify(ed[e], breaks);
    const k = c < 0 ? n - 1 : c;
    lines[k].push([ll(g.edgeA[e]), ll(g.edgeB[e])]);
    len[k] += g.edgeLen[e];
  }
  const features = lines.map((coords, k): Feature<MultiLineString, SurfaceClassProps> => {
    const cls = k === n - 1 ? -1 : k;
    return {
      type: 'Feature',
      geometry: { type: 'MultiLineString', coordinates: coords },
      properties: { cls, maxM: cls >= 0 && cls < breaks.length ? breaks[cls] : null, lengthM: Math.round(len[k]) },
    };
  });
  return { breaks: [...breaks], features, lengthM: len.map((x) => Math.round(x)) };
}
