/**
 * Worker for the bundle outlines (analysis/hull.ts): the polygon union behind each outline costs tens of
 * milliseconds per bundle (polyclip-ts), so it runs here, off the main thread. The main thread sends the
 * communities and barriers once per dataset, then asks for outlines by member ids.
 *   const api = Comlink.wrap<BundleWorkerApi>(new Worker(new URL('./bundle.worker.ts', import.meta.url), { type: 'module' }));
 */
import * as Comlink from 'comlink';
import type { MultiPolygon, Polygon } from 'geojson';
import type { BarrierFeature, CommunityFeature } from '../domain/types';
import type { AdjacencyEdge } from '../analysis/adjacency';
import { BarrierIndex, localProjection, type LocalProjection } from '../analysis/bundle-geom';
import { bundleHull } from '../analysis/hull';

export interface HullRequest {
  key: string;
  members: string[];
  /** adjacency edges between members (the bridges) */
  edges: AdjacencyEdge[];
}
export interface HullReply {
  key: string;
  geometry: Polygon | MultiPolygon | null;
  polsbyPopper: number;
  error?: string;
}

let byId = new Map<string, CommunityFeature>();
let proj: LocalProjection = localProjection(0, 0);
let bidx: BarrierIndex | null = null;

const api = {
  /** Load the communities and barriers; `centre` is the main thread's projection centre so both agree. */
  setData(communities: CommunityFeature[], barriers: BarrierFeature[], centre: [number, number]): void {
    byId = new Map(communities.map((c) => [c.properties.id, c] as const));
    proj = localProjection(centre[0], centre[1]);
    bidx = new BarrierIndex(
      barriers.map((b) => b.geometry),
      proj,
    );
  },
  hulls(reqs: HullRequest[]): HullReply[] {
    return reqs.map((r) => {
      const fs = r.members.map((m) => byId.get(m)).filter((f): f is CommunityFeature => !!f);
      if (fs.length === 0) return { key: r.key, geometry: null, polsbyPopper: 0, error: 'no member in the loaded data' };
      try {
        const h = bundleHull(fs, r.edges, proj, bidx ? { barrierIndex: bidx } : {});
        return { key: r.key, geometry: h.geometry, polsbyPopper: h.polsbyPopper };
      } catch (e) {
        return { key: r.key, geometry: null, polsbyPopper: 0, error: e instanceof Error ? e.message : String(e) };
      }
    });
  },
};

export type BundleWorkerApi = typeof api;
Comlink.expose(api);
