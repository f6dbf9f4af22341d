/**
 * Headline first (issue 10): each mode opens its panel with 2–4 plain sentences computed from the current
 * state, each naming the communities it speaks of (a click outlines them on the map and flies there).
 * Everything here is read inside the Headline component's $derived, so sentences follow every edit.
 */
import { app } from '../state/app.svelte';
import { t, fmtInt } from '../i18n';
import { coverage, categoryLabel } from '../state/coverage.svelte';
import { pool } from '../state/pool.svelte';
import { bundles } from '../state/bundles.svelte';
import { checkVote } from '../analysis/consent';
import { latestVote } from '../analysis/workflow';
import { STAGES } from '../domain/types';
import { STAGE_INFO } from '../analysis/workflow';
import { populationStatus } from '../analysis/population';
import { streetLabel } from './exploreTheme';
import { reasonFor } from './bundleReason';

export interface Sentence {
  key: string;
  text: string;
  /** the communities the sentence speaks of (empty: nothing to show on the map) */
  ids: string[];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const names = (ids: readonly string[], n = 3) => ids.slice(0, n).map((id) => app.recordById.get(id)?.name ?? id).join('、');

export function exploreHeadline(): Sentence[] {
  const recs = app.records;
  const old = recs.filter((p) => p.build_year !== null && p.build_year <= 1990).map((p) => p.id);
  const byStreet = new Map<string, string[]>();
  for (const p of recs) byStreet.set(p.street, [...(byStreet.get(p.street) ?? []), p.id]);
  const [topStreet, topIds] = [...byStreet].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
  const out: Sentence[] = [
    { key: 'total', text: t('hl.explore.total', { n: recs.length, h: fmtInt(app.totals.households), streets: byStreet.size }), ids: recs.map((p) => p.id) },
  ];
  if (old.length) out.push({ key: 'old', text: t('hl.explore.old', { n: old.length }), ids: old });
  if (topStreet) out.push({ key: 'street', text: t('hl.explore.street', { street: streetLabel(topStreet), n: topIds.length }), ids: topIds });
  const pop = populationStatus(recs, app.householdSize);
  if (pop.estimated.length) out.push({ key: 'pop', text: t('pop.estimatedCount', { n: pop.estimated.length, size: app.householdSize }), ids: pop.estimated });
  if (pop.missing.length) out.push({ key: 'nopop', text: t('pop.missingCount', { n: pop.missing.length }), ids: pop.missing });
  return out.slice(0, 4);
}

export function coverageHeadline(): Sentence[] {
  const r = coverage.result;
  if (!r) return [];
  const lacking = r.communities.filter((c) => c.lacking.length > 0);
  const worst = r.figures.perCategory
    .filter((f) => f.mandatory)
    .sort((a, b) => a.communityShare - b.communityShare)
    .slice(0, 2)
    .map((f) => t('hl.coverage.cat', { cat: categoryLabel(f.category), p: pct(f.communityShare) }))
    .join('、');
  const out: Sentence[] = [
    { key: 'lacking', text: t('hl.coverage.lacking', { n: lacking.length, worst }), ids: lacking.map((c) => c.id) },
  ];
  const residentsLacking = lacking.reduce((s, c) => s + c.residents, 0);
  out.push({ key: 'residents', text: t('hl.coverage.residents', { r: fmtInt(residentsLacking), p: pct(1 - r.figures.residentShare) }), ids: lacking.map((c) => c.id) });
  if (coverage.colorBy !== 'lacking') {
    const k = r.rules.findIndex((x) => x.category === coverage.colorBy);
    if (k >= 0) {
      const unmet = r.communities.filter((c) => !c.byCategory[k].met);
      out.push({ key: 'cat', text: t('hl.coverage.one', { n: unmet.length, cat: categoryLabel(coverage.colorBy), m: r.rules[k].threshold }), ids: unmet.map((c) => c.id) });
    }
  }
  const base = coverage.baseline;
  if (base && coverage.proposals.length > 0 && base !== r) {
    const before = new Set(base.communities.filter((c) => c.complete).map((c) => c.id));
    const gained = r.communities.filter((c) => c.complete && !before.has(c.id)).map((c) => c.id);
    const fewer = r.communities.filter((c, i) => c.lacking.length < (base.communities[i]?.lacking.length ?? 0)).map((c) => c.id);
    out.push({ key: 'whatif', text: t('hl.coverage.whatif', { p: coverage.proposals.length, n: fewer.length, c: gained.length }), ids: fewer });
  }
  return out.slice(0, 4);
}

export function scoringHeadline(): Sentence[] {
  const eligible = pool.ranking.filter((r) => pool.scores.find((s) => s.id === r.id)?.eligible);
  const ineligible = pool.scores.filter((s) => !s.eligible).map((s) => s.id);
  const top = eligible.slice(0, 3).map((r) => r.id);
  const out: Sentence[] = [{ key: 'eligible', text: t('hl.scoring.eligible', { n: eligible.length, m: ineligible.length }), ids: eligible.map((r) => r.id) }];
  if (top.length) out.push({ key: 'top', text: t('hl.scoring.top', { names: names(top) }), ids: top });
  if (ineligible.length) out.push({ key: 'ineligible', text: t('hl.scoring.ineligible', { n: ineligible.length, names: names(ineligible) }), ids: ineligible });
  const missing = pool.scores.filter((s) => s.missing.length > 0).map((s) => s.id);
  if (missing.length) out.push({ key: 'missing', text: t('hl.scoring.missing', { n: missing.length }), ids: missing });
  return out.slice(0, 4);
}

export function poolHeadline(): Sentence[] {
  const recs = pool.records;
  const by = (y: number) => recs.filter((p) => p.batch_year === y).map((p) => p.id);
  const none = recs.filter((p) => p.batch_year === null).map((p) => p.id);
  const out: Sentence[] = [];
  for (const y of [2020, 2021, 2022]) {
    const ids = by(y);
    if (ids.length) out.push({ key: `b${y}`, text: t('hl.pool.batch', { y, n: ids.length, h: fmtInt(ids.reduce((s, id) => s + (pool.recordById.get(id)?.households ?? 0), 0)) }), ids });
  }
  if (none.length) out.push({ key: 'none', text: t('hl.pool.none', { n: none.length }), ids: none });
  return out.slice(0, 4);
}

export function workflowHeadline(): Sentence[] {
  const recs = pool.records;
  const idx = (s: string) => (STAGES as readonly string[]).indexOf(s);
  const building = recs.filter((p) => !p.side_state && p.stage === 'CONSTRUCTION').map((p) => p.id);
  const done = recs.filter((p) => !p.side_state && idx(p.stage) > idx('CONSTRUCTION')).map((p) => p.id);
  const side = recs.filter((p) => p.side_state).map((p) => p.id);
  const failed = recs
    .filter((p) => {
      const w = pool.workflow(p.id);
      const v = w ? latestVote(w) : undefined;
      return v ? !checkVote(v).pass : false;
    })
    .map((p) => p.id);
  const out: Sentence[] = [
    { key: 'building', text: t('hl.wf.progress', { c: building.length, d: done.length, stage: STAGE_INFO.CONSTRUCTION[app.lang] }), ids: [...building, ...done] },
  ];
  out.push({ key: 'votes', text: t('hl.wf.votes', { n: failed.length }), ids: failed });
  if (side.length) out.push({ key: 'side', text: t('hl.wf.side', { n: side.length }), ids: side });
  return out;
}

export function bundleHeadline(): Sentence[] {
  const plan = bundles.plan;
  const s = bundles.summary;
  if (!plan || !s) return [{ key: 'none', text: t('hl.bundle.none'), ids: [] }];
  const out: Sentence[] = [
    { key: 'plan', text: t('hl.bundle.plan', { b: s.bundles, n: s.bundledCommunities, u: s.unbundledCommunities }), ids: plan.bundles.flatMap((b) => b.members) },
  ];
  if (plan.unbundled.length) {
    // each named with its computed reason (analysis/unbundled.ts), not a pointer to the table
    const why = plan.unbundled.slice(0, 2).map((id) => {
      const r = reasonFor(id);
      return r ? t('hl.bundle.why', { name: names([id]), why: r }) : names([id]);
    });
    const more = plan.unbundled.length > 2 ? t('hl.bundle.more', { n: plan.unbundled.length - 2 }) : '';
    out.push({ key: 'unbundled', text: t('hl.bundle.unbundled', { n: plan.unbundled.length, names: why.join(t('hl.bundle.sep')) + more }), ids: [...plan.unbundled] });
  }
  const bad = bundles.metrics.filter((m) => m.violations.some((v) => v.kind !== 'owners-minimum'));
  if (bad.length) out.push({ key: 'violations', text: t('hl.bundle.violations', { n: bad.length, ids: bad.slice(0, 3).map((m) => bundles.bundleName(m.id)).join(t('hl.bundle.sep')) }), ids: bad.flatMap((m) => m.members) });
  return out;
}
