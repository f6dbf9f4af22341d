/**
 * Colours that survive projectors and colour-blind viewers: every theme palette (colors.ts PALETTES) keeps
 * neighbouring classes (ordinal) or every pair (categorical) at CIEDE2000 ΔE ≥ 10 under normal vision and under
 * simulated deuteranopia and protanopia (culori's Machado et al. 2009 filters at full severity), and every colour
 * stands ΔE ≥ 10 off the map background.
 */
import { describe, expect, it } from 'vitest';
import { differenceCiede2000, filterDeficiencyDeuter, filterDeficiencyProt, parse, type Color } from 'culori';
import { BACKGROUNDS, PALETTES, MET_COLORS } from './colors';

const dE = differenceCiede2000();
const VISIONS: [string, (c: Color) => Color][] = [
  ['normal', (c) => c],
  ['deuteranopia', filterDeficiencyDeuter(1) as (c: Color) => Color],
  ['protanopia', filterDeficiencyProt(1) as (c: Color) => Color],
];
const MIN = 10;
const diff = (a: string, b: string, f: (c: Color) => Color) => dE(f(parse(a)!), f(parse(b)!));

describe('theme palettes', () => {
  for (const p of PALETTES) {
    for (const [vision, f] of VISIONS) {
      it(`${p.name}: ${p.kind === 'ordinal' ? 'neighbouring classes' : 'every pair'} ΔE ≥ ${MIN} (${vision})`, () => {
        const bad: string[] = [];
        const c = p.colors;
        for (let i = 0; i < c.length; i++)
          for (let j = i + 1; j < c.length; j++) {
            if (p.kind === 'ordinal' && j !== i + 1) continue;
            const d = diff(c[i], c[j], f);
            if (d < MIN) bad.push(`${c[i]}/${c[j]} ΔE ${d.toFixed(1)}`);
          }
        expect(bad).toEqual([]);
      });
      it(`${p.name}: every colour ΔE ≥ ${MIN} off the map background (${vision})`, () => {
        const bad = p.colors.flatMap((c) => BACKGROUNDS.filter((b) => diff(c, b, f) < MIN).map((b) => `${c} on ${b}: ΔE ${diff(c, b, f).toFixed(1)}`));
        expect(bad).toEqual([]);
      });
    }
  }

  it('the met/unmet pair is not a red/green pair (it must survive colour-vision deficiency without its label)', () => {
    const hue = (c: string) => require_hsl(c);
    // green hues lie between 90° and 150° in HSL; red between 345° and 15°
    const isGreen = (c: string) => hue(c) >= 90 && hue(c) <= 150;
    const isRed = (c: string) => hue(c) >= 345 || hue(c) <= 15;
    expect(isGreen(MET_COLORS.met) && isRed(MET_COLORS.unmet)).toBe(false);
    expect(isRed(MET_COLORS.met) && isGreen(MET_COLORS.unmet)).toBe(false);
  });
});

import { converter } from 'culori';
const toHsl = converter('hsl');
function require_hsl(c: string): number {
  return toHsl(parse(c)!)?.h ?? 0;
}
