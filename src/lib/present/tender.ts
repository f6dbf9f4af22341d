/**
 * What a tender sheet says about one bundle: its name (by its members, never its internal id), and the
 * constraints of the plan in force with whether the bundle meets each (from the bundle's own checks in
 * analysis/bundle-metrics.ts). Reads only what it is given, plus the message tables.
 */
import { t, fmtInt } from '../i18n';
import type { BundleMetrics, ViolationKind } from '../analysis/bundle-metrics';
import { bundles, type BundleUiOptions } from '../state/bundles.svelte';

/** A bundle as people call it: "孔浦·怡江片区" (its 街道 and main community), never its internal id (B07). */
export function bundleName(id: string): string {
  return bundles.bundleName(id);
}

/** "片区 2:孔浦一村、孔浦二村等 4 个小区" — the area's name and its members' names. */
export function bundleTitle(id: string, memberNames: readonly string[]): string {
  const shown = memberNames.slice(0, 3);
  const names = memberNames.length > 3 ? t('tender.andMore', { names: shown.join(t('tender.listSep')), n: memberNames.length }) : shown.join(t('tender.listSep'));
  return t('tender.pageTitle', { name: bundleName(id), names });
}

export interface ConstraintLine {
  kind: ViolationKind;
  label: string;
  met: boolean;
}

/** The plan's constraints in a fixed order, each with whether this bundle meets it. */
export function constraintLines(m: BundleMetrics, o: BundleUiOptions): ConstraintLine[] {
  const broken = new Set(m.violations.map((v) => v.kind));
  const measure = t(`bundle.size.${o.sizeMeasure}`);
  const lines: { kind: ViolationKind; label: string }[] = [
    { kind: 'contiguity', label: t('tender.c.contiguity', { gap: fmtInt(o.maxGapM), measure: t(`bundle.measure.${o.measure}`) }) },
  ];
  if (o.sameStreet) lines.push({ kind: 'street', label: t('tender.c.street') });
  if (o.sameBatchYear) lines.push({ kind: 'batch-year', label: t('tender.c.batchYear') });
  if (o.maxSize != null) lines.push({ kind: 'max-size', label: t('tender.c.maxSize', { measure, limit: fmtInt(o.maxSize) }) });
  if (o.minSize != null) lines.push({ kind: 'min-size', label: t('tender.c.minSize', { measure, limit: fmtInt(o.minSize) }) });
  lines.push({ kind: 'max-communities', label: t('tender.c.maxCommunities', { limit: o.maxCommunities }) });
  lines.push({ kind: 'min-communities', label: t('tender.c.minCommunities') });
  lines.push({ kind: 'max-span', label: t('tender.c.maxSpan', { limit: fmtInt(o.maxSpanM) }) });
  lines.push({ kind: 'owners-minimum', label: t('tender.c.owners') });
  return lines.map((l) => ({ ...l, met: !broken.has(l.kind) }));
}
