/** The generator's shared context: seeded random stream, district outline, provenance. */
import { type P, distM, distToLineM, inPolygon } from './geo.ts';
import type { Rng } from './rng.ts';
export interface Ctx {
  rng: Rng;
  source: string;
  outer: P[];
  holes: P[][];
  boundary: P[];
}

export const synth = (ctx: Ctx) => ({ synthetic: true, source: ctx.source });

export function nearestIndex(ring: readonly P[], p: P): number {
  let best = 0;
  let bd = Infinity;
  ring.forEach((q, i) => {
    const d = distM(q, p);
    if (d < bd) {
      bd = d;
      best = i;
    }
  });
  return best;
}

/** the shorter way along a closed ring between two vertex indices */
export function ringPath(ring: readonly P[], from: number, to: number): P[] {
  const n = ring.length - 1; // closed ring: last == first
  const fwd: P[] = [];
  for (let i = from; ; i = (i + 1) % n) {
    fwd.push(ring[i]!);
    if (i === to) break;
  }
  const back: P[] = [];
  for (let i = from; ; i = (i - 1 + n) % n) {
    back.push(ring[i]!);
    if (i === to) break;
  }
  return fwd.length <= back.length ? fwd : back;
}

export function distToBoundary(ctx: Ctx, p: P): number {
  return distToLineM(p, ctx.boundary);
}

export function insideDistrict(ctx: Ctx, p: P): boolean {
  return inPolygon(p, [ctx.outer, ...ctx.holes]);
}
