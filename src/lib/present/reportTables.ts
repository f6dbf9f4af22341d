/**
 * The report's tables as plain rows of strings (header first), built from results the features computed.
 * Pure, so the numbers in a printed report can be checked in a unit test.
 */
import type { Lang } from './trace';

export interface Table {
  head: string[];
  rows: string[][];
  /** a last row with totals, when meaningful */
  foot?: string[];
}

const num = (n: number, lang: Lang) => Math.round(n).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');

export function rankingTable(
  ranking: readonly { id: string; rank: number; total: number; eligible: boolean; reasons: { zh: string; en: string }[] }[],
  nameOf: (id: string) => { name: string; street: string },
  head: { rank: string; name: string; street: string; total: string; eligible: string; reason: string; yes: string; no: string },
  lang: Lang,
): Table {
  return {
    head: [head.rank, head.name, head.street, head.total, head.eligible, head.reason],
    rows: ranking.map((r) => {
      const c = nameOf(r.id);
      return [
        String(r.rank),
        c.name,
        c.street,
        (Math.round(r.total * 10) / 10).toString(),
        r.eligible ? head.yes : head.no,
        r.reasons.map((x) => x[lang]).join('; '),
      ];
    }),
  };
}

export function progressTable(
  rows: readonly { street: string; counts: { completed: number; construction: number; notStarted: number } }[],
  head: { street: string; completed: string; construction: string; notStarted: string; sum: string },
  streetName: (s: string) => string,
  lang: Lang,
): Table {
  const sum = { completed: 0, construction: 0, notStarted: 0 };
  const body = rows.map((r) => {
    sum.completed += r.counts.completed;
    sum.construction += r.counts.construction;
    sum.notStarted += r.counts.notStarted;
    const total = r.counts.completed + r.counts.construction + r.counts.notStarted;
    return [streetName(r.street), num(r.counts.completed, lang), num(r.counts.construction, lang), num(r.counts.notStarted, lang), num(total, lang)];
  });
  return {
    head: [head.street, head.completed, head.construction, head.notStarted, head.sum],
    rows: body,
    foot: [head.sum, num(sum.completed, lang), num(sum.construction, lang), num(sum.notStarted, lang), num(sum.completed + sum.construction + sum.notStarted, lang)],
  };
}

/** Where a bundle's investment comes from: every member's content plan, the floor-area estimate, or both. */
export type InvestmentBasis = 'items' | 'estimate' | 'mixed';

/**
 * The investment column's honest heading (issue 13): item-based when every figure is, "estimate" when every
 * figure is the floor-area estimate, otherwise a mixed heading and "≈" on the figures that include an estimate.
 */
export function investmentColumn(rows: readonly { investmentBasis?: InvestmentBasis }[]): InvestmentBasis {
  const b = new Set(rows.map((r) => r.investmentBasis ?? 'estimate'));
  return b.size === 1 ? [...b][0] : 'mixed';
}

export function bundleTable(
  rows: readonly { label: string; street: string; members: string[]; households: number; floor_area_m2: number; investmentCny: number | null; investmentBasis?: InvestmentBasis; lacking: string[] }[],
  head: { bundle: string; street: string; members: string; households: string; area: string; investment: Record<InvestmentBasis, string>; lacking: string },
  streetName: (s: string) => string,
  categoryName: (c: string) => string,
  lang: Lang,
): Table {
  const basis = investmentColumn(rows);
  return {
    head: [head.bundle, head.street, head.members, head.households, head.area, head.investment[basis], head.lacking],
    rows: rows.map((b) => [
      b.label,
      streetName(b.street),
      String(b.members.length),
      num(b.households, lang),
      num(b.floor_area_m2, lang),
      b.investmentCny === null ? '—' : (basis === 'mixed' && b.investmentBasis !== 'items' ? '≈ ' : '') + num(b.investmentCny / 1e4, lang),
      b.lacking.map(categoryName).join(', '),
    ]),
  };
}

/** Communities × categories: the distance in metres where met or not, "✓"/"✗" marks kept short for print. */
export function coverageMatrix(
  rows: readonly { name: string; street: string; byCategory: { category: string; distance: number | null; met: boolean }[] }[],
  categories: readonly string[],
  categoryName: (c: string) => string,
  head: { name: string; street: string },
  streetName: (s: string) => string,
): Table {
  return {
    head: [head.name, head.street, ...categories.map(categoryName)],
    rows: rows.map((r) => [
      r.name,
      streetName(r.street),
      ...categories.map((c) => {
        const x = r.byCategory.find((b) => b.category === c);
        if (!x) return '';
        const d = x.distance === null ? '∞' : String(Math.round(x.distance));
        return `${x.met ? '✓' : '✗'} ${d}`;
      }),
    ]),
  };
}
