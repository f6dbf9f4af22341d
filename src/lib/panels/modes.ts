/**
 * The side-panel modes (tabs). Each feature adds ONE entry: a lazily imported panel component and,
 * optionally, a lazily imported theme that colours the communities while the mode is active (the theme
 * function is read reactively once loaded). Nothing of a mode's code is in the start bundle (issue 12
 * goal 3): only the explore mode's colouring is, as the map's default (`exploreTheme`, used by App.svelte
 * for modes without a theme and while a mode's theme is on its way).
 */
import type { Component } from 'svelte';
import type { Theme } from '../map/theme';

export type ThemeFn = () => Theme | null;

export interface ModeDef {
  id: string;
  labelKey: string;
  panel: () => Promise<{ default: Component<any> }>;
  /** loads the mode's theme function (absent: the explore colouring) */
  theme?: () => Promise<ThemeFn>;
}

export const MODES: ModeDef[] = [
  { id: 'explore', labelKey: 'mode.explore', panel: () => import('./ExplorePanel.svelte') },
  { id: 'coverage', labelKey: 'mode.coverage', panel: () => import('./CoveragePanel.svelte'), theme: () => import('../state/coverage.svelte').then((m) => m.coverageTheme) },
  { id: 'scoring', labelKey: 'mode.scoring', panel: () => import('./ScoringPanel.svelte'), theme: () => import('./poolThemes.svelte').then((m) => m.scoreTheme) },
  { id: 'pool', labelKey: 'mode.pool', panel: () => import('./PoolPanel.svelte'), theme: () => import('./poolThemes.svelte').then((m) => m.batchTheme) },
  { id: 'workflow', labelKey: 'mode.workflow', panel: () => import('./WorkflowPanel.svelte'), theme: () => import('./poolThemes.svelte').then((m) => m.stageTheme) },
  { id: 'bundle', labelKey: 'mode.bundle', panel: () => import('./BundlePanel.svelte'), theme: () => import('../state/bundles.svelte').then((m) => m.bundleTheme) },
  { id: 'coordination', labelKey: 'mode.coordination', panel: () => import('./CoordinationPanel.svelte'), theme: () => import('./works/worksTheme.svelte').then((m) => m.coordinationTheme) },
  { id: 'views', labelKey: 'present.mode', panel: () => import('../present/ViewsPanel.svelte') },
  { id: 'import', labelKey: 'mode.import', panel: () => import('./ImportPanel.svelte'), theme: () => import('../state/import.svelte').then((m) => m.importTheme) },
];

export function modeById(id: string): ModeDef {
  return MODES.find((m) => m.id === id) ?? MODES[0];
}
