/**
 * One-click report: a standalone, printable HTML page with the key figures, the coverage matrix, the
 * bundle table, the ranking and the progress table, each with its map where the feature has a mode that
 * colours the map, plus the charts and the trace (date, dataset, parameters). Built with DOM APIs in a
 * separate document (text always via textContent, never HTML strings with data), serialised to a Blob
 * URL and opened in a new tab (downloaded as a file if the browser blocks the tab).
 */
import { flushSync, mount, tick, unmount } from 'svelte';
import { sourceLabel, sourceLabels } from '../data/sourceNames';
import { app } from '../state/app.svelte';
import { t } from '../i18n';
import { MODES } from '../panels/modes';
import { FACILITY_CATEGORY_INFO, STREETS, type FacilityCategoryCode } from '../domain/types';
import { captureMap } from './exportPng';
import { whenIdle } from './present.svelte';
import { keyFigures } from './figures';
import { bundlesSummary, coverageSummary, districtProgress, poolState, progressByStreet } from './sources';
import { currentTrace } from './traceParams';
import { formatDate, formatStamp, traceLines } from './trace';
import { bundleTable, coverageMatrix, progressTable, rankingTable, type Table } from './reportTables';
import { FONT_CREDIT, sheetInfo } from './sheetInfo';
import Charts from './Charts.svelte';

type Section = 'coverage' | 'bundles' | 'ranking' | 'progress';

/** The mode whose map belongs with a section (ids chosen by each feature; matched by name). */
const MODE_HINTS: Record<Section, RegExp> = {
  coverage: /cover|life|circle/i,
  bundles: /bundle/i,
  ranking: /scor|rank/i,
  progress: /progress|workflow|status|stage/i,
};

function modeFor(section: Section): string | null {
  return MODES.find((m) => m.theme && MODE_HINTS[section].test(m.id))?.id ?? null;
}

async function mapImage(): Promise<string | null> {
  const map = app.map;
  if (!map) return null;
  const c = await captureMap(map, 1.5);
  return c.toDataURL('image/png');
}

/** Show a mode (so its theme and layers are on the map), capture the map, go back to where the user was. */
async function mapsByMode(sections: Section[]): Promise<Partial<Record<Section, string>>> {
  const out: Partial<Record<Section, string>> = {};
  const map = app.map;
  if (!map) return out;
  const before = app.mode;
  try {
    for (const s of sections) {
      const id = modeFor(s);
      if (!id) continue;
      app.mode = id;
      await tick();
      // the mode's panel (and its map layers) are loaded lazily
      await new Promise((r) => setTimeout(r, 400));
      await whenIdle(map);
      // the coverage panel starts its analysis in the worker when shown: wait for its result (or give up)
      if (s === 'coverage') await until(() => coverageSummary() !== null, 30_000);
      await whenIdle(map);
      const img = await mapImage();
      if (img) out[s] = img;
    }
  } finally {
    app.mode = before;
  }
  return out;
}

async function until(ok: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = performance.now();
  while (!ok() && performance.now() - t0 < timeoutMs) await new Promise((r) => setTimeout(r, 200));
}

const CSS = `
body { font-family: 'Noto Sans SC', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif; margin: 24px auto; max-width: 1100px; color: #111; padding: 0 16px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 19px; border-bottom: 2px solid #0b1f33; padding-bottom: 3px; margin-top: 28px; }
.trace { font-size: 12px; color: #333; border: 1px solid #ccc; padding: 6px 10px; background: #f7f7f7; }
.trace div { margin: 1px 0; } .demo { background: #fff4de; border: 1px solid #b36b00; padding: 6px 10px; margin: 8px 0; }
.figs { display: flex; flex-wrap: wrap; gap: 12px 28px; } .figs div { min-width: 120px; } .figs b { display: block; font-size: 26px; } .figs small { color: #555; }
table { border-collapse: collapse; font-size: 12px; margin: 6px 0; } th, td { border: 1px solid #bbb; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #e8edf2; } tfoot td { font-weight: bold; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.matrix td, .matrix th { font-size: 10.5px; padding: 1px 3px; white-space: nowrap; } .miss { color: #b2182b; } .ok { color: #1b7837; }
img.map { width: 100%; max-width: 1000px; border: 1px solid #333; display: block; margin: 6px 0; }
.na { color: #a33; font-style: italic; } .src { font-size: 11px; color: #444; }
figure { margin: 0 0 12px; } figcaption { font-weight: bold; } .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; }
.legend span { display: inline-flex; align-items: center; gap: 5px; } .legend i { width: 12px; height: 12px; display: inline-block; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 10px 28px; } .charts .note { font-size: 11px; color: #555; }
button.print { float: right; font-size: 14px; }
@media print { button.print { display: none; } h2 { break-after: avoid; } table, figure, img { break-inside: avoid; } body { margin: 0; max-width: none; } }
@page { size: A4 portrait; margin: 12mm; }
`;

