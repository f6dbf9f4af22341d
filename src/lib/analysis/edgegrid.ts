/**
 * A uniform grid over the edges of a walk graph, for snapping: `search(box)` returns the edges whose bounding
 * box intersects the query box — the same set an R-tree returns (Flatbush), so snapping gives the same
 * answer — but the grid is built in O(E) with two counting passes instead of an O(E log E) sort.
 *
 * Cells are about 1.5 × the mean spacing of edges (√(area ÷ E)), so a cell holds a few edges. An edge whose
 * box spans more than MAX_CELLS cells (a very long straight road) goes to a short "large" list that every
 * query checks, instead of being copied into hundreds of cells. Memory ≈ 4 bytes per (edge, cell) pair plus 4 per edge; the boxes are
 * read from the graph's node coordinates, not stored, not even while the grid is built (an array of boxes
 * would be 32 bytes per edge of garbage at every graph build).
 */
import { scratch } from './scratch';

const MAX_CELLS = 64;

/** The bounding boxes of the indexed items, read on demand (a walk graph computes them from its nodes). */
export interface EdgeBoxes {
  count: number;
  minX(e: number): number;
  minY(e: number): number;
  maxX(e: number): number;
  maxY(e: number): number;
  /** item e's box into out[0..3] as minX, minY, maxX, maxY (the grid's build reads every box this way) */
  read(e: number, out: Float64Array): void;
  /** a box holding every item's box: minX, minY, maxX, maxY (the grid's extent) */
  bounds(): [number, number, number, number];
}

/**
 * Boxes of straight segments between nodes: nothing stored beyond the graph's own arrays. A class, not an
 * object of closures: every graph's boxes then share one `read` (the grid's build calls it for every edge),
 * so V8's optimised build keeps its inlined call for the next graph — with new closures per graph, the second
 * build threw its optimised code away ("wrong call target") and ran its hot loop unoptimised, 3.5× slower.
 */
class SegmentBoxes implements EdgeBoxes {
  readonly count: number;
  constructor(
    private readonly edgeA: Uint32Array,
    private readonly edgeB: Uint32Array,
    private readonly nodeX: Float64Array,
    private readonly nodeY: Float64Array,
  ) {
    this.count = edgeA.length;
  }
  minX(e: number): number {
    return Math.min(this.nodeX[this.edgeA[e]], this.nodeX[this.edgeB[e]]);
  }
  minY(e: number): number {
    return Math.min(this.nodeY[this.edgeA[e]], this.nodeY[this.edgeB[e]]);
  }
  maxX(e: number): number {
    return Math.max(this.nodeX[this.edgeA[e]], this.nodeX[this.edgeB[e]]);
  }
  maxY(e: number): number {
    return Math.max(this.nodeY[this.edgeA[e]], this.nodeY[this.edgeB[e]]);
  }
  read(e: number, out: Float64Array): void {
    const { nodeX, nodeY } = this;
    const a = this.edgeA[e];
    const b = this.edgeB[e];
    const ax = nodeX[a];
    const bx = nodeX[b];
    const ay = nodeY[a];
    const by = nodeY[b];
    out[0] = ax < bx ? ax : bx;
    out[1] = ay < by ? ay : by;
    out[2] = ax < bx ? bx : ax;
    out[3] = ay < by ? by : ay;
  }
  // over the nodes in order (every end of every segment is one; a node without edges only widens the grid)
  bounds(): [number, number, number, number] {
    const { nodeX, nodeY } = this;
    const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < nodeX.length; i++) {
      const x = nodeX[i];
      const y = nodeY[i];
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
    return b;
  }
}

/** Boxes of straight segments between nodes (see SegmentBoxes). */
export function segmentBoxes(edgeA: Uint32Array, edgeB: Uint32Array, nodeX: Float64Array, nodeY: Float64Array): EdgeBoxes {
  return new SegmentBoxes(edgeA, edgeB, nodeX, nodeY);
}

