/**
 * Graph colouring for categorical map themes (bundle colours): DSATUR (Brélaz 1979).
 *
 * What it computes: a colour index per node such that no two neighbours share one, using as few colours as
 * the heuristic finds. Repeatedly colours the uncoloured node with the most distinct colours among its
 * neighbours (saturation), ties broken by degree, then by input order (deterministic). Each node takes the
 * smallest colour no neighbour has. When more than `k` colours would be needed, the node takes the colour
 * least used among its neighbours (a clash is unavoidable; the result says how many edges clash). With
 * `balance`, a node takes the least used of its free colours (spreads a map over all k hues).
 *
 * Complexity: O(n² + m) for n nodes and m edges (n is the number of bundles, tens).
 */
export interface Colouring {
  colour: Record<string, number>;
  /** number of colours used */
  used: number;
  /** neighbour pairs that share a colour (only when k colours do not suffice) */
  clashes: [string, string][];
}

export function dsatur(
  nodes: readonly string[],
  neighbours: ReadonlyMap<string, ReadonlySet<string>>,
  k: number,
  opts: { balance?: boolean } = {},
): Colouring {
  const colour: Record<string, number> = {};
  // balance: among the colours free for a node take the least used so far, so a map uses all k hues
  // (distinct bundles read as distinct) instead of the fewest possible
  const usage = new Array<number>(k).fill(0);
  const order = new Map(nodes.map((n, i) => [n, i] as const));
  const deg = (n: string) => neighbours.get(n)?.size ?? 0;
  const sat = (n: string) => new Set([...(neighbours.get(n) ?? [])].map((m) => colour[m]).filter((c) => c !== undefined)).size;
  const left = new Set(nodes);
  while (left.size > 0) {
    let best: string | null = null;
    for (const n of left) {
      if (best === null) {
        best = n;
        continue;
      }
      const ds = sat(n) - sat(best);
      const dd = deg(n) - deg(best);
      if (ds > 0 || (ds === 0 && (dd > 0 || (dd === 0 && order.get(n)! < order.get(best)!)))) best = n;
    }
    const n = best!;
    left.delete(n);
    const counts = new Array<number>(k).fill(0);
    for (const m of neighbours.get(n) ?? []) if (colour[m] !== undefined) counts[colour[m]]++;
    let c = -1;
    for (let i = 0; i < k; i++) if (counts[i] === 0 && (c < 0 || (opts.balance && usage[i] < usage[c]))) c = i;
    if (c < 0) c = counts.indexOf(Math.min(...counts));
    colour[n] = c;
    usage[c]++;
  }
  const clashes: [string, string][] = [];
  for (const [a, ns] of neighbours) for (const b of ns) if (a < b && colour[a] !== undefined && colour[a] === colour[b]) clashes.push([a, b]);
  return { colour, used: new Set(Object.values(colour)).size, clashes };
}
