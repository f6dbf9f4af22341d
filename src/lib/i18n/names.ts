/**
 * Names of domain things as people read them, in one language at a time. Rubric criteria keep the
 * transcribed wording of their source table (e.g. "加装电梯意愿 (bonus)"); on screen the English
 * marker becomes the reader's word for a bonus criterion.
 */
import type { Criterion } from '../analysis/rubric';

const BONUS = { zh: '(加分项)', en: '(bonus)' };

export function criterionName(c: Pick<Criterion, 'zh' | 'en' | 'bonus'>, lang: 'zh' | 'en'): string {
  // the English wording of the source table keeps Chinese glosses in brackets; an English reader gets the words
  const raw = lang === 'zh' ? c.zh : c.en.replace(/\s*[(（][^()（）]*[\u3400-\u9fff][^()（）]*[)）]/g, '');
  const base = raw.replace(/\s*[(（]\s*(bonus|加分项?)\s*[)）]\s*$/i, '').trim();
  return c.bonus ? `${base} ${BONUS[lang]}` : base;
}
