/**
 * Loads the dataset: manifest.json, then every layer's FlatGeobuf file, each deserialised
 * (flatgeobuf is imported lazily so it stays out of the first bundle) and validated by
 * schema.ts. Any failure becomes a DataLoadError naming the file and the reason, so the UI
 * can show "communities.fgb: feature 12: field households: expected a non-negative integer,
 * got -3" instead of a blank map.
 */
import type { Dataset, Manifest, ManifestLayer } from '../domain/types';
import { LAYERS, SchemaError, validateLayer, validateSpareSites, type RawFeature } from './schema';
import type { SpareSiteFeature } from '../domain/spare-sites';

export class DataLoadError extends Error {
  /** file name as listed in the manifest (or manifest.json) */
  readonly file: string;
  /** what went wrong, without the file name */
  readonly reason: string;
  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'DataLoadError';
    this.file = file;
    this.reason = reason;
  }
}

const MAGIC = [0x66, 0x67, 0x62, 0x03]; // "fgb" + major version 3

function describeStart(bytes: Uint8Array): string {
  const head = new TextDecoder().decode(bytes.subarray(0, 16)).replace(/\s+/g, ' ').trim();
  return /^[\x20-\x7e]+$/.test(head) ? `starts with "${head}"` : `${bytes.length} bytes`;
}

function assertFlatGeobuf(bytes: Uint8Array, file: string): void {
  if (bytes.length < 12 || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw new DataLoadError(file, `not a FlatGeobuf file (${describeStart(bytes)})`);
  }
}

/**
 * Parse one layer's FlatGeobuf bytes into the typed model. Usable from Node (CLI, tests)
 * without fetch. Throws DataLoadError for a non-FlatGeobuf, truncated or invalid file.
 */
export async function parseLayer<K extends keyof Dataset>(layer: K, bytes: Uint8Array, file: string): Promise<Dataset[K]> {
  assertFlatGeobuf(bytes, file);
  // the bounded reader (checks every length against the bytes) rather than flatgeobuf's deserialize(),
  // which can loop forever on a corrupt header; loaded lazily so flatgeobuf stays out of the first bundle
  const { readFgbBytes } = await import('./import/fgb');
  let raw: RawFeature[];
  let expected = -1;
  try {
    raw = readFgbBytes(bytes, (meta) => {
      expected = Number(meta.featuresCount);
    }).map((f) => ({ geometry: f.geometry ?? null, properties: (f.properties as Record<string, unknown> | undefined) ?? null }));
  } catch (e) {
    throw new DataLoadError(file, `truncated or corrupt FlatGeobuf file (${(e as Error).message})`);
  }
  if (expected >= 0 && raw.length !== expected) {
    throw new DataLoadError(file, `truncated FlatGeobuf file: header announces ${expected} features, read ${raw.length}`);
  }
  try {
    return validateLayer(layer, raw);
  } catch (e) {
    if (e instanceof SchemaError) throw new DataLoadError(file, e.message);
    throw e;
  }
}

function validateManifest(m: unknown): Manifest {
  const bad = (why: string): never => {
    throw new DataLoadError('manifest.json', why);
  };
  if (!m || typeof m !== 'object') return bad('expected a JSON object');
  const o = m as Record<string, unknown>;
  if (!Array.isArray(o['layers'])) return bad('field layers: expected an array');
  if (!Array.isArray(o['attribution'])) return bad('field attribution: expected an array');
  (o['layers'] as unknown[]).forEach((l, i) => {
    const e = l as Partial<ManifestLayer> | null;
    if (!e || typeof e.file !== 'string' || !/^[\w.-]+$/.test(e.file)) bad(`layers[${i}].file: expected a plain file name`);
    if (!LAYERS.includes(e!.layer as keyof Dataset)) bad(`layers[${i}].layer: expected one of ${LAYERS.join(', ')}`);
    if (typeof e!.count !== 'number') bad(`layers[${i}].count: expected a number`);
  });
  return m as Manifest;
}

