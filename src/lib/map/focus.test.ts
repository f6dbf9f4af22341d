import { describe, expect, it } from 'vitest';
import { facilityFocus } from './focus';

describe('facility focus by mode', () => {
  it('coverage by one category draws only that category', () => {
    expect(facilityFocus('coverage', 'wet_market', false)).toEqual({ kind: 'focus', category: 'wet_market' });
  });
  it('coverage by categories lacking mutes facilities; the other analysis modes hide them', () => {
    expect(facilityFocus('coverage', 'lacking', false)).toEqual({ kind: 'muted' });
    for (const m of ['scoring', 'pool', 'workflow', 'bundle']) expect(facilityFocus(m, 'lacking', false)).toEqual({ kind: 'hidden' });
  });
  it('explore and import show every category; "show all" overrides any analysis mode', () => {
    expect(facilityFocus('explore', 'wet_market', false)).toEqual({ kind: 'all' });
    expect(facilityFocus('import', 'lacking', false)).toEqual({ kind: 'all' });
    expect(facilityFocus('coverage', 'wet_market', true)).toEqual({ kind: 'all' });
  });
});
