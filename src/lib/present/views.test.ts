import { describe, expect, test } from 'vitest';
import {
  cameraDistanceM,
  deleteView,
  keyAction,
  makeView,
  moveView,
  nextViewId,
  renameView,
  stepIndex,
  updateCapture,
  validateViews,
  validateDeck,
  setViewPanel,
  chooseFigures,
  DEFAULT_DECK,
  ViewsError,
  type SavedView,
  type ViewCapture,
} from './views';

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object') {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

const NOW = new Date('2026-11-27T00:00:00Z');
const cap = (lon: number, extra: Partial<ViewCapture> = {}): ViewCapture => ({
  camera: { center: [lon, 29.9], zoom: 14.123456, bearing: 0, pitch: 0 },
  mode: 'explore',
  colorBy: 'street',
  selectedId: null,
  hiddenCategories: [],
  params: null,
  ...extra,
});
const deck = (): SavedView[] =>
  deepFreeze([makeView('v1', '全区', '', cap(121.5), NOW), makeView('v2', '孔浦', '', cap(121.56), NOW), makeView('v3', '慈城', '', cap(121.45), NOW)]);

describe('saved views', () => {
  test('a view captures camera, layers, mode, colour-by, selection and params, rounded for the file', () => {
    const params = { category: 'elderly_daycare', tiers: [300, 500, 1000] };
    const v = makeView(
      'v1',
      '  养老缺口 ',
      ' 红色为缺 ',
      cap(121.5612345678, { mode: 'coverage', colorBy: 'build_year', selectedId: 'C012', hiddenCategories: ['park', 'bus_stop'], params }),
      NOW,
    );
    expect(v.title).toBe('养老缺口');
    expect(v.note).toBe('红色为缺');
    expect(v.camera).toEqual({ center: [121.561235, 29.9], zoom: 14.123, bearing: 0, pitch: 0 });
    expect(v.mode).toBe('coverage');
    expect(v.colorBy).toBe('build_year');
    expect(v.selectedId).toBe('C012');
    expect(v.hiddenCategories).toEqual(['bus_stop', 'park']);
    expect(v.params).toEqual(params);
    // a copy: later edits of the live params do not change the saved slide
    params.tiers.push(2000);
    expect((v.params as { tiers: number[] }).tiers).toEqual([300, 500, 1000]);
    expect(v.createdAt).toBe('2026-11-27T00:00:00.000Z');
  });

  test('ids are fresh even after deletions', () => {
    const d = deleteView(deck(), 'v1');
    expect(nextViewId(d)).toBe('v4');
    expect(nextViewId([])).toBe('v1');
  });

  test('reorder moves one view and clamps at the ends, without touching the input', () => {
    const d = deck();
    expect(moveView(d, 'v3', -1).map((v) => v.id)).toEqual(['v1', 'v3', 'v2']);
    expect(moveView(d, 'v1', -5).map((v) => v.id)).toEqual(['v1', 'v2', 'v3']);
    expect(moveView(d, 'v1', 9).map((v) => v.id)).toEqual(['v2', 'v3', 'v1']);
    expect(d.map((v) => v.id)).toEqual(['v1', 'v2', 'v3']);
  });

  test('rename keeps the note unless a new one is given; an empty title is refused', () => {
    const d = renameView(deck(), 'v2', ' 孔浦连片 ', '三个小区');
    expect(d[1].title).toBe('孔浦连片');
    expect(d[1].note).toBe('三个小区');
    expect(renameView(d, 'v2', 'x')[1].note).toBe('三个小区');
    expect(() => renameView(d, 'v2', '   ')).toThrow(/needs a title/);
    expect(() => renameView(d, 'nope', 'x')).toThrow(ViewsError);
  });

  test('delete removes exactly one view; unknown ids are an error', () => {
    expect(deleteView(deck(), 'v2').map((v) => v.id)).toEqual(['v1', 'v3']);
    expect(() => deleteView(deck(), 'v9')).toThrow(/no saved view with id "v9"/);
  });

  test('update re-captures the map but keeps id, title and note', () => {
    const d = updateCapture(renameView(deck(), 'v1', 'A', 'n'), 'v1', cap(121.6, { zoom: 1 } as never), NOW);
    expect(d[0]).toMatchObject({ id: 'v1', title: 'A', note: 'n' });
    expect(d[0].camera.center[0]).toBe(121.6);
  });

  test('stepping clamps at both ends and handles an empty deck', () => {
    expect(stepIndex(0, -1, 3)).toBe(0);
    expect(stepIndex(1, 1, 3)).toBe(2);
    expect(stepIndex(2, 1, 3)).toBe(2);
    expect(stepIndex(0, 1, 0)).toBe(-1);
  });

  test('keyboard and clicker keys map to slide actions', () => {
    expect(['ArrowRight', 'PageDown', ' ', 'ArrowDown'].map((k) => keyAction(k))).toEqual(['next', 'next', 'next', 'next']);
    expect(['ArrowLeft', 'PageUp', 'ArrowUp'].map((k) => keyAction(k))).toEqual(['prev', 'prev', 'prev']);
    expect(keyAction(' ', true)).toBe('prev');
    expect(keyAction('Escape')).toBe('exit');
    expect(keyAction('Home')).toBe('first');
    expect(keyAction('End')).toBe('last');
    expect(keyAction('x')).toBeNull();
  });

  test('views round-trip through the project-file check unchanged', () => {
    const d = deck();
    expect(validateViews(JSON.parse(JSON.stringify({ version: 1, views: d })))).toEqual(d);
    expect(validateViews(undefined)).toEqual([]);
  });

  test('a broken view in a project file is refused with its position, title and field', () => {
    const bad = (patch: Record<string, unknown>) => [{ ...deck()[0] }, { ...deck()[1], ...patch }];
    expect(() => validateViews(bad({ camera: { center: [121.5], zoom: 12 } }))).toThrow('saved view #2 ("孔浦"): field "camera.center" must be [longitude, latitude]');
    expect(() => validateViews(bad({ camera: { center: [3000000, 29], zoom: 12 } }))).toThrow(/not a longitude\/latitude pair/);
    expect(() => validateViews(bad({ camera: { center: [121.5, 29.9], zoom: 40 } }))).toThrow(/camera.zoom/);
    expect(() => validateViews(bad({ title: '' }))).toThrow(/field "title"/);
    expect(() => validateViews(bad({ id: 'v1' }))).toThrow(/id "v1" is used twice/);
    expect(() => validateViews(bad({ hiddenCategories: [1] }))).toThrow(/hiddenCategories/);
    expect(() => validateViews({ version: 2, views: [] })).toThrow(/version 2 is not supported/);
    expect(() => validateViews('x')).toThrow(/expected a list/);
  });

  test('older views without bearing, pitch or mode get safe defaults', () => {
    const [v] = validateViews([{ id: 'a', title: 't', camera: { center: [121.5, 29.9], zoom: 12 } }]);
    expect(v.camera).toEqual({ center: [121.5, 29.9], zoom: 12, bearing: 0, pitch: 0 });
    expect(v.mode).toBe('explore');
    expect(v.hiddenCategories).toEqual([]);
    expect(v.params).toBeNull();
  });

  test('camera distance is in metres', () => {
    const a = makeView('a', 'a', '', cap(121.5), NOW).camera;
    const b = { ...a, center: [121.5, 29.91] as [number, number] };
    expect(cameraDistanceM(a, b)).toBeCloseTo(1112, -1);
  });
});

