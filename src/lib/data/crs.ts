/**
 * Coordinate reference systems met in Chinese planning data, and conversion to WGS84 (EPSG:4326),
 * the only CRS the rest of the planner sees.
 *
 * - WGS84 (EPSG:4326) and CGCS2000 geographic (EPSG:4490): at district scale they differ by well under
 *   1 m, so 4490 is treated as identical (see ../shared/geodata-sources/PROVENANCE.md).
 * - CGCS2000 3-degree Gauss-Krüger projections: EPSG:4534..4554 (central meridian 75°E..135°E, easting
 *   without zone prefix, e.g. 4549 = CM 120°E used around Ningbo) and EPSG:4513..4533 (zones 25..45,
 *   easting prefixed with the zone number, e.g. 4528 = zone 40 = CM 120°E). Parameters from the EPSG
 *   registry: tmerc, k=1, x_0=500000 (+zone·1e6 for the prefixed set), GRS80 ellipsoid.
 * - Web Mercator (EPSG:3857).
 * - GCJ-02 (国测局, used by Amap/Tencent) and BD-09 (Baidu): obfuscated lon/lat; converted with gcoord.
 *   In Ningbo GCJ-02 sits about +0.0042° lon, -0.0026° lat (~490 m) from WGS84.
 *
 * detectCrs() guesses from a .prj text, header hints and the value range, and always returns a reason
 * so the user can confirm or change the guess; placementCheck() reports how many points land outside
 * Jiangbei or in water, which makes a wrong guess visible.
 *
 * Pure module: no DOM; runs in Node, a worker or the browser.
 */
import proj4 from 'proj4';
import gcoord from 'gcoord';
import type { LonLat } from '../domain/types';

export type CrsId = string; // 'EPSG:4326' | 'EPSG:4490' | 'EPSG:3857' | 'EPSG:45xx' | 'GCJ02' | 'BD09'

export interface CrsInfo {
  id: CrsId;
  zh: string;
  en: string;
  kind: 'geographic' | 'projected' | 'obfuscated';
}

const GRS80_TM = (lon0: number, x0: number) =>
  `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=1 +x_0=${x0} +y_0=0 +ellps=GRS80 +units=m +no_defs`;

const DEFS: Record<string, string> = {
  'EPSG:4490': '+proj=longlat +ellps=GRS80 +no_defs',
};
const GK: Record<string, { cm: number; zone: number | null }> = {};
for (let zone = 25; zone <= 45; zone++) {
  const cm = zone * 3;
  const prefixed = `EPSG:${4513 + zone - 25}`;
  const plain = `EPSG:${4534 + zone - 25}`;
  DEFS[prefixed] = GRS80_TM(cm, zone * 1_000_000 + 500_000);
  DEFS[plain] = GRS80_TM(cm, 500_000);
  GK[prefixed] = { cm, zone };
  GK[plain] = { cm, zone: null };
}
for (const [code, def] of Object.entries(DEFS)) proj4.defs(code, def);

export const CRS_CHOICES: CrsInfo[] = [
  { id: 'EPSG:4326', zh: 'WGS84 经纬度 (GPS, OSM)', en: 'WGS84 lon/lat (GPS, OSM)', kind: 'geographic' },
  { id: 'EPSG:4490', zh: 'CGCS2000 经纬度', en: 'CGCS2000 lon/lat', kind: 'geographic' },
  { id: 'GCJ02', zh: 'GCJ-02 火星坐标 (高德/腾讯)', en: 'GCJ-02 (Amap/Tencent)', kind: 'obfuscated' },
  { id: 'BD09', zh: 'BD-09 百度坐标', en: 'BD-09 (Baidu)', kind: 'obfuscated' },
  { id: 'EPSG:4549', zh: 'CGCS2000 3度带高斯投影 中央经线120°E (EPSG:4549)', en: 'CGCS2000 3° GK CM 120°E (EPSG:4549)', kind: 'projected' },
  { id: 'EPSG:4528', zh: 'CGCS2000 3度带高斯投影 第40带 带号前缀 (EPSG:4528)', en: 'CGCS2000 3° GK zone 40, prefixed (EPSG:4528)', kind: 'projected' },
  { id: 'EPSG:4550', zh: 'CGCS2000 3度带高斯投影 中央经线123°E (EPSG:4550)', en: 'CGCS2000 3° GK CM 123°E (EPSG:4550)', kind: 'projected' },
  { id: 'EPSG:3857', zh: 'Web 墨卡托 (EPSG:3857)', en: 'Web Mercator (EPSG:3857)', kind: 'projected' },
];

