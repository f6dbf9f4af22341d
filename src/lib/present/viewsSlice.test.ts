import { describe, expect, test } from 'vitest';
import { allSlices, onEdited } from '../state/persisted';
import { views } from '../state/views.svelte';
import { makeView } from './views';

const slice = () => allSlices().find((s) => s.key === 'views')!;
const v = (id: string, title: string) =>
  makeView(id, title, '', { camera: { center: [121.55, 29.9], zoom: 13, bearing: 0, pitch: 0 }, mode: 'explore', colorBy: 'street', selectedId: null, hiddenCategories: [], params: null }, new Date(0));

describe('views slice (project file, autosave, undo)', () => {
  test('is registered under "views" and round-trips through its snapshot', () => {
    views.list = [v('v1', 'A'), v('v2', 'B')];
    const snap = JSON.parse(JSON.stringify(slice().snapshot()));
    expect(snap).toMatchObject({ version: 1, views: [{ id: 'v1', title: 'A' }, { id: 'v2', title: 'B' }] });
    views.list = [];
    slice().restore(snap);
    expect(views.list.map((x) => x.title)).toEqual(['A', 'B']);
  });

  test('a broken snapshot is refused and changes nothing; undefined resets to no views', () => {
    views.list = [v('v1', 'A')];
    expect(() => slice().restore({ version: 1, views: [{ id: 'x', title: 'T', camera: { center: [999, 0], zoom: 3 } }] })).toThrow(/not a longitude\/latitude pair/);
    expect(views.list.map((x) => x.id)).toEqual(['v1']);
    slice().restore(undefined);
    expect(views.list).toEqual([]);
  });

  test('every edit is recorded for autosave and undo', () => {
    views.list = [v('v1', 'A'), v('v2', 'B')];
    const labels: string[] = [];
    const off = onEdited((l) => labels.push(l));
    views.rename('v1', 'A2');
    views.move('v2', -1);
    views.remove('v1');
    off();
    expect(views.list.map((x) => x.title)).toEqual(['B']);
    expect(labels).toHaveLength(3);
    expect(labels[0]).toContain('A2');
  });

  test('without a map nothing can be captured, so nothing is added', () => {
    views.list = [];
    expect(views.add('x')).toBeNull();
    expect(views.list).toEqual([]);
  });
});
