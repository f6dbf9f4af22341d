/**
 * The 'content' slice: what gets renovated. Holds only what the user decides: the item catalogue in use
 * (null in the snapshot = the default), each community's content plan (改造内容清单) and its residents'
 * survey (意愿征询). Costs, investments, funding and district totals are `$derived` from those and the
 * records (analysis/content.ts, funding.ts).
 *
 * Every community with a plan gets an item-based investment; `planned` carries it to the pool (batch
 * totals, top-N budget), the bundles (economics, investment-sized bundling) and the charts, so all of them
 * use the same figure (`investment(id)`: item-based, else the floor-area estimate labelled as estimate).
 */
import { app } from './app.svelte';
import { pool } from './pool.svelte';
import { edited, registerSlice } from './persisted';
import type { CommunityProps, FacilityCategoryCode } from '../domain/types';
import { DEFAULT_CATALOGUE, defaultCatalogue } from '../domain/catalogue-default';
import {
  contentTotals,
  investmentOf,
  itemOf,
  suggestPlan,
  validateContentSlice,
  type Catalogue,
  type ContentPlan,
  type ContentSliceData,
  type InvestmentFigure,
  type PlanLine,
  type Suggestion,
} from '../analysis/content';
import type { Survey } from '../analysis/survey';
import { defaultInvestment } from '../analysis/pool';
import { DEFAULT_COST_PARAMS, type OwnerSources, type PlannedInvestment } from '../analysis/funding';

const sameCatalogue = (a: Catalogue, b: Catalogue) => JSON.stringify(a) === JSON.stringify(b);

class ContentState {
  catalogue = $state.raw<Catalogue>(defaultCatalogue());
  plans = $state.raw<Record<string, ContentPlan>>({});
  surveys = $state.raw<Record<string, Survey>>({});

  isDefaultCatalogue = $derived(sameCatalogue(this.catalogue, DEFAULT_CATALOGUE));
  /** item-based investment of every community with a plan that has lines */
  planned = $derived.by<Record<string, PlannedInvestment>>(() => {
    const out: Record<string, PlannedInvestment> = {};
    for (const [id, plan] of Object.entries(this.plans)) {
      const r = pool.recordById.get(id);
      if (!r || plan.lines.length === 0) continue;
      const f = investmentOf(r, plan, this.catalogue);
      out[id] = { baseCny: f.baseCny, liftCny: f.liftCny, dangerousCny: f.dangerousCny, totalCny: f.totalCny, ownerFundsCny: f.ownerFundsCny };
    }
    return out;
  });
  /** district totals per item and class over all communities */
  districtTotals = $derived(contentTotals(app.records.map((r) => r.id), this.plans, this.catalogue));

  /** THE investment of a community: item-based when it has a plan, else the labelled floor-area estimate. */
  investment(id: string): InvestmentFigure | undefined {
    const r = pool.recordById.get(id);
    return r ? investmentOf(r, this.plans[id], this.catalogue) : undefined;
  }

  /** Investment of several communities (a bundle or batch): the sum, and whether any figure is an estimate. */
  investmentOfMany(ids: readonly string[]): { totalCny: number; estimated: number; itemBased: number } {
    let total = 0,
      estimated = 0,
      itemBased = 0;
    for (const id of ids) {
      const f = this.investment(id);
      if (!f) continue;
      total += Math.round(f.totalCny * 100);
      if (f.kind === 'items') itemBased++;
      else estimated++;
    }
    return { totalCny: total / 100, estimated, itemBased };
  }

  /** Suggested starting plan of a community (life-circle gaps passed in by the caller when known). */
  suggestions(id: string, lacking: readonly FacilityCategoryCode[] | null): { lines: Suggestion[]; unmatched: FacilityCategoryCode[] } | undefined {
    const r = pool.recordById.get(id);
    return r ? suggestPlan(r, this.catalogue, lacking, this.surveys[id] ?? null) : undefined;
  }

  private nameOf(id: string): string {
    return app.communityById.get(id)?.properties.name ?? id;
  }

