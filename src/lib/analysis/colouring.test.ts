import { describe, expect, it } from 'vitest';
import { dsatur } from './colouring';

const graph = (edges: [string, string][]) => {
  const m = new Map<string, Set<string>>();
  for (const [a, b] of edges) {
    (m.get(a) ?? m.set(a, new Set()).get(a)!).add(b);
    (m.get(b) ?? m.set(b, new Set()).get(b)!).add(a);
  }
  return m;
};

describe('dsatur', () => {
  it('colours a wheel (hub + odd cycle, chromatic number 4) with 4 colours and no clash', () => {
    const rim = ['a', 'b', 'c', 'd', 'e'];
    const edges: [string, string][] = rim.map((r, i) => [r, rim[(i + 1) % 5]]);
    for (const r of rim) edges.push(['hub', r]);
    const g = graph(edges);
    const r = dsatur(['hub', ...rim], g, 8);
    expect(r.used).toBe(4);
    expect(r.clashes).toEqual([]);
    for (const [a, b] of edges) expect(r.colour[a]).not.toBe(r.colour[b]);
  });

  it('colours a bipartite crown graph with 2 colours where first-fit in input order needs 4', () => {
    // crown graph on 8 nodes: a_i ~ b_j for i ≠ j; interleaved order makes greedy first-fit use 4 colours
    const edges: [string, string][] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (i !== j) edges.push([`a${i}`, `b${j}`]);
    const order = [0, 1, 2, 3].flatMap((i) => [`a${i}`, `b${i}`]);
    const r = dsatur(order, graph(edges), 8);
    expect(r.used).toBe(2);
    expect(r.clashes).toEqual([]);
  });

  it('reports the clashes when k colours are not enough (K5 with 4 colours), never an index ≥ k', () => {
    const ns = ['a', 'b', 'c', 'd', 'e'];
    const edges: [string, string][] = [];
    for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) edges.push([ns[i], ns[j]]);
    const r = dsatur(ns, graph(edges), 4);
    expect(r.clashes).toHaveLength(1);
    expect(Math.max(...Object.values(r.colour))).toBeLessThan(4);
  });

  it('isolated nodes all take colour 0', () => {
    expect(dsatur(['x', 'y'], new Map(), 8).colour).toEqual({ x: 0, y: 0 });
  });

  it('with balance, spreads over all k colours while keeping neighbours apart', () => {
    const ns = Array.from({ length: 10 }, (_, i) => `n${i}`);
    const edges: [string, string][] = ns.slice(1).map((n, i) => [ns[i], n]);
    const r = dsatur(ns, graph(edges), 8, { balance: true });
    expect(r.used).toBe(8);
    expect(r.clashes).toEqual([]);
  });
});
