/**
 * The offline base style. It has no sources of its own and no `glyphs` URL: every data layer is added
 * by its *Layer component from our own FlatGeobuf data, and text is drawn locally by MapLibre from the
 * web font "Noto Sans SC" shipped with the app (@fontsource/noto-sans-sc, SIL Open Font License 1.1),
 * so Chinese labels render with no network at all.
 */
import type { StyleSpecification } from 'maplibre-gl';
import { MAP_COLORS } from './colors';

export const LABEL_FONT = ['Noto Sans SC'];
/** CSS font family MapLibre uses for CJK ideographs (the same web font; system CJK fonts as fallback). */
export const IDEOGRAPH_FONT_FAMILY = "'Noto Sans SC', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif";

export function offlineStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'jiangbei-offline',
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': MAP_COLORS.background } }],
  };
}

/** Opt-in online basemap (OpenStreetMap raster tiles). Never used unless the user switches it on. */
export const ONLINE_BASEMAP = {
  tiles: ['https://tile.openstreetmap.org/{z}/{x}/{y}.png'],
  attribution: '© OpenStreetMap contributors (ODbL 1.0) — online tiles',
};

/**
 * The initial view and "reset view": the part of Jiangbei where the programme's communities are (the
 * old town between the Yao and Yong rivers up to 庄桥, 洪塘 and 慈城), not the rural north.
 */
export const JIANGBEI_BOUNDS: [[number, number], [number, number]] = [
  [121.43, 29.874],
  [121.605, 29.99],
];
