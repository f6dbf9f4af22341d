/**
 * The presentation header's key figures. Nothing is computed here that another module owns: totals
 * come from the app state (sums of the loaded data), life-circle completeness from the coverage
 * feature, bundles from the bundling feature, progress from the project pool (or, without it, from
 * the dataset's own stage attribute). A figure whose feature is not there is shown as "—" with a note.
 */
import type { Lang } from './trace';

export interface FigureInputs {
  totals: { communities: number; households: number; floor_area_m2: number };
  /** share (0..1) of communities whose life circle is complete, from the coverage feature */
  lifeCircle: { communityShare: number; residentShare: number | null; standard: string } | null;
  /** number of bundles and communities in them, from the bundling feature */
  bundles: { count: number; communities: number } | null;
  /** progress against the end-2022 target (number of communities) */
  progress: { started: number; completed: number; target: number; source: 'pool' } | null;
}

export type FigureId = 'communities' | 'households' | 'floorArea' | 'lifeCircle' | 'bundles' | 'progress';

export interface Figure {
  id: FigureId;
  /** the big number as shown; "—" when not available */
  value: string;
  /** a small line under it (unit detail, or why it is missing) */
  detail: string;
  available: boolean;
}

const T = {
  zh: {
    wan: '万',
    m2: '万 m²',
    residents: (s: string) => `按人口 ${s}`,
    inBundles: (n: number) => `含 ${n} 个小区`,
    progress: (c: number, s: number, t: number) => `已完工 ${c} / 目标 ${t}(已开工 ${s})`,
    noCoverage: '未运行生活圈分析',
    noBundles: '尚未生成连片片区',
    noProgress: '无进度数据',
  },
  en: {
    wan: '',
    m2: 'm²',
    residents: (s: string) => `${s} of residents`,
    inBundles: (n: number) => `${n} communities`,
    progress: (c: number, s: number, t: number) => `completed ${c} of ${t} target (${s} started)`,
    noCoverage: 'life-circle analysis not run',
    noBundles: 'no bundles generated yet',
    noProgress: 'no progress data',
  },
} as const;

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

function fmt(n: number, lang: Lang): string {
  return Math.round(n).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');
}

/** Floor area: 万 m² in Chinese (427 万 m²), millions in English (4.27 million m²). */
function area(m2: number, lang: Lang): string {
  if (lang === 'zh') return `${Math.round(m2 / 1000) / 10}`;
  return `${Math.round(m2 / 10000) / 100} million`;
}

export function keyFigures(x: FigureInputs, lang: Lang): Figure[] {
  const L = T[lang];
  const out: Figure[] = [
    { id: 'communities', value: fmt(x.totals.communities, lang), detail: '', available: true },
    { id: 'households', value: fmt(x.totals.households, lang), detail: '', available: true },
    { id: 'floorArea', value: area(x.totals.floor_area_m2, lang), detail: L.m2, available: true },
  ];
  if (x.lifeCircle) {
    const lc = x.lifeCircle;
    out.push({
      id: 'lifeCircle',
      value: pct(lc.communityShare),
      detail: [lc.residentShare === null ? '' : L.residents(pct(lc.residentShare)), lc.standard].filter(Boolean).join(' · '),
      available: true,
    });
  } else out.push({ id: 'lifeCircle', value: '—', detail: L.noCoverage, available: false });
  if (x.bundles) out.push({ id: 'bundles', value: fmt(x.bundles.count, lang), detail: L.inBundles(x.bundles.communities), available: true });
  else out.push({ id: 'bundles', value: '—', detail: L.noBundles, available: false });
  if (x.progress && x.progress.target > 0) {
    const p = x.progress;
    out.push({
      id: 'progress',
      value: pct(p.completed / p.target),
      detail: L.progress(p.completed, p.started, p.target),
      available: true,
    });
  } else out.push({ id: 'progress', value: '—', detail: L.noProgress, available: false });
  return out;
}
