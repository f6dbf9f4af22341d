import { describe, expect, it, beforeEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { pool } from '../../src/lib/state/pool.svelte';
import { app } from '../../src/lib/state/app.svelte';
import { allSlices, type PersistedSlice } from '../../src/lib/state/persisted';
import { applyProject, buildProject, importProjectText, parseProject, projectToText, ProjectError, PROJECT_SCHEMA_VERSION } from '../../src/lib/state/project';
import { defaultRubric } from '../../src/lib/domain/rubric-default';
import { checkVote } from '../../src/lib/analysis/consent';
import { datasetOf } from '../fixtures/project/dataset';

const fixture = (name: string) => readFileSync(`test/fixtures/project/${name}`, 'utf8');
const poolSlice = () => allSlices().find((s) => s.key === 'pool')!;

/** A second slice, so all-or-nothing is tested across slices. */
function counterSlice(initial: number) {
  let n = initial;
  const s: PersistedSlice<{ n: number }> = {
    key: 'aaa-test',
    snapshot: () => ({ n }),
    restore: (d) => {
      n = d?.n ?? 0;
    },
  };
  return { slice: s as PersistedSlice, get: () => n };
}

beforeEach(() => {
  app.setDataset(datasetOf(['C01', 'C02', 'C03']), { synthetic: true, source: 'test' });
  pool.restore(undefined);
});

describe('version-1 project file', () => {
  it('migrates to the current schema: stages, dated history, votes, pools, batches', () => {
    const p = parseProject(fixture('v1-project.json'));
    expect(p.schema_version).toBe(PROJECT_SCHEMA_VERSION);
    expect(p.saved_at).toBe('2020-09-14T08:30:00.000Z');
    applyProject(p, [poolSlice()]);

    const w1 = pool.workflow('C01')!;
    expect(w1.stage).toBe('SCHEME_VOTED');
    expect(w1.history.map((e) => `${e.from}>${e.to}@${e.date}`)).toEqual([
      'POOL>APPLIED@2020-06-02',
      'APPLIED>DRAFT_SCHEME@2020-07-15',
      'DRAFT_SCHEME>SCHEME_VOTED@2020-09-01',
    ]);
    // the snake-case v1 vote fields became a vote record that the consent rule reads
    const schemeVote = w1.history[2].vote!;
    expect(schemeVote).toEqual({ kind: 'scheme', date: '2020-08-28', areaInFavour: 2500.5, areaTotal: 3000, ownersInFavour: 260, ownersTotal: 300 });
    expect(checkVote(w1.history[0].vote!).pass).toBe(true);
    expect(pool.recordById.get('C01')!.pool).toBe('实施');
    expect(pool.recordById.get('C01')!.batch_year).toBe(2021);

    const c2 = pool.recordById.get('C02')!;
    expect(c2.side_state).toBe('DEFERRED');
    expect(pool.workflow('C02')!.history).toEqual([{ from: 'POOL', to: 'DEFERRED', date: '2020-08-01' }]);

    const c3 = pool.recordById.get('C03')!;
    expect(c3.pool).toBe('谋划');
    expect(c3.batch_year).toBeNull();
    expect(c3.stage).toBe('POOL'); // no stage edit in v1: the dataset's stage stands
    // v1 rubric null → the default rubric
    expect(pool.rubric).toEqual(defaultRubric());
  });

  it('a migrated file exports as the current version and reads back identically', () => {
    applyProject(parseProject(fixture('v1-project.json')), [poolSlice()]);
    const text = projectToText(buildProject({}, [poolSlice()]));
    const again = parseProject(text);
    expect(again.schema_version).toBe(PROJECT_SCHEMA_VERSION);
    const before = pool.snapshot();
    pool.restore(undefined);
    applyProject(again, [poolSlice()]);
    expect(pool.snapshot()).toEqual(before);
  });
});

describe('refused imports change nothing', () => {
  function withEdits() {
    const r = pool.move('C01', {
      to: 'APPLIED',
      date: '2021-03-01',
      vote: { kind: 'application', date: '2021-02-28', areaInFavour: 700, areaTotal: 1000, ownersInFavour: 70, ownersTotal: 100 },
    });
    expect(r.ok).toBe(true);
    pool.editRubric((r) => (r.criteria[0].weight = 2), 'w');
    return JSON.stringify(pool.snapshot());
  }

  it('a newer-version file is refused with a clear message', () => {
    const before = withEdits();
    const counter = counterSlice(5);
    expect(() => importProjectText(fixture('v3-newer.json'), [counter.slice, poolSlice()])).toThrow(ProjectError);
    try {
      importProjectText(fixture('v3-newer.json'), [counter.slice, poolSlice()]);
    } catch (e) {
      expect((e as ProjectError).en).toContain('newer version');
      expect((e as ProjectError).en).toContain('schema 3');
      expect((e as ProjectError).zh).toContain('未做任何更改');
    }
    expect(JSON.stringify(pool.snapshot())).toBe(before);
    expect(counter.get()).toBe(5);
  });

  it('a file with a bad field is refused naming the field; slices restored before it are rolled back', () => {
    const before = withEdits();
    const counter = counterSlice(5);
    let err: ProjectError | undefined;
    try {
      importProjectText(fixture('broken-stage.json'), [counter.slice, poolSlice()]);
    } catch (e) {
      err = e as ProjectError;
    }
    expect(err).toBeInstanceOf(ProjectError);
    expect(err!.en).toContain('nothing was changed');
    expect(err!.en).toContain('overlay["C01"].workflow.stage: unknown stage "DEMOLISHED"');
    expect(counter.get()).toBe(5); // it had been set to 99 before the pool slice refused
    expect(JSON.stringify(pool.snapshot())).toBe(before);
  });

  it('non-JSON and foreign JSON are refused', () => {
    expect(() => parseProject('{"format": "jiangbei')).toThrow(/not valid JSON/);
    expect(() => parseProject('{"type": "FeatureCollection", "features": []}')).toThrow(/not a project file/);
    expect(() => parseProject('[1,2]')).toThrow(/JSON object/);
  });

  it('a v1 file with an unknown stage is refused by the migration', () => {
    const bad = JSON.parse(fixture('v1-project.json'));
    bad.communities.C01.stage = 'BUILT';
    expect(() => parseProject(JSON.stringify(bad))).toThrow(/unknown stage "BUILT"/);
  });
});
