/**
 * Map themes of the renovation content (project-pool mode): communities coloured by investment per household
 * (item-based where a content plan exists, else the floor-area estimate, as the note says) or by the class
 * that takes the largest share of the plan's investment (基础/完善/提升; no plan = grey, never a class).
 */
import { app } from '../state/app.svelte';
import { content } from '../state/content.svelte';
import { t } from '../i18n';
import { CONTENT_CLASS_COLORS, INVESTMENT_PER_HH_CLASSES, classOf } from '../map/colors';
import type { Theme } from '../map/theme';
import { CLASS_INFO, ITEM_CLASSES, costPlan } from '../analysis/content';

export function investmentTheme(): Theme {
  const colorOf: Record<string, string> = {};
  for (const r of app.records) {
    const inv = content.investment(r.id);
    if (!inv || r.households <= 0) continue;
    colorOf[r.id] = INVESTMENT_PER_HH_CLASSES.colors[classOf(inv.totalCny / r.households, INVESTMENT_PER_HH_CLASSES)];
  }
  const b = INVESTMENT_PER_HH_CLASSES.breaks.map((x) => (app.lang === 'zh' ? `${x / 1e4}万` : `${x / 1e3}k`));
  const labels = [`≤ ${b[0]}`, ...b.slice(1).map((hi, i) => `${b[i]}–${hi}`), `> ${b.at(-1)}`];
  return {
    key: 'content:investment',
    title: t('content.theme.perHousehold'),
    note: t('content.theme.perHouseholdNote', { n: Object.keys(content.planned).length }),
    entries: labels.map((label, i) => ({ label, color: INVESTMENT_PER_HH_CLASSES.colors[i] })),
    colorOf,
  };
}

export function classMixTheme(): Theme {
  const colorOf: Record<string, string> = {};
  for (const r of app.records) {
    const plan = content.plans[r.id];
    if (!plan || plan.lines.length === 0) {
      colorOf[r.id] = CONTENT_CLASS_COLORS.none;
      continue;
    }
    const by = costPlan(plan.lines, content.catalogue).byClass;
    const top = ITEM_CLASSES.reduce((a, c) => (by[c] > by[a] ? c : a), ITEM_CLASSES[0]);
    colorOf[r.id] = CONTENT_CLASS_COLORS[top];
  }
  return {
    key: 'content:classmix',
    title: t('content.theme.classMix'),
    note: t('content.theme.classMixNote'),
    entries: [...ITEM_CLASSES.map((c) => ({ label: CLASS_INFO[c][app.lang], color: CONTENT_CLASS_COLORS[c] })), { label: t('content.theme.noPlan'), color: CONTENT_CLASS_COLORS.none }],
    colorOf,
  };
}
