/**
 * The coordination tables as plain rows, in the UI language, for the XLSX export and the printed sheet: one row
 * per department (协调小组), one per conflict (explained), one per work. Cells go through data/export/cells.ts
 * (formula neutralisation) in the writer.
 */
import { t } from '../../i18n';
import { works } from '../../state/works.svelte';
import { communityName, explain, periodOf, severityName, statusName, typeName, workSource } from './worksText';
import type { TableSheet } from '../../data/export';

const unknown = () => t('works.unknown');

export function departmentRows(): Record<string, unknown>[] {
  return works.departments.map((d) => ({
    [t('works.col.department')]: d.department,
    [t('works.col.works')]: d.works,
    [t('works.col.budget')]: d.budgetUnknown === d.works ? unknown() : d.budgetWan,
    [t('works.col.budgetUnknown')]: d.budgetUnknown,
    [t('works.col.communities')]: d.communities,
    [t('works.col.integrated')]: d.integrated,
    [t('works.col.digUps')]: d.digUps,
    [t('works.col.sameTrench')]: d.sameTrench,
    [t('works.col.unknownTiming')]: d.unknown,
    [t('works.col.period')]: d.from === null ? unknown() : d.from === d.to ? String(d.from) : `${d.from}–${d.to}`,
  }));
}

export function conflictRows(): Record<string, unknown>[] {
  return works.conflicts.map((c) => ({
    [t('works.col.severity')]: severityName(c.severity),
    [t('works.col.kind')]: t(`works.kind.${c.kind}`),
    [t('works.col.department')]: c.departments.join('、'),
    [t('works.col.explanation')]: explain(c),
  }));
}

export function workRows(): Record<string, unknown>[] {
  return works.all.map((w) => ({
    [t('works.col.name')]: w.name,
    [t('works.col.department')]: w.department,
    [t('works.col.type')]: typeName(w),
    [t('works.col.period')]: periodOf(w),
    [t('works.col.status')]: statusName(w),
    [t('works.col.budget')]: w.budgetWan ?? unknown(),
    [t('works.col.communities')]: [...new Set(works.coordination.touches.filter((x) => x.work === w.id).map((x) => communityName(x.community)))].join('、'),
    [t('works.col.source')]: workSource(w),
    synthetic: w.synthetic,
  }));
}

export function coordinationTables(): TableSheet[] {
  const wr = workRows();
  return [
    { name: t('works.sheet.departments'), rows: departmentRows() },
    { name: t('works.sheet.conflicts'), rows: conflictRows() },
    { name: t('works.sheet.works'), rows: wr, columns: Object.keys(wr[0] ?? {}).filter((k) => k !== 'synthetic') },
  ];
}
