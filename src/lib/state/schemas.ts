/**
 * One schema per persisted slice, and one for the view: what a project file, an autosave, a write-ahead
 * journal or another tab may hand to `restore()`. Every text is checked here BEFORE anything is applied
 * (project.ts `parseProject` → `checkProject`), so a file is taken whole or not at all.
 *
 * The schemas live here, not in the slice modules, because slices of lazily loaded features register late
 * (or never in a session): their data must still be checked at startup, and carried only when it is valid.
 * A slice key without a schema is unknown to this build: it is dropped with a message, never carried.
 *
 * Known fields are type-checked; fields a newer feature adds to a slice (e.g. a plan's optimiser `quality`) are
 * kept as they are (loose objects), so a schema never drops work it does not describe.
 *
 * Bounds: the text is measured before JSON.parse (size, nesting depth), so a 200,000-deep or 100 MB file is
 * refused without building it; numbers must be finite and in range (households 1e308 is refused); lists
 * have a maximum length; strings a maximum size. Imported layers are checked for types and ranges (a feature
 * without geometry, negative households, an object as a name are refused); values the importer leaves unknown
 * are accepted as it writes them.
 */
import { validateContentSlice } from '../analysis/content';
import * as v from 'valibot';
import { validatePoolSlice } from '../analysis/pool';
import { validateDeck, validateViews } from '../present/views';
import { BATCH_YEARS, FACILITY_CATEGORIES, POOLS, SIDE_STATES, STAGES } from '../domain/types';
import { STANDARD_IDS } from '../domain/standards';
import { SPARE_SITE_KINDS } from '../domain/spare-sites';
import type { ViewState } from './url';
import { DATE_RE, WORK_STATUSES, WORK_TYPES } from '../analysis/works';

/** Largest project text read (characters). A district project with imported layers is a few MB. */
export const MAX_PROJECT_CHARS = 64 * 1024 * 1024;
/** Deepest JSON nesting accepted (a MultiPolygon inside a feature inside a slice is about 10 deep). */
export const MAX_DEPTH = 48;
/** Longest list in any slice (features of an imported layer, proposals, views, …). */
export const MAX_ITEMS = 200_000;
/** Longest text field (names, titles, notes): only a guard, the file size bounds the whole. */
export const MAX_TEXT = 1_000_000;

/** A slice's data that does not fit its schema: `path` says where (e.g. `plan.bundles[2].members`). */
export class SliceDataError extends Error {
  constructor(
    readonly slice: string,
    readonly path: string,
    readonly why: string,
  ) {
    super(`${slice}${path ? `.${path}` : ''}: ${why}`);
  }
}

/** Measure a JSON text without parsing it: size and bracket depth (strings skipped). Returns a problem or null. */
export function checkTextShape(text: string, maxChars = MAX_PROJECT_CHARS, maxDepth = MAX_DEPTH): { en: string; zh: string } | null {
  if (text.length > maxChars) {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    return { en: `the file is too large (${mb(text.length)} MB; at most ${mb(maxChars)} MB)`, zh: `文件过大 (${mb(text.length)} MB; 上限 ${mb(maxChars)} MB)` };
  }
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > maxDepth) {
        return { en: `the data is nested too deeply (more than ${maxDepth} levels, at character ${i})`, zh: `数据嵌套过深 (超过 ${maxDepth} 层, 位于第 ${i} 个字符)` };
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return null;
}

// ---- building blocks
const finite = (lo: number, hi: number) => v.pipe(v.number(), v.finite(), v.minValue(lo), v.maxValue(hi));
const int = (lo: number, hi: number) => v.pipe(v.number(), v.integer(), v.minValue(lo), v.maxValue(hi));
const text = (max = MAX_TEXT) => v.pipe(v.string(), v.maxLength(max));
const list = <T extends v.GenericSchema>(item: T, max = MAX_ITEMS) => v.pipe(v.array(item), v.maxLength(max));
const lonLat = v.tuple([finite(-180, 180), finite(-90, 90)]);