/** Boxes given as minX, minY, maxX, maxY per item (a class for the same reason as SegmentBoxes). */
class ArrayBoxes implements EdgeBoxes {
  readonly count: number;
  constructor(private readonly b: Float64Array) {
    this.count = b.length / 4;
  }
  minX(e: number): number {
    return this.b[4 * e];
  }
  minY(e: number): number {
    return this.b[4 * e + 1];
  }
  maxX(e: number): number {
    return this.b[4 * e + 2];
  }
  maxY(e: number): number {
    return this.b[4 * e + 3];
  }
  read(e: number, out: Float64Array): void {
    out.set(this.b.subarray(4 * e, 4 * e + 4));
  }
  bounds(): [number, number, number, number] {
    const b = this.b;
    const r: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let e = 0; e < this.count; e++) {
      r[0] = Math.min(r[0], b[4 * e]);
      r[1] = Math.min(r[1], b[4 * e + 1]);
      r[2] = Math.max(r[2], b[4 * e + 2]);
      r[3] = Math.max(r[3], b[4 * e + 3]);
    }
    return r;
  }
}

/** Boxes given as minX, minY, maxX, maxY per item. */
export function arrayBoxes(b: Float64Array): EdgeBoxes {
  return new ArrayBoxes(b);
}

/** What a walk graph's spatial index answers: the edges whose bounding box meets a box, each once, in no order. */
export interface EdgeIndex {
  search(minX: number, minY: number, maxX: number, maxY: number): number[];
}

/**
 * A base graph's index seen through an edit of the graph (netedit.ts): the base's hits renumbered through
 * `edgeMap` (-1: an edge closed or split, dropped), then the `added` edges (split pieces, new links: a few)
 * tested one by one against their boxes in the edited graph. Made in O(1), where a new grid is O(E): an edit
 * does not index the whole network again. Kept base edges have the same ends and so the same boxes.
 */
export class EditedIndex implements EdgeIndex {
  constructor(
    private readonly base: EdgeIndex,
    private readonly edgeMap: Int32Array,
    private readonly added: readonly number[],
    private readonly box: EdgeBoxes,
  ) {}

  search(minX: number, minY: number, maxX: number, maxY: number): number[] {
    const out: number[] = [];
    for (const e of this.base.search(minX, minY, maxX, maxY)) {
      const m = this.edgeMap[e];
      if (m >= 0) out.push(m);
    }
    const box = this.box;
    for (const e of this.added) if (box.minX(e) <= maxX && box.minY(e) <= maxY && box.maxX(e) >= minX && box.maxY(e) >= minY) out.push(e);
    return out;
  }
}

export class EdgeGrid implements EdgeIndex {
  private minX: number;
  private minY: number;
  private inv: number;
  private nx: number;
  private ny: number;
  private start: Int32Array;
  private items: Int32Array;
  private large: Int32Array;
  private box: EdgeBoxes;
  private seen: Int32Array;
  private query = 0;

