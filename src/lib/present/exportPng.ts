/**
 * PNG export of the current map at 2× or 3× with title, date, legend, north arrow, scale bar,
 * attribution and trace (in a band below the map) burned in. The map is re-rendered at the higher pixel ratio (MapLibre's
 * setPixelRatio), copied in the frame that draws it, and the ratio is put back. Text is drawn
 * with the canvas 2D API, so no HTML is involved. The image is k × the map's CSS width; its height is the map's plus the footer band.
 */
import { saveFile } from './saveFile';
import type { Map as MLMap } from 'maplibre-gl';
import { whenIdle } from './present.svelte';
import { scaleBar } from './scalebar';
import { formatStamp } from './trace';
import type { SheetInfo } from './sheetInfo';

/**
 * Render the map at `scale` × its CSS size and return a copy of the pixels. The map does not keep its drawing
 * buffer between frames (keeping it made the first map slower), so the copy is taken in the frame that draws it:
 * once everything is loaded, one more frame is asked for and copied as soon as it is drawn (MapLibre's `render`
 * event comes right after drawing, before the browser shows the frame and lets go of its buffer).
 */
export async function captureMap(map: MLMap, scale: number): Promise<HTMLCanvasElement> {
  const prev = map.getPixelRatio();
  try {
    map.setPixelRatio(scale);
    await whenIdle(map);
    return await new Promise<HTMLCanvasElement>((resolve) => {
      map.once('render', () => {
        const src = map.getCanvas();
        const out = document.createElement('canvas');
        out.width = src.width;
        out.height = src.height;
        out.getContext('2d')!.drawImage(src, 0, 0);
        resolve(out);
      });
      map.triggerRepaint();
    });
  } finally {
    map.setPixelRatio(prev);
    map.triggerRepaint();
  }
}

const FONT = "'Noto Sans SC', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif";

function box(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) {
  ctx.fillStyle = 'rgba(255,255,255,0.93)';
  ctx.strokeStyle = 'rgba(0,0,0,0.35)';
  ctx.lineWidth = 1;
  ctx.fillRect(x, y, w, h);
  ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
}

/**
 * Wrap text to a width at word boundaries: Latin words and numbers stay whole ("walking" never splits),
 * CJK characters may break between any two (they carry no spaces). A single word wider than the line is
 * the only thing ever broken inside.
 */