// ---- coverage: standard, parameters, distance mode, what-if proposals
// Parameters: finite numbers of the right type. Implausible ones (a tier of 0 m, tiers out of order) are what
// the settings form can produce and shows as a problem (checkParams), so a saved project holding them reads back.
const anyFinite = v.pipe(v.number(), v.finite());
const coverageParams = v.looseObject({
  tierDistanceM: v.optional(v.looseObject({ 5: v.optional(anyFinite), 10: v.optional(anyFinite), 15: v.optional(anyFinite) })),
  walkSpeedMPerMin: v.optional(anyFinite),
  detourFactor: v.optional(anyFinite),
  useItemDistances: v.optional(v.boolean()),
});
const proposal = v.looseObject({
  id: text(200),
  category: v.picklist(FACILITY_CATEGORIES),
  lon: finite(-180, 180),
  lat: finite(-90, 90),
  kind: v.picklist(['point', 'conversion', 'suggested']),
  communityId: v.optional(text()),
  label: text(),
  /** a what-if made from a spare site carries the site and its area */
  site: v.optional(v.looseObject({ id: text(200), name: text(), kind: v.picklist(SPARE_SITE_KINDS), area_m2: v.nullable(finite(0, 1e9)) })),
});
const coverageSlice = v.looseObject({
  version: v.literal(1),
  standardId: v.optional(v.picklist(STANDARD_IDS)),
  params: v.optional(coverageParams),
  mode: v.optional(v.picklist(['network', 'straight', 'buffer'])),
  proposals: v.optional(list(proposal, 10_000)),
});

// ---- network (慢行系统): new links, closed segments, near-miss fixes of the loaded roads
const networkSlice = v.looseObject({
  version: v.literal(1),
  links: v.optional(
    list(
      v.looseObject({ id: text(200), kind: v.picklist(['footpath', 'crossing', 'bridge']), coords: v.pipe(list(lonLat, 10_000), v.minLength(2)) }),
      10_000,
    ),
  ),
  closures: v.optional(list(v.looseObject({ id: text(200), a: lonLat, b: lonLat }), 10_000)),
  fixes: v.optional(
    list(
      v.looseObject({ node: int(0, 2 ** 32), at: lonLat, road: text(1000), toRoad: text(1000), gapM: finite(0, 1e6), target: lonLat }),
      100_000,
    ),
  ),
});

// ---- bundles: constraint form, unit costs, the plan, saved scenarios
// the constraint form and the unit costs take any finite number ≥ 0 (BundleConstraints/BundleEconomics)
const nonNeg = finite(0, Number.MAX_VALUE);
const bundleOptions = v.partial(
  v.looseObject({
    maxGapM: nonNeg,
    measure: v.picklist(['walking', 'straight']),
    sameStreet: v.boolean(),
    sameBatchYear: v.boolean(),
    sizeMeasure: v.picklist(['households', 'floor_area_m2', 'investment']),
    maxSize: v.nullable(nonNeg),
    minSize: v.nullable(nonNeg),
    maxCommunities: nonNeg,
    maxSpanM: nonNeg,
    useGaps: v.boolean(),
  }),
);
const costFields = { unitCostCnyPerM2: nonNeg, liftCostCnyEach: nonNeg, dangerousRepairCnyEach: nonNeg };
const costParams = v.partial(v.looseObject(costFields));
const ids = list(text(), 100_000);
const plan = v.pipe(
  v.looseObject({
    bundles: list(v.looseObject({ id: text(200), members: ids }), 100_000),
    unbundled: ids,
    options: v.optional(bundleOptions),
    measure: v.picklist(['walking', 'straight-line']),
    usedGaps: v.boolean(),
    edits: int(0, 1e9),
  }),
  v.check((p) => {
    const seen = new Set<string>();
    for (const id of [...p.bundles.flatMap((b) => b.members), ...p.unbundled]) {
      if (seen.has(id)) return false;
      seen.add(id);
    }
    return new Set(p.bundles.map((b) => b.id)).size === p.bundles.length;
  }, 'a community or a bundle id appears twice in the plan'),
);
const bundlesSlice = v.looseObject({
  version: v.literal(1),
  options: v.optional(bundleOptions),
  costParams: v.optional(costParams),
  plan: v.optional(v.nullable(plan)),
  scenarios: v.optional(list(v.looseObject({ id: text(200), name: text(), plan, costParams: v.looseObject(costFields), savedAt: text(200) }), 10_000)),
});

