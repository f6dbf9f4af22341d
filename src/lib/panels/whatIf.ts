/**
 * From a community's missing facility to a what-if (issue 13): open the coverage mode on that category, with
 * the community selected, the map on it, and a proposal of that category armed (a click on the map places it;
 * "place it here" puts it at the community's own anchor point in one click).
 */
import { app } from '../state/app.svelte';
import { coverage, categoryLabel } from '../state/coverage.svelte';
import { communityAnchors } from '../map/anchors';
import { t } from '../i18n';
import type { FacilityCategoryCode } from '../domain/types';

export function openWhatIf(communityId: string, category: FacilityCategoryCode): void {
  const c = app.communityById.get(communityId);
  if (!c) return;
  const at = communityAnchors([c]).get(communityId);
  if (!at) return;
  app.selectedId = communityId;
  app.mode = 'coverage';
  coverage.colorBy = category;
  coverage.routeCategory = category;
  coverage.whatIf = { communityId, category, at };
  coverage.clickAction = { kind: 'place', category };
  app.map?.flyTo({ center: at, zoom: Math.max(app.map.getZoom(), 15), duration: 600 });
}

/** Place the armed what-if's facility at the community's anchor point (one undoable edit). */
export function placeWhatIfHere(): void {
  const w = coverage.whatIf;
  if (!w) return;
  coverage.addProposal({
    category: w.category,
    lon: w.at[0],
    lat: w.at[1],
    kind: 'point',
    label: t('coverage.proposals.point', { cat: categoryLabel(w.category) }),
  });
  coverage.whatIf = null;
  coverage.clickAction = null;
}
