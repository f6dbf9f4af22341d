/**
 * Who recorded each step of a community's workflow history (stage changes and votes), read from the server's audit
 * log (the server stamps every change with the signed-in user; the client's word is never taken). Pure.
 *
 * A change that lengthens the history from b to a entries recorded entries b … a−1; a later change that rewrites
 * an entry (undo, then a new step) names its own recorder.
 */
export interface AuditEntry {
  kind?: string;
  /** 'seed' = loaded from a project file: the steps were recorded elsewhere, the user only imported them */
  label?: string;
  username: string;
  before: unknown;
  after: unknown;
}

const steps = (v: unknown): number => {
  const h = (v as { workflow?: { history?: unknown[] } } | null)?.workflow?.history;
  return Array.isArray(h) ? h.length : 0;
};

export interface Recorder {
  who: string;
  imported: boolean;
}

export function workflowRecorders(entries: readonly AuditEntry[]): (Recorder | null)[] {
  const out: (Recorder | null)[] = [];
  for (const e of entries) {
    if (e.kind !== undefined && e.kind !== 'community') continue;
    const b = steps(e.before);
    const a = steps(e.after);
    out.length = Math.max(out.length, a);
    for (let i = b; i < a; i++) out[i] = { who: e.username, imported: e.label === 'seed' };
    out.length = a; // steps beyond the new length were removed (undo)
  }
  return Array.from(out, (x) => x ?? null);
}
