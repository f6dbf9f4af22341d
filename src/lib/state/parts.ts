/**
 * Slices that a shared project (server mode) keeps as many small records instead of one: one record per
 * community (a 街道 edits the records of its own communities, and two 街道 never collide) or one per special
 * work (a department edits its own works). Pure: the app's sync engine (shared/sync.ts) and the server
 * (server/store.ts: validation, rules, seeding from a project file, project file download) use the same
 * definitions.
 *
 * A slice snapshot is split into `rest` (project-wide settings: a district-only `slice` record under the slice's
 * own key; `null` = nothing to keep) and `parts` keyed by community id (or work id). The part records are of kind
 * `part`, keyed `<slice>:<id>` (slice keys never contain ':').
 */
import { validateContentSlice, type ContentPlan, type ContentSliceData } from '../analysis/content';
import type { Survey } from '../analysis/survey';
import type { WorkRecord } from '../analysis/works';
import { validateSlice, validateWorks } from './schemas';
import type { StewardshipSliceData } from './stewardship.svelte';

export type PartScope = 'community' | 'work';

export interface PartsDef<T = unknown> {
  /** whose part it is: a community's (its 街道 may edit it) or a special work's (its department may edit it) */
  scope: PartScope;
  split(snapshot: T): { rest: unknown; parts: Record<string, unknown> };
  join(rest: unknown, parts: Record<string, unknown>): T;
  /** throws with a message naming the field when a part's value is not valid */
  validatePart(id: string, value: unknown): void;
  /** throws when the rest (the district's settings) is not valid */
  validateRest(value: unknown): void;
  /** for scope 'work': the department a work belongs to (the server's rule reads it from before and after) */
  ownerOf?(value: unknown): string | null;
}

/** What a community's content record holds: its content plan (改造内容清单) and its residents' survey (意愿征询). */
export interface ContentPart {
  plan?: ContentPlan;
  survey?: Survey;
}

const contentParts: PartsDef<ContentSliceData> = {
  scope: 'community',
  split(s) {
    const parts: Record<string, ContentPart> = {};
    for (const [id, plan] of Object.entries(s.plans)) (parts[id] ??= {}).plan = plan;
    for (const [id, survey] of Object.entries(s.surveys)) (parts[id] ??= {}).survey = survey;
    return { rest: s.catalogue === null ? null : { catalogue: s.catalogue }, parts };
  },
  join(rest, parts) {
    const plans: Record<string, ContentPlan> = {};
    const surveys: Record<string, Survey> = {};
    for (const [id, p] of Object.entries(parts as Record<string, ContentPart>)) {
      if (p?.plan) plans[id] = p.plan;
      if (p?.survey) surveys[id] = p.survey;
    }
    const catalogue = (rest as { catalogue?: ContentSliceData['catalogue'] } | null)?.catalogue ?? null;
    return { version: 1, catalogue, plans, surveys };
  },
  validatePart(id, value) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected { plan?, survey? }');
    const extra = Object.keys(value).filter((k) => k !== 'plan' && k !== 'survey');
    if (extra.length) throw new Error(`unknown field ${extra[0]}`);
    const p = value as ContentPart;
    validateContentSlice({ version: 1, catalogue: null, plans: p.plan ? { [id]: p.plan } : {}, surveys: p.survey ? { [id]: p.survey } : {} });
  },
  validateRest(value) {
    if (value === null) return;
    if (!value || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).some((k) => k !== 'catalogue'))
      throw new Error('expected { catalogue }');
    validateContentSlice({ version: 1, catalogue: (value as { catalogue: unknown }).catalogue ?? null, plans: {}, surveys: {} });
  },
};

/**
 * Long-term management and post-evaluation (state/stewardship.svelte.ts): a community's part holds its management
 * record and its evaluation; the evaluation rule is the district's (rest; null = the default rule).
 */
