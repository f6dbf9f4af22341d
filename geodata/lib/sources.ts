/** The source files of the default dataset and their parsed shape (read by build.ts). */
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
export interface CommitteeRow {
  code: string;
  name: string;
  kind: string;
  street: string;
}

/** The raw source files, already parsed (build.ts reads them from geodata/sources/). */
export interface Sources {
  boundary: FeatureCollection<MultiPolygon | Polygon>;
  districts: FeatureCollection<MultiPolygon | Polygon>;
  schools: FeatureCollection;
  hospitals: FeatureCollection;
  commercial: FeatureCollection;
  metro: FeatureCollection;
  committees: CommitteeRow[];
}

export const SOURCE_FILES = {
  boundary: 'jiangbei_district_boundary_cgcs2000.geojson',
  districts: 'ningbo_districts_echarts_wgs84_converted.geojson',
  schools: 'jiangbei_osm_schools_wgs84.geojson',
  hospitals: 'jiangbei_osm_hospitals_wgs84.geojson',
  commercial: 'jiangbei_osm_commercial_wgs84.geojson',
  metro: 'ningbo_metro_stations_wgs84.geojson',
  committees: 'jiangbei_streets_communities_nbs2023.csv',
} as const;
