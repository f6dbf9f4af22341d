/**
 * The mixed-integer solver: HiGHS (University of Edinburgh, https://highs.dev) compiled to WebAssembly
 * (npm `highs`), used by bundle-opt.ts (set packing) and siting.ts (MCLP).
 *
 * Loading is asynchronous (the .wasm file, ~3.5 MB, is compiled once per thread); solving is synchronous.
 * In Node (CLI, tests, benchmarks) the package finds its .wasm beside its loader. In the browser the analysis
 * worker calls `configureSolver({ locateFile })` with the URL of the .wasm that Vite copied into the build
 * (`import wasmUrl from 'highs/runtime?url'`), so the solver is served from the app's own origin: offline.
 *
 * Budgets are in branch-and-bound NODES (`mip_max_nodes`), never wall-clock time, so that the same model
 * gives the same answer on a busy machine and an idle one (HiGHS in WASM is single-threaded and
 * deterministic for fixed options). When a budget stops the search, the result carries the incumbent (the
 * best solution found, never worse than a start solution that was passed in) and the solver's dual bound
 * (from the LP relaxation and its cuts), so the caller can state the gap.
 */
import type { Highs, Model } from 'highs';

export type Solver = Highs;

export interface SolverConfig {
  /** where the .wasm lives (browser builds) */
  locateFile?: (file: string) => string;
}

let config: SolverConfig = {};
let loading: Promise<Solver> | null = null;

/** Tell the loader where to find the .wasm (call before the first loadSolver in a browser build). */
export function configureSolver(c: SolverConfig): void {
  config = c;
  loading = null;
}

/** The solver, loaded once per thread. Rejects with a plain message when the WebAssembly cannot be loaded. */
export function loadSolver(): Promise<Solver> {
  loading ??= import('highs')
    .then((m) => m.default(config.locateFile ? { locateFile: config.locateFile } : {}))
    .catch((e: unknown) => {
      loading = null;
      throw new Error(`the optimisation solver (HiGHS) could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    });
  return loading;
}

/** One sparse row: lower ≤ Σ val[k]·x[idx[k]] ≤ upper. */
export interface MipRow {
  lower: number;
  upper: number;
  idx: readonly number[];
  val: readonly number[];
}

/** A mixed-integer linear programme; every column has lower bound 0. */
export interface MipProblem {
  sense: 'max' | 'min';
  cost: ArrayLike<number>;
  upper: ArrayLike<number>;
  /** 1 = integer column, 0 = continuous */
  integer: ArrayLike<number>;
  rows: readonly MipRow[];
}

export interface MipOptions {
  /** branch-and-bound node budget (default 50,000) */
  maxNodes?: number;
  /** a feasible start solution; the answer is never worse than it */
  start?: ArrayLike<number>;
}

export interface MipResult {
  /** 'optimal': proved; 'limit': the node budget stopped the search (see bound); 'infeasible' */
  status: 'optimal' | 'limit' | 'infeasible';
  /** objective of `x` (NaN without a solution) */
  objective: number;
  /** the solver's dual bound: no solution is better than this (equals objective when optimal) */
  bound: number;
  /** best solution found (null when none) */
  x: Float64Array | null;
  nodes: number;
}

const INF = 1e30;

/** Solve a MIP with HiGHS within a node budget. Throws on a solver error (a malformed model). */
export function solveMip(solver: Solver, p: MipProblem, opts: MipOptions = {}): MipResult {
  const n = p.cost.length;
  if (n === 0) return { status: 'optimal', objective: 0, bound: 0, x: new Float64Array(0), nodes: 0 };
  const m = p.rows.length;
  const starts = new Int32Array(m + 1);
  let nnz = 0;
  for (let r = 0; r < m; r++) {
    starts[r] = nnz;
    nnz += p.rows[r].idx.length;
  }
  starts[m] = nnz;
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  for (const row of p.rows)
    for (let q = 0; q < row.idx.length; q++) {
      indices[k] = row.idx[q];
      values[k++] = row.val[q];
    }
  const C = solver.constants;
  const integrality = new Int32Array(n);
  for (let j = 0; j < n; j++) integrality[j] = p.integer[j] ? C.variableType.integer : C.variableType.continuous;
  const clamp = (v: number) => (v >= INF ? solver.infinity : v <= -INF ? -solver.infinity : v);
  const model: Model = solver.createModel({
    numCols: n,
    numRows: m,
    sense: p.sense === 'max' ? C.objectiveSense.maximize : C.objectiveSense.minimize,
    colCost: Float64Array.from(p.cost),
    colLower: new Float64Array(n),
    colUpper: Float64Array.from(p.upper, clamp),
    rowLower: Float64Array.from(p.rows, (r) => clamp(r.lower)),
    rowUpper: Float64Array.from(p.rows, (r) => clamp(r.upper)),
    matrix: { format: 'csr', numRows: m, numCols: n, starts, indices, values },
    integrality,
  });
  try {
    model.options.set({ output_flag: false, mip_max_nodes: opts.maxNodes ?? 50_000, mip_rel_gap: 0, mip_abs_gap: 1e-9, random_seed: 0 });
    if (opts.start && n > 0) {
      try {
        model.setSolution({ colValue: Float64Array.from(opts.start) });
      } catch {
        // a start the solver rejects is only not used: callers compare the answer with their start anyway
      }
    }
    model.run();
    const st = model.getModelStatus();
    const nodes = Number(model.info.get('mip_node_count'));
    if (st === C.modelStatus.infeasible) return { status: 'infeasible', objective: NaN, bound: NaN, x: null, nodes };
    const primal = Number(model.info.get('primal_solution_status'));
    const has = primal === 2 || st === C.modelStatus.optimal;
    const x = has ? model.getSolution().colValue : null;
    const objective = x ? model.getObjectiveValue() : NaN;
    const optimal = st === C.modelStatus.optimal;
    const rawBound = Number(model.info.get('mip_dual_bound'));
    const bound = optimal ? objective : Number.isFinite(rawBound) ? rawBound : p.sense === 'max' ? Infinity : -Infinity;
    if (!optimal && st !== C.modelStatus.solutionLimit && st !== C.modelStatus.iterationLimit && st !== C.modelStatus.interrupted && st !== C.modelStatus.timeLimit && st !== C.modelStatus.unknown)
      throw new Error(`solver stopped with status ${st}`);
    return { status: optimal ? 'optimal' : 'limit', objective, bound, x, nodes };
  } finally {
    model.dispose();
  }
}
