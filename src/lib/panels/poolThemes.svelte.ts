/**
 * Map themes of the project-pool modes: communities coloured by total score (class breaks), by batch year
 * or pool, and by workflow stage. All read the pool state's $derived values, so the map follows every edit.
 */
import { app } from '../state/app.svelte';
import { pool } from '../state/pool.svelte';
import { t } from '../i18n';
import { BATCH_COLORS, INELIGIBLE_COLOR, POOL_COLORS, SCORE_CLASSES, STAGE_COLORS, classOf } from '../map/colors';
import type { Theme } from '../map/theme';
import { POOLS, SIDE_STATES, STAGES } from '../domain/types';
import { SIDE_STATE_INFO, STAGE_INFO } from '../analysis/workflow';
import { coverage } from '../state/coverage.svelte';
import { bundles } from '../state/bundles.svelte';
import type { ScoreContext } from '../analysis/score';
import { classMixTheme, investmentTheme } from './contentThemes.svelte';
import { stewardship } from '../state/stewardship.svelte';
import { REWARD_CLASSES } from '../analysis/stewardship';
import { REWARD_COLORS } from '../map/colors';
import { poolView } from './poolView.svelte';

/**
 * Analysis results the rubric reads: SC07 (contiguous renovation) from the bundle plan, once one exists
 * (size of the community's bundle and its households; 1 when not in a bundle), and SC08 (facility gaps) from the
 * life-circle coverage analysis, once it has run (share of mandatory categories lacking). Read inside the
 * pool's $derived scores, so scores update when either analysis changes.
 */
pool.setContextSource((id) => {
  const ctx: Omit<ScoreContext, 'vote'> = {};
  const r = coverage.result;
  if (r) {
    const c = coverage.byId.get(id);
    const mandatory = new Set(r.rules.filter((x) => x.mandatory).map((x) => x.category)).size;
    if (c && mandatory > 0) ctx.mandatoryGapShare = c.lacking.length / mandatory;
  }
  const plan = bundles.plan;
  if (plan) {
    const bid = bundles.bundleOf.get(id);
    const b = bid ? plan.bundles.find((x) => x.id === bid) : undefined;
    ctx.inBundleOfSize = b ? b.members.length : 1;
    if (b) ctx.bundleHouseholds = b.members.reduce((s, m) => s + (pool.recordById.get(m)?.households ?? 0), 0);
  }
  return ctx;
});

export function scoreTheme(): Theme {
  const colorOf: Record<string, string> = {};
  for (const s of pool.scores) colorOf[s.id] = s.eligible ? SCORE_CLASSES.colors[classOf(s.total, SCORE_CLASSES)] : INELIGIBLE_COLOR;
  const b = SCORE_CLASSES.breaks;
  const labels = [`≤ ${b[0]}`, ...b.slice(1).map((hi, i) => `${b[i]}–${hi}`), `> ${b.at(-1)}`];
  return {
    key: 'pool:score',
    title: t('scoring.legend', { rubric: pool.rubric.name[app.lang] }),
    note: SCORE_CLASSES.source,
    entries: [...labels.map((label, i) => ({ label, color: SCORE_CLASSES.colors[i] })), { label: t('scoring.ineligible'), color: INELIGIBLE_COLOR }],
    colorOf,
  };
}

export { poolView };

export function batchTheme(): Theme {
  if (poolView.colorBy === 'investment') return investmentTheme();
  if (poolView.colorBy === 'classmix') return classMixTheme();
  const colorOf: Record<string, string> = {};
  if (poolView.colorBy === 'pool') {
    for (const p of pool.records) colorOf[p.id] = POOL_COLORS[p.pool];
    return {
      key: 'pool:pool',
      title: t('pool.pool'),
      entries: POOLS.map((p) => ({ label: p, color: POOL_COLORS[p] })),
      colorOf,
    };
  }
  for (const p of pool.records) colorOf[p.id] = BATCH_COLORS[p.batch_year === null ? 'none' : String(p.batch_year)];
  return {
    key: 'pool:batch',
    title: t('pool.batch'),
    entries: ['2020', '2021', '2022', 'none'].map((k) => ({ label: k === 'none' ? t('pool.none') : k, color: BATCH_COLORS[k] })),
    colorOf,
  };
}

export const workflowView = $state({ colorBy: 'stage' as 'stage' | 'evaluation' });

/** Workflow mode: communities by post-evaluation class (rule in force); not evaluated / incomplete apart. */
export function evaluationTheme(): Theme {
  const colorOf: Record<string, string> = {};
  for (const p of pool.records) colorOf[p.id] = REWARD_COLORS[stewardship.results[p.id]?.cls ?? 'none'];
  return {
    key: 'pool:evaluation',
    title: t('eval.theme'),
    note: t('eval.themeNote'),
    entries: [...REWARD_CLASSES, 'incomplete' as const, 'none' as const].map((k) => ({ label: t(`eval.class.${k}`), color: REWARD_COLORS[k] })),
    colorOf,
  };
}

export function stageTheme(): Theme {
  if (workflowView.colorBy === 'evaluation') return evaluationTheme();
  const colorOf: Record<string, string> = {};
  for (const p of pool.records) colorOf[p.id] = STAGE_COLORS[p.side_state ?? p.stage];
  const present = new Set(pool.records.map((p) => p.side_state ?? p.stage));
  const all = [...STAGES, ...SIDE_STATES].filter((s) => present.has(s));
  return {
    key: 'pool:stage',
    title: t('wf.legend'),
    note: t('wf.legendNote'),
    entries: all.map((s) => ({
      label: (s in STAGE_INFO ? STAGE_INFO[s as keyof typeof STAGE_INFO] : SIDE_STATE_INFO[s as keyof typeof SIDE_STATE_INFO])[app.lang],
      color: STAGE_COLORS[s],
    })),
    colorOf,
  };
}
