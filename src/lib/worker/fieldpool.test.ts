/**
 * The search-worker pool (fieldpool.ts) over an in-process port that behaves like a worker: messages are
 * structured-cloned (buffers transferred) and delivered later. The coverage it warms must equal the coverage
 * searched in one thread, and a worker that fails must cost nothing but time.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseLayer } from '../data/load';
import type { Dataset } from '../domain/types';
import { DEFAULT_PARAMS, STANDARDS } from '../domain/standards';
import { CoverageCache, coverageTables, prepareCoverage, type CommunityInput, type FacilityInput, type GateInput } from '../analysis/coverage';
import { buildWalkGraph, type RoadLike } from '../analysis/walkgraph';
import { FieldPool, POOL_MIN_NODES, serveFields, warmFields, type FieldPort, type FieldReply, type FieldRequest } from './fieldpool';

async function layer<T>(name: keyof Dataset): Promise<T[]> {
  return (await parseLayer(name, new Uint8Array(readFileSync(`public/data/${name}.fgb`)), `${name}.fgb`)) as unknown as T[];
}

/** A port to a "worker" in this thread; `broken` makes every search fail as a crashed worker would. */
function localPort(stats: { graphs: number; searches: number }, broken = false): FieldPort {
  let reply: (m: FieldReply) => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const serve = serveFields((m, transfer) => {
    const copy = structuredClone(m, { transfer });
    setTimeout(() => reply(copy), 0);
  });
  return {
    post(msg: FieldRequest, transfer) {
      const copy = structuredClone(msg, { transfer });
      if (copy.kind === 'graph') stats.graphs++;
      else stats.searches++;
      setTimeout(() => (broken ? fail(new Error('worker crashed')) : serve(copy)), 0);
    },
    listen(fn, f) {
      reply = fn;
      fail = f;
    },
    close() {},
  };
}

describe('field pool', async () => {
  const communities = await layer<CommunityInput>('communities');
  const gates = await layer<GateInput>('gates');
  const facilities = await layer<FacilityInput>('facilities');
  const g = buildWalkGraph(await layer<RoadLike>('roads'), { reorder: true });
  const ctx = prepareCoverage(communities, gates, g);
  const standard = STANDARDS.gb50180;
  const cats = standard.rules.map((r) => r.category as string);
  const expected = coverageTables(ctx, facilities, standard, DEFAULT_PARAMS, { cache: new CoverageCache(ctx, facilities) });

  it('warms every category across two workers and this thread; the coverage is the one-thread coverage', async () => {
    const stats = { graphs: 0, searches: 0 };
    const pool = new FieldPool(() => localPort(stats), 2);
    const cache = new CoverageCache(ctx, facilities, { keepSources: true });
    const got = await warmFields(cache, cats, pool, 0);
    const present = cache.toSearch(cats);
    expect(present).toEqual([]); // nothing left to search
    // dealt as the threads come free: the workers delivered some, this thread searched the rest, none twice;
    // each worker got the graph once
    expect(got).toBeGreaterThan(0);
    expect(got).toBeLessThan(cats.length);
    expect(stats.searches).toBe(got);
    expect(cache.searches).toBe(cats.length);
    expect(stats.graphs).toBe(2);
    const t = coverageTables(ctx, facilities, standard, DEFAULT_PARAMS, { cache });
    expect([...t.dist]).toEqual([...expected.dist]);
    expect([...t.facility]).toEqual([...expected.facility]);
    expect([...t.origin]).toEqual([...expected.origin]);
    // warm again: nothing to do, no message sent
    const before = stats.searches;
    expect(await warmFields(cache, cats, pool, 0)).toBe(0);
    expect(stats.searches).toBe(before);
    // a cache that keeps no per-node sources reads the sources the workers gathered at the origins' ends
    const lean = new CoverageCache(ctx, facilities);
    await warmFields(lean, cats, pool, 0);
    const l = coverageTables(ctx, facilities, standard, DEFAULT_PARAMS, { cache: lean });
    expect([...l.dist]).toEqual([...expected.dist]);
    expect([...l.facility]).toEqual([...expected.facility]);
    expect([...l.origin]).toEqual([...expected.origin]);
  });

  it('a network as small as the default dataset is searched here alone: no message is sent', async () => {
    const stats = { graphs: 0, searches: 0 };
    const pool = new FieldPool(() => localPort(stats), 2);
    expect(g.nodeCount).toBeLessThan(POOL_MIN_NODES);
    expect(await warmFields(new CoverageCache(ctx, facilities), cats, pool)).toBe(0);
    expect(stats).toEqual({ graphs: 0, searches: 0 });
  });

  it('a failing worker hands its categories back to this thread: same coverage', async () => {
    const stats = { graphs: 0, searches: 0 };
    const pool = new FieldPool(() => localPort(stats, true), 1);
    const cache = new CoverageCache(ctx, facilities);
    expect(await warmFields(cache, cats, pool, 0)).toBe(0);
    // the categories sent to the failed worker came back and were searched here, within the same call
    expect(cache.toSearch(cats)).toEqual([]);
    expect(cache.searches).toBe(cats.length);
    const t = coverageTables(ctx, facilities, standard, DEFAULT_PARAMS, { cache });
    expect([...t.dist]).toEqual([...expected.dist]);
    expect([...t.facility]).toEqual([...expected.facility]);
  });
});