/** Normalise user spellings (CLI --crs, .fgb header codes) to a CrsId; throws on unknown input. */
export function parseCrs(input: string): CrsId {
  const s = input.trim().toLowerCase().replace(/[\s_-]/g, '');
  if (s === 'wgs84' || s === 'epsg:4326' || s === '4326' || s === 'crs84') return 'EPSG:4326';
  if (s === 'cgcs2000' || s === 'epsg:4490' || s === '4490') return 'EPSG:4490';
  if (s === 'gcj02' || s === 'gcj' || s === 'amap' || s === 'gaode') return 'GCJ02';
  if (s === 'bd09' || s === 'bd09ll' || s === 'baidu') return 'BD09';
  if (s === 'webmercator' || s === 'epsg:3857' || s === '3857' || s === 'epsg:900913') return 'EPSG:3857';
  const m = /^(?:epsg:)?(\d{4,5})$/.exec(s);
  if (m) {
    const id = `EPSG:${m[1]}`;
    if (id in DEFS || id === 'EPSG:3857' || id === 'EPSG:4326') return id;
    throw new Error(`unsupported coordinate system "${input}" (supported: wgs84, cgcs2000, gcj02, bd09, EPSG:3857, EPSG:4490, EPSG:4513–4554)`);
  }
  throw new Error(`unknown coordinate system "${input}" (use wgs84, cgcs2000, gcj02, bd09 or EPSG:nnnn)`);
}

export function crsLabel(id: CrsId, lang: 'zh' | 'en' = 'zh'): string {
  const c = CRS_CHOICES.find((x) => x.id === id);
  if (c) return c[lang];
  const gk = GK[id];
  if (gk) {
    return lang === 'zh'
      ? `CGCS2000 3度带高斯投影 中央经线${gk.cm}°E${gk.zone ? ` 第${gk.zone}带 带号前缀` : ''} (${id})`
      : `CGCS2000 3° GK CM ${gk.cm}°E${gk.zone ? ` zone ${gk.zone}, prefixed` : ''} (${id})`;
  }
  return id;
}

export type Transform = (xy: readonly number[]) => LonLat;

/** A function converting one coordinate pair of `crs` to WGS84 lon/lat. */
export function toWgs84(crs: CrsId): Transform {
  if (crs === 'EPSG:4326' || crs === 'EPSG:4490') return (p) => [p[0], p[1]];
  if (crs === 'GCJ02') return (p) => gcoord.transform([p[0], p[1]], gcoord.GCJ02, gcoord.WGS84) as LonLat;
  if (crs === 'BD09') return (p) => gcoord.transform([p[0], p[1]], gcoord.BD09, gcoord.WGS84) as LonLat;
  if (crs === 'EPSG:3857' || crs in DEFS) {
    const conv = proj4(crs, 'EPSG:4326');
    return (p) => conv.forward([p[0], p[1]]) as LonLat;
  }
  throw new Error(`unsupported coordinate system ${crs}`);
}

/** The inverse: WGS84 lon/lat to `crs` (used by tests and fixture generation). */
export function fromWgs84(crs: CrsId): Transform {
  if (crs === 'EPSG:4326' || crs === 'EPSG:4490') return (p) => [p[0], p[1]];
  if (crs === 'GCJ02') return (p) => gcoord.transform([p[0], p[1]], gcoord.WGS84, gcoord.GCJ02) as LonLat;
  if (crs === 'BD09') return (p) => gcoord.transform([p[0], p[1]], gcoord.WGS84, gcoord.BD09) as LonLat;
  if (crs === 'EPSG:3857' || crs in DEFS) {
    const conv = proj4('EPSG:4326', crs);
    return (p) => conv.forward([p[0], p[1]]) as LonLat;
  }
  throw new Error(`unsupported coordinate system ${crs}`);
}

