import { describe, expect, it } from 'vitest';
import { arrayBoxes, EdgeGrid } from './edgegrid';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('EdgeGrid', () => {
  it('returns exactly the boxes that intersect the query (as an R-tree does), long edges included', () => {
    const r = rng(3);
    const n = 2000;
    const box = new Float64Array(4 * n);
    for (let e = 0; e < n; e++) {
      const x = r() * 5000;
      const y = r() * 3000;
      // mostly short segments, some very long roads, some points (zero-size boxes)
      const len = e % 50 === 0 ? 4000 : e % 17 === 0 ? 0 : r() * 120;
      box.set([x, y, x + len * r(), y + len * r()], 4 * e);
    }
    const grid = new EdgeGrid(arrayBoxes(box));
    for (let q = 0; q < 300; q++) {
      const x = r() * 5600 - 300;
      const y = r() * 3600 - 300;
      const h = [0, 5, 25, 100, 400, 1600][q % 6];
      const got = grid.search(x - h, y - h, x + h, y + h).sort((a, b) => a - b);
      const want: number[] = [];
      for (let e = 0; e < n; e++) if (box[4 * e] <= x + h && box[4 * e + 1] <= y + h && box[4 * e + 2] >= x - h && box[4 * e + 3] >= y - h) want.push(e);
      expect(got).toEqual(want);
    }
  });
});
