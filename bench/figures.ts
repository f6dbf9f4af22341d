/**
 * Figures of `npm run bench`: every timed figure is measured over ≥ 5 runs and recorded as
 * { name, runs, median_ms, min_ms, max_ms, baseline?, ratio? } (ratio = baseline median ÷ this median, so > 1
 * means faster than the baseline). bench/run.ts writes them with `--json FILE`.
 */
import { cpus, loadavg } from 'node:os';

export interface Figure {
  name: string;
  runs: number;
  median_ms: number;
  min_ms: number;
  max_ms: number;
  baseline?: string;
  ratio?: number;
  /**
   * median CPU time of this process per run (user + system), ms: on a shared, overloaded machine wall time
   * mostly measures waiting for a core; CPU time shows the work itself (GC threads may add a little)
   */
  cpu_median_ms?: number;
  /** anything else worth keeping beside the figure (sizes, memory, agreement counts) */
  note?: string;
}

export const figures: Figure[] = [];

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Time `fn` `runs` times (after `before()` each time, untimed) and record the figure. */
export function measure(name: string, fn: () => void, runs = 5, before?: () => void): Figure {
  const t: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return record(name, t, { cpu_median_ms: median(cpu) });
}

/** measure() for work that awaits (worker pools): wall time per run; CPU time is the whole process's, workers included. */
export async function measureAsync(name: string, fn: () => Promise<void>, runs = 5): Promise<Figure> {
  const t: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return record(name, t, { cpu_median_ms: median(cpu) });
}

/**
 * Time several alternatives in rounds, one run of each per round (A B C A B C …), so that a machine whose speed
 * drifts (other work, a neighbour on the host) slows every alternative alike and their ratio holds; a round's
 * functions may await (worker pools: wall time, CPU of the whole process). Records one figure per alternative.
 */
export async function measureInterleaved(runs: number, alts: readonly { name: string; fn: () => void | Promise<void> }[]): Promise<Figure[]> {
  const t = alts.map(() => [] as number[]);
  const cpu = alts.map(() => [] as number[]);
  for (let i = 0; i < runs; i++)
    for (let k = 0; k < alts.length; k++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await alts[k].fn();
      t[k].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[k].push((c.user + c.system) / 1000);
    }
  return alts.map((a, k) => record(a.name, t[k], { cpu_median_ms: median(cpu[k]) }));
}

export function record(name: string, times: readonly number[], extra: Partial<Figure> = {}): Figure {
  const f: Figure = { name, runs: times.length, median_ms: median(times), min_ms: Math.min(...times), max_ms: Math.max(...times), ...extra };
  figures.push(f);
  return f;
}

/** Compare two recorded figures: sets `baseline` and `ratio` on `f`. */
export function compare(f: Figure, baseline: Figure): Figure {
  f.baseline = baseline.name;
  f.ratio = baseline.median_ms / f.median_ms;
  return f;
}

export function line(f: Figure, label = f.name): string {
  const cmp = f.ratio !== undefined ? `   ${f.ratio.toFixed(2)}× vs ${f.baseline}` : '';
  const cpu = f.cpu_median_ms !== undefined ? `, cpu ${fmt(f.cpu_median_ms)} ms` : '';
  return `  ${label.padEnd(58)} ${fmt(f.median_ms).padStart(7)} ms  (min ${fmt(f.min_ms)}, max ${fmt(f.max_ms)}, ${f.runs} runs${cpu})${cmp}${f.note ? `   ${f.note}` : ''}`;
}

export function machine(): string {
  return `machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min)`;
}
