/**
 * The 'pool' slice: the user's per-community edits (attributes, pool, batch year, workflow with dated votes)
 * as an overlay keyed by community id over `app.dataset`, plus the rubric in use. The dataset is never
 * changed, so edits survive a reload of the demonstration data. Scores, ranking, movers, totals and progress
 * are `$derived` from the dataset, the overlay and the rubric.
 *
 * Every user edit goes through a method here, which replaces the overlay immutably and calls `edited(label)`;
 * autosave, undo/redo and the project file then work over `snapshot()`/`restore()`.
 */
import { app } from './app.svelte';
import { edited, registerSlice } from './persisted';
import { t } from '../i18n';
import type { BatchYear, CommunityProps, Pool } from '../domain/types';
import { defaultRubric } from '../domain/rubric-default';
import type { Rubric } from '../analysis/rubric';
import { scoreAll, type ScoreContext } from '../analysis/score';
import { movers, rank, type Ranked } from '../analysis/rank';
import { move, latestVote, STAGE_INFO, SIDE_STATE_INFO, isStage, type MoveRequest, type MoveResult } from '../analysis/workflow';
import {
  batchTotals,
  defaultInvestment,
  type InvestmentOf,
  effectiveProps,
  progress,
  validatePoolSlice,
  workflowOf,
  type CommunityEdit,
  type EditableAttr,
  type Overlay,
  type PoolSliceData,
} from '../analysis/pool';

export type ContextSource = (id: string) => Omit<ScoreContext, 'vote'> | undefined;

class PoolState {
  overlay = $state.raw<Overlay>({});
  rubric = $state.raw<Rubric>(defaultRubric());
  /** the ranking before the last rubric edit, to show who moved */
  baseline = $state.raw<Ranked[] | null>(null);
  /** analysis results (bundles, coverage gaps) supplied by other features; see setContextSource */
  contextSource = $state.raw<ContextSource>(() => undefined);
  /** investment of a community: the content slice installs the item-based figure (else the estimate) */
  investmentOf = $state.raw<InvestmentOf>(defaultInvestment);

  /** every community as the user sees it (dataset record + edits) */
  records = $derived(app.dataset.communities.map((f) => effectiveProps(f.properties, this.overlay[f.properties.id])));
  recordById = $derived(new Map(this.records.map((p) => [p.id, p])));
  scores = $derived(
    scoreAll(this.records, this.rubric, (id) => {
      const vote = this.latestVoteOf(id);
      return { ...(this.contextSource(id) ?? {}), ...(vote ? { vote } : {}) };
    }),
  );
  ranking = $derived(rank(this.scores, (id) => this.recordById.get(id)!));
  rankById = $derived(new Map(this.ranking.map((r) => [r.id, r])));
  movers = $derived(this.baseline ? movers(this.baseline, this.ranking) : {});
  totals = $derived(batchTotals(this.records, this.investmentOf));
  progress = $derived(progress(this.records));

  latestVoteOf(id: string) {
    const w = this.overlay[id]?.workflow;
    return w ? latestVote(w) : undefined;
  }

  workflow(id: string) {
    const p = app.communityById.get(id)?.properties;
    if (!p) return undefined;
    return workflowOf(p, this.overlay[id]);
  }

  private nameOf(id: string): string {
    return app.communityById.get(id)?.properties.name ?? id;
  }

  private patch(id: string, f: (e: CommunityEdit) => CommunityEdit): void {
    this.overlay = { ...this.overlay, [id]: f({ ...(this.overlay[id] ?? {}) }) };
  }

  /** Try a workflow move; on success store it and record the edit. Refusals change nothing. */
  move(id: string, req: MoveRequest): MoveResult {
    const w = this.workflow(id);
    if (!w) throw new Error(`unknown community ${id}`);
    const r = move(w, req);
    if (!r.ok) return r;
    this.patch(id, (e) => ({ ...e, workflow: r.state }));
    const to = req.to === 'RESUME' ? r.state.stage : req.to;
    const label = isStage(to) ? STAGE_INFO[to][app.lang] : SIDE_STATE_INFO[to][app.lang];
    edited(t('pool.undo.stage', { name: this.nameOf(id), to: label }));
    return r;
  }

  setPool(id: string, pool: Pool): void {
    this.patch(id, (e) => ({ ...e, pool }));
    edited(t('pool.undo.pool', { name: this.nameOf(id), to: t(`pool.${pool}`) }));
  }

  setBatch(id: string, year: BatchYear | null): void {
    this.patch(id, (e) => ({ ...e, batch_year: year }));
    edited(t('pool.undo.batch', { name: this.nameOf(id), to: year ?? '—' }));
  }

  setAttr<K extends EditableAttr>(id: string, key: K, value: CommunityProps[K]): void {
    this.patch(id, (e) => ({ ...e, attrs: { ...(e.attrs ?? {}), [key]: value } }));
    edited(t('pool.undo.attr', { name: this.nameOf(id), field: t(`field.${key}`), value: String(value) }));
  }

  /** Put several communities into pools/batches at once (top-N), as ONE undo step. */
  assignMany(edits: Record<string, Pick<CommunityEdit, 'pool' | 'batch_year'>>, label: string): void {
    const next = { ...this.overlay };
    for (const [id, a] of Object.entries(edits)) next[id] = { ...(next[id] ?? {}), ...a };
    this.overlay = next;
    edited(label);
  }

  /** Replace the rubric (every rubric edit goes through here); movers are measured against the ranking before. */
  setRubric(r: Rubric, label: string): void {
    this.baseline = this.ranking;
    this.rubric = r;
    edited(label);
  }

  /** Edit the rubric through a function on a copy. */
  editRubric(f: (r: Rubric) => void, label: string): void {
    const copy = structuredClone($state.snapshot(this.rubric)) as Rubric;
    f(copy);
    this.setRubric(copy, label);
  }

  resetRubric(): void {
    this.setRubric(defaultRubric(), t('scoring.undo', { what: t('scoring.undo.reset') }));
  }

  setContextSource(f: ContextSource): void {
    this.contextSource = f;
  }

  setInvestmentSource(f: InvestmentOf): void {
    this.investmentOf = f;
  }

  snapshot(): PoolSliceData {
    return { version: 1, overlay: $state.snapshot(this.overlay) as Overlay, rubric: $state.snapshot(this.rubric) as Rubric };
  }

  /** Validate first, then replace: invalid data throws and leaves the state as it was. */
  restore(data: PoolSliceData | undefined): void {
    const d = data === undefined ? { overlay: {}, rubric: null } : validatePoolSlice(data);
    const rubric = d.rubric ?? defaultRubric();
    // a rubric change by undo/redo or import still shows who moved, measured against the ranking before it
    if (JSON.stringify(rubric) !== JSON.stringify($state.snapshot(this.rubric))) this.baseline = this.ranking;
    this.overlay = d.overlay;
    this.rubric = rubric;
  }
}

export const pool = new PoolState();
// everything that reads app.records (header figures, the record panel, themes) sees the user's edits
app.recordsProvider = () => pool.records;

registerSlice<PoolSliceData>({ key: 'pool', snapshot: () => pool.snapshot(), restore: (d) => pool.restore(d) });
