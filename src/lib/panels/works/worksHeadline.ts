/**
 * The coordination mode's headline (panels/Headline.svelte): which communities will be dug up after their
 * renovation, how many works should share one dig, which communities can take works into their renovation, and
 * where timing is unknown — each sentence naming the communities it speaks of.
 */
import { t } from '../../i18n';
import { works } from '../../state/works.svelte';
import type { Sentence } from '../headlines';
import { communityName } from './worksText';

const names = (ids: readonly string[]) => ids.slice(0, 3).map(communityName).join('、');

export function coordinationHeadline(): Sentence[] {
  const co = works.coordination;
  const dug = [...new Set(works.conflicts.flatMap((c) => (c.kind === 'dig-up' ? [c.community] : [])))];
  const pairs = works.conflicts.filter((c) => c.kind === 'same-trench');
  const pairWorks = new Set(pairs.flatMap((c) => (c.kind === 'same-trench' ? [c.work, c.other] : [])));
  const pairPlaces = [...new Set(co.touches.filter((x) => pairWorks.has(x.work)).map((x) => x.community))];
  const integrated = [...new Set(co.touches.filter((x) => x.timing === 'integrated').map((x) => x.community))];
  const unknown = [...new Set(co.unknown.map((x) => x.community))];
  if (works.all.length === 0) return [{ key: 'none', text: t('works.none'), ids: [] }];
  const out: Sentence[] = [];
  out.push(
    dug.length
      ? { key: 'dug', text: t('hl.works.dug', { n: dug.length, names: names(dug), h: works.settings.horizonYears }), ids: dug }
      : { key: 'dug', text: t('hl.works.noDug', { h: works.settings.horizonYears }), ids: [] },
  );
  if (pairs.length) out.push({ key: 'pairs', text: t('hl.works.pairs', { n: pairs.length }), ids: pairPlaces });
  if (integrated.length) out.push({ key: 'integrated', text: t('hl.works.integrated', { n: integrated.length }), ids: integrated });
  if (unknown.length) out.push({ key: 'unknown', text: t('hl.works.unknown', { n: unknown.length }), ids: unknown });
  return out;
}