// ---- the view (selected community, mode, map position) saved with a project
const viewSchema = v.looseObject({
  selected: v.optional(v.nullable(text())),
  mode: v.optional(v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_-]{0,31}$/i))),
  center: v.optional(lonLat),
  zoom: v.optional(finite(0, 24)),
});

function run<T extends v.GenericSchema>(slice: string, schema: T, x: unknown): v.InferOutput<T> {
  const r = v.safeParse(schema, x);
  if (r.success) return r.output;
  const issue = r.issues[0];
  throw new SliceDataError(slice, v.getDotPath(issue) ?? '', issue.message);
}

/** Re-throw a validator's plain Error as a SliceDataError of the slice. */
function wrap<T>(slice: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SliceDataError) throw e;
    throw new SliceDataError(slice, '', (e as Error).message.replace(new RegExp(`^${slice}\\.?`), ''));
  }
}

// ---- import: the layers the user imported and rows not placed yet. Types and ranges are checked; a value the
// importer leaves unknown (empty street, build year 0 or null, …) is accepted, because the importer writes it
// so: the check is that nothing has the wrong type or an impossible value, not that the record is complete.
const opt = <T extends v.GenericSchema>(s: T) => v.optional(v.nullable(s));
const count = () => opt(nonNeg); // the importer refuses negative counts (stage.ts); no upper bound there
const communityProps = v.looseObject({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TEXT)),
  name: text(),
  street: opt(text()),
  committee: opt(text()),
  build_year: opt(finite(0, 3000)),
  housing_type: opt(v.picklist(['commodity', 'danwei', 'resettlement'])),
  households: count(),
  buildings: count(),
  floor_area_m2: count(),
  residents: count(),
  property_mgmt: opt(v.picklist(['professional', 'self', 'none'])),
  maintenance_fund: opt(v.picklist(['established', 'committed', 'none'])),
  dangerous_buildings: count(),
  lift_demand: count(),
  consent_area_share: opt(finite(0, 1)),
  consent_headcount_share: opt(finite(0, 1)),
  owner_contribution_share: opt(finite(0, 1)),
  illegal_cleared_share: opt(finite(0, 1)),
  safety_hazard: opt(v.picklist(['confirmed', 'partial', 'none'])),
  third_party_funding: opt(v.boolean()),
  batch_year: opt(v.picklist(BATCH_YEARS)),
  pool: opt(v.picklist(POOLS)),
  stage: opt(v.picklist(STAGES)),
  side_state: opt(v.picklist(SIDE_STATES)),
  synthetic: v.boolean(),
  source: text(2000),
});
const facilityProps = v.looseObject({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TEXT)),
  name: text(),
  category: v.picklist(FACILITY_CATEGORIES),
  osm_id: opt(text()),
  synthetic: v.boolean(),
  source: text(2000),
});
const position = v.pipe(v.array(finite(-1e7, 1e7)), v.minLength(2), v.maxLength(3));
const ring = list(position, 1_000_000);
const polygon = v.looseObject({ type: v.literal('Polygon'), coordinates: list(ring, 10_000) });
const multiPolygon = v.looseObject({ type: v.literal('MultiPolygon'), coordinates: list(list(ring, 10_000), 100_000) });
const point = v.looseObject({ type: v.literal('Point'), coordinates: position });
const importLayer = <G extends v.GenericSchema, P extends v.GenericSchema>(geometry: G, props: P) =>
  v.pipe(
    list(v.looseObject({ type: v.optional(v.literal('Feature'), 'Feature'), geometry, properties: props })),
    v.check((fs) => new Set(fs.map((f) => (f.properties as { id: string }).id)).size === fs.length, 'an id is used by two features'),
  );
