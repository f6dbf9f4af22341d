/**
 * Shared CLI reader: `readLayer(path, { kind, crs, mapping })` turns a GeoJSON, FlatGeobuf or CSV (lon/lat)
 * file into typed, WGS84 features for the coverage/bundle/score commands.
 * (First version; the full importer pipeline replaces the normalisation below.)
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import Papa from 'papaparse';
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { Feature, Geometry } from 'geojson';
import type { CommunityFeature, FacilityFeature, RoadFeature } from '../../src/lib/domain/types.ts';
import { parseCrs, toWgs84, transformGeometry } from '../../src/lib/data/crs.ts';
import { categoryFromText } from '../../src/lib/data/import/fields.ts';

export interface ReadLayerOptions {
  crs?: string;
  mapping?: string | Record<string, unknown>;
  kind?: 'communities' | 'facilities' | 'roads';
}

async function readRaw(path: string): Promise<Feature[]> {
  const bytes = new Uint8Array(await readFile(path));
  const lower = path.toLowerCase();
  if (lower.endsWith('.fgb')) {
    const out: Feature[] = [];
    for await (const f of deserialize(bytes)) out.push(f as unknown as Feature);
    return out;
  }
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) {
    const fc = JSON.parse(new TextDecoder().decode(bytes));
    return fc.type === 'FeatureCollection' ? fc.features : [fc];
  }
  if (lower.endsWith('.csv')) {
    const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    const lonKey = parsed.meta.fields?.find((h) => /^(lon|lng|longitude|经度|x)$/i.test(h.trim()));
    const latKey = parsed.meta.fields?.find((h) => /^(lat|latitude|纬度|y)$/i.test(h.trim()));
    return parsed.data.map((r) => {
      const lon = lonKey ? Number(r[lonKey]) : NaN;
      const lat = latKey ? Number(r[latKey]) : NaN;
      const geometry: Geometry | null = Number.isFinite(lon) && Number.isFinite(lat) ? { type: 'Point', coordinates: [lon, lat] } : null;
      return { type: 'Feature', properties: r, geometry } as Feature;
    });
  }
  throw new Error(`${path}: unsupported file type (use .geojson, .fgb or .csv)`);
}

export function readLayer(path: string, opts: ReadLayerOptions & { kind: 'communities' }): Promise<CommunityFeature[]>;
export function readLayer(path: string, opts: ReadLayerOptions & { kind: 'facilities' }): Promise<FacilityFeature[]>;
export function readLayer(path: string, opts: ReadLayerOptions & { kind: 'roads' }): Promise<RoadFeature[]>;
export function readLayer(path: string, opts?: ReadLayerOptions): Promise<Feature[]>;
export async function readLayer(path: string, opts: ReadLayerOptions = {}): Promise<Feature[]> {
  const raw = await readRaw(path);
  const f = toWgs84(parseCrs(opts.crs ?? 'wgs84'));
  const source = basename(path);
  const out: Feature[] = [];
  raw.forEach((feat, i) => {
    if (!feat.geometry) return;
    let geometry: Geometry;
    try {
      geometry = transformGeometry(feat.geometry, f);
    } catch (e) {
      console.error(`${source}: feature ${i + 1}: invalid geometry skipped (${e instanceof Error ? e.message.slice(0, 80) : e})`);
      return;
    }
    const p: Record<string, unknown> = { ...(feat.properties ?? {}) };
    p.id ??= `${opts.kind ?? 'f'}-${i + 1}`;
    p.synthetic = p.synthetic === true || p.synthetic === 'true';
    p.source ??= source;
    if (opts.kind === 'facilities' && typeof p.category === 'string') p.category = categoryFromText(p.category) ?? p.category;
    out.push({ type: 'Feature', geometry, properties: p });
  });
  return out;
}
