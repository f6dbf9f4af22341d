/**
 * The offline base style. It has no sources of its own: every data layer is added by its *Layer component from
 * our own FlatGeobuf data. Labels use SDF glyph ranges of Noto Sans SC (SIL Open Font License 1.1) built at
 * `npm run geodata` time into public/glyphs/ for the characters in use, served by the app itself through the
 * `planner-glyphs` protocol (glyphs/protocol.ts: built ranges + characters a later import brings, drawn on the
 * fly), so Chinese labels render with no network at all and no web font on the way to the first map.
 */
import type { StyleSpecification } from 'maplibre-gl';
import { MAP_COLORS } from './colors';
import { LABEL_STACKS, type LabelGroup } from './glyphs/ranges';

/** `text-font` of a label layer: its group's font stack (glyphs/ranges.ts LABEL_STACKS says why there are groups) */
export const labelFont = (group: LabelGroup): string[] => [LABEL_STACKS[group]];

/** `glyphs`: the URL of the label glyph ranges ({fontstack}, {range}); see glyphs/protocol.ts */
export function offlineStyle(glyphs: string): StyleSpecification {
  return {
    version: 8,
    name: 'jiangbei-offline',
    glyphs,
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
