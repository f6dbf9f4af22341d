/**
 * A throwaway PostgreSQL cluster for tests: `initdb` + `pg_ctl` from Debian's postgresql package in a temporary
 * folder on a free port (as the `postgres` user when running as root, since initdb refuses root).
 * Returns undefined, with the reason, when the PostgreSQL server binaries are not installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPgBin } from '../../scripts/prereq.mjs';

/** The server binaries folder, found as `npm run setup` and the test prerequisite check find it (PG_BIN, else the newest /usr/lib/postgresql/<v>/bin). */
export function pgBinDir(): string | undefined {
  return findPgBin() ?? undefined;
}

/** A free TCP port on 127.0.0.1 (for throwaway servers in tests). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

export interface Cluster {
  url: string;
  bin: string;
  stop(): void;
}

export async function startCluster(): Promise<Cluster | { missing: string }> {
  const bin = pgBinDir();
  if (!bin) return { missing: 'PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql: run `npm run setup`' };
  const dir = mkdtempSync(join(tmpdir(), 'planner-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) return { missing: 'running as root and there is no "postgres" user to run initdb as' };
    chownSync(dir, Number(id.stdout.trim()), Number(gid.stdout.trim()));
  }
  const run = (cmd: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' }) : execFileSync(join(bin, cmd), args, { stdio: 'pipe' });
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'planner', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`, 'start']);
  return {
    url: `postgres://planner@127.0.0.1:${port}/postgres`,
    bin,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
