/**
 * Provenance per layer (issue 10): which layers are real, imported or demonstration data, from the features
 * themselves (each carries `synthetic` and `source`), compared with the dataset as first loaded. After importing
 * the 清册 the communities are imported while the walking network may still be demonstration data: the header
 * badge says so instead of turning green for everything. Source strings are made readable in both languages
 * (no script names).
 */
import { sourceLabel } from '../data/sourceNames';
import type { Dataset } from '../domain/types';

export type LayerKey = keyof Dataset;
export type ProvenanceKind = 'real' | 'imported' | 'demo' | 'mixed';
export const LAYERS: readonly LayerKey[] = ['communities', 'gates', 'facilities', 'metro', 'roads', 'barriers', 'districts'];

export interface LayerProvenance {
  layer: LayerKey;
  count: number;
  demo: number;
  kind: ProvenanceKind;
}

export function layerProvenance(ds: Dataset, original: Dataset | null): LayerProvenance[] {
  return LAYERS.filter((l) => ds[l].length > 0).map((layer) => {
    const fs = ds[layer] as { properties: { synthetic?: boolean } | null }[];
    const demo = fs.filter((f) => f.properties?.synthetic === true).length;
    const imported = original !== null && ds[layer] !== original[layer];
    const kind: ProvenanceKind = demo === fs.length ? 'demo' : demo > 0 ? 'mixed' : imported ? 'imported' : 'real';
    return { layer, count: fs.length, demo, kind };
  });
}

/**
 * The header badge: 'demo' while the communities (what every analysis is about) are demonstration data,
 * 'mixed' when they are real or imported but another layer (e.g. the walking network) is not, 'real' otherwise.
 */
export function overallProvenance(ls: readonly LayerProvenance[]): 'demo' | 'mixed' | 'real' {
  const c = ls.find((l) => l.layer === 'communities');
  if (!c || c.kind === 'demo' || c.kind === 'mixed') return 'demo';
  return ls.some((l) => l.kind === 'demo' || l.kind === 'mixed') ? 'mixed' : 'real';
}

/** A source string for people, in the UI language: one naming rule for the app and its outputs (data/sourceNames.ts). */
export function humanSource(src: string, lang: 'zh' | 'en'): string {
  return sourceLabel(src, lang);
}

/** One provenance line for a record: said once ("演示数据(脚本生成,种子 N)"), never "演示数据 · 演示数据(生成)". */
export function provenanceLine(synthetic: boolean, source: string, lang: 'zh' | 'en'): string {
  const h = humanSource(source, lang);
  const demo = lang === 'zh' ? '演示数据' : 'demonstration data';
  if (synthetic && !h.toLowerCase().includes(demo)) return h ? `${demo} · ${h}` : demo;
  return h;
}
