/**
 * The cost of the importer's limits (issue 16), each against the simplest alternative it replaced:
 * - header normaliser: the linear bracket/unit stripping vs the old regular expressions, on the 清册's real
 *   headers and on a header of 5,000 "(" (the old one is quadratic there; 40,000 took minutes);
 * - the CSV record-length pre-scan, as a share of reading a 10,000-row CSV (with and without quotes);
 * - the bounded streaming inflate vs JSZip's unbounded async('uint8array'), on a 50 MB entry.
 * Medians of 7 runs with min–max. `npm run bench -- import-limits`
 */
import JSZip from 'jszip';
import { normaliseHeader } from '../src/lib/data/import/mapping.ts';
import { checkCsvRecords, readCsv } from '../src/lib/data/import/read.ts';
import { inflateEntry } from '../src/lib/data/import/unzip.ts';
import { deflateBomb, makeZip } from '../test/hostile.ts';

function oldNormalise(h: string): string {
  return h
    .toLowerCase()
    .replace(/[(（【\[][^)）】\]]*[)）】\]]/g, '')
    .replace(/(万?m²|万?m2|万?㎡|万?平方米|平米|单位[:：]?\S*)$/g, '')
    .replace(/[\s:：\-/]+/g, '')
    .trim();
}

async function median(label: string, f: () => unknown | Promise<unknown>, reps = 7): Promise<number> {
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  const m = ts[reps >> 1];
  console.log(`${label.padEnd(60)} ${m.toFixed(2).padStart(9)} ms  (min ${ts[0].toFixed(2)}, max ${ts[reps - 1].toFixed(2)})`);
  return m;
}

export async function run(): Promise<void> {
  const headers = ['序号', '小区名称', '所属街道', '建成年代', '户数（户）', '幢数', '建筑面积（万m²）', '建筑面积 单位：万㎡', '经度(高德)', '纬度(高德)', '同意改造面积占比(%)', '备注【说明】'];
  const x1000 = Array.from({ length: 1000 }, () => headers).flat();
  const a = await median('normalise 12,000 real headers: linear (now)', () => x1000.map(normaliseHeader));
  const b = await median('normalise 12,000 real headers: old regular expressions', () => x1000.map(oldNormalise));
  console.log(`  ratio now/old ${(a / b).toFixed(2)}`);
  const hostile = '('.repeat(5000);
  const c = await median('normalise one header of 5,000 "(": linear (now)', () => normaliseHeader(hostile));
  const d = await median('normalise one header of 5,000 "(": old regular expressions', () => oldNormalise(hostile), 5);
  console.log(`  ratio old/now ${(d / c).toFixed(0)}×`);

  const rows = ['小区名称,所属街道,建成年代,户数,经度,纬度'];
  for (let i = 0; i < 10_000; i++) rows.push(`小区${i},街道${i % 7},${1980 + (i % 20)},${100 + (i % 500)},${(121.45 + (i % 1000) / 10000).toFixed(5)},${(29.9 + Math.floor(i / 1000) / 10000).toFixed(5)}`);
  const plain = new TextEncoder().encode(rows.join('\n'));
  const quoted = new TextEncoder().encode(rows.map((r) => r.replace(/^([^,]*)/, '"$1"')).join('\n'));
  for (const [name, bytes] of [['no quotes', plain], ['quoted names', quoted]] as const) {
    const scan = await median(`CSV record pre-scan, 10,000 rows (${name}, ${(bytes.length / 1e6).toFixed(2)} MB)`, () => checkCsvRecords('a.csv', bytes));
    const read = await median(`readCsv incl. the pre-scan, 10,000 rows (${name})`, () => readCsv('a.csv', bytes));
    console.log(`  pre-scan share of reading ${((scan / read) * 100).toFixed(1)}%`);
  }

  const zip = await JSZip.loadAsync(makeZip([{ name: 'big.dbf', deflated: deflateBomb(50) }]));
  const entry = zip.file('big.dbf')!;
  const s = await median('inflate a 50 MB entry: bounded stream (now)', () => inflateEntry('z.zip', entry), 5);
  const u = await median("inflate a 50 MB entry: JSZip async('uint8array') (unbounded)", () => entry.async('uint8array'), 5);
  console.log(`  ratio now/unbounded ${(s / u).toFixed(2)}`);
}
