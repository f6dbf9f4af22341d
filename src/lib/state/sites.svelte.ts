/**
 * The 'sites' slice: spare sites (存量资源) the user added on the map or imported, and whether the published
 * demonstration sites (演示数据, public/data/spare_sites.fgb) are in use. The demonstration sites themselves are
 * loaded once from the published data (not persisted); `all` is $derived.
 *
 * Every user edit goes through a method here that replaces state immutably and calls `edited(label)`, so
 * autosave, undo/redo and the project file carry it (schemas.ts checks the data first).
 */
import { app } from './app.svelte';
import { edited, registerSlice } from './persisted';
import { loadSpareSites } from '../data/load';
import type { SpareSiteFeature, SpareSiteProps } from '../domain/spare-sites';

export interface SitesSliceData {
  version: 1;
  /** false after an import replaced the sites: the demonstration sites are then not shown or used */
  useDemo: boolean;
  sites: SpareSiteFeature[];
}

export type NewSite = Omit<SpareSiteProps, 'id' | 'synthetic' | 'source'>;

class SitesState {
  /** demonstration sites of the published data (not persisted) */
  demo = $state.raw<SpareSiteFeature[]>([]);
  loadError = $state<string | null>(null);
  useDemo = $state(true);
  /** sites added or imported by the user (persisted) */
  user = $state.raw<SpareSiteFeature[]>([]);
  /** a map click adds a site (the form's values) */
  adding = $state.raw<NewSite | null>(null);
  selectedId = $state<string | null>(null);

  all = $derived<SpareSiteFeature[]>([...(this.useDemo ? this.demo : []), ...this.user]);
  byId = $derived(new Map(this.all.map((s) => [s.properties.id, s])));
  selected = $derived(this.selectedId ? (this.byId.get(this.selectedId) ?? null) : null);

  private nextId(prefix: string): string {
    const n = this.user.reduce((m, s) => Math.max(m, Number(s.properties.id.slice(prefix.length)) || 0), 0);
    return `${prefix}${n + 1}`;
  }

  addSite(p: NewSite, lon: number, lat: number): string {
    const id = this.nextId('U');
    const f: SpareSiteFeature = { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { ...p, id, synthetic: false, source: 'user' } };
    this.user = [...this.user, f];
    edited(`存量资源: + ${p.name}`);
    return id;
  }

  removeSite(id: string): void {
    const f = this.user.find((s) => s.properties.id === id);
    if (!f) return;
    this.user = this.user.filter((s) => s !== f);
    if (this.selectedId === id) this.selectedId = null;
    edited(`存量资源: − ${f.properties.name}`);
  }

  /** Imported sites: 'extend' adds them (ids made unique), 'replace' makes them the only sites (demonstration sites set aside). */
  importSites(features: readonly SpareSiteFeature[], mode: 'extend' | 'replace', file: string): void {
    const base = mode === 'replace' ? [] : this.user;
    const taken = new Set([...base.map((s) => s.properties.id), ...(mode === 'replace' ? [] : this.demo.map((s) => s.properties.id))]);
    const incoming = features.map((f) => {
      let id = f.properties.id;
      for (let n = 2; taken.has(id); n++) id = `${f.properties.id}~${n}`;
      taken.add(id);
      return id === f.properties.id ? f : { ...f, properties: { ...f.properties, id } };
    });
    this.user = [...base, ...incoming];
    if (mode === 'replace') this.useDemo = false;
    edited(`存量资源: 导入 ${features.length} (${file})`);
  }

  restoreDemo(): void {
    if (this.useDemo) return;
    this.useDemo = true;
    edited('存量资源: 演示数据');
  }

  snapshot(): SitesSliceData {
    return { version: 1, useDemo: this.useDemo, sites: $state.snapshot(this.user) as SpareSiteFeature[] };
  }

  restore(d: SitesSliceData | undefined): void {
    this.useDemo = d?.useDemo ?? true;
    this.user = d?.sites ?? [];
    if (this.selectedId && !this.byId.has(this.selectedId)) this.selectedId = null;
  }
}

export const sites = new SitesState();
registerSlice<SitesSliceData>({ key: 'sites', snapshot: () => sites.snapshot(), restore: (d) => sites.restore(d) });

let loading: Promise<void> | null = null;
/** Load the published demonstration sites once (after the dataset's manifest is known). */
export function ensureDemoSites(): Promise<void> {
  const manifest = app.manifest;
  if (!manifest || loading) return loading ?? Promise.resolve();
  loading = (async () => {
    try {
      sites.demo = await loadSpareSites({ baseUrl: new URL('./data/', document.baseURI).href }, manifest);
    } catch (e) {
      sites.loadError = e instanceof Error ? e.message : String(e);
    }
  })();
  return loading;
}
