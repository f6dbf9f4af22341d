/**
 * Accessibility surface: the walking network coloured by walking distance to the nearest facility.
 *
 * What it computes: given per-node walking distances (the multi-source field reach.ts builds for coverage,
 * one per category), the distance at each edge's midpoint — min(dA, dB) + length / 2, the nearest way in from
 * either end — combined over categories by the MAX (for "all mandatory ▲": the farthest category decides
 * whether a street is fully served), and classed by the tier distances in force (GB 50180: 300/500/1000 m,
 * or the user's edited tiers): class i = distance ≤ breaks[i], class breaks.length = beyond, -1 = unreachable.
 * Output: one class per edge (a typed array: it crosses the worker boundary by transfer), plus the network
 * length per class. The lines themselves (surfaceLines) change only with the graph, so the map keeps them and
 * recolours the edges whose class changed (map/layers/AccessSurfaceLayer.svelte).
 *
 * On an edited network (a footbridge, a closed segment: netedit.ts) the classes can be given in the numbering
 * of the loaded graph instead (`surfaceOnBase`): each kept edge its class, a closed or split edge HIDDEN, and the
 * added edges (split pieces, new links) apart with their own lines. The map then keeps the loaded network's lines
 * and recolours them, and draws only the few added edges anew.
 *
 * Complexity: O(E · C) for E edges and C categories, after the C searches coverage already does.
 */
import type { WalkGraph } from './walkgraph';
import type { EditedNetwork } from './netedit';
import { toLonLat } from './localproj';

export interface Surface {
  breaks: number[];
  /** per edge of the graph it was computed on: its class (0 … breaks.length = beyond), -1 = unreachable */
  cls: Int8Array;
  /** total network length per class: classes 0 … breaks.length, then unreachable (last) */
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
  const cls = new Int8Array(g.edgeCount);
  const len = new Array<number>(n).fill(0);
  for (let e = 0; e < g.edgeCount; e++) {
    const c = classify(ed[e], breaks);
    cls[e] = c;
    len[c < 0 ? n - 1 : c] += g.edgeLen[e];
  }
  return { breaks: [...breaks], cls, lengthM: len.map((x) => Math.round(x)) };
}

/** The edges as lines, lon/lat: edge e is [4e, 4e + 1] → [4e + 2, 4e + 3]. Same numbering as Surface.cls. */
export function surfaceLines(g: WalkGraph): Float64Array {
  const out = new Float64Array(4 * g.edgeCount);
  const node = new Float64Array(2 * g.nodeCount);
  for (let v = 0; v < g.nodeCount; v++) {
    const [lon, lat] = toLonLat(g.proj, g.nodeX[v], g.nodeY[v]);
    node[2 * v] = lon;
    node[2 * v + 1] = lat;
  }
  for (let e = 0; e < g.edgeCount; e++) {
    const a = g.edgeA[e];
    const b = g.edgeB[e];
    out[4 * e] = node[2 * a];
    out[4 * e + 1] = node[2 * a + 1];
    out[4 * e + 2] = node[2 * b];
    out[4 * e + 3] = node[2 * b + 1];
  }
  return out;
}

/** The class of a loaded-graph edge that the edited network no longer has (closed, or split into pieces). */
export const HIDDEN = -2;

/** A surface of an edited network in the loaded graph's numbering, plus the edges the edit added. */
export interface SurfaceOnBase {
  /** per edge of the loaded graph: the class of the same edge in the edited network, or HIDDEN */
  cls: Int8Array;
  /** the added edges as lines (4 values each, as surfaceLines) and their classes */
  extra: { lines: Float64Array; cls: Int8Array };
}

/** `s`, computed on `edited.graph`, in the numbering of the graph the edits were applied to (see above). */
export function surfaceOnBase(edited: EditedNetwork, s: Surface): SurfaceOnBase {
  const { edgeMap, added } = edited.delta;
  const g = edited.graph;
  const cls = new Int8Array(edgeMap.length);
  for (let e = 0; e < edgeMap.length; e++) cls[e] = edgeMap[e] < 0 ? HIDDEN : s.cls[edgeMap[e]];
  const lines = new Float64Array(4 * added.length);
  const extraCls = new Int8Array(added.length);
  added.forEach((e, i) => {
    const a = toLonLat(g.proj, g.nodeX[g.edgeA[e]], g.nodeY[g.edgeA[e]]);
    const b = toLonLat(g.proj, g.nodeX[g.edgeB[e]], g.nodeY[g.edgeB[e]]);
    lines.set([a[0], a[1], b[0], b[1]], 4 * i);
    extraCls[i] = s.cls[e];
  });
  return { cls, extra: { lines, cls: extraCls } };
}
