/**
 * The loader against real files: round-trip of the committed default dataset and of edge
 * values (booleans, nulls, arrays), and the specific errors a user sees for a missing,
 * non-FlatGeobuf, truncated or invalid file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { serialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { CommunityProps, Manifest } from '../domain/types';
import { buildDataset, serializeLayer } from '../../../geodata/build';
import { DataLoadError, loadDataset, loadSpareSites, parseLayer } from './load';

const DATA = join(import.meta.dirname, '..', '..', '..', 'public', 'data');
const read = (f: string) => new Uint8Array(readFileSync(join(DATA, f)));
const manifest = JSON.parse(readFileSync(join(DATA, 'manifest.json'), 'utf8')) as Manifest;

/** a fetch over public/data with optional per-file overrides (status or bytes) */
function fakeFetch(overrides: Record<string, number | Uint8Array> = {}): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = String(input);
    const file = url.slice(url.lastIndexOf('/') + 1);
    const o = overrides[file];
    if (typeof o === 'number') return new Response('not here', { status: o, statusText: o === 404 ? 'Not Found' : '' });
    const body = o ?? read(file);
    return new Response(body as BodyInit, { status: 200 });
  }) as typeof fetch;
}

async function loadError(p: Promise<unknown>): Promise<DataLoadError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DataLoadError);
    return e as DataLoadError;
  }
  throw new Error('expected a DataLoadError');
}

const baseCommunity = (): CommunityProps => structuredClone(buildDataset().layers.communities[0]!.properties);

