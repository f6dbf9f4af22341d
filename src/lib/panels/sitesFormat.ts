/** Words for spare sites and their area checks, shared by the coverage panel pieces (no logic beyond wording). */
import { t, fmtInt } from '../i18n';
import { app } from '../state/app.svelte';
import { SPARE_SITE_KIND_INFO, minSizeSource, type SpareSiteKind, type SpareSiteProps } from '../domain/spare-sites';
import type { SiteFit } from '../analysis/sitefit';

export const kindLabel = (k: SpareSiteKind) => t(`sites.kind.${k}`);

/** "建筑面积 420 m²" / "用地面积 3,800 m²" / "面积未知" */
export function areaText(p: Pick<SpareSiteProps, 'kind' | 'area_m2'>): string {
  if (p.area_m2 === null) return t('sites.areaUnknown');
  return t('sites.areaOf', { measure: t(`sites.measure.${SPARE_SITE_KIND_INFO[p.kind].measure}`), area: fmtInt(p.area_m2) });
}

export function sourceText(p: Pick<SpareSiteProps, 'synthetic' | 'source'>): string {
  return p.synthetic ? t('sites.source.demo') : p.source === 'user' ? t('sites.source.user') : t('sites.source.file');
}

/** The minimum a site was compared with, for people (standard, row, measure). */
export function ruleText(f: SiteFit): string {
  if (!f.rule) return '';
  const args = { min: fmtInt(f.rule.minM2), source: minSizeSource(f.rule, app.lang), measure: t(`sites.measure.${f.rule.measure}`) };
  return f.measure === 'floor-on-land' ? t('fit.minFloorOnLand', args) : t('fit.min', args);
}

/** Why a site was left out (too small, needs land, area unknown). */
export function reasonText(f: SiteFit): string {
  if (f.reason === 'too_small') return t('fit.reason.too_small', { area: fmtInt(f.areaM2 ?? 0), min: fmtInt(f.rule?.minM2 ?? 0) });
  if (f.reason === 'needs_land') return t('fit.reason.needs_land', { min: fmtInt(f.rule?.minM2 ?? 0) });
  if (f.reason === 'area_unknown') return t('fit.reason.area_unknown');
  return '';
}
