import { describe, expect, test } from 'vitest';
import { missingTranslations, t } from '../../src/lib/i18n';
import { app } from '../../src/lib/state/app.svelte';

describe('i18n', () => {
  test('every message has both a Chinese and an English text', () => {
    expect(missingTranslations()).toEqual([]);
  });
  test('Chinese is the default and English follows the toggle', () => {
    expect(app.lang).toBe('zh');
    expect(t('app.title')).toBe('江北区老旧小区改造规划');
    app.lang = 'en';
    try {
      expect(t('app.title')).toBe('Jiangbei Old-Community Renewal Planner');
    } finally {
      app.lang = 'zh';
    }
  });
  test('placeholders are filled and unknown keys show themselves', () => {
    expect(t('no.such.key')).toBe('no.such.key');
  });
});
