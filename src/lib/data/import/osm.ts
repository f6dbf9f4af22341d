/**
 * OpenStreetMap XML (.osm, as exported by openstreetmap.org or Overpass `out meta;`) → three Sheets:
 * - roads: ways with a walkable or drivable highway=* (footways, paths, steps included), bridge flag;
 * - barriers: waterway=river/canal/stream/drain lines, natural=water / waterway=riverbank areas, railway=rail;
 * - facilities: nodes and closed ways with amenity/shop/leisure/healthcare/public transport tags mapped
 *   onto FACILITY_CATEGORIES (ways as the centroid of their ring vertices).
 * Parsing by fast-xml-parser; O(nodes + way refs).
 */
import { XMLParser } from 'fast-xml-parser';
import type { Geometry } from 'geojson';
import type { FacilityCategoryCode } from '../../domain/types';
import { categoryFromText, roadClassFromOsm } from './fields';
import { ImportError, type Cell, type Sheet } from './types';

type Tags = Record<string, string>;
interface XmlTag {
  k?: string;
  v?: string;
}
interface XmlNode {
  id?: string | number;
  lat?: string | number;
  lon?: string | number;
  tag?: XmlTag[];
}
interface XmlWay {
  id?: string | number;
  nd?: { ref?: string | number }[];
  tag?: XmlTag[];
}

function tagsOf(t: XmlTag[] | undefined): Tags {
  const out: Tags = {};
  for (const x of t ?? []) if (x && x.k !== undefined) out[String(x.k)] = String(x.v ?? '');
  return out;
}

/** OSM tags → facility category, or null when the element is not a facility we analyse. */
export function osmCategory(t: Tags): FacilityCategoryCode | null {
  const a = t.amenity;
  const name = t.name ?? '';
  if (a === 'kindergarten') return /托育|托儿/.test(name) ? 'nursery' : 'kindergarten';
  if (a === 'childcare') return 'nursery';
  if (a === 'school') {
    const byName = categoryFromText(name);
    return byName === 'primary_school' || byName === 'junior_high' || byName === 'kindergarten' ? byName : 'school_other';
  }
  if (a === 'hospital') return /卫生服务中心/.test(name) ? 'health_center' : 'hospital';
  if (a === 'clinic' || a === 'doctors' || t.healthcare === 'clinic') return /卫生服务中心/.test(name) ? 'health_center' : 'health_station';
  if (a === 'marketplace') return 'wet_market';
  if (a === 'community_centre' || a === 'library' || a === 'arts_centre') return /服务/.test(name) ? 'community_service' : 'culture_station';
  if (a === 'social_facility' || a === 'nursing_home') return 'elderly_daycare';
  if (a === 'townhall' || a === 'social_centre') return 'community_service';
  const s = t.shop;
  if (s === 'convenience' || s === 'supermarket') return 'convenience';
  if (s === 'greengrocer' || s === 'butcher' || s === 'seafood') return 'wet_market';
  if (s === 'mall' || s === 'department_store') return 'commercial';
  const l = t.leisure;
  if (l === 'park' || l === 'garden' || l === 'playground') return 'park';
  if (l === 'pitch' || l === 'sports_centre' || l === 'stadium' || l === 'track') return 'sports_ground';
  if (l === 'fitness_station' || l === 'fitness_centre') return 'fitness';
  if (t.highway === 'bus_stop' || (t.public_transport === 'platform' && t.bus === 'yes')) return 'bus_stop';
  if ((t.railway === 'station' || t.public_transport === 'station') && (t.station === 'subway' || t.subway === 'yes')) return 'metro';
  if (t.place === 'square') return 'park';
  return null;
}

function barrierKind(t: Tags): 'river' | 'canal' | 'rail' | null {
  const w = t.waterway;
  if (w === 'river' || w === 'stream' || w === 'riverbank') return 'river';
  if (w === 'canal' || w === 'drain' || w === 'ditch') return 'canal';
  if (t.natural === 'water') return t.water === 'canal' ? 'canal' : 'river';
  if (t.railway === 'rail') return 'rail';
  return null;
}

