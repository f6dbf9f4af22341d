/**
 * The computed reason (analysis/unbundled.ts) as a sentence for people: names, not ids; the limit and the
 * figure that broke it. Read inside $derived/markup, so it follows the language and every edit.
 */
import { t, fmtInt } from '../i18n';
import { bundles } from '../state/bundles.svelte';
import type { UnbundledReason, LimitViolation } from '../analysis/unbundled';

const list = (ids: readonly string[], n = 3) => ids.slice(0, n).map((id) => bundles.nameOf(id)).join(t('bundle.why.and')) + (ids.length > n ? '…' : '');

function amount(v: LimitViolation, x: number): string {
  if (v.kind === 'max-communities') return t('bundle.why.unit.communities', { n: fmtInt(x) });
  if (v.kind === 'max-span') return t('bundle.why.unit.span', { n: fmtInt(x) });
  return t(`bundle.why.unit.${v.measure ?? 'households'}`, { n: fmtInt(x) });
}

export function reasonText(r: UnbundledReason): string {
  switch (r.kind) {
    case 'isolated':
      return t('bundle.why.isolated', { gap: r.maxGapM });
    case 'barrier':
      return t('bundle.why.barrier', { names: list(r.neighbours), kinds: [...new Set(r.barrierKinds.map((k) => t(`bundle.why.kind.${k}`)))].join(t('bundle.why.and')) });
    case 'walk':
      return t('bundle.why.walk', { names: list(r.neighbours), gap: r.maxGapM });
    case 'street':
      return t('bundle.why.street', { gap: r.maxGapM, names: list(r.neighbours), streets: r.streets.join(t('bundle.why.and')) });
    case 'batch-year':
      return t('bundle.why.batch', { names: list(r.neighbours) });
    case 'limit': {
      const target = r.bundle ? bundles.bundleName(r.bundle) : list(r.with);
      const v = r.violation;
      if (v.kind === 'min-size') return t('bundle.why.minSize', { target, value: amount(v, v.value), max: amount(v, v.limit) });
      return t('bundle.why.limit', { target, limit: t(`bundle.why.lim.${v.kind}`), value: amount(v, v.value), max: amount(v, v.limit) });
    }
    case 'left-out':
      return t('bundle.why.leftOut', { target: r.bundle ? bundles.bundleName(r.bundle) : list(r.with) });
  }
}

/** The reason for one community, or null when it is in a bundle or no plan/neighbours are known yet. */
export function reasonFor(id: string): string | null {
  const r = bundles.reasons[id];
  return r ? reasonText(r) : null;
}
