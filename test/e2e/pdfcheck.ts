/**
 * Checks on printed PDFs: text (pdftotext), page count (pdfinfo) and pixels of a rasterised page
 * (pdftoppm writes PPM, a header and raw RGB bytes, so no image library is needed).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function pdfText(path: string, page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  return execFileSync('pdftotext', ['-layout', ...range, path, '-']).toString();
}

export function pdfPages(path: string): number {
  const m = execFileSync('pdfinfo', [path]).toString().match(/Pages:\s+(\d+)/);
  return m ? Number(m[1]) : 0;
}

export interface Raster {
  width: number;
  height: number;
  rgb: Buffer;
  dpi: number;
}

/** Rasterise one page to PPM (and a PNG beside it for people to look at). */
export function rasterise(path: string, page: number, dpi: number, out: string): Raster {
  execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', path, out]);
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', path, out]);
  const buf = readFileSync(`${out}.ppm`);
  // P6\n<w> <h>\n<max>\n then bytes
  const header: string[] = [];
  let i = 0;
  while (header.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[i]))) i++;
    let tok = '';
    while (!/\s/.test(String.fromCharCode(buf[i]))) tok += String.fromCharCode(buf[i++]);
    header.push(tok);
  }
  i++;
  return { width: Number(header[1]), height: Number(header[2]), rgb: buf.subarray(i), dpi };
}

/**
 * The longest run of near-white rows or columns inside a box (mm on the page), as a share of the box's
 * height or width. A map that fills its frame has none; a screen-shaped image on paper leaves a band.
 */
export function blankBand(r: Raster, box: { x: number; y: number; w: number; h: number }): { rows: number; cols: number } {
  const px = (mm: number) => Math.round((mm / 25.4) * r.dpi);
  const x0 = px(box.x) + 2, y0 = px(box.y) + 2, x1 = px(box.x + box.w) - 2, y1 = px(box.y + box.h) - 2;
  const white = (x: number, y: number) => {
    const o = (y * r.width + x) * 3;
    return r.rgb[o] > 248 && r.rgb[o + 1] > 248 && r.rgb[o + 2] > 248;
  };
  const run = (n0: number, n1: number, m0: number, m1: number, at: (a: number, b: number) => boolean) => {
    let best = 0, cur = 0;
    for (let a = n0; a < n1; a++) {
      let w = 0;
      for (let b = m0; b < m1; b++) if (at(a, b)) w++;
      cur = w / (m1 - m0) > 0.97 ? cur + 1 : 0;
      best = Math.max(best, cur);
    }
    return best / (n1 - n0);
  };
  return { rows: run(y0, y1, x0, x1, (y, x) => white(x, y)), cols: run(x0, x1, y0, y1, (x, y) => white(x, y)) };
}
