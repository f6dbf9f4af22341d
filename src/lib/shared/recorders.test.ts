import { describe, expect, it } from 'vitest';
import { workflowRecorders } from './recorders';

const wf = (n: number) => ({ workflow: { stage: 'POOL', history: Array.from({ length: n }, (_, i) => ({ date: `2021-0${i + 1}-01` })) } });

describe('who recorded each workflow step (from the audit log)', () => {
  it('names the user of the change that added each step, ignoring other records and edits that add no step', () => {
    const r = workflowRecorders([
      { kind: 'community', username: '孔浦街道', before: null, after: wf(1) },
      { kind: 'part', username: '住建局', before: null, after: { plan: {} } },
      { kind: 'community', username: '住建局', before: wf(1), after: { ...wf(1), pool: '实施' } },
      { kind: 'community', username: '住建局', before: wf(1), after: wf(3) },
    ]);
    expect(r.map((x) => x?.who)).toEqual(['孔浦街道', '住建局', '住建局']);
  });

  it('an undone step is forgotten; the step recorded again names who recorded it again', () => {
    const r = workflowRecorders([
      { kind: 'community', username: 'A', before: null, after: wf(2) },
      { kind: 'community', username: 'A', before: wf(2), after: wf(1) },
      { kind: 'community', username: 'B', before: wf(1), after: wf(2) },
    ]);
    expect(r.map((x) => x?.who)).toEqual(['A', 'B']);
  });

  it('steps loaded from a project file are marked as imported by the user, not recorded by them', () => {
    const r = workflowRecorders([{ kind: 'community', label: 'seed', username: '住建局', before: null, after: wf(2) }]);
    expect(r).toEqual([{ who: '住建局', imported: true }, { who: '住建局', imported: true }]);
  });

  it('no audit → nobody known', () => {
    expect(workflowRecorders([])).toEqual([]);
  });
});