export function parseOsm(file: string, xml: string): Sheet[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['node', 'way', 'nd', 'tag', 'relation', 'member'].includes(name),
    processEntities: true,
    allowBooleanAttributes: true,
  });
  let doc: { osm?: { node?: XmlNode[]; way?: XmlWay[] } };
  try {
    doc = parser.parse(xml);
  } catch (e) {
    throw new ImportError(file, { zh: `不是有效的 XML: ${(e as Error).message}`, en: `not valid XML: ${(e as Error).message}` });
  }
  if (!doc || typeof doc !== 'object' || !doc.osm || typeof doc.osm !== 'object')
    throw new ImportError(file, { zh: '不是 OpenStreetMap XML (缺少 <osm> 根元素)', en: 'not OpenStreetMap XML (no <osm> root element)' });
  const coords = new Map<string, [number, number]>();
  const facRows: Cell[][] = [];
  const facGeoms: Geometry[] = [];
  for (const n of doc.osm.node ?? []) {
    const lon = Number(n.lon);
    const lat = Number(n.lat);
    if (n.id === undefined || !Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    coords.set(String(n.id), [lon, lat]);
    const t = tagsOf(n.tag);
    const cat = osmCategory(t);
    if (cat) {
      facRows.push([`node/${n.id}`, t.name ?? null, cat, describeTags(t)]);
      facGeoms.push({ type: 'Point', coordinates: [lon, lat] });
    }
  }
  const roadRows: Cell[][] = [];
  const roadGeoms: Geometry[] = [];
  const barRows: Cell[][] = [];
  const barGeoms: Geometry[] = [];
  let missingRefs = 0;
  for (const w of doc.osm.way ?? []) {
    if (w.id === undefined) continue;
    const t = tagsOf(w.tag);
    const line: [number, number][] = [];
    for (const nd of w.nd ?? []) {
      const c = coords.get(String(nd.ref));
      if (c) line.push(c);
      else missingRefs++;
    }
    if (line.length < 2) continue;
    const closed = line.length >= 4 && line[0][0] === line[line.length - 1][0] && line[0][1] === line[line.length - 1][1];
    const cls = t.highway ? roadClassFromOsm(t.highway) : null;
    if (cls && t.area !== 'yes') {
      roadRows.push([`way/${w.id}`, t.name ?? null, cls, t.bridge !== undefined && t.bridge !== 'no', t.highway]);
      roadGeoms.push({ type: 'LineString', coordinates: line });
    }
    const bk = barrierKind(t);
    if (bk) {
      barRows.push([`way/${w.id}`, t.name ?? null, bk]);
      barGeoms.push(closed && (t.natural === 'water' || t.waterway === 'riverbank') ? { type: 'Polygon', coordinates: [line] } : { type: 'LineString', coordinates: line });
    }
    const cat = osmCategory(t);
    if (cat && closed) {
      const ring = line.slice(0, -1);
      const cx = ring.reduce((s, p) => s + p[0], 0) / ring.length;
      const cy = ring.reduce((s, p) => s + p[1], 0) / ring.length;
      facRows.push([`way/${w.id}`, t.name ?? null, cat, describeTags(t)]);
      facGeoms.push({ type: 'Point', coordinates: [cx, cy] });
    }
  }
  const notes = missingRefs ? [{ zh: `${missingRefs} 个道路节点引用在文件中不存在 (已忽略)`, en: `${missingRefs} way node references are not in the file (ignored)` }] : [];
  const mk = (name: string, kindHint: Sheet['kindHint'], headers: string[], rows: Cell[][], geometries: Geometry[]): Sheet => ({
    name,
    headers,
    rows,
    geometries,
    firstRow: 1,
    rowNumbers: rows.map((_, i) => i + 1),
    rowLabel: 'feature',
    declaredCrs: 'EPSG:4326',
    kindHint,
    notes,
  });
  const sheets = [
    mk('roads', 'roads', ['osm_id', 'name', 'highway', 'bridge', 'osm_highway'], roadRows, roadGeoms),
    mk('facilities', 'facilities', ['osm_id', 'name', 'category', 'osm_tags'], facRows, facGeoms),
    mk('barriers', 'barriers', ['osm_id', 'name', 'kind'], barRows, barGeoms),
  ].filter((s) => s.rows.length > 0);
  if (!sheets.length)
    throw new ImportError(file, { zh: 'OSM 文件中没有道路、设施或水系', en: 'the OSM file holds no roads, facilities or waterways' });
  return sheets;
}

function describeTags(t: Tags): string {
  return ['amenity', 'shop', 'leisure', 'healthcare', 'highway', 'railway', 'public_transport']
    .filter((k) => t[k])
    .map((k) => `${k}=${t[k]}`)
    .join(';');
}
