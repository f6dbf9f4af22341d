/**
 * Where a community's symbol and label sit: its centroid when that falls inside the polygon, otherwise a
 * point on the surface (Turf pointOnFeature), so an L-shaped estate's circle is never drawn outside it.
 * And the extent of the communities, which the map opens on (not the whole district).
 */
import { bbox, booleanPointInPolygon, centroid, pointOnFeature } from '@turf/turf';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';

type CommunityLike = Feature<Polygon | MultiPolygon | Point, { id: string }>;

export function communityAnchors(communities: readonly CommunityLike[]): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const c of communities) {
    if (!c.geometry) continue;
    if (c.geometry.type === 'Point') {
      out.set(c.properties.id, [c.geometry.coordinates[0], c.geometry.coordinates[1]]);
      continue;
    }
    const cen = centroid(c as Feature<Polygon | MultiPolygon>);
    const at = booleanPointInPolygon(cen, c as Feature<Polygon | MultiPolygon>) ? cen : pointOnFeature(c as Feature<Polygon | MultiPolygon>);
    out.set(c.properties.id, [at.geometry.coordinates[0], at.geometry.coordinates[1]]);
  }
  return out;
}

/** [[west, south], [east, north]] of the given communities, or null when there are none. */
export function communityBounds(communities: readonly CommunityLike[]): [[number, number], [number, number]] | null {
  const withGeom = communities.filter((c) => c.geometry);
  if (withGeom.length === 0) return null;
  const [w, s, e, n] = bbox({ type: 'FeatureCollection', features: withGeom as Feature[] });
  return [
    [w, s],
    [e, n],
  ];
}
