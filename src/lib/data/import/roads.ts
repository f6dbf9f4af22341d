/**
 * Summary of an imported road network: ways, edges (segments between consecutive vertices), total
 * length (haversine, WGS84 sphere R = 6,371,008.8 m), and connected components over shared vertices
 * (vertices equal to 1e-7°, ≈1 cm, are the same node), with the share of length in the largest one.
 * A walking network in many pieces means the analysis will find no route between them.
 * O(V α(V)) with union-find.
 */
import type { RoadFeature } from '../../domain/types';

export interface RoadSummary {
  ways: number;
  edges: number;
  nodes: number;
  length_km: number;
  components: number;
  largest_component_share: number;
  footway_km: number;
  bridges: number;
}

const R = 6_371_008.8;
export function haversine(a: readonly number[], b: readonly number[]): number {
  const toRad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * toRad;
  const dLon = (b[0] - a[0]) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function summariseRoads(roads: readonly RoadFeature[]): RoadSummary {
  const ids = new Map<string, number>();
  const parent: number[] = [];
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  const node = (p: readonly number[]) => {
    const k = `${Math.round(p[0] * 1e7)},${Math.round(p[1] * 1e7)}`;
    let i = ids.get(k);
    if (i === undefined) {
      i = parent.length;
      parent.push(i);
      ids.set(k, i);
    }
    return i;
  };
  let edges = 0;
  let length = 0;
  let footway = 0;
  let bridges = 0;
  const edgeLen: [number, number][] = [];
  for (const f of roads) {
    const lines = f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates;
    if (f.properties.bridge) bridges++;
    for (const line of lines)
      for (let i = 1; i < line.length; i++) {
        const a = node(line[i - 1]);
        const b = node(line[i]);
        const d = haversine(line[i - 1], line[i]);
        edges++;
        length += d;
        if (f.properties.highway === 'footway' || f.properties.highway === 'path') footway += d;
        const ra = find(a);
        const rb = find(b);
        if (ra !== rb) parent[ra] = rb;
        edgeLen.push([a, d]);
      }
  }
  const compLen = new Map<number, number>();
  for (let i = 0; i < parent.length; i++) if (!compLen.has(find(i))) compLen.set(find(i), 0);
  for (const [a, d] of edgeLen) compLen.set(find(a), compLen.get(find(a))! + d);
  const largest = Math.max(0, ...compLen.values());
  return {
    ways: roads.length,
    edges,
    nodes: parent.length,
    length_km: length / 1000,
    components: compLen.size,
    largest_component_share: length > 0 ? largest / length : 0,
    footway_km: footway / 1000,
    bridges,
  };
}