const importSlice = v.looseObject({
  source: text(),
  communities: v.optional(importLayer(v.union([polygon, multiPolygon]), communityProps)),
  facilities: v.optional(importLayer(point, facilityProps)),
  unlocated: v.optional(
    list(
      v.variant('kind', [
        v.looseObject({ kind: v.literal('communities'), props: communityProps, row: finite(0, Number.MAX_VALUE) }),
        v.looseObject({ kind: v.literal('facilities'), props: facilityProps, row: finite(0, Number.MAX_VALUE) }),
      ]),
    ),
  ),
});
// ---- works: the special works the user imported or drew (records with stable ids and a department, so a server can
// sync them per record), and the coordination settings. Demonstration works come from the data folder, not from here.
const lineString = v.looseObject({ type: v.literal('LineString'), coordinates: list(position, 1_000_000) });
const multiLineString = v.looseObject({ type: v.literal('MultiLineString'), coordinates: list(list(position, 1_000_000), 100_000) });
const planDate = opt(v.pipe(v.string(), v.regex(DATE_RE, 'expected a date YYYY, YYYY-MM or YYYY-MM-DD')));
export const workRecordSchema = v.looseObject({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  name: text(),
  department: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  type: v.picklist(WORK_TYPES),
  start: planDate,
  end: planDate,
  status: opt(v.picklist(WORK_STATUSES)),
  budgetWan: opt(finite(0, 1e9)),
  geometry: opt(v.union([point, lineString, multiLineString, polygon, multiPolygon])),
  communities: v.optional(list(text(200), 10_000), []),
  synthetic: v.boolean(),
  source: text(2000),
});
const worksSlice = v.looseObject({
  version: v.literal(1),
  works: v.pipe(
    list(workRecordSchema, 100_000),
    v.check((ws) => new Set(ws.map((w) => w.id)).size === ws.length, 'a work id is used twice'),
  ),
  settings: v.optional(v.looseObject({ distanceM: v.optional(finite(0, 5000)), horizonYears: v.optional(int(0, 50)), showDemo: v.optional(v.boolean()) })),
});
export const validateWorks = (x: unknown) => (x === undefined ? undefined : run('works', worksSlice, x));

const validateImport = (x: unknown) => (x === undefined || x === null ? undefined : { unlocated: [], ...run('import', importSlice, x) });

// ---- settings: assumptions the user edits (household size for estimated residents; null = the district's own ratio)
const settingsSlice = v.looseObject({
  version: v.literal(1),
  householdSize: v.nullable(v.pipe(v.number(), v.finite(), v.minValue(0.5), v.maxValue(10))),
});

function validateCoverage(x: unknown) {
  return x === undefined ? undefined : run('coverage', coverageSlice, x);
}

// ---- sites: spare sites added or imported by the user; stewardship: management and post-evaluations per community
const spareSite = v.looseObject({
  type: v.optional(v.literal('Feature'), 'Feature'),
  geometry: v.looseObject({ type: v.literal('Point'), coordinates: lonLat }),
  properties: v.looseObject({
    id: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
    name: text(),
    kind: v.picklist(SPARE_SITE_KINDS),
    area_m2: v.nullable(finite(0, 1e9)),
    owner: v.nullable(text()),
    community_id: v.nullable(text(200)),
    synthetic: v.boolean(),
    source: text(2000),
  }),
});
const sitesSlice = v.looseObject({
  version: v.literal(1),
  useDemo: v.boolean(),
  sites: v.pipe(
    list(spareSite, 100_000),
    v.check((fs) => new Set(fs.map((f) => f.properties.id)).size === fs.length, 'an id is used by two sites'),
  ),
});
const date = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD'));
const score = v.nullable(finite(0, 100));
const byCommunity = <T extends v.GenericSchema>(item: T) => v.pipe(v.record(v.pipe(v.string(), v.maxLength(200)), item), v.check((r) => Object.keys(r).length <= 100_000, 'too many communities'));
const stewardshipSlice = v.looseObject({
  version: v.literal(1),
  rule: v.nullable(
    v.looseObject({
      weights: v.looseObject({ quality: finite(0, 1e6), management: finite(0, 1e6), satisfaction: finite(0, 1e6) }),
      thresholds: v.looseObject({ excellent: finite(0, 100), good: finite(0, 100), pass: finite(0, 100) }),
      minSurveyed: int(1, 1e9),
    }),
  ),
  management: byCommunity(
    v.looseObject({
      property: v.nullable(v.picklist(['professional', 'self', 'none'])),
      since: v.nullable(date),
      fundCoverage: v.nullable(finite(0, 1)),
      publicIncomeCny: v.nullable(finite(0, 1e12)),
    }),
  ),
  evaluations: byCommunity(
    v.looseObject({ date, quality: score, management: score, surveyed: v.nullable(int(0, 1e9)), satisfied: v.nullable(int(0, 1e9)) }),
  ),
});

