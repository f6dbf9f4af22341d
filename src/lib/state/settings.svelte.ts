/**
 * The 'settings' slice: analysis assumptions the user edits that belong to no feature's own slice. Today
 * one: the household size used to estimate missing residents (issue 10; `app.householdSize`). Persisted
 * like every other slice (project file, autosave, undo); `null` = the district's own ratio (the default).
 */
import { app } from './app.svelte';
import { edited, registerSlice } from './persisted';
import { t } from '../i18n';

export interface SettingsSliceData {
  version: 1;
  /** persons per household set by the user, or null for the default (the district's own figures) */
  householdSize: number | null;
}

/** Largest household size accepted (a typo of 30 must not multiply every estimate tenfold). */
export const MAX_HOUSEHOLD_SIZE = 10;
export const MIN_HOUSEHOLD_SIZE = 0.5;

export function validHouseholdSize(v: number): boolean {
  return Number.isFinite(v) && v >= MIN_HOUSEHOLD_SIZE && v <= MAX_HOUSEHOLD_SIZE;
}

/** Set (or with null, reset) the household size, as one undoable edit. Out-of-range values are refused (false). */
export function setHouseholdSize(v: number | null): boolean {
  if (v !== null && !validHouseholdSize(v)) return false;
  const next = v === null ? null : Math.round(v * 100) / 100;
  if (next === app.householdSizeOverride) return true;
  app.householdSizeOverride = next;
  edited(next === null ? t('pop.undo.reset') : t('pop.undo.set', { size: next }));
  return true;
}

registerSlice<SettingsSliceData>({
  key: 'settings',
  snapshot: () => ({ version: 1, householdSize: app.householdSizeOverride }),
  restore: (d) => {
    app.householdSizeOverride = d?.householdSize ?? null;
  },
});
