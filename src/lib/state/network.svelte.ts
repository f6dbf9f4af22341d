/**
 * The 'network' slice (慢行系统, issue 14): the walking network as the user plans it — new links (footpath,
 * crossing, bridge), closed segments — and the near-miss fixes applied to the loaded road layer by the network
 * check. Persisted through the slice registry (schema in schemas.ts), every edit an undo step.
 *
 * What is derived, not stored: the roads the analysis uses (`effectiveRoads`: the dataset's roads with the
 * fixes applied) and the network check of them. The links and closures go to the analysis worker
 * (engine.setNetworkEdits) before every coverage, isochrone or surface request (coverage.svelte.ts
 * `withEngine`); the engine carries its distance fields over to the edited network.
 */
import { edited, registerSlice } from './persisted';
import { t } from '../i18n';
import type { Dataset, RoadFeature } from '../domain/types';
import { snapNearMiss, type NearMiss } from '../analysis/netcheck';
import { EXCLUDED_HIGHWAYS, type RoadLike } from '../analysis/walkgraph';
import { makeProjection, pointSegment, toXY } from '../analysis/localproj';
import type { LinkKind, NetworkClosure, NetworkEdits, NetworkLink } from '../analysis/netedit';
import type { NetworkEditSummary } from '../worker/engine';

export const LINK_KINDS: readonly LinkKind[] = ['footpath', 'crossing', 'bridge'];

export interface NetworkSliceData {
  version: 1;
  links: NetworkLink[];
  closures: NetworkClosure[];
  /** near-miss fixes applied to the loaded roads, in order */
  fixes: NearMiss[];
}

export type NetworkTool = { kind: 'draw'; linkKind: LinkKind; points: [number, number][] } | { kind: 'close' } | null;

class NetworkState {
  links = $state.raw<NetworkLink[]>([]);
  closures = $state.raw<NetworkClosure[]>([]);
  fixes = $state.raw<NearMiss[]>([]);
  /** what a map click does in the coverage mode's network section */
  tool = $state.raw<NetworkTool>(null);
  /** what the engine made of the edits (joins, closures not found); null when there are none */
  summary = $state.raw<NetworkEditSummary | null>(null);
  /** the network check section is open (it is computed only then) */
  checkShown = $state(false);
  /** when the last link or closure was made (performance.now()), until the map has its new colours */
  editedAt: number | null = null;
  /** edit → coverage result on the main thread, ms, for the last link or closure (the browser test prints it) */
  recolourMs = $state<number | null>(null);

  edits = $derived<NetworkEdits>({ links: this.links, closures: this.closures });
  hasEdits = $derived(this.links.length > 0 || this.closures.length > 0);

  private nextId(prefix: string, ids: string[]): string {
    return `${prefix}${ids.reduce((m, id) => Math.max(m, Number(id.slice(prefix.length)) || 0), 0) + 1}`;
  }

  addLink(kind: LinkKind, coords: [number, number][]) {
    if (coords.length < 2) return;
    const id = this.nextId('L', this.links.map((l) => l.id));
    this.links = [...this.links, { id, kind, coords }];
    this.editedAt = performance.now();
    edited(t('network.edit.add', { what: t(`network.kind.${kind}`) }));
  }
  removeLink(id: string) {
    const l = this.links.find((x) => x.id === id);
    if (!l) return;
    this.links = this.links.filter((x) => x.id !== id);
    this.editedAt = performance.now();
    edited(t('network.edit.remove', { what: t(`network.kind.${l.kind}`) }));
  }
  addClosure(a: [number, number], b: [number, number]) {
    const id = this.nextId('C', this.closures.map((c) => c.id));
    this.closures = [...this.closures, { id, a, b }];
    this.editedAt = performance.now();
    edited(t('network.edit.close'));
  }
  removeClosure(id: string) {
    if (!this.closures.some((c) => c.id === id)) return;
    this.closures = this.closures.filter((c) => c.id !== id);
    this.editedAt = performance.now();
    edited(t('network.edit.reopen'));
  }
  clear() {
    if (!this.hasEdits) return;
    this.links = [];
    this.closures = [];
    this.editedAt = performance.now();
    edited(t('network.edit.clear'));
  }
  /** fix a near-miss of the loaded roads by snapping its loose end onto the other line (undoable) */
  fix(miss: NearMiss) {
    this.fixes = [...this.fixes, miss];
    edited(t('netcheck.edit.fix'));
  }

  snapshot(): NetworkSliceData {
    return { version: 1, links: this.links, closures: this.closures, fixes: this.fixes };
  }
  restore(d: NetworkSliceData | undefined) {
    this.tool = null;
    if (!d) {
      this.links = [];
      this.closures = [];
      this.fixes = [];
      return;
    }
    if (d.version !== 1) throw new Error(`network: unknown slice version ${String(d.version)}`);
    this.links = d.links ?? [];
    this.closures = d.closures ?? [];
    this.fixes = d.fixes ?? [];
  }
}

export const network = new NetworkState();
registerSlice<NetworkSliceData>({ key: 'network', snapshot: () => network.snapshot(), restore: (d) => network.restore(d) });

/** The loaded roads with the near-miss fixes applied (cached per dataset roads and fix list). */
let memo: { roads: readonly RoadFeature[]; fixes: readonly NearMiss[]; out: RoadFeature[] } | null = null;
export function effectiveRoads(ds: Dataset): RoadFeature[] {
  const fixes = network.fixes;
  if (memo && memo.roads === ds.roads && memo.fixes === fixes) return memo.out;
  let out = ds.roads as RoadFeature[];
  for (const m of fixes) out = snapNearMiss(out as unknown as RoadLike[], m) as unknown as RoadFeature[];
  memo = { roads: ds.roads, fixes, out };
  return out;
}

/**
 * The road segment (two consecutive vertices of a walkable road) nearest to a clicked point, within `maxM`
 * metres: what "close a segment" closes. Null when no walkable road is that near.
 */
export function segmentAt(roads: readonly RoadFeature[], lon: number, lat: number, maxM: number): { a: [number, number]; b: [number, number]; road: string } | null {
  const proj = makeProjection(lon, lat);
  let best: { a: [number, number]; b: [number, number]; road: string } | null = null;
  let bestD = maxM;
  for (const r of roads) {
    if (!r.geometry || (r.properties.highway && EXCLUDED_HIGHWAYS.has(r.properties.highway))) continue;
    const lines = r.geometry.type === 'LineString' ? [r.geometry.coordinates] : r.geometry.coordinates;
    for (const line of lines)
      for (let i = 0; i + 1 < line.length; i++) {
        const [ax, ay] = toXY(proj, line[i][0], line[i][1]);
        const [bx, by] = toXY(proj, line[i + 1][0], line[i + 1][1]);
        const { d } = pointSegment(0, 0, ax, ay, bx, by);
        if (d < bestD) {
          bestD = d;
          best = { a: [line[i][0], line[i][1]], b: [line[i + 1][0], line[i + 1][1]], road: r.properties.name || String(r.properties.id) };
        }
      }
  }
  return best;
}

/** The link kind's name for people. */
export function linkKindLabel(kind: LinkKind): string {
  return t(`network.kind.${kind}`);
}

