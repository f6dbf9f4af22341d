/**
 * The side-panel modes (tabs). Each feature adds ONE entry: a lazily imported panel component and,
 * optionally, a theme that colours the communities while the mode is active (read reactively).
 */
import type { Component } from 'svelte';
import type { Theme } from '../map/theme';
import { exploreTheme } from './exploreTheme';
import { bundleTheme } from '../state/bundles.svelte';
import { coverageTheme } from '../state/coverage.svelte';
import { batchTheme, scoreTheme, stageTheme } from './poolThemes.svelte';
import { importTheme } from '../state/import.svelte';
import { coordinationTheme } from './works/worksTheme.svelte';

export interface ModeDef {
  id: string;
  labelKey: string;
  panel: () => Promise<{ default: Component<any> }>;
  theme?: () => Theme | null;
}

export const MODES: ModeDef[] = [
  { id: 'explore', labelKey: 'mode.explore', panel: () => import('./ExplorePanel.svelte'), theme: exploreTheme },
  { id: 'coverage', labelKey: 'mode.coverage', panel: () => import('./CoveragePanel.svelte'), theme: coverageTheme },
  { id: 'scoring', labelKey: 'mode.scoring', panel: () => import('./ScoringPanel.svelte'), theme: scoreTheme },
  { id: 'pool', labelKey: 'mode.pool', panel: () => import('./PoolPanel.svelte'), theme: batchTheme },
  { id: 'workflow', labelKey: 'mode.workflow', panel: () => import('./WorkflowPanel.svelte'), theme: stageTheme },
  { id: 'bundle', labelKey: 'mode.bundle', panel: () => import('./BundlePanel.svelte'), theme: bundleTheme },
  { id: 'coordination', labelKey: 'mode.coordination', panel: () => import('./CoordinationPanel.svelte'), theme: coordinationTheme },
  { id: 'views', labelKey: 'present.mode', panel: () => import('../present/ViewsPanel.svelte') },
  { id: 'import', labelKey: 'mode.import', panel: () => import('./ImportPanel.svelte'), theme: importTheme },
];

export function modeById(id: string): ModeDef {
  return MODES.find((m) => m.id === id) ?? MODES[0];
}
