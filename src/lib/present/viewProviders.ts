/**
 * View-parameter providers for modes whose state the presentation can read through their public methods
 * (see viewParams.ts): a saved view in the coverage mode keeps the standard, the tier distances, the
 * distance mode and what colours the map ("lacking" or one category). Playing the view calls the coverage
 * feature's own setters, and only when a value differs, so each real change is one undoable edit.
 */
import { registerViewParams } from './viewParams';
import { coverage } from '../state/coverage.svelte';
import { isStandardId, type CoverageParams } from '../domain/standards';
import type { CoverageMode } from '../analysis/coverage';
import { FACILITY_CATEGORY_INFO, type FacilityCategoryCode } from '../domain/types';
import { poolView } from '../panels/poolView.svelte';

interface CoverageViewParams {
  standardId: string;
  params: unknown;
  mode: string;
  colorBy: string;
}

let registered = false;

export function registerKnownProviders(lang: () => 'zh' | 'en'): void {
  if (registered) return;
  registered = true;
  // the pool mode colours by batch year or by pool: a plain view setting, not an edit
  registerViewParams('pool', {
    capture: () => ({ colorBy: poolView.colorBy }),
    apply: (raw) => {
      const c = (raw as { colorBy?: unknown }).colorBy;
      if (c === 'batch' || c === 'pool') poolView.colorBy = c;
    },
  });
  const cov = coverage;
  {
    registerViewParams('coverage', {
      capture: (): CoverageViewParams => ({
        standardId: cov.standardId,
        params: JSON.parse(JSON.stringify(cov.params)),
        mode: cov.mode,
        colorBy: cov.colorBy,
      }),
      apply: (raw) => {
        const p = raw as Partial<CoverageViewParams>;
        if (typeof p.standardId === 'string' && isStandardId(p.standardId) && p.standardId !== cov.standardId) cov.setStandard(p.standardId);
        if (p.params && JSON.stringify(p.params) !== JSON.stringify(cov.params)) cov.setParams(p.params as CoverageParams);
        if ((p.mode === 'network' || p.mode === 'straight' || p.mode === 'buffer') && p.mode !== cov.mode) cov.setMode(p.mode as CoverageMode);
        if (typeof p.colorBy === 'string') cov.colorBy = p.colorBy;
      },
      describe: (raw) => {
        const p = raw as Partial<CoverageViewParams>;
        const cat = p.colorBy && p.colorBy !== 'lacking' ? (FACILITY_CATEGORY_INFO[p.colorBy as FacilityCategoryCode]?.[lang()] ?? p.colorBy) : lang() === 'zh' ? '缺项数' : 'categories lacking';
        return `${lang() === 'zh' ? cov.standard.zh : cov.standard.en} · ${cat}`;
      },
    });
  }
}
