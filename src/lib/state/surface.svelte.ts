/**
 * The accessibility surface (coverage mode): the walking network coloured by walking distance to the nearest
 * facility of the category the coverage map is coloured by, or to the farthest mandatory ▲ category when it is
 * coloured by "categories lacking". Computed in the worker from the same distance field as coverage
 * (engine.surface), with the what-if proposals included. Only `shown` is the user's choice; the rest is a
 * result, recomputed when the category, the tiers, the standard or the proposals change.
 */
import type { Dataset } from '../domain/types';
import type { CoverageParams } from '../domain/standards';
import type { SurfaceReply } from '../worker/engine';
import { analysis } from '../worker/api';
import { coverage, proposalFacilities, withEngine } from './coverage.svelte';
import { network } from './network.svelte';

class SurfaceState {
  shown = $state(true);
  result = $state.raw<Omit<SurfaceReply, 'lines'> | null>(null);
  /** the network as lines, for the graph the result's classes number (sent by the worker when that changes) */
  lines = $state.raw<{ graph: number; lines: Float64Array } | null>(null);
  /** what the result is for: "category|t5,t10,t15|standard|proposal ids" */
  key = $state<string | null>(null);
  running = $state(false);
  error = $state<string | null>(null);
  /** 'mandatory' or a category code: follows the coverage theme */
  category = $derived(coverage.colorBy === 'lacking' ? 'mandatory' : coverage.colorBy);
}

export const surface = new SurfaceState();

let seq = 0;
export function surfaceKey(): string {
  const t = coverage.params.tierDistanceM;
  return [surface.category, `${t[5]},${t[10]},${t[15]}`, coverage.standardId, coverage.proposals.map((p) => `${p.id}@${p.lon},${p.lat}`).join(';'), JSON.stringify(network.edits), network.fixes.length].join('|');
}

export async function computeSurface(ds: Dataset): Promise<void> {
  const my = ++seq;
  const key = surfaceKey();
  surface.running = true;
  surface.error = null;
  try {
    const r = await withEngine(ds, () =>
      analysis().accessSurface({
        standardId: coverage.standardId,
        params: $state.snapshot(coverage.params) as CoverageParams,
        category: surface.category,
        extraFacilities: proposalFacilities(coverage.proposals),
        haveLinesOf: surface.lines?.graph,
      }),
    );
    if (my !== seq) return;
    if (r?.lines) surface.lines = { graph: r.graph, lines: r.lines };
    // the lines are kept apart (above); the result is the classes and lengths
    surface.result = r && { breaks: r.breaks, cls: r.cls, lengthM: r.lengthM, graph: r.graph, extra: r.extra };
    surface.key = key;
  } catch (e) {
    if (my === seq) surface.error = e instanceof Error ? e.message : String(e);
  } finally {
    if (my === seq) surface.running = false;
  }
}