/** Apply a coordinate transform to every position of a GeoJSON geometry; returns a new geometry. */
export function transformGeometry<G extends GeoJSON.Geometry>(g: G, f: Transform): G {
  const pos = (p: GeoJSON.Position): GeoJSON.Position => {
    const [x, y] = f(p);
    return [x, y];
  };
  // a bbox member would still be in the source CRS: it is dropped, not copied
  switch (g.type) {
    case 'Point':
      return { type: g.type, coordinates: pos(g.coordinates) } as G;
    case 'MultiPoint':
    case 'LineString':
      return { type: g.type, coordinates: g.coordinates.map(pos) } as G;
    case 'MultiLineString':
    case 'Polygon':
      return { type: g.type, coordinates: g.coordinates.map((r) => r.map(pos)) } as G;
    case 'MultiPolygon':
      return { type: g.type, coordinates: g.coordinates.map((p) => p.map((r) => r.map(pos))) } as G;
    case 'GeometryCollection':
      return { type: g.type, geometries: g.geometries.map((x) => transformGeometry(x, f)) } as G;
  }
  return g;
}

export interface CrsGuess {
  crs: CrsId;
  /** how sure: 'prj'/'header' are declared by the file, 'range' is inferred from values */
  basis: 'prj' | 'header' | 'hint' | 'range' | 'default';
  reason: { zh: string; en: string };
}

/** Map a .prj (ESRI WKT) text onto a CrsId, or null when unrecognised. */
export function crsFromPrj(prj: string): CrsId | null {
  const t = prj.replace(/\s+/g, ' ');
  const projcs = /PROJCS\["([^"]*)"/i.exec(t)?.[1] ?? '';
  const geogcs = /GEOGCS\["([^"]*)"/i.exec(t)?.[1] ?? '';
  const authority = /AUTHORITY\["EPSG",\s*"?(\d+)"?\]\s*\]\s*$/i.exec(t.trim())?.[1];
  if (authority && (`EPSG:${authority}` in DEFS || authority === '3857' || authority === '4326')) return `EPSG:${authority}`;
  if (projcs) {
    if (/mercator/i.test(projcs) && /(web|pseudo|auxiliary|sphere)/i.test(t)) return 'EPSG:3857';
    const cgcs = /cgcs|china.?geodetic|2000/i.test(projcs + geogcs);
    const gk = /gauss|kruger|gk|tm|transverse/i.test(projcs + t);
    if (cgcs && gk) {
      const lon0 = Number(/PARAMETER\["central_meridian",\s*([-\d.]+)\]/i.exec(t)?.[1]);
      const x0 = Number(/PARAMETER\["false_easting",\s*([-\d.]+)\]/i.exec(t)?.[1]);
      if (Number.isFinite(lon0) && lon0 % 3 === 0 && lon0 >= 75 && lon0 <= 135) {
        const zone = lon0 / 3;
        if (x0 === 500000) return `EPSG:${4534 + zone - 25}`;
        if (x0 === zone * 1_000_000 + 500_000) return `EPSG:${4513 + zone - 25}`;
      }
    }
    return null;
  }
  if (/GCS_WGS_1984|WGS.?84/i.test(geogcs)) return 'EPSG:4326';
  if (/CGCS|China_Geodetic_Coordinate_System_2000|China.?2000/i.test(geogcs)) return 'EPSG:4490';
  return null;
}

const NINGBO_LON = 121.55;

/**
 * Guess the CRS of coordinate pairs (x = easting/lon, y = northing/lat).
 * `hints` are header texts / file names that may declare the CRS (e.g. "经度(高德)", "bd09").
 */