describe('loadDataset', () => {
  it('loads every layer of the default dataset with the plan totals', async () => {
    const progress: string[] = [];
    const { dataset, manifest: m } = await loadDataset({
      baseUrl: 'http://test.local/data',
      fetch: fakeFetch(),
      onProgress: (layer, done, total) => progress.push(`${layer}:${done}/${total}`),
    });
    expect(m.layers.length).toBe(7);
    expect(dataset.communities.length).toBe(73);
    expect(dataset.communities.reduce((s, c) => s + c.properties.households, 0)).toBe(47_000);
    for (const l of m.layers) expect(dataset[l.layer].length, l.layer).toBe(l.count);
    expect(progress.length).toBe(7);
    expect(progress.some((p) => p.endsWith('7/7'))).toBe(true);
  });

  it('reports a missing file with its HTTP status', async () => {
    const e = await loadError(loadDataset({ baseUrl: 'http://test.local/data/', fetch: fakeFetch({ 'gates.fgb': 404 }) }));
    expect(e.file).toBe('gates.fgb');
    expect(e.message).toBe('gates.fgb: missing (HTTP 404 Not Found)');
  });

  it('reports a missing manifest', async () => {
    const e = await loadError(loadDataset({ baseUrl: 'http://test.local/data/', fetch: fakeFetch({ 'manifest.json': 404 }) }));
    expect(e.file).toBe('manifest.json');
  });

  it('reports an HTML page served instead of a FlatGeobuf file', async () => {
    const html = new TextEncoder().encode('<!doctype html><html><body>app</body></html>');
    const e = await loadError(loadDataset({ baseUrl: 'http://test.local/data/', fetch: fakeFetch({ 'roads.fgb': html }) }));
    expect(e.file).toBe('roads.fgb');
    expect(e.reason).toMatch(/^not a FlatGeobuf file \(starts with "<!doctype html>/);
  });

  it('reports a file that does not match its manifest checksum', async () => {
    const other = read('gates.fgb');
    const e = await loadError(loadDataset({ baseUrl: 'http://test.local/data/', fetch: fakeFetch({ 'metro.fgb': other }) }));
    expect(e.file).toBe('metro.fgb');
    expect(e.reason).toMatch(/sha256/);
  });

  it('reports a manifest without an entry for a layer', async () => {
    const m = { ...manifest, layers: manifest.layers.filter((l) => l.layer !== 'barriers') };
    const e = await loadError(
      loadDataset({ baseUrl: 'http://test.local/data/', fetch: fakeFetch({ 'manifest.json': new TextEncoder().encode(JSON.stringify(m)) }) }),
    );
    expect(e.message).toBe('manifest.json: no entry for layer barriers');
  });
});

describe('loadDataset cross-layer checks', () => {
  it('reports a gate whose community is not in the dataset', async () => {
    const gates = buildDataset().layers.gates.map((g) => structuredClone(g) as Feature);
    gates[3]!.properties!['community_id'] = 'C999';
    const bytes = serializeLayer('gates', gates);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const m = { ...manifest, layers: manifest.layers.map((l) => (l.layer === 'gates' ? { ...l, sha256: sha } : l)) };
    const e = await loadError(
      loadDataset({
        baseUrl: 'http://test.local/data/',
        fetch: fakeFetch({ 'gates.fgb': bytes, 'manifest.json': new TextEncoder().encode(JSON.stringify(m)) }),
      }),
    );
    expect(e.message).toBe(
      'gates.fgb: feature 3: field community_id: expected the id of a community in the communities layer, got "C999"',
    );
  });
});

describe('parseLayer', () => {
  it('round-trips booleans, nulls and arrays exactly', async () => {
    const { layers } = buildDataset();
    const communities = await parseLayer('communities', read('communities.fgb'), 'communities.fgb');
    expect(communities).toEqual(layers.communities);
    const metro = await parseLayer('metro', read('metro.fgb'), 'metro.fgb');
    expect(metro).toEqual(layers.metro);
    expect(metro.some((m) => m.properties.lines.length === 2)).toBe(true);
    const roads = await parseLayer('roads', read('roads.fgb'), 'roads.fgb');
    expect(roads).toEqual(layers.roads);
    expect(roads.some((r) => r.properties.bridge === true)).toBe(true);
    expect(roads.some((r) => r.properties.name === null)).toBe(true);
    const facilities = await parseLayer('facilities', read('facilities.fgb'), 'facilities.fgb');
    expect(facilities).toEqual(layers.facilities);
    expect(facilities.every((f) => f.properties.osm_id === null || typeof f.properties.osm_id === 'string')).toBe(true);
  });

  it('keeps a null in the first record and a value later (column typed from the first record)', async () => {
    const a = { ...baseCommunity(), id: 'A', committee: null, side_state: null, third_party_funding: false };
    const b = { ...baseCommunity(), id: 'B', committee: '孔浦社区', side_state: 'DEFERRED' as const, third_party_funding: true };
    const geom = buildDataset().layers.communities[0]!.geometry;
    const bytes = serializeLayer('communities', [a, b].map((p) => ({ type: 'Feature', geometry: geom, properties: p }) as Feature));
    const out = await parseLayer('communities', bytes, 'x.fgb');
    expect(out.map((f) => [f.properties.committee, f.properties.side_state, f.properties.third_party_funding])).toEqual([
      [null, null, false],
      ['孔浦社区', 'DEFERRED', true],
    ]);
  });

  it('rejects a truncated file', async () => {
    const bytes = read('communities.fgb');
    const e = await loadError(parseLayer('communities', bytes.subarray(0, Math.floor(bytes.length * 0.6)), 'communities.fgb'));
    expect(e.file).toBe('communities.fgb');
    expect(e.reason).toMatch(/truncated/);
  });

  it('names the feature, field and value of an invalid record', async () => {
    const feats = buildDataset().layers.communities.map((f) => structuredClone(f) as Feature);
    feats[12]!.properties!['households'] = -3;
    const bytes = serialize({ type: 'FeatureCollection', features: feats }, 4326);
    const e = await loadError(parseLayer('communities', bytes, 'communities.fgb'));
    expect(e.message).toBe('communities.fgb: feature 12: field households: expected a non-negative integer, got -3');
  });

  it('rejects a file of the wrong layer (missing fields)', async () => {
    const e = await loadError(parseLayer('communities', read('gates.fgb'), 'communities.fgb'));
    expect(e.message).toMatch(/^communities\.fgb: feature 0: field (geometry|name)/);
  });
});

describe('spare sites (manifest extra_layers)', () => {
  it('load the committed demonstration sites, every one labelled as demonstration data', async () => {
    const sites = await loadSpareSites({ baseUrl: 'http://x/data/', fetch: fakeFetch() }, manifest);
    expect(sites.length).toBe(manifest.extra_layers!.find((x) => x.layer === 'spare_sites')!.count);
    expect(sites.every((s) => s.properties.synthetic && s.properties.source.includes('geodata/generate.ts'))).toBe(true);
    // some areas and owners are unknown on purpose: they stay null, never 0 or ""
    expect(sites.some((s) => s.properties.area_m2 === null)).toBe(true);
    expect(sites.some((s) => s.properties.kind === 'idle_room') && sites.some((s) => s.properties.kind !== 'idle_room')).toBe(true);
  });

  it('give no sites for a manifest without the entry, and name the file and field of a bad one', async () => {
    expect(await loadSpareSites({ baseUrl: 'http://x/data/', fetch: fakeFetch() }, { ...manifest, extra_layers: undefined })).toEqual([]);
    const bad = serializeLayer('spare_sites', [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [121.5, 29.9] }, properties: { id: 'S1', name: '空地', kind: 'vacant_land', area_m2: -5, owner: 'x', community_id: 'C001', synthetic: true, source: 't' } },
    ] as Feature[]);
    const m = { ...manifest, extra_layers: [{ ...manifest.extra_layers!.find((x) => x.layer === 'spare_sites')!, sha256: '', count: 1 }] };
    const e = await loadError(loadSpareSites({ baseUrl: 'http://x/data/', fetch: fakeFetch({ 'spare_sites.fgb': bad }) }, m));
    expect(e.message).toBe('spare_sites.fgb: feature 0: field area_m2: expected an area in m² of 0 or more, got -5');
  });
});
