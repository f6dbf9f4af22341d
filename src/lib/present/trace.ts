/**
 * Traceability: every printed map, exported PNG, report and table carries the date, the dataset
 * (demonstration or imported, with its source) and the parameters that produced it, so a slide shown
 * to leaders can be reproduced later. Pure: strings in, strings out.
 */
export type Lang = 'zh' | 'en';

export interface TraceParam {
  /** e.g. "标准" / "Standard" */
  label: string;
  /** e.g. "GB 50180-2018 · 300/500/1000 m" */
  value: string;
}

export interface TraceInput {
  date: Date;
  lang: Lang;
  synthetic: boolean;
  source: string;
  params: readonly TraceParam[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local date and time with its UTC offset, e.g. "2026-11-27 07:40 (UTC+8)", unambiguous in any time zone. */
export function formatStamp(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const oh = Math.floor(Math.abs(off) / 60);
  const om = Math.abs(off) % 60;
  const tz = `UTC${sign}${oh}${om ? ':' + pad(om) : ''}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())} (${tz})`;
}

/** Just the date, for titles: "2026-11-27". */
export function formatDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const LABELS = {
  zh: { date: '制图日期', dataset: '数据', demo: '演示数据(脚本生成,非官方)', imported: '导入数据', params: '参数' },
  en: { date: 'Made', dataset: 'Data', demo: 'demonstration data (generated, not official)', imported: 'imported data', params: 'Parameters' },
} as const;

/** The trace as labelled lines, in a fixed order: date, dataset, then each parameter. */
export function traceLines(t: TraceInput): { label: string; value: string }[] {
  const L = LABELS[t.lang];
  const lines: { label: string; value: string }[] = [
    { label: L.date, value: formatStamp(t.date) },
    { label: L.dataset, value: `${t.synthetic ? L.demo : L.imported}${t.source ? ' — ' + t.source : ''}` },
  ];
  for (const p of t.params) lines.push({ label: p.label, value: p.value });
  return lines;
}

/** One line for image footers where space is short. */
export function traceText(t: TraceInput): string {
  const sep = t.lang === 'zh' ? ':' : ': ';
  return traceLines(t)
    .map((l) => `${l.label}${sep}${l.value}`)
    .join(' · ');
}
