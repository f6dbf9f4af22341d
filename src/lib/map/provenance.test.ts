import { describe, expect, it } from 'vitest';
import { humanSource, layerProvenance, overallProvenance } from './provenance';
import { emptyDataset } from '../state/app.svelte';
import type { Dataset } from '../domain/types';

const f = (synthetic: boolean) => ({ type: 'Feature', geometry: null, properties: { id: 'x', synthetic, source: 's' } }) as any;

describe('provenance per layer', () => {
  const original: Dataset = { ...emptyDataset(), communities: [f(true), f(true)], roads: [f(true)], metro: [f(false)] };

  it('the demonstration dataset is demonstration data (its communities are), though some layers are real', () => {
    const ls = layerProvenance(original, original);
    expect(ls.map((l) => [l.layer, l.kind])).toEqual([
      ['communities', 'demo'],
      ['metro', 'real'],
      ['roads', 'demo'],
    ]);
    expect(overallProvenance(ls)).toBe('demo');
  });

  it('after importing the register, communities are "imported" while the walking network is still demonstration data', () => {
    const after = { ...original, communities: [f(false), f(false)] };
    const ls = layerProvenance(after, original);
    expect(ls.find((l) => l.layer === 'communities')!.kind).toBe('imported');
    expect(ls.find((l) => l.layer === 'roads')!.kind).toBe('demo');
    expect(overallProvenance(ls)).toBe('mixed');
    expect(overallProvenance(layerProvenance({ ...after, roads: [f(false)] }, original))).toBe('real');
  });

  it('English source text has no Chinese-only provenance and no script names', () => {
    const src = '演示数据 geodata/generate.ts (seed 20201231): generated walking network';
    expect(humanSource(src, 'en')).toBe('demonstration data (generated, seed 20201231): generated walking network');
    expect(humanSource(src, 'zh')).toBe('演示数据(脚本生成,种子 20201231): generated walking network');
    expect(humanSource('OpenStreetMap (schools); 演示数据 geodata/generate.ts (seed 1) for the other categories', 'en')).not.toMatch(/[\u4e00-\u9fff]|geodata/);
  });
});

describe('record provenance line', () => {
  it('says "demonstration data" once', async () => {
    const { provenanceLine } = await import('./provenance');
    const zh = provenanceLine(true, '演示数据 geodata/generate.ts (seed 7)', 'zh');
    expect(zh.match(/演示数据/g)).toHaveLength(1);
    expect(provenanceLine(true, 'my.xlsx', 'en')).toBe('demonstration data · my.xlsx');
    expect(provenanceLine(false, 'OpenStreetMap', 'en')).toBe('OpenStreetMap');
  });
});
