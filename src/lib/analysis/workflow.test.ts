import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { SIDE_STATES, STAGES } from '../domain/types';
import { availableMoves, initialWorkflow, latestVote, move, stageDates, STAGE_INFO, type WorkflowState } from './workflow';
import type { VoteRecord } from './consent';
import { deepFreeze } from '../../../test/fixtures/project/community';

const vote = (kind: VoteRecord['kind'], ownersInFavour = 200, date = '2021-02-01'): VoteRecord => ({
  kind,
  date,
  areaInFavour: 2000,
  areaTotal: 3000,
  ownersInFavour,
  ownersTotal: 300,
});

function ok(s: WorkflowState, ...args: Parameters<typeof move>[1][]): WorkflowState {
  for (const req of args) {
    const r = move(deepFreeze(s), req);
    if (!r.ok) throw new Error(`refused: ${r.refusal.en}`);
    s = r.state;
  }
  return s;
}

describe('workflow stages', () => {
  it('match geodata/standards/workflow.yaml (codes, order, Chinese names, side states)', () => {
    const wf = yaml.load(readFileSync('geodata/standards/workflow.yaml', 'utf8')) as {
      stages: { code: string; zh: string }[];
      side_states: string[];
    };
    expect(wf.stages.map((s) => s.code)).toEqual([...STAGES]);
    for (const s of wf.stages) expect(STAGE_INFO[s.code as keyof typeof STAGE_INFO].zh).toBe(s.zh);
    expect(wf.side_states).toEqual([...SIDE_STATES]);
  });
});

describe('moves', () => {
  const s0 = deepFreeze(initialWorkflow());

  it('entering APPLIED with a passing vote (exactly 2/3) succeeds and records date and vote', () => {
    const s = ok(s0, { to: 'APPLIED', date: '2021-02-03', vote: vote('application') });
    expect(s.stage).toBe('APPLIED');
    expect(stageDates(s).APPLIED).toBe('2021-02-03');
    expect(latestVote(s, 'application')?.ownersInFavour).toBe(200);
    expect(s0.history).toEqual([]); // input untouched
  });

  it('entering APPLIED without a vote is refused with a clear message', () => {
    const r = move(s0, { to: 'APPLIED', date: '2021-02-03' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusal.code).toBe('vote-required');
    expect(r.refusal.zh).toContain('居民申请');
    expect(r.refusal.zh).toContain('双2/3');
    expect(r.refusal.en).toContain('vote');
  });

  it('one owner fewer than 2/3 is refused, naming the shortfall', () => {
    const r = move(s0, { to: 'APPLIED', date: '2021-02-03', vote: vote('application', 199) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusal.code).toBe('vote-failed');
    expect(r.refusal.en).toContain('199 / 300');
    expect(r.refusal.zh).toContain('至少需 200 人');
  });

  it('SCHEME_VOTED needs the scheme vote, not the application vote', () => {
    const s = ok(s0, { to: 'APPLIED', date: '2021-02-03', vote: vote('application') }, { to: 'DRAFT_SCHEME', date: '2021-04-01' });
    const wrong = move(s, { to: 'SCHEME_VOTED', date: '2021-05-01', vote: vote('application', 250, '2021-04-20') });
    expect(wrong.ok || wrong.refusal.code).toBe('vote-kind');
    const good = move(s, { to: 'SCHEME_VOTED', date: '2021-05-01', vote: vote('scheme', 250, '2021-04-20') });
    expect(good.ok).toBe(true);
  });

  it('a vote dated after the move is refused', () => {
    const r = move(s0, { to: 'APPLIED', date: '2021-02-03', vote: vote('application', 250, '2021-03-01') });
    expect(r.ok || r.refusal.code).toBe('vote-date');
  });

  it('skipping a stage is refused and names the skipped stages', () => {
    const r = move(s0, { to: 'DRAFT_SCHEME', date: '2021-02-03' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusal.code).toBe('skip');
    expect(r.refusal.zh).toContain('居民申请');
    const far = move(s0, { to: 'CONSTRUCTION', date: '2021-02-03' });
    expect(far.ok || far.refusal.code).toBe('skip');
  });

  it('going back or repeating the current stage is refused', () => {
    const s = ok(s0, { to: 'APPLIED', date: '2021-02-03', vote: vote('application') });
    expect(move(s, { to: 'POOL', date: '2021-03-01' }).ok || 'refused').toBe('refused');
    const r = move(s, { to: 'APPLIED', date: '2021-03-01', vote: vote('application') });
    expect(r.ok || r.refusal.code).toBe('same-stage');
  });

  it('dates must be valid and not earlier than the previous move', () => {
    expect((move(s0, { to: 'DEFERRED', date: '2021-02-30' }) as { refusal: { code: string } }).refusal.code).toBe('bad-date');
    const s = ok(s0, { to: 'DEFERRED', date: '2021-06-01' });
    expect((move(s, { to: 'RESUME', date: '2021-05-31' }) as { refusal: { code: string } }).refusal.code).toBe('date-order');
    expect(move(s, { to: 'RESUME', date: '2021-06-01' }).ok).toBe(true);
  });

  it('the whole path to EVALUATED works one stage at a time, and EVALUATED is final', () => {
    let s: WorkflowState = s0;
    let day = 1;
    for (const to of STAGES.slice(1)) {
      const date = `2021-03-${String(day++).padStart(2, '0')}`;
      const v = to === 'APPLIED' ? vote('application', 200, date) : to === 'SCHEME_VOTED' ? vote('scheme', 200, date) : undefined;
      s = ok(s, { to, date, vote: v });
    }
    expect(s.stage).toBe('EVALUATED');
    expect(s.history).toHaveLength(STAGES.length - 1);
    expect(availableMoves(s)).toEqual([...SIDE_STATES]);
  });
});

describe('side states', () => {
  it('suspend, refuse stage moves while suspended, resume to the same stage', () => {
    let s = ok(initialWorkflow('TENDERED'), { to: 'SUSPENDED', date: '2021-07-01', note: '管线迁改' });
    expect(s.side).toBe('SUSPENDED');
    expect(s.stage).toBe('TENDERED');
    const r = move(s, { to: 'CONSTRUCTION', date: '2021-07-02' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.refusal.code).toBe('in-side-state');
      expect(r.refusal.zh).toContain('中止');
    }
    expect(availableMoves(s)).toEqual(['RESUME', 'DEFERRED', 'REJECTED']);
    s = ok(s, { to: 'RESUME', date: '2021-08-01' }, { to: 'CONSTRUCTION', date: '2021-08-02' });
    expect(s.stage).toBe('CONSTRUCTION');
    expect(s.side).toBeNull();
    expect(s.history.map((e) => `${e.from}>${e.to}`)).toEqual(['TENDERED>SUSPENDED', 'SUSPENDED>TENDERED', 'TENDERED>CONSTRUCTION']);
    expect(s.history[0].note).toBe('管线迁改');
  });

  it('resuming when not in a side state is refused; a side state can change to another', () => {
    const s0 = initialWorkflow('POOL');
    expect((move(s0, { to: 'RESUME', date: '2021-01-01' }) as { refusal: { code: string } }).refusal.code).toBe('not-in-side-state');
    const s = ok(s0, { to: 'DEFERRED', date: '2021-01-01' }, { to: 'REJECTED', date: '2021-02-01' });
    expect(s.side).toBe('REJECTED');
    expect(stageDates(s)).toEqual({ DEFERRED: '2021-01-01', REJECTED: '2021-02-01' });
  });
});
