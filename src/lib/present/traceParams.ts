/**
 * The parameters that produced what is on screen, for the trace printed on every slide, map, PNG and
 * report: the view, the active mode and colouring, hidden layers, and each feature's own parameters
 * (standard and tier distances, rubric, bundle constraints) as that feature reports them.
 */
import { app } from '../state/app.svelte';
import { t } from '../i18n';
import { modeById } from '../panels/modes';
import { FACILITY_CATEGORY_INFO, type FacilityCategoryCode } from '../domain/types';
import { bundlesSummary, coverageSummary, poolState } from './sources';
import { viewParamsProvider } from './viewParams';
import type { TraceInput, TraceParam } from './trace';
import { sourceLabel } from '../data/sourceNames';

export function currentParams(viewTitle?: string | null): TraceParam[] {
  const out: TraceParam[] = [];
  if (viewTitle) out.push({ label: t('present.param.view'), value: viewTitle });
  // the views panel has no theme of its own: the map then shows the explore colouring
  const mode = modeById(app.mode === 'views' ? 'explore' : app.mode);
  const provider = viewParamsProvider(mode.id);
  const modeDetail = provider?.describe ? provider.describe(provider.capture()) : '';
  out.push({ label: t('present.param.mode'), value: t(mode.labelKey) + (modeDetail ? ` (${modeDetail})` : '') });
  if (mode.id === 'explore') out.push({ label: t('present.param.colorBy'), value: t(`colorBy.${app.colorBy}`) });
  if (app.hiddenCategories.length)
    out.push({
      label: t('present.param.hidden'),
      value: app.hiddenCategories.map((c) => FACILITY_CATEGORY_INFO[c as FacilityCategoryCode]?.[app.lang] ?? c).join(', '),
    });
  const cov = coverageSummary();
  if (cov) out.push({ label: t('present.param.standard'), value: `${cov.standard} · ${cov.params}` });
  const b = bundlesSummary();
  if (b) out.push({ label: t('present.param.bundle'), value: b.params });
  const pool = poolState();
  if (pool) out.push({ label: t('present.param.rubric'), value: pool.rubric.name[app.lang] });
  return out;
}

export function currentTrace(viewTitle?: string | null, date = new Date()): TraceInput {
  return { date, lang: app.lang, synthetic: app.datasetInfo.synthetic, source: app.datasetInfo.synthetic ? '' : sourceLabel(app.datasetInfo.source, app.lang), params: currentParams(viewTitle) };
}
