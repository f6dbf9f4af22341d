/**
 * The one typed app state. Feature slices live in their own `<feature>.svelte.ts` modules and read
 * this one; anything computable from it is `$derived`, never stored twice.
 *
 * Big FeatureCollections are `$state.raw`: they are replaced, never mutated in place.
 */
import type { Map as MLMap } from 'maplibre-gl';
import type { Theme } from '../map/theme';
import type { CommunityProps, Dataset, FacilityCategoryCode, Manifest } from '../domain/types';
import { districtHouseholdSize, FALLBACK_HOUSEHOLD_SIZE } from '../analysis/population';

export type Lang = 'zh' | 'en';
export type ColorBy = 'street' | 'build_year' | 'households';

export interface DatasetInfo {
  /** true while any shown community record is generated demonstration data */
  synthetic: boolean;
  /** where the data came from: "演示数据 (geodata/build.ts, seed 20200)" or an imported file name */
  source: string;
}

export function emptyDataset(): Dataset {
  return { communities: [], gates: [], facilities: [], metro: [], roads: [], barriers: [], districts: [] };
}

export interface Totals {
  communities: number;
  households: number;
  buildings: number;
  floor_area_m2: number;
  residents: number;
}

export function sumTotals(records: readonly CommunityProps[]): Totals {
  const t: Totals = { communities: records.length, households: 0, buildings: 0, floor_area_m2: 0, residents: 0 };
  for (const p of records) {
    t.households += p.households;
    t.buildings += p.buildings;
    t.floor_area_m2 += p.floor_area_m2;
    t.residents += p.residents;
  }
  return t;
}

class AppState {
  /** the loaded dataset (demonstration or imported) */
  dataset = $state.raw<Dataset>(emptyDataset());
  manifest = $state.raw<Manifest | null>(null);
  /** the dataset as loaded from the published data, before any import (provenance: which layers were imported) */
  original = $state.raw<Dataset | null>(null);
  datasetInfo = $state.raw<DatasetInfo>({ synthetic: true, source: '' });
  loading = $state(true);
  loadError = $state<string | null>(null);

  lang = $state<Lang>('zh');
  /** active side-panel mode id (see panels/modes.ts) */
  mode = $state('explore');
  /**
   * the active mode's theme function once its module is loaded (App.svelte loads it with the mode; null: the
   * explore colouring). Until a new mode's theme arrives the previous one stays.
   */
  modeTheme = $state.raw<(() => Theme | null) | null>(null);
  selectedId = $state<string | null>(null);
  /** a clicked facility or metro station (shown in the explore panel with its source) */
  selectedPoint = $state<{ kind: 'facility' | 'metro'; id: string } | null>(null);
  hoverId = $state<string | null>(null);
  /** communities outlined on the map because a headline sentence or a search result speaks of them */
  highlightIds = $state.raw<string[]>([]);
  /** the analysis mode in which the user asked to see every facility category despite the mode's focus */
  showAllFacilitiesIn = $state<string | null>(null);
  colorBy = $state<ColorBy>('street');
  /** facility categories switched off in the legend */
  hiddenCategories = $state<FacilityCategoryCode[]>([]);
  onlineBasemap = $state(false);
  /** the MapLibre map once created */
  map = $state.raw<MLMap | undefined>(undefined);

  /**
   * The user's edits to community records (attributes, stage, pool, batch) are kept by the pool slice as
   * an overlay over the dataset; it installs this provider so that everything reading `records` sees the
   * edited values. Without it, records are the dataset's own properties.
   */
  recordsProvider = $state.raw<(() => CommunityProps[]) | null>(null);
  /** community records as the user has edited them, in dataset order */
  records = $derived(this.recordsProvider ? this.recordsProvider() : this.dataset.communities.map((c) => c.properties));
  recordById = $derived(new Map(this.records.map((p) => [p.id, p])));
  totals = $derived(sumTotals(this.records));
  communityById = $derived(new Map(this.dataset.communities.map((c) => [c.properties.id, c])));
  selected = $derived(this.selectedId ? (this.communityById.get(this.selectedId) ?? null) : null);
  /** persons per household for estimating missing residents: the user's value, else the district's own ratio (an assumption either way) */
  householdSizeOverride = $state<number | null>(null);
  householdSizeDefault = $derived(districtHouseholdSize(this.records) ?? FALLBACK_HOUSEHOLD_SIZE);
  householdSize = $derived(this.householdSizeOverride ?? this.householdSizeDefault);

  /** Replace the whole dataset (after loading or a confirmed import). The previous one is not mutated. */
  setDataset(dataset: Dataset, info: DatasetInfo, manifest?: Manifest | null) {
    this.dataset = dataset;
    this.datasetInfo = info;
    if (manifest !== undefined) {
      // a load from the published data (not an import): the reference for "imported" layers
      this.manifest = manifest;
      this.original = dataset;
    }
    if (this.selectedId && !dataset.communities.some((c) => c.properties.id === this.selectedId)) this.selectedId = null;
  }

  toggleCategory(code: FacilityCategoryCode) {
    this.hiddenCategories = this.hiddenCategories.includes(code)
      ? this.hiddenCategories.filter((c) => c !== code)
      : [...this.hiddenCategories, code];
  }
}

export const app = new AppState();
