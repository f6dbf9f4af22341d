/** Listen: the API (./app.ts) and the built app's static files on one port. */
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AddressInfo } from 'node:net';
import { relative } from 'node:path';
import type { Db } from './db';
import { createApp } from './app';
import { DbLoginLimiter } from './auth';

export interface ServerOptions {
  db: Db;
  port: number;
  host: string;
  /** the built app (vite build); omitted in API-only tests */
  dist?: string;
  secureCookies?: boolean;
  version?: string;
}

export async function startServer(o: ServerOptions): Promise<{ port: number; close: () => Promise<void> }> {
  const { app } = createApp({
    db: o.db,
    version: o.version ?? '1',
    secureCookies: o.secureCookies,
    limiter: new DbLoginLimiter(o.db),
    clientAddress: (c) => getConnInfo(c).remote.address ?? 'unknown',
  });
  if (o.dist) {
    const root = relative(process.cwd(), o.dist) || '.';
    app.use('/*', serveStatic({ root }));
    app.get('/', serveStatic({ root, path: 'index.html' }));
  }
  return new Promise((res) => {
    const server = serve({ fetch: app.fetch, port: o.port, hostname: o.host }, (info: AddressInfo) =>
      res({
        port: info.port,
        close: () => new Promise<void>((done) => {
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          server.close(() => done());
        }),
      }),
    );
  });
}
