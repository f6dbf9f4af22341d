import { describe, expect, it } from 'vitest';
import { formatViewHash, parseViewHash } from './url';

describe('view in the URL', () => {
  it('round-trips selection, mode, centre and zoom', () => {
    const v = { selected: 'JB-07', mode: 'pool', center: [121.55123, 29.89012] as [number, number], zoom: 13.25 };
    const h = formatViewHash(v);
    expect(h).toBe('#c=JB-07&m=pool&ll=121.55123,29.89012&z=13.25');
    expect(parseViewHash(h)).toEqual(v);
  });

  it('encodes ids with reserved characters', () => {
    const h = formatViewHash({ selected: '孔浦 1&2' });
    expect(parseViewHash(h).selected).toBe('孔浦 1&2');
  });

  it('drops bad parts and keeps the rest', () => {
    expect(parseViewHash('#c=X&ll=999,1&z=abc&m=<script>')).toEqual({ selected: 'X' });
    expect(parseViewHash('z=30')).toEqual({});
    expect(parseViewHash('')).toEqual({});
    expect(formatViewHash({})).toBe('');
  });
});