export function detectCrs(points: readonly (readonly number[])[], opts: { prj?: string | null; hints?: string[] } = {}): CrsGuess {
  if (opts.prj) {
    const c = crsFromPrj(opts.prj);
    if (c)
      return {
        crs: c,
        basis: 'prj',
        reason: { zh: `来自 .prj 文件: ${crsLabel(c, 'zh')}`, en: `from the .prj file: ${crsLabel(c, 'en')}` },
      };
  }
  const hint = (opts.hints ?? []).join(' ').toLowerCase();
  const finite = points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  const xs = finite.map((p) => p[0]).sort((a, b) => a - b);
  const ys = finite.map((p) => p[1]).sort((a, b) => a - b);
  const mx = xs[xs.length >> 1];
  const my = ys[ys.length >> 1];
  const geographicRange = finite.length > 0 && mx >= 73 && mx <= 136 && my >= 3 && my <= 54;
  if (geographicRange || finite.length === 0) {
    if (/gcj|高德|amap|gaode|腾讯|tencent|火星/.test(hint))
      return { crs: 'GCJ02', basis: 'hint', reason: { zh: '列名或文件名提到高德/GCJ-02', en: 'a column or file name mentions Amap/GCJ-02' } };
    if (/bd09|百度|baidu/.test(hint))
      return { crs: 'BD09', basis: 'hint', reason: { zh: '列名或文件名提到百度/BD-09', en: 'a column or file name mentions Baidu/BD-09' } };
    if (/cgcs|2000|4490/.test(hint))
      return { crs: 'EPSG:4490', basis: 'hint', reason: { zh: '列名或文件名提到 CGCS2000', en: 'a column or file name mentions CGCS2000' } };
    if (finite.length === 0)
      return { crs: 'EPSG:4326', basis: 'default', reason: { zh: '没有坐标，默认 WGS84', en: 'no coordinates; WGS84 by default' } };
    return {
      crs: 'EPSG:4326',
      basis: 'range',
      reason: {
        zh: '数值为经纬度 (经度 73–136, 纬度 3–54)。无法仅凭数值区分 WGS84 与 GCJ-02/百度坐标 (相差约 500 米)：请在地图预览中核对',
        en: 'values are lon/lat (lon 73–136, lat 3–54). WGS84 cannot be told from GCJ-02/BD-09 (≈500 m apart) by values alone: check the map preview',
      },
    };
  }
  // projected metres
  if (mx > 1e7 && mx < 1e8 && my > 1e6 && my < 7e6) {
    const zone = Math.floor(mx / 1e6);
    if (zone >= 25 && zone <= 45) {
      const id = `EPSG:${4513 + zone - 25}`;
      return {
        crs: id,
        basis: 'range',
        reason: {
          zh: `X 约 ${Math.round(mx)} 米，前两位 ${zone} 为带号：CGCS2000 3度带第${zone}带 (${id})`,
          en: `X ≈ ${Math.round(mx)} m; its leading digits ${zone} are a zone number: CGCS2000 3° GK zone ${zone} (${id})`,
        },
      };
    }
    // Web Mercator: x for lon 73..136 is 8.1e6..15.1e6
  }
  if (mx > 8e6 && mx < 1.52e7 && my > 3e5 && my < 7.2e6) {
    return {
      crs: 'EPSG:3857',
      basis: 'range',
      reason: { zh: `X 约 ${Math.round(mx)} 米，符合 Web 墨卡托 (EPSG:3857)`, en: `X ≈ ${Math.round(mx)} m, in the Web Mercator range (EPSG:3857)` },
    };
  }
  if (mx > 1e5 && mx < 9e5 && my > 1e6 && my < 7e6) {
    // The zone is not in the values: try the central meridians near Ningbo and keep the one that puts
    // the points nearest Jiangbei (EPSG:4549, CM 120°E, is what Ningbo's surveys use).
    let cm = 120;
    let best = Infinity;
    for (const c of [120, 117, 123]) {
      const [lon, lat] = toWgs84(`EPSG:${4534 + c / 3 - 25}`)([mx, my]);
      const d = Math.hypot(lon - NINGBO_LON, lat - 29.93);
      if (d < best - 1e-9) {
        best = d;
        cm = c;
      }
    }
    const id = `EPSG:${4534 + cm / 3 - 25}`;
    return {
      crs: id,
      basis: 'range',
      reason: {
        zh: `X 约 ${Math.round(mx)} 米 (无带号)、Y 约 ${Math.round(my)} 米：高斯投影坐标；按中央经线 ${cm}°E (${id}) 换算最接近江北区`,
        en: `X ≈ ${Math.round(mx)} m (no zone prefix), Y ≈ ${Math.round(my)} m: Gauss-Krüger metres; central meridian ${cm}°E (${id}) puts them nearest Jiangbei`,
      },
    };
  }
  return {
    crs: 'EPSG:4326',
    basis: 'default',
    reason: {
      zh: `无法识别坐标范围 (X 约 ${mx}, Y 约 ${my})，请手动选择坐标系`,
      en: `coordinate range not recognised (X ≈ ${mx}, Y ≈ ${my}); choose the coordinate system by hand`,
    },
  };
}

/**
 * Swapped X/Y (issue 16): a northing given as X and an easting as Y (surveyors write northing first; lists of
 * "lat, lon" are common). When the values as given (read as `crs`, or as guessed) land far from Jiangbei and
 * the swapped values are recognised and land in or near it, returns the guess for the swapped values;
 * otherwise null. O(points).
 */
