/**
 * Name search over communities, 街道 (sub-districts, Chinese or English name), 社区 (residents' committees),
 * facilities and metro stations, with pinyin (full and initials) via pinyin-pro's `match`. A 街道 or 社区 hit
 * carries the communities it contains. Pure: takes the dataset, returns ranked hits.
 */
import { match } from 'pinyin-pro';
import { STREETS, type Dataset } from '../domain/types';

export interface SearchHit {
  kind: 'community' | 'street' | 'committee' | 'facility' | 'metro';
  /** for 'street' / 'committee': the communities in it */
  members?: string[];
  id: string;
  name: string;
  /** [lon, lat] to fly to */
  center: [number, number];
  /** bounds for polygons */
  bbox?: [number, number, number, number];
  score: number;
}

function bboxOf(coords: unknown): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: any) => {
    if (typeof c[0] === 'number') {
      if (c[0] < b[0]) b[0] = c[0];
      if (c[1] < b[1]) b[1] = c[1];
      if (c[0] > b[2]) b[2] = c[0];
      if (c[1] > b[3]) b[3] = c[1];
    } else for (const x of c) walk(x);
  };
  walk(coords);
  return b;
}

/** 0 = no match; higher is better: exact > prefix > substring > pinyin. */
export function scoreName(name: string, query: string): number {
  const q = query.trim().toLowerCase();
  if (!q) return 0;
  const n = name.toLowerCase();
  if (n === q) return 100;
  if (n.startsWith(q)) return 80;
  if (n.includes(q)) return 60;
  if (/^[a-z\s]+$/.test(q)) {
    const m = match(name, q.replace(/\s+/g, ''), { precision: 'start' });
    if (m && m.length) return m[0] === 0 ? 40 : 30;
  }
  return 0;
}

export function search(dataset: Dataset, query: string, limit = 12): SearchHit[] {
  const hits: SearchHit[] = [];
  for (const c of dataset.communities) {
    const s = scoreName(c.properties.name, query);
    if (s) {
      const bbox = bboxOf(c.geometry.coordinates);
      hits.push({
        kind: 'community',
        id: c.properties.id,
        name: c.properties.name,
        center: [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2],
        bbox,
        score: s + 5,
      });
    }
  }
  // 街道 and 社区: one hit each, over the communities they contain
  const groups = new Map<string, { kind: 'street' | 'committee'; name: string; alt?: string; members: string[]; bbox: [number, number, number, number] }>();
  for (const c of dataset.communities) {
    const p = c.properties;
    const b = bboxOf(c.geometry.coordinates);
    const entries: [('street' | 'committee'), string | null | undefined][] = [['street', p.street], ['committee', p.committee]];
    for (const [kind, name] of entries) {
      if (!name) continue;
      const key = `${kind}:${name}`;
      const g = groups.get(key) ?? { kind, name, alt: kind === 'street' ? STREETS.find((s) => s.zh === name)?.en : undefined, members: [], bbox: [Infinity, Infinity, -Infinity, -Infinity] };
      g.members.push(p.id);
      g.bbox = [Math.min(g.bbox[0], b[0]), Math.min(g.bbox[1], b[1]), Math.max(g.bbox[2], b[2]), Math.max(g.bbox[3], b[3])];
      groups.set(key, g);
    }
  }
  for (const g of groups.values()) {
    const s = Math.max(scoreName(g.name, query), g.alt ? scoreName(g.alt, query) : 0);
    if (s)
      hits.push({ kind: g.kind, id: g.name, name: g.name, members: g.members, bbox: g.bbox, center: [(g.bbox[0] + g.bbox[2]) / 2, (g.bbox[1] + g.bbox[3]) / 2], score: s + 3 });
  }
  for (const f of dataset.facilities) {
    const s = scoreName(f.properties.name, query);
    if (s) hits.push({ kind: 'facility', id: f.properties.id, name: f.properties.name, center: f.geometry.coordinates as [number, number], score: s });
  }
  for (const m of dataset.metro) {
    const s = scoreName(m.properties.name, query);
    if (s) hits.push({ kind: 'metro', id: m.properties.id, name: m.properties.name, center: m.geometry.coordinates as [number, number], score: s });
  }
  hits.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'zh-CN'));
  return hits.slice(0, limit);
}
