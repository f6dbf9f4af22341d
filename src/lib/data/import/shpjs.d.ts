// shpjs 6 ships no type declarations; these cover the two low-level parsers the importer uses.
declare module 'shpjs' {
  import type { Geometry, FeatureCollection } from 'geojson';
  /** parse .shp bytes; with a .prj text (or false) the coordinates are reprojected to WGS84 by proj4 */
  export function parseShp(shp: ArrayBuffer | DataView | Uint8Array, prj?: string | false): Geometry[];
  /** parse .dbf bytes; `cpg` is the encoding label (contents of the .cpg file) */
  export function parseDbf(dbf: ArrayBuffer | DataView | Uint8Array, cpg?: string): Record<string, unknown>[];
  export function parseZip(zip: ArrayBuffer | Uint8Array): Promise<FeatureCollection | FeatureCollection[]>;
  const getShapefile: (base: unknown) => Promise<FeatureCollection | FeatureCollection[]>;
  export default getShapefile;
}