export function wrapWords(measure: (s: string) => number, text: string, maxW: number): string[] {
  const tokens = text.match(/[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+|\s+/g) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const tok of tokens) {
    if (/^\s+$/.test(tok)) {
      if (line) line += ' ';
      continue;
    }
    if (measure(line + tok) <= maxW || !line.trim()) line += tok;
    else {
      lines.push(line.trimEnd());
      line = tok;
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

/** Draw the map furniture over a captured map (all sizes in CSS px × k). */
export function decorate(canvas: HTMLCanvasElement, k: number, info: SheetInfo, map: { lat: number; zoom: number; bearing: number }, date: Date, mapH = canvas.height) {
  const ctx = canvas.getContext('2d')!;
  const W = canvas.width;
  // the map's height; the canvas below it holds the footer band
  const H = mapH;
  const u = (x: number) => x * k;
  ctx.textBaseline = 'top';

  // title band
  ctx.font = `bold ${u(20)}px ${FONT}`;
  const titleW = ctx.measureText(info.title).width;
  ctx.font = `${u(12)}px ${FONT}`;
  const dateText = formatStamp(date);
  const bandW = Math.min(W - u(20), Math.max(titleW, ctx.measureText(dateText).width) + u(24));
  box(ctx, u(10), u(10), bandW, u(56));
  ctx.fillStyle = '#111';
  ctx.font = `bold ${u(20)}px ${FONT}`;
  ctx.fillText(info.title, u(22), u(16), bandW - u(24));
  ctx.font = `${u(12)}px ${FONT}`;
  ctx.fillStyle = '#333';
  ctx.fillText(dateText, u(22), u(44));

  // north arrow (top right), rotated with the map's bearing
  const nx = W - u(40);
  const ny = u(46);
  box(ctx, nx - u(26), ny - u(34), u(52), u(64));
  ctx.save();
  ctx.translate(nx, ny);
  ctx.rotate((-map.bearing * Math.PI) / 180);
  ctx.beginPath();
  ctx.moveTo(0, -u(22));
  ctx.lineTo(u(10), u(12));
  ctx.lineTo(0, u(5));
  ctx.lineTo(-u(10), u(12));
  ctx.closePath();
  ctx.fillStyle = '#c0392b';
  ctx.fill();
  ctx.restore();
  ctx.fillStyle = '#111';
  ctx.font = `bold ${u(12)}px ${FONT}`;
  ctx.textAlign = 'center';
  ctx.fillText('N', nx, ny + u(14));
  ctx.textAlign = 'left';

  // attribution and trace in a band BELOW the map (the canvas was made taller for it), never over it
  ctx.font = `${u(10)}px ${FONT}`;
  const lines = footLines(ctx, info, W - u(20));
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, H, W, canvas.height - H);
  ctx.fillStyle = '#222';
  lines.forEach((l, i) => ctx.fillText(l, u(10), H + u(6) + i * u(13)));
  // the demonstration notice, as legible as the title (bold, same size), under the title band
  if (info.demoNotice) {
    ctx.font = `bold ${u(20)}px ${FONT}`;
    const demoLines = wrapWords((x) => ctx.measureText(x).width, info.demoNotice, Math.min(W - u(40), u(720)));
    const dh = demoLines.length * u(26) + u(12);
    ctx.fillStyle = 'rgba(255,244,222,0.95)';
    ctx.fillRect(u(10), u(72), Math.min(W - u(20), u(740)), dh);
    ctx.strokeStyle = '#b36b00';
    ctx.strokeRect(u(10) + 0.5, u(72) + 0.5, Math.min(W - u(20), u(740)) - 1, dh - 1);
    ctx.fillStyle = '#5a3500';
    demoLines.forEach((l, i) => ctx.fillText(l, u(20), u(78) + i * u(26)));
  }

  // legend (bottom left, above the footer band)
  const rowH = u(17);
  const legendRows: { label: string; color: string; dot?: boolean }[] = [
    ...info.theme.entries.map((e) => ({ label: e.label, color: e.color })),
    ...info.facilities.map((f) => ({ label: f.label, color: f.color, dot: true })),
  ];
  // two columns when long, so the legend never covers more than about half the map's height
  const maxRows = Math.max(4, Math.floor((H * 0.55) / rowH));
  const cols = Math.ceil(legendRows.length / maxRows);
  const perCol = Math.ceil(legendRows.length / Math.max(1, cols));
  ctx.font = `${u(12)}px ${FONT}`;
  const colW = Math.min(u(210), Math.max(u(80), ...legendRows.map((r) => ctx.measureText(r.label).width + u(28))));
  const lh = u(26) + perCol * rowH;
  const lw = Math.max(u(120), cols * colW + u(16));
  const lx = u(10);
  const ly = H - lh - u(8);
  box(ctx, lx, ly, lw, lh);
  ctx.fillStyle = '#111';
  ctx.font = `bold ${u(13)}px ${FONT}`;
  ctx.fillText(info.theme.title, lx + u(8), ly + u(6), lw - u(16));
  ctx.font = `${u(12)}px ${FONT}`;
  legendRows.forEach((r, i) => {
    const c = Math.floor(i / perCol);
    const x = lx + u(8) + c * colW;
    const y = ly + u(26) + (i % perCol) * rowH;
    ctx.fillStyle = r.color;
    if (r.dot) {
      ctx.beginPath();
      ctx.arc(x + u(7), y + u(7), u(5), 0, Math.PI * 2);
      ctx.fill();
    } else {
      ctx.fillRect(x, y + u(2), u(14), u(10));
      ctx.strokeStyle = 'rgba(0,0,0,0.4)';
      ctx.strokeRect(x, y + u(2), u(14), u(10));
    }
    ctx.fillStyle = '#111';
    ctx.fillText(r.label, x + u(20), y, colW - u(24));
  });

  // scale bar (bottom right)
  const sb = scaleBar(map.lat, map.zoom, 140);
  const sx = W - u(sb.px) - u(30);
  const sy = H - u(26);
  box(ctx, sx - u(10), sy - u(20), u(sb.px) + u(20), u(36));
  ctx.fillStyle = '#111';
  ctx.fillRect(sx, sy + u(4), u(sb.px), u(4));
  ctx.fillRect(sx, sy - u(2), u(2), u(10));
  ctx.fillRect(sx + u(sb.px) - u(2), sy - u(2), u(2), u(10));
  ctx.font = `${u(12)}px ${FONT}`;
  ctx.textAlign = 'center';
  ctx.fillText(sb.label, sx + u(sb.px) / 2, sy - u(17));
  ctx.textAlign = 'left';

}

/** The footer's lines: sources, then the trace, wrapped at word boundaries to the image width. */
function footLines(ctx: CanvasRenderingContext2D, info: SheetInfo, width: number): string[] {
  const m = (x: string) => ctx.measureText(x).width;
  return [info.sources.join(' · '), info.trace.map((l) => `${l.label}: ${l.value}`).join(' · ')].flatMap((f) => wrapWords(m, f, width));
}

/** The map with room below it for the footer band. */
function withFooter(map: HTMLCanvasElement, k: number, info: SheetInfo): HTMLCanvasElement {
  const probe = document.createElement('canvas').getContext('2d')!;
  probe.font = `${10 * k}px ${FONT}`;
  const n = footLines(probe, info, map.width - 20 * k).length;
  const out = document.createElement('canvas');
  out.width = map.width;
  out.height = map.height + n * 13 * k + 12 * k;
  out.getContext('2d')!.drawImage(map, 0, 0);
  return out;
}

/** Capture, decorate and download the current map as PNG. Returns the image size for the caller to report. */
export async function exportPng(map: MLMap, k: number, info: SheetInfo, fileName: string): Promise<{ width: number; height: number }> {
  const date = new Date();
  await document.fonts?.ready;
  const shot = await captureMap(map, k);
  const canvas = withFooter(shot, k, info);
  const c = map.getCenter();
  decorate(canvas, k, info, { lat: c.lat, zoom: map.getZoom(), bearing: map.getBearing() }, date, shot.height);
  const blob: Blob = await new Promise((res, rej) => canvas.toBlob((b) => (b ? res(b) : rej(new Error('PNG encoding failed'))), 'image/png'));
  saveFile(fileName, blob);
  return { width: canvas.width, height: canvas.height };
}