  constructor(box: EdgeBoxes) {
    const n = box.count;
    const [x0, y0, x1, y1] = box.bounds();
    const w = Math.max(x1 - x0, 1);
    const h = Math.max(y1 - y0, 1);
    let cell = Math.max(1, 1.5 * Math.sqrt((w * h) / Math.max(n, 1)));
    while ((Math.floor(w / cell) + 1) * (Math.floor(h / cell) + 1) > 4 * n + 16) cell *= 1.5;
    this.minX = x0;
    this.minY = y0;
    this.inv = 1 / cell;
    this.nx = Math.floor(w / cell) + 1;
    this.ny = Math.floor(h / cell) + 1;
    this.box = box;
    this.seen = new Int32Array(n);
    const cells = this.nx * this.ny;
    const nx = this.nx;
    // pass 1 reads each box once and keeps its cell range packed (first column, first row, columns and rows
    // spanned: ≤ MAX_CELLS each): 6 bytes per edge where the grid has under 2¹⁶ columns and rows, against 32
    // for the boxes themselves; edges over MAX_CELLS cells go to `large`. Pass 2 fills the cells from it.
    const range = this.nx <= 0xffff && this.ny <= 0xffff ? scratch('edgegrid.range16', Uint16Array, 3 * n) : scratch('edgegrid.range32', Int32Array, 3 * n);
    const bb = new Float64Array(4);
    const large: number[] = [];
    const start = new Int32Array(cells + 1);
    for (let e = 0; e < n; e++) {
      box.read(e, bb);
      const cx0 = this.cx(bb[0]);
      const cy0 = this.cy(bb[1]);
      const cx1 = this.cx(bb[2]);
      const cy1 = this.cy(bb[3]);
      if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) > MAX_CELLS) {
        large.push(e);
        range[3 * e + 2] = 0xffff;
        continue;
      }
      range[3 * e] = cx0;
      range[3 * e + 1] = cy0;
      range[3 * e + 2] = (cx1 - cx0) | ((cy1 - cy0) << 8);
      for (let cy = cy0; cy <= cy1; cy++) for (let cx = cx0; cx <= cx1; cx++) start[cy * nx + cx + 1]++;
    }
    for (let c = 0; c < cells; c++) start[c + 1] += start[c];
    const fill = scratch('edgegrid.fill', Int32Array, cells);
    fill.set(start.subarray(0, cells));
    const items = new Int32Array(start[cells]);
    for (let e = 0; e < n; e++) {
      const span = range[3 * e + 2];
      if (span === 0xffff) continue;
      const cx0 = range[3 * e];
      const cy0 = range[3 * e + 1];
      const cx1 = cx0 + (span & 0xff);
      const cy1 = cy0 + (span >> 8);
      for (let cy = cy0; cy <= cy1; cy++) for (let cx = cx0; cx <= cx1; cx++) items[fill[cy * nx + cx]++] = e;
    }
    this.start = start;
    this.items = items;
    this.large = Int32Array.from(large);
  }

  /**
   * The same boxes, read from other arrays from now on: a walk graph builds its grid before it renumbers its
   * nodes (the boxes do not change, only the node ids they are read through).
   */
  boxesAre(box: EdgeBoxes): void {
    if (box.count !== this.box.count) throw new Error(`EdgeGrid: ${box.count} boxes given for a grid of ${this.box.count}`);
    this.box = box;
  }

  private cx(x: number): number {
    const c = Math.floor((x - this.minX) * this.inv);
    return c < 0 ? 0 : c >= this.nx ? this.nx - 1 : c;
  }
  private cy(y: number): number {
    const c = Math.floor((y - this.minY) * this.inv);
    return c < 0 ? 0 : c >= this.ny ? this.ny - 1 : c;
  }

  /** Edges whose bounding box intersects [minX, maxX] × [minY, maxY], each once, in no particular order. */
  search(minX: number, minY: number, maxX: number, maxY: number): number[] {
    const out: number[] = [];
    const q = ++this.query;
    const box = this.box;
    const hit = (e: number) => {
      if (this.seen[e] === q) return;
      this.seen[e] = q;
      if (box.minX(e) <= maxX && box.minY(e) <= maxY && box.maxX(e) >= minX && box.maxY(e) >= minY) out.push(e);
    };
    const cx0 = this.cx(minX);
    const cx1 = this.cx(maxX);
    const cy0 = this.cy(minY);
    const cy1 = this.cy(maxY);
    for (let cy = cy0; cy <= cy1; cy++)
      for (let cx = cx0; cx <= cx1; cx++) {
        const c = cy * this.nx + cx;
        for (let k = this.start[c]; k < this.start[c + 1]; k++) hit(this.items[k]);
      }
    for (const e of this.large) hit(e);
    return out;
  }
}
