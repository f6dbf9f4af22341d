import { describe, expect, it } from 'vitest';
import { loadSolver, solveMip } from './solver';

const solver = await loadSolver();

describe('solveMip (HiGHS in WebAssembly)', () => {
  it('proves the optimum of a small set packing and returns the solution', () => {
    // groups {0,1}, {1,2}, {0,2}, {0,1,2} over three items; the triple (value 3) beats any pair (2)
    const r = solveMip(solver, {
      sense: 'max',
      cost: [2, 2, 2, 3],
      upper: [1, 1, 1, 1],
      integer: [1, 1, 1, 1],
      rows: [
        { lower: -Infinity, upper: 1, idx: [0, 2, 3], val: [1, 1, 1] },
        { lower: -Infinity, upper: 1, idx: [0, 1, 3], val: [1, 1, 1] },
        { lower: -Infinity, upper: 1, idx: [1, 2, 3], val: [1, 1, 1] },
      ],
    });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(3);
    expect(r.bound).toBe(3);
    expect(Array.from(r.x!)).toEqual([0, 0, 0, 1]);
  });

  it('says infeasible when no solution exists, and answers an empty model', () => {
    const r = solveMip(solver, { sense: 'min', cost: [1], upper: [1], integer: [1], rows: [{ lower: 2, upper: Infinity, idx: [0], val: [1] }] });
    expect(r.status).toBe('infeasible');
    expect(r.x).toBeNull();
    expect(solveMip(solver, { sense: 'max', cost: [], upper: [], integer: [], rows: [] })).toMatchObject({ status: 'optimal', objective: 0 });
  });

  it('keeps a start solution that is better than what the budget reaches', () => {
    // a start is only a hint: with no nodes to spend the answer is at least the start's value
    const cost = Array.from({ length: 30 }, (_, j) => 10 + ((j * 7) % 13));
    const rows = Array.from({ length: 10 }, (_, i) => ({ lower: -Infinity, upper: 1, idx: [i, i + 10, i + 20, (i + 1) % 10 + 10], val: [1, 1, 1, 1] }));
    const start = new Float64Array(30);
    start[0] = 1;
    const r = solveMip(solver, { sense: 'max', cost, upper: new Array(30).fill(1), integer: new Array(30).fill(1), rows }, { maxNodes: 0, start });
    expect(r.objective).toBeGreaterThanOrEqual(cost[0]);
    expect(r.bound).toBeGreaterThanOrEqual(r.objective);
  });
});
