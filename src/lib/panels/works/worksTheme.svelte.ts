/**
 * The coordination mode's map theme: each community coloured by the worst timing of the works that touch it
 * (conflict > unknown > integrated > later; grey when no work touches it), and each work's own worst timing for
 * the works layer. Colours from map/colors.ts (TIMING_COLORS); read reactively from the works state.
 */
import { t } from '../../i18n';
import { TIMING_COLORS } from '../../map/colors';
import type { Theme } from '../../map/theme';
import type { Timing } from '../../analysis/works';
import { works } from '../../state/works.svelte';

export type TimingOrNone = Timing | 'none';
const RANK: Record<TimingOrNone, number> = { conflict: 4, unknown: 3, integrated: 2, later: 1, none: 0 };
export const TIMING_ORDER: TimingOrNone[] = ['conflict', 'unknown', 'integrated', 'later', 'none'];

export function worst(a: TimingOrNone, b: TimingOrNone): TimingOrNone {
  return RANK[b] > RANK[a] ? b : a;
}

/** worst timing per work over the communities it touches ('none' when it touches none) */
export function workTimings(): Map<string, TimingOrNone> {
  const out = new Map<string, TimingOrNone>(works.all.map((w) => [w.id, 'none']));
  for (const x of works.coordination.touches) out.set(x.work, worst(out.get(x.work) ?? 'none', x.timing));
  return out;
}

export function coordinationTheme(): Theme {
  const colorOf: Record<string, string> = {};
  for (const [id, ts] of works.coordination.byCommunity) {
    const w = ts.reduce<TimingOrNone>((a, x) => worst(a, x.timing), 'none');
    colorOf[id] = TIMING_COLORS[w];
  }
  return {
    key: 'works:timing',
    title: t('works.legend'),
    note: t('works.legendNote', { d: works.settings.distanceM, n: works.settings.horizonYears }),
    entries: TIMING_ORDER.map((k) => ({ label: t(`works.timing.${k}`), color: TIMING_COLORS[k] })),
    colorOf,
  };
}