describe('what a deck shows (issue 11): key figures, charts, a chart or table beside the map', () => {
  test('a deck saved before the choice existed shows every figure and chart', () => {
    expect(validateDeck({ version: 1, views: [] })).toEqual(DEFAULT_DECK);
    expect(validateDeck([])).toEqual(DEFAULT_DECK);
  });
  test('the chosen figures come back from the file, in the header order', () => {
    expect(validateDeck({ version: 1, views: [], deck: { figures: ['progress', 'communities'], charts: [] } })).toEqual({ figures: ['communities', 'progress'], charts: [] });
    expect(chooseFigures(['lifeCircle', 'households', 'nonsense'])).toEqual(['households', 'lifeCircle']);
  });
  test('an unknown figure or chart in a file is refused, naming the field', () => {
    expect(() => validateDeck({ views: [], deck: { figures: ['SC01'] } })).toThrow(/deck\.figures/);
    expect(() => validateDeck({ views: [], deck: { charts: 'coverage' } })).toThrow(/deck\.charts/);
  });
  test('a slide keeps its chart/table beside the map through the file and a re-capture', () => {
    const withPanel = setViewPanel(deck(), 'v2', 'table:bundles');
    expect(withPanel[1].panel).toBe('table:bundles');
    expect(validateViews(JSON.parse(JSON.stringify(withPanel)))[1].panel).toBe('table:bundles');
    expect(updateCapture(withPanel, 'v2', cap(121.6), NOW)[1].panel).toBe('table:bundles');
    expect(setViewPanel(withPanel, 'v2', null)[1].panel).toBeNull();
  });
  test('an unknown panel is refused, in an edit and in a file', () => {
    expect(() => setViewPanel(deck(), 'v1', 'chart:pie' as never)).toThrow(ViewsError);
    const bad = JSON.parse(JSON.stringify(deck()));
    bad[0].panel = 'table:secret';
    expect(() => validateViews(bad)).toThrow(/field "panel"/);
  });
});
