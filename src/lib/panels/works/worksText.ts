/**
 * Words for the coordination view: a conflict explained in one sentence with names (never ids), work types and
 * statuses in the UI language, a work's period. Used by the panel, the printed table and the XLSX export.
 */
import { t } from '../../i18n';
import { app } from '../../state/app.svelte';
import { DRAWN_SOURCE, works } from '../../state/works.svelte';
import { provenanceLine } from '../../map/provenance';
import { bundleName } from '../../present/tender';
import { yearOf, type Conflict, type WorkRecord } from '../../analysis/works';

export const communityName = (id: string): string => app.communityById.get(id)?.properties.name ?? t('works.unknownCommunity');
export const workName = (id: string): string => works.byId.get(id)?.name ?? t('works.unknownWork');
export const typeName = (w: Pick<WorkRecord, 'type'>): string => t(`works.type.${w.type}`);
export const statusName = (w: Pick<WorkRecord, 'status'>): string => (w.status ? t(`works.status.${w.status}`) : t('works.unknown'));

/** "2023", "2023–2024", or 未知 */
export function periodOf(w: Pick<WorkRecord, 'start' | 'end'>): string {
  const s = yearOf(w.start);
  const e = yearOf(w.end);
  if (s === null) return t('works.unknown');
  return e !== null && e !== s ? `${w.start}–${w.end}` : (w.start ?? '');
}

export const severityName = (s: number): string => t(`works.severity.${s}`);

export function explain(c: Conflict): string {
  if (c.kind === 'dig-up') {
    const w = works.byId.get(c.work);
    return t('works.explain.digUp', {
      work: workName(c.work),
      dept: w?.department ?? '',
      start: c.startYear,
      community: communityName(c.community),
      year: c.renovationYear,
      n: c.yearsAfter,
    });
  }
  return t('works.explain.sameTrench', {
    a: workName(c.work),
    deptA: c.departments[0]!,
    b: workName(c.other),
    deptB: c.departments[1]!,
    d: Math.round(c.distanceM),
    period: c.from === c.to ? String(c.from) : `${c.from}–${c.to}`,
  });
}

/** A bundle as people name it ("片区 3") */
export const bundleLabel = (id: string): string => bundleName(id);

/** Where a work comes from, for people: 演示数据, "imported: <table name>", "drawn on the map". */
export function workSource(w: Pick<WorkRecord, 'synthetic' | 'source'>): string {
  if (w.synthetic) return provenanceLine(true, w.source, app.lang);
  if (w.source === DRAWN_SOURCE) return t('works.drawn');
  return t('works.imported', { name: w.source.replace(/\.[a-z0-9]{2,5}$/i, '') });
}