async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null; // insecure contexts (plain http on a LAN address) have no subtle crypto
  const digest = await subtle.digest('SHA-256', bytes as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface LoadOptions {
  /** directory URL holding manifest.json and the .fgb files */
  baseUrl: string;
  fetch?: typeof fetch;
  onProgress?: (layer: string, done: number, total: number) => void;
}

export async function loadDataset(opts: LoadOptions): Promise<{ dataset: Dataset; manifest: Manifest }> {
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const base = opts.baseUrl.endsWith('/') ? opts.baseUrl : opts.baseUrl + '/';
  const get = async (file: string): Promise<Uint8Array> => {
    let res: Response;
    try {
      res = await doFetch(new URL(file, base).href);
    } catch (e) {
      throw new DataLoadError(file, `could not be fetched (${(e as Error).message})`);
    }
    if (!res.ok) throw new DataLoadError(file, `missing (HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''})`);
    return new Uint8Array(await res.arrayBuffer());
  };

  // the reader module loads while the manifest and the files are on their way (no waterfall)
  const reader = import('./import/fgb');
  reader.catch(() => {}); // a failed import surfaces where parseLayer awaits it
  const manifestBytes = await get('manifest.json');
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch (e) {
    throw new DataLoadError('manifest.json', `not valid JSON (${(e as Error).message})`);
  }
  const manifest = validateManifest(manifestJson);

  const total = LAYERS.length;
  let done = 0;
  const loaded = await Promise.all(
    LAYERS.map(async (layer) => {
      const entry = manifest.layers.find((l) => l.layer === layer);
      if (!entry) throw new DataLoadError('manifest.json', `no entry for layer ${layer}`);
      const bytes = await get(entry.file);
      // the most telling reason first: an HTML fallback page is "not a FlatGeobuf file"
      assertFlatGeobuf(bytes, entry.file);
      if (entry.sha256) {
        const sum = await sha256Hex(bytes);
        if (sum !== null && sum !== entry.sha256) {
          throw new DataLoadError(entry.file, 'content does not match the sha256 in manifest.json (file replaced or damaged)');
        }
      }
      const features = await parseLayer(layer, bytes, entry.file);
      if (features.length !== entry.count) {
        throw new DataLoadError(entry.file, `has ${features.length} features, manifest.json says ${entry.count}`);
      }
      opts.onProgress?.(layer, ++done, total);
      return [layer, features] as const;
    }),
  );
  const dataset = Object.fromEntries(loaded) as unknown as Dataset;
  checkReferences(dataset, manifest);
  return { dataset, manifest };
}

/** Cross-layer check: every gate belongs to a community of the dataset. */
function checkReferences(dataset: Dataset, manifest: Manifest): void {
  const ids = new Set(dataset.communities.map((c) => c.properties.id));
  const file = manifest.layers.find((l) => l.layer === 'gates')?.file ?? 'gates';
  dataset.gates.forEach((g, i) => {
    if (!ids.has(g.properties.community_id)) {
      throw new DataLoadError(
        file,
        `feature ${i}: field community_id: expected the id of a community in the communities layer, got ${JSON.stringify(g.properties.community_id)}`,
      );
    }
  });
}

let initial: { baseUrl: string; promise: Promise<{ dataset: Dataset; manifest: Manifest }> } | null = null;

/**
 * The embedded dataset, loading from the first call on: main.ts calls it before it restores the session and
 * mounts the app (creating the map takes the main thread for a while), App.svelte awaits the same promise.
 * index.html preloads manifest.json and the layer files (vite.config.ts), so the network starts even earlier.
 */
export function initialDataset(baseUrl: string): Promise<{ dataset: Dataset; manifest: Manifest }> {
  if (!initial || initial.baseUrl !== baseUrl) {
    initial = { baseUrl, promise: loadDataset({ baseUrl }) };
    initial.promise.catch(() => {}); // reported where it is awaited (App.svelte)
  }
  return initial.promise;
}

/**
 * Spare sites listed in the manifest's `extra_layers` (demonstration idle rooms and plots), checked like a layer:
 * FlatGeobuf, sha256, count, schema. A manifest without the entry (an older build) gives no sites.
 */
export async function loadSpareSites(opts: LoadOptions, manifest: Manifest): Promise<SpareSiteFeature[]> {
  const entry = manifest.extra_layers?.find((x) => x.layer === 'spare_sites');
  if (!entry) return [];
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const base = opts.baseUrl.endsWith('/') ? opts.baseUrl : opts.baseUrl + '/';
  let res: Response;
  try {
    res = await doFetch(new URL(entry.file, base).href);
  } catch (e) {
    throw new DataLoadError(entry.file, `could not be fetched (${(e as Error).message})`);
  }
  if (!res.ok) throw new DataLoadError(entry.file, `missing (HTTP ${res.status})`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assertFlatGeobuf(bytes, entry.file);
  const sum = entry.sha256 ? await sha256Hex(bytes) : null;
  if (sum !== null && sum !== entry.sha256) throw new DataLoadError(entry.file, 'content does not match the sha256 in manifest.json (file replaced or damaged)');
  const { readFgbBytes } = await import('./import/fgb');
  let raw: RawFeature[];
  try {
    raw = readFgbBytes(bytes, () => {}).map((f) => ({ geometry: f.geometry ?? null, properties: (f.properties as Record<string, unknown> | undefined) ?? null }));
  } catch (e) {
    throw new DataLoadError(entry.file, `truncated or corrupt FlatGeobuf file (${(e as Error).message})`);
  }
  let sites: SpareSiteFeature[];
  try {
    sites = validateSpareSites(raw);
  } catch (e) {
    if (e instanceof SchemaError) throw new DataLoadError(entry.file, e.message);
    throw e;
  }
  if (sites.length !== entry.count) throw new DataLoadError(entry.file, `has ${sites.length} features, manifest.json says ${entry.count}`);
  return sites;
}