/** Validators by slice key: each returns the checked (and cleaned) data, or throws a SliceDataError. */
const SCHEMAS = new Map<string, (x: unknown) => unknown>([
  ['pool', (x) => (x === undefined ? undefined : wrap('pool', () => validatePoolSlice(x)))],
  ['coverage', validateCoverage],
  ['bundles', (x) => (x === undefined ? undefined : run('bundles', bundlesSlice, x))],
  // the deck's choice of figures/charts is checked when present and kept as given (absent: every figure and chart)
  ['views', (x) => wrap('views', () => ({ version: 1, views: validateViews(x), ...(x && typeof x === 'object' && 'deck' in x ? { deck: validateDeck(x) } : {}) }))],
  ['import', validateImport],
  ['content', (x) => (x === undefined ? undefined : wrap('content', () => validateContentSlice(x)))],
  ['sites', (x) => (x === undefined ? undefined : run('sites', sitesSlice, x))],
  ['stewardship', (x) => (x === undefined ? undefined : run('stewardship', stewardshipSlice, x))],
  ['works', validateWorks],
  ['settings', (x) => (x === undefined ? undefined : run('settings', settingsSlice, x))],
  ['network', (x) => (x === undefined ? undefined : run('network', networkSlice, x))],
]);

/** A feature added later declares its slice's schema here (before its data can be restored). */
export function registerSliceSchema(key: string, validate: (x: unknown) => unknown): void {
  SCHEMAS.set(key, validate);
}

export function hasSliceSchema(key: string): boolean {
  return SCHEMAS.has(key);
}

/** Check one slice's data. Throws SliceDataError; returns the cleaned data. */
export function validateSlice(key: string, x: unknown): unknown {
  const f = SCHEMAS.get(key);
  if (!f) throw new SliceDataError(key, '', 'not a part of the project this build knows');
  return f(x);
}

/** Check a saved view. Throws SliceDataError('view', …). */
export function validateView(x: unknown): ViewState | undefined {
  if (x === undefined) return undefined;
  return run('view', viewSchema, x) as ViewState;
}

/** Names of the slices for messages (people read them, not keys). */
export const SLICE_NAMES: Record<string, { zh: string; en: string }> = {
  pool: { zh: '项目库、评分与流程', en: 'pools, scoring and workflow' },
  coverage: { zh: '生活圈设置与新增设施', en: 'life-circle settings and proposed facilities' },
  bundles: { zh: '连片方案', en: 'bundle plan' },
  views: { zh: '保存的视图', en: 'saved views' },
  import: { zh: '导入的图层', en: 'imported layers' },
  content: { zh: '改造内容与居民意愿', en: 'renovation content and residents’ survey' },
  sites: { zh: '存量资源 (闲置用房与空地)', en: 'spare sites (idle rooms and plots)' },
  stewardship: { zh: '长效管理与后评估', en: 'long-term management and post-evaluation' },
  works: { zh: '专项工程与统筹设置', en: 'special works and coordination settings' },
  settings: { zh: '分析假设(户均人口)', en: 'analysis assumptions (household size)' },
  network: { zh: '慢行系统规划与路网修正', en: 'walking network plan and road fixes' },
  view: { zh: '地图视图', en: 'map view' },
};

export function sliceName(key: string, lang: 'zh' | 'en'): string {
  return SLICE_NAMES[key]?.[lang] ?? `"${key.slice(0, 40)}"`;
}
