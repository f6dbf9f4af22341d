/**
 * Scale bar for printed maps and exported images: the longest "nice" ground length (1, 2 or 5 × 10ⁿ m)
 * that fits in a given width at the map's zoom and latitude.
 *
 * Web Mercator with MapLibre's 512-px tiles: metres per CSS pixel = C · cos(lat) / (512 · 2^zoom),
 * C = 40,075,016.686 m (equatorial circumference of the WGS 84 ellipsoid). O(1).
 */
const EARTH_CIRCUMFERENCE_M = 40075016.686;

export function metresPerPixel(latitude: number, zoom: number): number {
  return (EARTH_CIRCUMFERENCE_M * Math.cos((latitude * Math.PI) / 180)) / (512 * 2 ** zoom);
}

export interface ScaleBar {
  /** ground length the bar stands for */
  metres: number;
  /** bar length in CSS pixels of the map */
  px: number;
  label: string;
}

export function niceLength(maxMetres: number): number {
  if (!(maxMetres > 0)) return 0;
  const p = 10 ** Math.floor(Math.log10(maxMetres));
  const f = maxMetres / p;
  const nice = f >= 5 ? 5 : f >= 2 ? 2 : 1;
  return nice * p;
}

export function scaleBar(latitude: number, zoom: number, maxWidthPx: number): ScaleBar {
  const mpp = metresPerPixel(latitude, zoom);
  const metres = niceLength(mpp * maxWidthPx);
  return { metres, px: metres / mpp, label: metres >= 1000 ? `${metres / 1000} km` : `${metres} m` };
}