  /** Replace a plan's lines (every plan change goes through here: the content version grows by one). */
  private setLines(id: string, f: (lines: PlanLine[]) => PlanLine[], label: string, owners?: OwnerSources | null): void {
    const old = this.plans[id];
    const plan: ContentPlan = { version: (old?.version ?? 0) + 1, lines: f([...(old?.lines ?? [])]), owners: owners !== undefined ? owners : (old?.owners ?? null) };
    this.plans = { ...this.plans, [id]: plan };
    edited(`改造内容: ${this.nameOf(id)} ${label}`);
  }

  acceptSuggestions(id: string, s: readonly Suggestion[]): void {
    this.setLines(
      id,
      (lines) => {
        const have = new Set(lines.map((l) => l.code));
        return [...lines, ...s.filter((x) => !have.has(x.code)).map((x) => ({ code: x.code, qty: x.qty, origin: x.origin, reason: x.reason, rule: x.rule }))];
      },
      `采纳建议 ${s.length} 项`,
    );
  }

  addItem(id: string, code: string): void {
    if (!itemOf(this.catalogue, code) || this.plans[id]?.lines.some((l) => l.code === code)) return;
    this.setLines(id, (lines) => [...lines, { code, qty: 1, origin: 'office', reason: null, rule: null }], `+ ${code}`);
  }

  setQty(id: string, code: string, qty: number): void {
    if (!Number.isFinite(qty) || qty < 0) return;
    this.setLines(id, (lines) => lines.map((l) => (l.code === code ? { ...l, qty, rule: null } : l)), `${code} = ${qty}`);
  }

  removeItem(id: string, code: string): void {
    this.setLines(id, (lines) => lines.filter((l) => l.code !== code), `− ${code}`);
  }

  setOwners(id: string, owners: OwnerSources | null): void {
    this.setLines(id, (lines) => lines, '业主出资', owners);
  }

  clearPlan(id: string): void {
    const { [id]: _gone, ...rest } = this.plans;
    this.plans = rest;
    edited(`改造内容: ${this.nameOf(id)} 清空`);
  }

  setSurvey(id: string, survey: Survey | null): void {
    if (survey) this.surveys = { ...this.surveys, [id]: survey };
    else {
      const { [id]: _gone, ...rest } = this.surveys;
      this.surveys = rest;
    }
    edited(`意愿征询: ${this.nameOf(id)} ${survey?.source ?? ''}`.trim());
  }

  setCatalogue(c: Catalogue, label: string): void {
    this.catalogue = c;
    edited(`改造内容目录: ${label}`);
  }

  setUnitCost(code: string, cost: number): void {
    if (!Number.isFinite(cost) || cost < 0) return;
    const c = structuredClone($state.snapshot(this.catalogue)) as Catalogue;
    const it = c.items.find((i) => i.code === code);
    if (!it) return;
    it.unitCostCny = cost;
    it.costSource = null;
    this.setCatalogue(c, `${code} 单价 ${cost}`);
  }

  snapshot(): ContentSliceData {
    return {
      version: 1,
      catalogue: this.isDefaultCatalogue ? null : ($state.snapshot(this.catalogue) as Catalogue),
      plans: $state.snapshot(this.plans) as Record<string, ContentPlan>,
      surveys: $state.snapshot(this.surveys) as Record<string, Survey>,
    };
  }

  /** Validate first, then replace: invalid data throws and leaves the state as it was. */
  restore(data: ContentSliceData | undefined): void {
    const d = data === undefined ? { catalogue: null, plans: {}, surveys: {} } : validateContentSlice(data);
    this.catalogue = d.catalogue ?? defaultCatalogue();
    this.plans = d.plans;
    this.surveys = d.surveys;
  }
}

export const content = new ContentState();

// batch totals and the top-N budget in the pool use the item-based figure where a plan exists
pool.setInvestmentSource((p: CommunityProps) => content.planned[p.id]?.totalCny ?? defaultInvestment(p));

/** Cost parameters with the planned communities' item-based figures, for bundles and charts. */
export function costContext<T extends object = typeof DEFAULT_COST_PARAMS>(params: T): T & { planned: Record<string, PlannedInvestment> } {
  return { ...params, planned: content.planned };
}

registerSlice<ContentSliceData>({ key: 'content', snapshot: () => content.snapshot(), restore: (d) => content.restore(d) });
