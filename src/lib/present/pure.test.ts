import { describe, expect, test } from 'vitest';
import { metresPerPixel, niceLength, scaleBar } from './scalebar';
import { formatStamp, traceLines, traceText } from './trace';
import { keyFigures, type FigureInputs } from './figures';
import { histogram, layoutBars, niceTicks } from './chartLayout';

describe('scale bar', () => {
  test('metres per pixel follows Web Mercator with 512-px tiles', () => {
    expect(metresPerPixel(0, 0)).toBeCloseTo(78271.517, 2);
    // Jiangbei (≈29.9°N) at zoom 14: about 4.1 m per pixel
    expect(metresPerPixel(29.9, 14)).toBeCloseTo(4.143, 2);
  });
  test('the bar is the longest 1/2/5 length that fits', () => {
    expect(niceLength(730)).toBe(500);
    expect(niceLength(199)).toBe(100);
    expect(niceLength(2000)).toBe(2000);
    const s = scaleBar(29.9, 14, 150);
    expect(s.metres).toBe(500);
    expect(s.px).toBeLessThanOrEqual(150);
    expect(s.px).toBeCloseTo(500 / metresPerPixel(29.9, 14), 6);
    expect(s.label).toBe('500 m');
    expect(scaleBar(29.9, 11, 150).label).toBe('2 km');
  });
});

describe('traceability', () => {
  const base = { date: new Date(2026, 10, 27, 7, 5), synthetic: true, source: 'geodata/build.ts (seed 20200)', params: [{ label: '标准', value: 'GB 50180-2018' }] };
  test('the stamp has the local date, time and UTC offset', () => {
    expect(formatStamp(base.date)).toMatch(/^2026-11-27 07:05 \(UTC[+-]\d+(:\d\d)?\)$/);
  });
  test('demo data is named as such, with its source, and every parameter is listed', () => {
    const zh = traceLines({ ...base, lang: 'zh' });
    expect(zh.map((l) => l.label)).toEqual(['制图日期', '数据', '标准']);
    expect(zh[1].value).toBe('演示数据(脚本生成,固定随机种子,非官方) — geodata/build.ts (seed 20200)');
    const en = traceText({ ...base, lang: 'en', synthetic: false, source: '清册.xlsx' });
    expect(en).toContain('Data: imported data — 清册.xlsx');
    expect(en).toContain('标准: GB 50180-2018');
  });
});

describe('key figures', () => {
  const totals = { communities: 73, households: 47000, floor_area_m2: 4270000 };
  const none: FigureInputs = { totals, lifeCircle: null, bundles: null, progress: null };
  test('totals always show; missing features show a dash and say why', () => {
    const f = keyFigures(none, 'zh');
    expect(f.map((x) => x.value)).toEqual(['73', '47,000', '427', '—', '—', '—']);
    expect(f.find((x) => x.id === 'lifeCircle')!.detail).toBe('未运行生活圈分析');
    expect(f.find((x) => x.id === 'bundles')!.available).toBe(false);
    expect(keyFigures(none, 'en')[2]).toMatchObject({ value: '4.27 million', detail: 'm²' });
  });
  test('feature results are shown as given, with progress against the target', () => {
    const f = keyFigures(
      {
        totals,
        lifeCircle: { communityShare: 0.4521, residentShare: 0.5, standard: 'GB 50180-2018' },
        bundles: { count: 12, communities: 40 },
        progress: { started: 30, completed: 20, target: 73, source: 'pool' },
      },
      'en',
    );
    expect(f[3]).toMatchObject({ value: '45.2%', detail: '50% of residents · GB 50180-2018' });
    expect(f[4]).toMatchObject({ value: '12', detail: '40 communities' });
    expect(f[5].value).toBe('27.4%');
    expect(f[5].detail).toBe('completed 20 of 73 target (30 started)');
  });
});