interface StewardshipPart {
  management?: unknown;
  evaluation?: unknown;
}
const stewardshipParts: PartsDef<StewardshipSliceData> = {
  scope: 'community',
  split(s) {
    const parts: Record<string, StewardshipPart> = {};
    for (const [id, m] of Object.entries(s.management)) (parts[id] ??= {}).management = m;
    for (const [id, e] of Object.entries(s.evaluations)) (parts[id] ??= {}).evaluation = e;
    return { rest: s.rule === null ? null : { rule: s.rule }, parts };
  },
  join(rest, parts) {
    const management: StewardshipSliceData['management'] = {};
    const evaluations: StewardshipSliceData['evaluations'] = {};
    for (const [id, p] of Object.entries(parts as Record<string, StewardshipPart>)) {
      if (p?.management) management[id] = p.management as StewardshipSliceData['management'][string];
      if (p?.evaluation) evaluations[id] = p.evaluation as StewardshipSliceData['evaluations'][string];
    }
    return { version: 1, rule: (rest as { rule?: StewardshipSliceData['rule'] } | null)?.rule ?? null, management, evaluations };
  },
  validatePart(id, value) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected { management?, evaluation? }');
    const extra = Object.keys(value).filter((k) => k !== 'management' && k !== 'evaluation');
    if (extra.length) throw new Error(`unknown field ${extra[0]}`);
    const p = value as StewardshipPart;
    validateSlice('stewardship', { version: 1, rule: null, management: p.management ? { [id]: p.management } : {}, evaluations: p.evaluation ? { [id]: p.evaluation } : {} });
  },
  validateRest(value) {
    if (value === null) return;
    if (!value || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).some((k) => k !== 'rule')) throw new Error('expected { rule }');
    validateSlice('stewardship', { version: 1, rule: (value as { rule: unknown }).rule ?? null, management: {}, evaluations: {} });
  },
};


/** The special works (issue 14): one record per work, owned by its department; the rest is the coordination settings. */
interface WorksSnapshot {
  version: 1;
  works: WorkRecord[];
  settings?: Record<string, unknown>;
}
const worksParts: PartsDef<WorksSnapshot> = {
  scope: 'work',
  split(s) {
    return { rest: s.settings ? { settings: s.settings } : null, parts: Object.fromEntries(s.works.map((w) => [w.id, w])) };
  },
  join(rest, parts) {
    const settings = (rest as { settings?: Record<string, unknown> } | null)?.settings;
    return { version: 1, works: Object.values(parts as Record<string, WorkRecord>).filter(Boolean), ...(settings ? { settings } : {}) };
  },
  validatePart(id, value) {
    validateWorks({ version: 1, works: [value] });
    if ((value as WorkRecord).id !== id) throw new Error(`the work's id is ${(value as WorkRecord).id}, not ${id}`);
  },
  validateRest(value) {
    if (value === null) return;
    if (!value || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).some((k) => k !== 'settings')) throw new Error('expected { settings }');
    validateWorks({ version: 1, works: [], settings: (value as { settings: unknown }).settings });
  },
  ownerOf: (value) => (value && typeof value === 'object' && typeof (value as WorkRecord).department === 'string' ? (value as WorkRecord).department : null),
};

export const PARTS: Record<string, PartsDef<any>> = { content: contentParts, works: worksParts, stewardship: stewardshipParts };

export const partKey = (slice: string, id: string) => `${slice}:${id}`;

/** `content:C001` → { slice: 'content', id: 'C001' }; undefined when the slice has no parts. */
export function parsePartKey(key: string): { slice: string; id: string; def: PartsDef } | undefined {
  const i = key.indexOf(':');
  if (i <= 0 || i === key.length - 1) return undefined;
  const slice = key.slice(0, i);
  const def = Object.hasOwn(PARTS, slice) ? PARTS[slice] : undefined;
  return def ? { slice, id: key.slice(i + 1), def } : undefined;
}
