/** Money for people: 万元 / 亿元 in Chinese, million CNY in English. */
export function wan(cny: number, lang: 'zh' | 'en'): string {
  if (lang === 'zh') return Math.abs(cny) >= 1e8 ? `${(cny / 1e8).toFixed(2)} 亿元` : `${(cny / 1e4).toFixed(1)} 万元`;
  return `${(cny / 1e6).toFixed(2)} m CNY`;
}

/** A share 0..1 as a percentage with one decimal. */
export const pct1 = (x: number) => `${(x * 100).toFixed(1)}%`;
