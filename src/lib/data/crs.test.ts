import { describe, expect, it } from 'vitest';
import { candidateCrs, compareCrs, crsFromPrj, detectCrs, fromWgs84, parseCrs, placementCheck, toWgs84, transformGeometry } from './crs';
import { haversine } from './import/roads';

const KONGPU: [number, number] = [121.5702, 29.9071];

describe('parseCrs', () => {
  it('accepts the CLI spellings', () => {
    expect(parseCrs('wgs84')).toBe('EPSG:4326');
    expect(parseCrs('CGCS2000')).toBe('EPSG:4490');
    expect(parseCrs('gcj02')).toBe('GCJ02');
    expect(parseCrs('GCJ-02')).toBe('GCJ02');
    expect(parseCrs('bd09')).toBe('BD09');
    expect(parseCrs('EPSG:4549')).toBe('EPSG:4549');
    expect(parseCrs('4528')).toBe('EPSG:4528');
    expect(parseCrs('epsg:3857')).toBe('EPSG:3857');
  });
  it('rejects unknown systems with a message naming the input', () => {
    expect(() => parseCrs('xian80')).toThrow(/xian80/);
    expect(() => parseCrs('EPSG:2000')).toThrow(/unsupported/);
  });
});

describe('conversions to WGS84', () => {
  it('EPSG:4549 (CGCS2000 GK CM 120°E): Ningbo lies ≈655 km east of the false origin; round trip < 1 mm', () => {
    const [x, y] = fromWgs84('EPSG:4549')(KONGPU);
    expect(x).toBeGreaterThan(640_000);
    expect(x).toBeLessThan(670_000);
    expect(y).toBeGreaterThan(3_300_000);
    expect(y).toBeLessThan(3_320_000);
    const back = toWgs84('EPSG:4549')([x, y]);
    expect(haversine(back, KONGPU)).toBeLessThan(0.001);
  });
  it('EPSG:4528 is the same projection with the zone number 40 prefixed to the easting', () => {
    const a = fromWgs84('EPSG:4549')(KONGPU);
    const b = fromWgs84('EPSG:4528')(KONGPU);
    expect(b[0] - a[0]).toBeCloseTo(40_000_000, 3);
    expect(b[1]).toBeCloseTo(a[1], 6);
  });
  it('Web Mercator round trip', () => {
    const m = fromWgs84('EPSG:3857')(KONGPU);
    expect(m[0]).toBeGreaterThan(13_500_000);
    expect(haversine(toWgs84('EPSG:3857')(m), KONGPU)).toBeLessThan(0.001);
  });
  it('GCJ-02 in Ningbo sits ≈ +0.0042° lon / −0.0026° lat (≈490 m) from WGS84, and converts back within 1 m', () => {
    const g = fromWgs84('GCJ02')(KONGPU);
    expect(g[0] - KONGPU[0]).toBeCloseTo(0.0042, 3);
    expect(g[1] - KONGPU[1]).toBeCloseTo(-0.0026, 3);
    const d = haversine(g, KONGPU);
    expect(d).toBeGreaterThan(400);
    expect(d).toBeLessThan(600);
    expect(haversine(toWgs84('GCJ02')(g), KONGPU)).toBeLessThan(1);
  });
  it('BD-09 is farther off than GCJ-02 and converts back within 2 m', () => {
    const b = fromWgs84('BD09')(KONGPU);
    expect(haversine(b, KONGPU)).toBeGreaterThan(haversine(fromWgs84('GCJ02')(KONGPU), KONGPU));
    expect(haversine(toWgs84('BD09')(b), KONGPU)).toBeLessThan(2);
  });
  it('transformGeometry returns a new geometry and drops a stale bbox', () => {
    const g = Object.freeze({ type: 'Point' as const, coordinates: Object.freeze([121.5, 29.9]) as unknown as number[], bbox: [1, 2, 3, 4] as [number, number, number, number] });
    const out = transformGeometry(g, toWgs84('GCJ02'));
    expect(out).not.toBe(g);
    expect(out.bbox).toBeUndefined();
    expect(out.coordinates[0]).toBeLessThan(121.5);
  });
});

