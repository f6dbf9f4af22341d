/**
 * What every map output (print sheet, PNG, report) carries besides the map itself: the legend of the
 * active theme and of the visible facility categories, the data sources from the dataset manifest, the
 * demonstration-data notice and the trace. Read from the same state the screen uses.
 */
import { app } from '../state/app.svelte';
import { t } from '../i18n';
import { exploreTheme } from '../panels/exploreTheme';
import { CATEGORY_COLORS } from '../map/colors';
import { FACILITY_CATEGORIES, FACILITY_CATEGORY_INFO } from '../domain/types';
import type { Theme } from '../map/theme';
import { currentTrace } from './traceParams';
import { traceLines } from './trace';
import { sourceLabels } from '../data/sourceNames';

/** The web font drawn into the map's labels (credited like the map's own attribution control does). */
export const FONT_CREDIT = 'Noto Sans SC © Google (SIL OFL 1.1)';

export interface SheetInfo {
  title: string;
  theme: Theme;
  facilities: { label: string; color: string }[];
  sources: string[];
  demoNotice: string | null;
  trace: { label: string; value: string }[];
}

export function activeTheme(): Theme {
  return app.modeTheme?.() ?? exploreTheme();
}

/** The data sources of every output, named for people (data/sourceNames.ts), with their licences. */
export function sheetSources(): string[] {
  const sources = [...sourceLabels(app.manifest?.attribution ?? [], app.lang), FONT_CREDIT];
  if (app.onlineBasemap) sources.push(app.lang === 'zh' ? '在线底图 © OpenStreetMap 贡献者(ODbL 1.0)' : 'online basemap © OpenStreetMap contributors (ODbL 1.0)');
  return sources;
}

export function sheetInfo(title: string, date = new Date()): SheetInfo {
  const present = new Set(app.dataset.facilities.map((f) => f.properties.category));
  const facilities = FACILITY_CATEGORIES.filter((c) => present.has(c) && !app.hiddenCategories.includes(c)).map((c) => ({
    label: FACILITY_CATEGORY_INFO[c][app.lang],
    color: CATEGORY_COLORS[c],
  }));
  const sources = sheetSources();
  return {
    title,
    theme: activeTheme(),
    facilities,
    sources,
    demoNotice: app.datasetInfo.synthetic ? t('present.demoNotice') : null,
    trace: traceLines(currentTrace(title, date)),
  };
}