export async function buildReport(): Promise<Document> {
  const lang = app.lang;
  const date = new Date();
  // maps first: showing a mode lets its feature compute (the coverage analysis runs when its panel is shown)
  const overview = await mapImage();
  const maps = await mapsByMode(['coverage', 'bundles', 'ranking', 'progress']);

  const doc = document.implementation.createHTMLDocument(`${t('present.report.title')} ${formatDate(date)}`);
  doc.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  const meta = doc.createElement('meta');
  meta.setAttribute('charset', 'utf-8');
  doc.head.prepend(meta);
  const style = doc.createElement('style');
  style.textContent = CSS;
  doc.head.appendChild(style);

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string) => {
    const e = doc.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  const body = doc.body;
  const add = (...nodes: Node[]) => nodes.forEach((n) => body.appendChild(n));

  const printBtn = el('button', t('present.report.print'), 'print');
  printBtn.setAttribute('onclick', 'window.print()');
  add(printBtn, el('h1', t('present.report.title')));

  // trace: date, dataset, parameters
  const trace = el('div', undefined, 'trace');
  trace.setAttribute('data-testid', 'report-trace');
  for (const l of traceLines(currentTrace(null, date))) {
    const d = el('div');
    d.append(el('b', `${l.label}: `), doc.createTextNode(l.value));
    trace.appendChild(d);
  }
  add(trace);
  if (app.datasetInfo.synthetic) add(el('p', t('present.demoNotice'), 'demo'));

  const catName = (c: string) => FACILITY_CATEGORY_INFO[c as FacilityCategoryCode]?.[lang] ?? c;
  const streetName = (s: string) => (lang === 'zh' ? s : (STREETS.find((x) => x.zh === s)?.en ?? s));
  const renderTable = (T: Table, cls?: string) => {
    const table = el('table', undefined, cls);
    const thead = el('thead');
    const hr = el('tr');
    for (const h of T.head) hr.appendChild(el('th', h));
    thead.appendChild(hr);
    const tbody = el('tbody');
    for (const r of T.rows) {
      const tr = el('tr');
      for (const c of r) {
        const td = el('td', c, /^[\d,.%\-—]+$/.test(c) ? 'num' : c.startsWith('✗') ? 'miss' : c.startsWith('✓') ? 'ok' : undefined);
        tr.appendChild(td);
      }
      tbody.appendChild(tr);
    }
    table.append(thead, tbody);
    if (T.foot) {
      const tf = el('tfoot');
      const tr = el('tr');
      for (const c of T.foot) tr.appendChild(el('td', c));
      tf.appendChild(tr);
      table.appendChild(tf);
    }
    return table;
  };
  const img = (src: string | null | undefined, alt: string) => {
    if (!src) return null;
    const i = el('img', undefined, 'map');
    i.src = src;
    i.alt = alt;
    return i;
  };
  const na = () => el('p', t('present.report.na'), 'na');

  // key figures
  const cov = coverageSummary();
  const bun = bundlesSummary();
  const pool = poolState();
  add(el('h2', t('present.report.figures')));
  const figs = el('div', undefined, 'figs');
  figs.setAttribute('data-testid', 'report-figures');
  for (const f of keyFigures(
    {
      totals: app.totals,
      lifeCircle: cov ? { communityShare: cov.completeShare, residentShare: cov.residentCompleteShare, standard: cov.standard } : null,
      bundles: bun ? { count: bun.rows.length, communities: bun.rows.reduce((s, r) => s + r.members.length, 0) } : null,
      progress: districtProgress(),
    },
    lang,
  )) {
    const d = el('div');
    d.append(el('span', t(`present.fig.${f.id}`)), el('b', f.value), el('small', f.detail));
    figs.appendChild(d);
  }
  add(figs);

  // maps: the current view, then each section's with its table
  add(el('h2', t('present.report.map')));
  const ov = img(overview, t('present.report.map'));
  if (ov) add(ov);
  const info = sheetInfo(t('present.report.map'), date);
  const leg = el('p', `${t('present.legend')} — ${info.theme.title}: ${info.theme.entries.map((e) => e.label).join(' · ')}`, 'src');
  add(leg);

  // coverage matrix
  add(el('h2', t('present.report.coverage')));
  const covImg = img(maps.coverage, t('present.report.coverage'));
  if (covImg) add(covImg);
  if (cov) {
    add(el('p', `${cov.standard} · ${cov.params}`, 'src'));
    const cats = cov.figures.map((f) => f.category);
    const mt = renderTable(coverageMatrix(cov.rows, cats, catName, { name: t('present.col.name'), street: t('present.col.street') }, streetName), 'matrix');
    mt.setAttribute('data-testid', 'report-coverage');
    add(mt);
  } else add(na());

  // bundles
  add(el('h2', t('present.report.bundles')));
  const bImg = img(maps.bundles, t('present.report.bundles'));
  if (bImg) add(bImg);
  if (bun) {
    add(el('p', `${t('bundle.method')} · ${bun.params}`, 'src'));
    const btab = renderTable(
        bundleTable(
          bun.rows,
          {
            bundle: t('present.col.bundle'),
            street: t('present.col.street'),
            members: t('present.col.members'),
            households: t('present.col.households'),
            area: t('present.col.area'),
            investment: { items: t('present.col.investment.items'), estimate: t('present.col.investment'), mixed: t('present.col.investment.mixed') },
            lacking: t('present.col.lacking'),
          },
          streetName,
          catName,
          lang,
        ),
      );
    btab.setAttribute('data-testid', 'report-bundles');
    add(btab);
  } else add(na());

  // ranking
  add(el('h2', t('present.report.ranking')));
  const rImg = img(maps.ranking, t('present.report.ranking'));
  if (rImg) add(rImg);
  if (pool && pool.ranking.length) {
    add(el('p', `${t('present.param.rubric')}: ${pool.rubric.name[lang]}`, 'src'));
    const rec = new Map(pool.records.map((r) => [r.id, r]));
    const rt = rankingTable(
      pool.ranking,
      (id) => ({ name: rec.get(id)?.name ?? id, street: streetName(rec.get(id)?.street ?? '') }),
      {
        rank: t('present.col.rank'),
        name: t('present.col.name'),
        street: t('present.col.street'),
        total: t('present.col.total'),
        eligible: t('present.col.eligible'),
        reason: t('present.col.reason'),
        yes: t('present.yes'),
        no: t('present.no'),
      },
      lang,
    );
    const table = renderTable(rt);
    table.setAttribute('data-testid', 'report-ranking');
    add(table);
  } else add(na());

  // progress
  add(el('h2', t('present.report.progress')));
  const pImg = img(maps.progress, t('present.report.progress'));
  if (pImg) add(pImg);
  const prog = progressByStreet();
  add(el('p', `${t('present.param.progressSource')}: ${prog.source === 'pool' ? t('present.progressFromPool') : t('present.progressFromDataset')}`, 'src'));
  const pt = renderTable(
    progressTable(
      prog.rows,
      {
        street: t('present.col.street'),
        completed: t('present.col.completed'),
        construction: t('present.col.construction'),
        notStarted: t('present.col.notStarted'),
        sum: t('present.col.sum'),
      },
      streetName,
      lang,
    ),
  );
  pt.setAttribute('data-testid', 'report-progress');
  add(pt);
  // by batch year (the plan's 2020/2021/2022 batches), from the pool feature
  if (pool) {
    const batchRows = Object.entries(pool.progress.byBatch).map(([batch, c]) => ({
      street: batch === 'none' ? (lang === 'zh' ? '未列批次' : 'no batch') : batch,
      counts: { completed: c.completed, construction: c.started - c.completed, notStarted: c.total - c.started },
    }));
    const bt = renderTable(
      progressTable(
        batchRows,
        {
          street: t('present.col.batch'),
          completed: t('present.col.completed'),
          construction: t('present.col.construction'),
          notStarted: t('present.col.notStarted'),
          sum: t('present.col.sum'),
        },
        (s) => s,
        lang,
      ),
    );
    bt.setAttribute('data-testid', 'report-progress-batch');
    add(bt);
  }

  // charts: rendered by the same Svelte component as on screen, then copied node by node into the report
  add(el('h2', t('present.report.charts')));
  const host = document.createElement('div');
  host.style.cssText = 'position:absolute;left:-10000px;top:0;width:1000px';
  document.body.appendChild(host);
  const comp = mount(Charts, { target: host, props: { width: 480, fontSize: 12, columns: 1 } });
  flushSync();
  const charts = doc.importNode(host.firstElementChild ?? host, true) as HTMLElement;
  charts.className = 'charts';
  charts.removeAttribute('style');
  add(charts);
  unmount(comp);
  host.remove();

  // sources
  add(el('h2', t('present.sources')));
  const ul = el('ul', undefined, 'src');
  for (const s of [...(app.manifest?.layers.map((l) => `${t(`export.layer.${l.layer}`)}: ${sourceLabel(l.source, lang)}${l.synthetic ? '' : ` (${l.licence})`}`) ?? []), ...sourceLabels(app.manifest?.attribution ?? [], lang), FONT_CREDIT])
    ul.appendChild(el('li', s));
  add(ul);
  add(el('p', formatStamp(date), 'src'));
  return doc;
}

export function serialise(doc: Document): string {
  return '<!doctype html>\n' + doc.documentElement.outerHTML;
}

export async function openReport(): Promise<{ blocked: boolean }> {
  const doc = await buildReport();
  const blob = new Blob([serialise(doc)], { type: 'text/html;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const w = window.open(url, '_blank');
  if (!w) {
    const a = document.createElement('a');
    a.href = url;
    a.download = `${t('present.report.title')}-${formatDate(new Date())}.html`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { blocked: !w };
}
