/**
 * PNG export of the current map at 2× or 3× with title, date, legend, north arrow, scale bar,
 * attribution and trace burned in. The map is re-rendered at the higher pixel ratio (MapLibre's
 * setPixelRatio; the map keeps its drawing buffer), copied, and the ratio is put back. Text is drawn
 * with the canvas 2D API, so no HTML is involved. The image has exactly k × the map's CSS size.
 */
import type { Map as MLMap } from 'maplibre-gl';
import { whenIdle } from './present.svelte';
import { scaleBar } from './scalebar';
import { formatStamp } from './trace';
import type { SheetInfo } from './sheetInfo';

/** Render the map at `scale` × its CSS size and return a copy of the pixels. */
export async function captureMap(map: MLMap, scale: number): Promise<HTMLCanvasElement> {
  const prev = map.getPixelRatio();
  try {
    map.setPixelRatio(scale);
    await whenIdle(map);
    const src = map.getCanvas();
    const out = document.createElement('canvas');
    out.width = src.width;
    out.height = src.height;
    out.getContext('2d')!.drawImage(src, 0, 0);
    return out;
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

/** Wrap text to a width; CJK has no spaces, so break anywhere a character does not fit. */
function wrap(ctx: CanvasRenderingContext2D, text: string, maxW: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (ctx.measureText(line + ch).width > maxW && line) {
      lines.push(line);
      line = ch.trim() ? ch : '';
    } else line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

/** Draw the map furniture over a captured map (all sizes in CSS px × k). */
export function decorate(canvas: HTMLCanvasElement, k: number, info: SheetInfo, map: { lat: number; zoom: number; bearing: number }, date: Date) {
  const ctx = canvas.getContext('2d')!;
  const W = canvas.width;
  const H = canvas.height;
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

  // attribution, demo notice and trace (bottom band)
  ctx.font = `${u(10)}px ${FONT}`;
  const foot = [info.sources.join(' · '), ...(info.demoNotice ? [info.demoNotice] : []), info.trace.map((l) => `${l.label}: ${l.value}`).join(' · ')];
  const lines = foot.flatMap((f) => wrap(ctx, f, W - u(20)));
  const fh = lines.length * u(13) + u(8);
  ctx.fillStyle = 'rgba(255,255,255,0.9)';
  ctx.fillRect(0, H - fh, W, fh);
  ctx.fillStyle = '#222';
  lines.forEach((l, i) => ctx.fillText(l, u(10), H - fh + u(4) + i * u(13)));

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
  const ly = H - fh - lh - u(8);
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
  const sy = H - fh - u(26);
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

/** Capture, decorate and download the current map as PNG. Returns the image size for the caller to report. */
export async function exportPng(map: MLMap, k: number, info: SheetInfo, fileName: string): Promise<{ width: number; height: number }> {
  const date = new Date();
  await document.fonts?.ready;
  const canvas = await captureMap(map, k);
  const c = map.getCenter();
  decorate(canvas, k, info, { lat: c.lat, zoom: map.getZoom(), bearing: map.getBearing() }, date);
  const blob: Blob = await new Promise((res, rej) => canvas.toBlob((b) => (b ? res(b) : rej(new Error('PNG encoding failed'))), 'image/png'));
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { width: canvas.width, height: canvas.height };
}