describe('detectCrs', () => {
  const pts = (crs: string) => [KONGPU, [121.55, 29.89], [121.6, 29.93]].map((p) => fromWgs84(crs)(p));
  it('reads a CGCS2000 GK .prj as written by ArcGIS', () => {
    const prj =
      'PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
    expect(crsFromPrj(prj)).toBe('EPSG:4549');
    const g = detectCrs(pts('EPSG:4549'), { prj });
    expect(g.basis).toBe('prj');
    expect(g.reason.zh).toContain('.prj');
  });
  it('recognises the zone-40 prefixed easting by its value range', () => {
    const g = detectCrs(pts('EPSG:4528'));
    expect(g.crs).toBe('EPSG:4528');
    expect(g.reason.en).toMatch(/zone 40/);
  });
  it('takes un-prefixed GK metres as Ningbo’s central meridian 120°E', () => {
    expect(detectCrs(pts('EPSG:4549')).crs).toBe('EPSG:4549');
  });
  it('recognises Web Mercator metres', () => {
    expect(detectCrs(pts('EPSG:3857')).crs).toBe('EPSG:3857');
  });
  it('lon/lat values are WGS84 unless a header names Amap or Baidu, and the reason says the guess needs checking', () => {
    const w = detectCrs(pts('EPSG:4326'));
    expect(w.crs).toBe('EPSG:4326');
    expect(w.reason.en).toMatch(/check the map preview/);
    expect(detectCrs(pts('GCJ02'), { hints: ['经度(高德)'] }).crs).toBe('GCJ02');
    expect(detectCrs(pts('BD09'), { hints: ['百度坐标.csv'] }).crs).toBe('BD09');
  });
});

describe('placementCheck', () => {
  it('counts points outside Jiangbei and far away (a wrong CRS is visible)', () => {
    const ok = placementCheck([KONGPU, [121.55, 29.9]]);
    expect(ok).toEqual({ total: 2, outside: 0, inWater: 0, farAway: 0 });
    // GK metres mistaken for lon/lat land nowhere near
    const wrong = placementCheck([fromWgs84('EPSG:4549')(KONGPU)]);
    expect(wrong.farAway).toBe(1);
  });
  it('uses the district outline and water polygons when given', () => {
    const district = { type: 'Polygon' as const, coordinates: [[[121.5, 29.88], [121.6, 29.88], [121.6, 29.95], [121.5, 29.95], [121.5, 29.88]]] };
    const river = { type: 'Polygon' as const, coordinates: [[[121.55, 29.89], [121.56, 29.89], [121.56, 29.9], [121.55, 29.9], [121.55, 29.89]]] };
    const r = placementCheck([[121.555, 29.895], [121.45, 29.9], KONGPU], district, [river]);
    expect(r).toEqual({ total: 3, outside: 1, inWater: 1, farAway: 0 });
  });
});

describe('compareCrs', () => {
  it('GCJ-02 points next to a river: read as WGS84 some land in the water, read as GCJ-02 none do', () => {
    // a river band just south of the true positions: the ~270 m southward GCJ shift puts points into it
    const truth = [[121.55, 29.9], [121.56, 29.9], [121.57, 29.9005]];
    const river = { type: 'Polygon' as const, coordinates: [[[121.54, 29.8985], [121.58, 29.8985], [121.58, 29.896], [121.54, 29.896], [121.54, 29.8985]]] };
    const raw = truth.map((p) => fromWgs84('GCJ02')(p));
    const r = compareCrs(raw, candidateCrs('EPSG:4326'), null, [river]);
    expect(r.map((x) => x.crs)).toEqual(['EPSG:4326', 'GCJ02', 'BD09']);
    expect(r.find((x) => x.crs === 'GCJ02')!.inWater).toBe(0);
    expect(r.find((x) => x.crs === 'EPSG:4326')!.inWater).toBe(3);
  });
  it('projected guesses are compared with the other projections near Ningbo', () => {
    expect(candidateCrs('EPSG:4528')).toEqual(['EPSG:4528', 'EPSG:4549', 'EPSG:3857']);
    const raw = [fromWgs84('EPSG:4549')([121.55, 29.9])];
    const r = compareCrs(raw, candidateCrs('EPSG:4549'));
    expect(r.find((x) => x.crs === 'EPSG:4549')!.outside).toBe(0);
    expect(r.find((x) => x.crs === 'EPSG:3857')!.farAway).toBe(1);
  });
});
