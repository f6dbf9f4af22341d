/**
 * Visual regression, like MapLibre's render tests: a reference screenshot per mode and window size is committed
 * under test/e2e/reference/; a run compares its screenshot with it and fails when more than `tolerance` of the
 * pixels differ (a pixel differs when a channel moves by more than 48 of 255). `UPDATE=1` rewrites the
 * references, after which a person must look at them. The comparison runs in the page (canvas), no extra package.
 */
import type { Page } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ARTIFACTS } from './browser';

export const REFERENCE_DIR = 'test/e2e/reference';

export async function diffRatio(page: Page, a: Buffer, b: Buffer): Promise<number> {
  return page.evaluate(
    async ([a64, b64]) => {
      const load = async (b64: string) => {
        const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bmp = await createImageBitmap(new Blob([bin], { type: 'image/png' }));
        const c = new OffscreenCanvas(bmp.width, bmp.height);
        const ctx = c.getContext('2d')!;
        ctx.drawImage(bmp, 0, 0);
        return { w: bmp.width, h: bmp.height, d: ctx.getImageData(0, 0, bmp.width, bmp.height).data };
      };
      const x = await load(a64);
      const y = await load(b64);
      if (x.w !== y.w || x.h !== y.h) return 1;
      let diff = 0;
      for (let i = 0; i < x.d.length; i += 4) {
        if (Math.abs(x.d[i] - y.d[i]) > 48 || Math.abs(x.d[i + 1] - y.d[i + 1]) > 48 || Math.abs(x.d[i + 2] - y.d[i + 2]) > 48) diff++;
      }
      return diff / (x.w * x.h);
    },
    [a.toString('base64'), b.toString('base64')] as const,
  );
}

/** Screenshot, keep it as an artifact, compare with the reference (or write it with UPDATE=1). Returns the diff ratio. */
export async function matchReference(page: Page, name: string, tolerance = 0.03): Promise<number> {
  mkdirSync(ARTIFACTS, { recursive: true });
  mkdirSync(REFERENCE_DIR, { recursive: true });
  const png = await page.screenshot();
  writeFileSync(`${ARTIFACTS}/${name}.png`, png);
  const ref = `${REFERENCE_DIR}/${name}.png`;
  if (process.env.UPDATE === '1') {
    writeFileSync(ref, png);
    return 0;
  }
  if (!existsSync(ref)) throw new Error(`no reference screenshot ${ref}: run with UPDATE=1, then look at it`);
  const r = await diffRatio(page, png, readFileSync(ref));
  if (r > tolerance) throw new Error(`${name}: ${(r * 100).toFixed(2)}% of pixels differ from ${ref} (tolerance ${(tolerance * 100).toFixed(1)}%); see ${ARTIFACTS}/${name}.png`);
  return r;
}
