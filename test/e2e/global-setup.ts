/**
 * Browser-test setup: build the app once into a private folder and serve it with `vite preview`
 * on a free port, so several test runs (and developers) can work side by side.
 */
import { build, preview, type PreviewServer } from 'vite';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
    /** the built app (for tests that serve it themselves, e.g. the shared-project server) */
    distDir: string;
  }
}

let server: PreviewServer | undefined;
let outDir = '';

export default async function setup(project: TestProject) {
  mkdirSync('.e2e', { recursive: true });
  outDir = mkdtempSync(join('.e2e', 'dist-'));
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  server = await preview({
    logLevel: 'warn',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', strictPort: false, open: false },
  });
  const addr = server.httpServer.address() as AddressInfo;
  project.provide('baseURL', `http://127.0.0.1:${addr.port}/`);
  project.provide('distDir', resolve(outDir));
  return async () => {
    await server?.close();
    rmSync(outDir, { recursive: true, force: true });
  };
}
