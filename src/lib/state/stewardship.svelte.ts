/**
 * The 'stewardship' slice: long-term management after renovation (物业, 维修资金, 公共收益) and post-evaluations
 * (后评估) per community, and the evaluation rule in use. Both maps are keyed by community id, so a server
 * can sync them per community (like the pool overlay). Classes and district figures are $derived
 * (analysis/stewardship.ts).
 */
import { app } from './app.svelte';
import { pool } from './pool.svelte';
import { edited, registerSlice } from './persisted';
import {
  DEFAULT_EVALUATION_RULE,
  canEvaluate,
  classCounts,
  evaluate,
  managementFigures,
  type EvaluationRecord,
  type EvaluationResult,
  type EvaluationRule,
  type ManagementRecord,
} from '../analysis/stewardship';

export interface StewardshipSliceData {
  version: 1;
  /** null = the default rule */
  rule: EvaluationRule | null;
  management: Record<string, ManagementRecord>;
  evaluations: Record<string, EvaluationRecord>;
}

const sameRule = (a: EvaluationRule, b: EvaluationRule) => JSON.stringify(a) === JSON.stringify(b);

class StewardshipState {
  rule = $state.raw<EvaluationRule>(DEFAULT_EVALUATION_RULE);
  management = $state.raw<Record<string, ManagementRecord>>({});
  evaluations = $state.raw<Record<string, EvaluationRecord>>({});

  isDefaultRule = $derived(sameRule(this.rule, DEFAULT_EVALUATION_RULE));
  results = $derived<Record<string, EvaluationResult>>(Object.fromEntries(Object.entries(this.evaluations).map(([id, e]) => [id, evaluate(e, this.rule)])));
  counts = $derived(classCounts(Object.values(this.results)));
  figures = $derived(managementFigures(pool.records, this.management));
  /** communities that can be evaluated now (past handover) */
  evaluable = $derived(pool.records.filter(canEvaluate).length);

  private nameOf(id: string): string {
    return app.communityById.get(id)?.properties.name ?? id;
  }

  setManagement(id: string, rec: ManagementRecord): void {
    this.management = { ...this.management, [id]: rec };
    edited(`长效管理: ${this.nameOf(id)}`);
  }

  clearManagement(id: string): void {
    if (!this.management[id]) return;
    const { [id]: _gone, ...rest } = this.management;
    this.management = rest;
    edited(`长效管理: ${this.nameOf(id)} 清除`);
  }

  /** Record a post-evaluation; refused (false) unless the community is past handover. */
  setEvaluation(id: string, rec: EvaluationRecord): boolean {
    const r = pool.recordById.get(id);
    if (!r || !canEvaluate(r)) return false;
    this.evaluations = { ...this.evaluations, [id]: rec };
    edited(`后评估: ${this.nameOf(id)} ${rec.date}`);
    return true;
  }

  removeEvaluation(id: string): void {
    if (!this.evaluations[id]) return;
    const { [id]: _gone, ...rest } = this.evaluations;
    this.evaluations = rest;
    edited(`后评估: ${this.nameOf(id)} 删除`);
  }

  setRule(rule: EvaluationRule): void {
    this.rule = rule;
    edited('后评估规则');
  }

  snapshot(): StewardshipSliceData {
    return {
      version: 1,
      rule: this.isDefaultRule ? null : ($state.snapshot(this.rule) as EvaluationRule),
      management: $state.snapshot(this.management) as Record<string, ManagementRecord>,
      evaluations: $state.snapshot(this.evaluations) as Record<string, EvaluationRecord>,
    };
  }

  restore(d: StewardshipSliceData | undefined): void {
    this.rule = d?.rule ?? DEFAULT_EVALUATION_RULE;
    this.management = d?.management ?? {};
    this.evaluations = d?.evaluations ?? {};
  }
}

export const stewardship = new StewardshipState();
registerSlice<StewardshipSliceData>({ key: 'stewardship', snapshot: () => stewardship.snapshot(), restore: (d) => stewardship.restore(d) });
