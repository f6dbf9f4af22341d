/**
 * Commit step: turn staged imports into a NEW Dataset. The input dataset is never mutated, and a
 * commit with unresolved errors is refused (returns an error, changes nothing), so a cancelled or failed
 * import leaves the project exactly as it was.
 *
 * Modes: 'replace' swaps the whole layer (communities: gates of removed communities go with them);
 * 'replace-categories' (facilities) swaps only the categories present in the import; 'extend' appends,
 * renaming ids that collide with existing ones.
 */
import type { BarrierFeature, CommunityFeature, CommunityProps, Dataset, FacilityFeature, FacilityProps, RoadFeature } from '../../domain/types';
import type { Staged } from './stage';
import type { Message } from './types';

export type CommitMode = 'replace' | 'replace-categories' | 'extend';

export interface UnlocatedRecord {
  kind: 'communities' | 'facilities';
  props: CommunityProps | FacilityProps;
  /** file row, for the list */
  row: number;
}

export type CommitResult =
  | { ok: true; dataset: Dataset; unlocated: UnlocatedRecord[]; added: number; removed: number }
  | { ok: false; error: Message };

function uniqueIds<T extends { properties: { id: string } }>(existing: readonly T[], incoming: T[]): T[] {
  const taken = new Set(existing.map((f) => f.properties.id));
  return incoming.map((f) => {
    let id = f.properties.id;
    for (let n = 2; taken.has(id); n++) id = `${f.properties.id}~${n}`;
    taken.add(id);
    return id === f.properties.id ? f : { ...f, properties: { ...f.properties, id } };
  });
}

export function commitImport(dataset: Dataset, staged: Staged, mode: CommitMode = 'replace'): CommitResult {
  const errors = staged.rows.filter((r) => r.status === 'error').length + staged.notes.filter((n) => n.severity === 'error').length;
  if (errors)
    return { ok: false, error: { zh: `还有 ${errors} 个错误未处理 (修正或跳过这些行)`, en: `${errors} problems are unresolved (fix or skip those rows)` } };
  const features = staged.rows.filter((r) => r.status === 'ok' && r.feature).map((r) => r.feature!);
  const unlocated: UnlocatedRecord[] = staged.rows
    .filter((r) => r.status === 'unlocated' && r.unlocated)
    .map((r) => ({ kind: staged.kind as 'communities' | 'facilities', props: r.unlocated!, row: r.row }));
  if (!features.length && !unlocated.length) return { ok: false, error: { zh: '没有可导入的记录', en: 'nothing to import' } };
  const next: Dataset = { ...dataset };
  let removed = 0;
  switch (staged.kind) {
    case 'communities': {
      const inc = features as CommunityFeature[];
      if (mode === 'extend') next.communities = [...dataset.communities, ...uniqueIds(dataset.communities, inc)];
      else {
        removed = dataset.communities.length;
        next.communities = inc;
        const keep = new Set(inc.map((f) => f.properties.id));
        next.gates = dataset.gates.filter((g) => keep.has(g.properties.community_id));
      }
      break;
    }
    case 'facilities': {
      const inc = features as FacilityFeature[];
      if (mode === 'extend') next.facilities = [...dataset.facilities, ...uniqueIds(dataset.facilities, inc)];
      else if (mode === 'replace-categories') {
        const cats = new Set(inc.map((f) => f.properties.category));
        const kept = dataset.facilities.filter((f) => !cats.has(f.properties.category));
        removed = dataset.facilities.length - kept.length;
        next.facilities = [...kept, ...uniqueIds(kept, inc)];
      } else {
        removed = dataset.facilities.length;
        next.facilities = inc;
      }
      break;
    }
    case 'roads': {
      const inc = features as RoadFeature[];
      if (mode === 'extend') next.roads = [...dataset.roads, ...uniqueIds(dataset.roads, inc)];
      else {
        removed = dataset.roads.length;
        next.roads = inc;
      }
      break;
    }
    case 'spare_sites':
      // spare sites are not a Dataset layer: the app hands them to its sites slice (state/sites.svelte.ts)
      return { ok: false, error: { zh: '存量资源不属于基础数据图层, 请在应用中导入', en: 'spare sites are not a dataset layer; import them in the app' } };
    case 'barriers': {
      const inc = features as BarrierFeature[];
      if (mode === 'extend') next.barriers = [...dataset.barriers, ...uniqueIds(dataset.barriers, inc)];
      else {
        removed = dataset.barriers.length;
        next.barriers = inc;
      }
      break;
    }
  }
  return { ok: true, dataset: next, unlocated, added: features.length, removed };
}

/** Place an unlocated record: returns a NEW dataset with the record added at the given geometry. */
export function placeUnlocated(dataset: Dataset, rec: UnlocatedRecord, geometry: CommunityFeature['geometry'] | FacilityFeature['geometry']): Dataset {
  if (rec.kind === 'communities') {
    if (geometry.type === 'Point') throw new Error('a community needs a polygon boundary');
    const f: CommunityFeature = { type: 'Feature', geometry, properties: rec.props as CommunityProps };
    return { ...dataset, communities: [...dataset.communities, ...uniqueIds(dataset.communities, [f])] };
  }
  if (geometry.type !== 'Point') throw new Error('a facility is placed as a point');
  const f: FacilityFeature = { type: 'Feature', geometry, properties: rec.props as FacilityProps };
  return { ...dataset, facilities: [...dataset.facilities, ...uniqueIds(dataset.facilities, [f])] };
}
