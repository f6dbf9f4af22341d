/**
 * What colours the map in the pool mode (a view setting, not an edit). Its own module so that the saved-view
 * providers (present/viewProviders.ts, registered at start) do not pull the pool themes into the start bundle.
 */
export const poolView = $state({ colorBy: 'batch' as 'batch' | 'pool' | 'investment' | 'classmix' });
