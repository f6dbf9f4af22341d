/** The explore mode's theme: communities coloured by a chosen attribute (street, build year, households). */
import { app } from '../state/app.svelte';
import { t } from '../i18n';
import { BUILD_YEAR_CLASSES, HOUSEHOLD_CLASSES, OTHER_COLOR, STREET_COLORS, classOf, type ClassBreaks } from '../map/colors';
import type { Theme } from '../map/theme';
import { STREETS } from '../domain/types';

function classLabels(c: ClassBreaks, fmt: (lo: number | null, hi: number | null) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= c.breaks.length; i++) out.push(fmt(i === 0 ? null : c.breaks[i - 1], i < c.breaks.length ? c.breaks[i] : null));
  return out;
}

export function streetLabel(zh: string): string {
  if (app.lang === 'zh') return zh;
  return STREETS.find((s) => s.zh === zh)?.en ?? zh;
}

export function exploreTheme(): Theme {
  const records = app.records;
  const colorOf: Record<string, string> = {};
  if (app.colorBy === 'street') {
    const present = [...new Set(records.map((p) => p.street))];
    for (const p of records) colorOf[p.id] = STREET_COLORS[p.street] ?? OTHER_COLOR;
    return {
      key: 'explore:street',
      title: t('colorBy.street'),
      entries: present.map((s) => ({ label: streetLabel(s), color: STREET_COLORS[s] ?? OTHER_COLOR })),
      colorOf,
    };
  }
  const classes = app.colorBy === 'build_year' ? BUILD_YEAR_CLASSES : HOUSEHOLD_CLASSES;
  const field = app.colorBy === 'build_year' ? 'build_year' : 'households';
  // an unknown build year is not a class: it gets the neutral colour and its own legend entry
  let unknown = false;
  for (const p of records) {
    const v = p[field];
    if (v === null) unknown = true;
    colorOf[p.id] = v === null ? OTHER_COLOR : classes.colors[classOf(v, classes)];
  }
  const labels =
    app.colorBy === 'build_year'
      ? classLabels(classes, (lo, hi) => (lo === null ? `≤ ${hi}` : hi === null ? `> ${lo}` : `${lo + 1}–${hi}`))
      : classLabels(classes, (lo, hi) => (lo === null ? `≤ ${hi}` : hi === null ? `> ${lo}` : `${lo + 1}–${hi}`));
  return {
    key: `explore:${app.colorBy}`,
    title: t(`colorBy.${app.colorBy}`),
    note: classes.source,
    entries: [...labels.map((label, i) => ({ label, color: classes.colors[i] })), ...(unknown ? [{ label: t('val.unknown'), color: OTHER_COLOR }] : [])],
    colorOf,
  };
}