describe('bar chart layout', () => {
  test('ticks are 1/2/5 steps covering the maximum', () => {
    expect(niceTicks(73)).toEqual([0, 20, 40, 60, 80]);
    expect(niceTicks(1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
  test('stacked segments sit end to end and scale to the axis', () => {
    const L = layoutBars({
      width: 500,
      rowHeight: 30,
      labelWidth: 100,
      totalWidth: 0,
      rows: [
        { label: '孔浦', segments: [{ key: 'done', label: '已完工', value: 20, color: '#0a0' }, { key: 'wip', label: '在建', value: 20, color: '#fa0' }] },
        { label: '慈城', segments: [{ key: 'wip', label: '在建', value: 10, color: '#fa0' }] },
      ],
    });
    expect(L.ticks.map((t) => t.label)).toEqual(['0', '10', '20', '30', '40']);
    const [a, b] = L.rows[0].segments;
    expect(a.x).toBe(100);
    expect(a.w).toBe(200);
    expect(b.x).toBe(300);
    expect(L.rows[0].total).toBe(40);
    expect(L.rows[1].segments[0].w).toBe(100);
    expect(L.rows[1].y).toBeGreaterThan(L.rows[0].y);
    expect(L.legend.map((l) => l.key)).toEqual(['done', 'wip']);
    expect(L.height).toBe(60 + 22);
  });
  test('a fixed maximum (shares) is respected', () => {
    const L = layoutBars({ width: 300, rowHeight: 20, labelWidth: 100, totalWidth: 0, max: 1, rows: [{ label: 'x', segments: [{ key: 'a', label: 'a', value: 0.5, color: '#000' }] }] });
    expect(L.rows[0].segments[0].w).toBe(100);
    expect(L.ticks[L.ticks.length - 1].x).toBe(300);
  });
});

describe('histogram', () => {
  test('bands cover every value once', () => {
    const h = histogram([55, 61, 69, 70, 88], 10);
    expect(h.map((b) => [b.lo, b.count])).toEqual([[50, 1], [60, 2], [70, 1], [80, 1]]);
    expect(h.reduce((s, b) => s + b.count, 0)).toBe(5);
    expect(histogram([], 10)).toEqual([]);
  });
});

import { coverageRows, fundingRows, progressRows, scoreRows } from './chartData';
import { CATEGORY_COLORS, INELIGIBLE_COLOR, PROGRESS_GROUP_COLORS, SCORE_CLASSES } from '../map/colors';

describe('chart rows', () => {
  const L = (k: string) => k;
  test('coverage: mandatory first, worst share first, coloured like the map', () => {
    const rows = coverageRows(
      [
        { category: 'park', mandatory: false, communityShare: 0.2 },
        { category: 'kindergarten', mandatory: true, communityShare: 0.9 },
        { category: 'elderly_daycare', mandatory: true, communityShare: 0.3 },
      ],
      (c) => c,
    );
    expect(rows.map((r) => r.label)).toEqual(['▲ elderly_daycare', '▲ kindergarten', '△ park']);
    expect(rows[0].segments[0].color).toBe(CATEGORY_COLORS.elderly_daycare);
  });
  test('progress: three stage groups per street in a fixed order', () => {
    const rows = progressRows([{ street: '孔浦街道', counts: { completed: 3, construction: 2, notStarted: 5 } }], (s) => s, L);
    expect(rows[0].segments.map((s) => [s.key, s.value, s.color])).toEqual([
      ['completed', 3, PROGRESS_GROUP_COLORS.completed],
      ['construction', 2, PROGRESS_GROUP_COLORS.construction],
      ['notStarted', 5, PROGRESS_GROUP_COLORS.notStarted],
    ]);
  });
  test('funding: yuan become 万元 and the parts add up', () => {
    const [r] = fundingRows([{ label: 'B1', funding: { cityCny: 4_000_000, districtFiscalCny: 5_400_000, ownersCny: 600_000, outsideBaseCny: 1_250_000 } }], L);
    expect(r.segments.map((s) => s.value)).toEqual([400, 540, 60, 125]);
  });
  test('scores: every community falls in exactly one band, split by eligibility', () => {
    const ranking = [
      { total: 88, eligible: true },
      { total: 61.5, eligible: false },
      { total: 69.9, eligible: true },
      { total: 90, eligible: true },
    ];
    const rows = scoreRows(ranking, 10, L);
    expect(rows.map((r) => r.label)).toEqual(['90–100', '80–90', '70–80', '60–70']);
    expect(rows.map((r) => r.segments.map((s) => s.value))).toEqual([[1, 0], [1, 0], [0, 0], [1, 1]]);
    expect(rows.flatMap((r) => r.segments).reduce((s, g) => s + g.value, 0)).toBe(4);
    // the same colours as the scoring map: the band's score class, grey when ineligible
    expect(rows[3].segments.map((g) => g.color)).toEqual([SCORE_CLASSES.colors[3], INELIGIBLE_COLOR]);
  });
});

import { fitMap, ratioScale, sheetLayout } from './printLayout';

describe('print sheet', () => {
  test('A3 landscape is 420 × 297 mm with the map beside the legend, inside the margins', () => {
    const L = sheetLayout('A3', 'landscape');
    expect([L.width, L.height]).toEqual([420, 297]);
    expect(L.map.x + L.map.w).toBeLessThan(L.side.x);
    expect(L.side.x + L.side.w).toBe(420 - L.margin);
    expect(L.map.y + L.map.h).toBe(297 - L.margin - L.footerH);
  });
  test('portrait puts the legend under the map', () => {
    const L = sheetLayout('A4', 'portrait');
    expect([L.width, L.height]).toEqual([210, 297]);
    expect(L.side.y).toBeGreaterThan(L.map.y + L.map.h);
    expect(L.side.y + L.side.h).toBe(297 - L.margin - L.footerH);
  });
  test('the map keeps its aspect ratio and the scale bar matches the printed scale', () => {
    const L = sheetLayout('A3', 'landscape');
    const f = fitMap(L.map, 1000, 800, 29.9, 13);
    expect(f.w / f.h).toBeCloseTo(1000 / 800, 9);
    expect(f.w <= L.map.w + 1e-9 && f.h <= L.map.h + 1e-9).toBe(true);
    expect(f.bar.mm).toBeLessThanOrEqual(40);
    // the bar's ground length over its paper length is the map scale
    const scale = (f.bar.metres * 1000) / f.bar.mm;
    expect(ratioScale(8.286, f.mmPerPx)).toBeCloseTo(scale, -3);
  });
});

import { bundleTable, coverageMatrix, investmentColumn, progressTable, rankingTable } from './reportTables';

describe('report tables', () => {
  test('ranking rows keep rank order, names, rounded totals and the reason in the chosen language', () => {
    const T = rankingTable(
      [
        { id: 'C1', rank: 1, total: 88.25, eligible: true, reasons: [] },
        { id: 'C2', rank: 2, total: 70, eligible: false, reasons: [{ zh: '同意率不足2/3', en: 'consent below 2/3' }] },
      ],
      (id) => ({ name: id === 'C1' ? '孔浦一村' : '白沙新村', street: '孔浦街道' }),
      { rank: 'R', name: 'N', street: 'S', total: 'T', eligible: 'E', reason: 'W', yes: 'y', no: 'n' },
      'en',
    );
    expect(T.head).toEqual(['R', 'N', 'S', 'T', 'E', 'W']);
    expect(T.rows).toEqual([
      ['1', '孔浦一村', '孔浦街道', '88.3', 'y', ''],
      ['2', '白沙新村', '孔浦街道', '70', 'n', 'consent below 2/3'],
    ]);
  });
  test('progress rows add up to the footer', () => {
    const T = progressTable(
      [
        { street: 'a', counts: { completed: 1, construction: 2, notStarted: 3 } },
        { street: 'b', counts: { completed: 4, construction: 0, notStarted: 1 } },
      ],
      { street: 'S', completed: 'C', construction: 'U', notStarted: 'N', sum: 'Σ' },
      (s) => s.toUpperCase(),
      'en',
    );
    expect(T.rows[0]).toEqual(['A', '1', '2', '3', '6']);
    expect(T.foot).toEqual(['Σ', '5', '2', '4', '11']);
  });
  test('coverage matrix marks met and unmet with the network distance; unreachable is ∞', () => {
    const T = coverageMatrix(
      [{ name: 'x', street: 's', byCategory: [{ category: 'park', distance: 299.6, met: true }, { category: 'kindergarten', distance: null, met: false }] }],
      ['kindergarten', 'park', 'nursery'],
      (c) => c,
      { name: 'N', street: 'S' },
      (s) => s,
    );
    expect(T.rows[0]).toEqual(['x', 's', '✗ ∞', '✓ 300', '']);
  });
});

describe('the bundle investment column says what its figures are (issue 13)', () => {
  const row = (basis: 'items' | 'estimate' | 'mixed', cny: number) => ({ label: 'A', street: 's', members: ['x'], households: 1, floor_area_m2: 1, investmentCny: cny, investmentBasis: basis, lacking: [] });
  const head = { bundle: 'b', street: 's', members: 'm', households: 'h', area: 'a', investment: { items: 'ITEMS', estimate: 'ESTIMATE', mixed: 'MIXED' }, lacking: 'l' };
  test('all item-based: the item heading, figures plain', () => {
    const t = bundleTable([row('items', 1e6)], head, (s) => s, (c) => c, 'en');
    expect(t.head[5]).toBe('ITEMS');
    expect(t.rows[0][5]).toBe('100');
  });
  test('all estimated: the estimate heading', () => {
    expect(investmentColumn([row('estimate', 1), row('estimate', 2)])).toBe('estimate');
    expect(bundleTable([row('estimate', 1e6)], head, (s) => s, (c) => c, 'en').head[5]).toBe('ESTIMATE');
  });
  test('mixed: the mixed heading and ≈ on the figures that include an estimate', () => {
    const t = bundleTable([row('items', 1e6), row('mixed', 2e6), row('estimate', 3e6)], head, (s) => s, (c) => c, 'en');
    expect(t.head[5]).toBe('MIXED');
    expect(t.rows.map((r) => r[5])).toEqual(['100', '≈ 200', '≈ 300']);
  });
});
