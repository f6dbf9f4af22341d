/**
 * How a side-panel mode lets saved views carry its analysis parameters (e.g. the coverage mode's
 * chosen category and standard, the bundle mode's constraints). A mode opts in by registering a
 * capture/apply pair under its mode id; a view saved while that mode is active stores `capture()`,
 * and playing the view calls `apply()` with it. Modes that do not register are still restored
 * (camera, layers, mode, colour-by, selection); the views panel says their parameters were not kept.
 *
 * Pure registry: no DOM, no Svelte.
 */
export interface ViewParamsProvider {
  /** plain JSON describing what the mode shows (no Maps, no class instances) */
  capture(): unknown;
  /** show that again; must tolerate params saved by an older version (ignore unknown fields) */
  apply(params: unknown): void;
  /** one line for the slide footer / traceability, e.g. "GB 50180-2018 · 养老 · 300/500/1000 m" */
  describe?(params: unknown): string;
}

const providers = new Map<string, ViewParamsProvider>();

export function registerViewParams(mode: string, provider: ViewParamsProvider): () => void {
  providers.set(mode, provider);
  return () => {
    if (providers.get(mode) === provider) providers.delete(mode);
  };
}

export function viewParamsProvider(mode: string): ViewParamsProvider | undefined {
  return providers.get(mode);
}
