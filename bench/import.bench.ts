/**
 * Import pipeline throughput (parse → guess → stage), at the district scale (73 communities) and at
 * city scale (a 10,000-row facility CSV in GBK; an OSM extract with 20,000 ways), plus export → re-import
 * of the default road layer. Prints times and rows per second; the UI stages in the import worker after each
 * correction, so the district-scale figure is what a user waits for ("checking…") after each one.
 */
import { readFileSync } from 'node:fs';
import { importFile } from '../src/lib/data/import/index.ts';
import { exportLayer } from '../src/lib/data/export/index.ts';
import { parseLayer } from '../src/lib/data/load.ts';
import { encodeGbk } from '../test/fixtures/import/make-fixtures.ts';

async function time(label: string, rows: number, f: () => Promise<unknown>, reps = 3): Promise<number> {
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  const ms = ts[reps >> 1];
  console.log(`${label.padEnd(52)} ${ms.toFixed(1).padStart(8)} ms  ${Math.round((rows / ms) * 1000).toLocaleString('en-US').padStart(10)} rows/s`);
  return ms;
}

export async function run(): Promise<void> {
  const communities = await parseLayer('communities', new Uint8Array(readFileSync('public/data/communities.fgb')), 'communities.fgb');
  const csv73 = exportLayer(communities, 'csv', { layer: 'communities', attribution: [] });
  const small = await time('73 communities, CSV with polygons (stage + kinks)', 73, () => importFile(csv73.name, csv73.bytes, { kind: 'communities' }));

  let text = '名称,类别,经度,纬度\n';
  const cats = ['幼儿园', '菜市场', '社区卫生服务站', '公园', '公交站'];
  for (let i = 0; i < 10_000; i++) text += `设施${i},${cats[i % 5]},${(121.4 + (i % 100) * 0.002).toFixed(5)},${(29.88 + Math.floor(i / 100) * 0.0015).toFixed(5)}\n`;
  const gbk = encodeGbk(text);
  const big = await time('10,000 facilities, GBK CSV', 10_000, () => importFile('f.csv', gbk, { kind: 'facilities' }));

  const nodes: string[] = [];
  const ways: string[] = [];
  let id = 1;
  for (let w = 0; w < 20_000; w++) {
    const refs: number[] = [];
    for (let k = 0; k < 4; k++) {
      nodes.push(`<node id="${id}" lat="${(29.88 + (w % 200) * 0.0008 + k * 0.0002).toFixed(6)}" lon="${(121.4 + Math.floor(w / 200) * 0.002).toFixed(6)}"/>`);
      refs.push(id++);
    }
    ways.push(`<way id="${w + 1}">${refs.map((r) => `<nd ref="${r}"/>`).join('')}<tag k="highway" v="${w % 3 ? 'residential' : 'footway'}"/></way>`);
  }
  const osm = new TextEncoder().encode(`<?xml version="1.0"?><osm version="0.6">${nodes.join('')}${ways.join('')}</osm>`);
  const osmMs = await time(`20,000 OSM ways (${(osm.length / 1e6).toFixed(1)} MB XML)`, 20_000, () => importFile('x.osm', osm), 1);

  const roads = await parseLayer('roads', new Uint8Array(readFileSync('public/data/roads.fgb')), 'roads.fgb');
  const fgb = exportLayer(roads, 'fgb', { layer: 'roads', attribution: [] });
  await time(`default roads (${roads.length}) FGB export → re-import`, roads.length, async () => {
    const f = exportLayer(roads, 'fgb', { layer: 'roads', attribution: [] });
    await importFile(f.name, f.bytes, { kind: 'roads' });
  });
  console.log(`ratios: 10k-row CSV / 73-row CSV = ${(big / small).toFixed(1)}× time for ${(10_000 / 73).toFixed(0)}× rows; OSM per way ${((osmMs / 20_000) * 1000).toFixed(1)} µs; roads.fgb ${(fgb.bytes.length / 1024).toFixed(0)} KB`);
}