export function detectSwap(points: readonly (readonly number[])[], crs?: CrsId): CrsGuess | null {
  const finite = points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (!finite.length) return null;
  if (nearJiangbei(finite, crs ?? detectCrs(finite).crs)) return null;
  const swapped = finite.map((p) => [p[1], p[0]]);
  const g = detectCrs(swapped);
  if (g.basis === 'default' || !nearJiangbei(swapped, g.crs)) return null;
  return g;
}

/** at least half of the points within ~20 km of Jiangbei when read as `crs` */
function nearJiangbei(points: readonly (readonly number[])[], crs: CrsId): boolean {
  try {
    const f = toWgs84(crs);
    const c = placementCheck(points.map((p) => f(p)));
    return c.farAway * 2 <= c.total;
  } catch {
    return false;
  }
}

/** Jiangbei district bounding box (WGS84), from geodata/sources/jiangbei_district_boundary_cgcs2000.geojson. */
export const JIANGBEI_BBOX: readonly [number, number, number, number] = [121.3514, 29.8749, 121.6417, 30.0599];

type Area = GeoJSON.Polygon | GeoJSON.MultiPolygon;

function inRing(p: readonly number[], ring: GeoJSON.Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
/** Even-odd point in polygon (holes included), O(vertices). */
export function pointInArea(p: readonly number[], g: Area): boolean {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const poly of polys) {
    if (!poly.length || !inRing(p, poly[0])) continue;
    let hole = false;
    for (let k = 1; k < poly.length; k++) if (inRing(p, poly[k])) hole = true;
    if (!hole) return true;
  }
  return false;
}

export interface PlacementCheck {
  total: number;
  /** outside the district outline (or its bbox when no outline is given) */
  outside: number;
  /** inside a water polygon */
  inWater: number;
  /** farther than ~20 km from the district bbox: almost surely a wrong CRS */
  farAway: number;
}

/**
 * How many WGS84 points land outside Jiangbei or in water. O(points × vertices).
 * `district` is the Jiangbei outline (focus district) and `water` the river polygons, both optional.
 */
export function placementCheck(points: readonly (readonly number[])[], district?: Area | null, water: Area[] = []): PlacementCheck {
  const [x0, y0, x1, y1] = JIANGBEI_BBOX;
  const pad = 0.2; // ≈20 km
  let outside = 0;
  let inWater = 0;
  let farAway = 0;
  for (const p of points) {
    const inBox = p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1;
    const inside = inBox && (district ? pointInArea(p, district) : true);
    if (!inside) outside++;
    if (!(p[0] >= x0 - pad && p[0] <= x1 + pad && p[1] >= y0 - pad && p[1] <= y1 + pad)) farAway++;
    if (inBox && water.some((w) => pointInArea(p, w))) inWater++;
  }
  return { total: points.length, outside, inWater, farAway };
}

export interface CandidateCheck extends PlacementCheck {
  crs: CrsId;
}

/**
 * The placement check for each candidate CRS of the same raw coordinates, so the user can see which
 * reading puts the records in Jiangbei and out of the water (the one way to tell WGS84 from GCJ-02/BD-09,
 * ≈500 m apart, when the file does not say). Candidates that throw are left out. O(candidates × placementCheck).
 */
export function compareCrs(raw: readonly (readonly number[])[], candidates: CrsId[], district?: Area | null, water: Area[] = []): CandidateCheck[] {
  const out: CandidateCheck[] = [];
  for (const crs of candidates) {
    try {
      const f = toWgs84(crs);
      const pts = raw.map((p) => f(p)).filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
      out.push({ crs, ...placementCheck(pts, district, water) });
    } catch {
      // this reading of the values is impossible (e.g. metres read as GCJ-02); not a candidate
    }
  }
  return out;
}

/** The candidates worth comparing for raw values: lon/lat readings, or the projected ones near Ningbo. */
export function candidateCrs(guess: CrsId): CrsId[] {
  const geographic: CrsId[] = ['EPSG:4326', 'GCJ02', 'BD09'];
  if (geographic.includes(guess) || guess === 'EPSG:4490') return geographic;
  return [...new Set([guess, 'EPSG:4549', 'EPSG:4528', 'EPSG:3857'])];
}
