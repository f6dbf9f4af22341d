/**
 * The shared-project server: `npm run server -- <command>` (see `--help` and the README "Shared project").
 * Configuration by environment variables: DATABASE_URL (a real PostgreSQL; otherwise the embedded one),
 * PLANNER_DATA_DIR (the embedded database's folder, default ./server-data), PORT (8080), HOST (127.0.0.1),
 * PLANNER_SECURE_COOKIES=1 behind HTTPS, PLANNER_DIST (the built app, default ./dist).
 */
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { openDb, migrate, type Db } from './db';
import { createUser, ROLES, type Role } from './auth';
import { createProject } from './store';

export const USAGE = `usage: npm run server -- [command] [options]

commands:
  serve (default)      serve the app and the API   [--port 8080] [--host 127.0.0.1] [--api-only]
  create-admin         create a district administrator        --username NAME [--display 名字]
  create-user          create a user   --username NAME --role admin|street|department|viewer
                                       [--street 街道] [--department 部门] [--display 名字]
                       (the password is read from PLANNER_PASSWORD or the first line of standard input;
                        there is no default password)
  create-project       a project for the communities of a layer
                                       --name NAME [--communities public/data/communities.fgb]
  backup               --out FILE      PostgreSQL: pg_dump custom format; embedded: a consistent dump of its folder
  restore              --from FILE     PostgreSQL: pg_restore --clean; embedded: into an empty PLANNER_DATA_DIR
  migrate              apply pending schema migrations and exit

environment:
  DATABASE_URL            postgres://user:pass@host:5432/db — a real PostgreSQL (otherwise the embedded one)
  PLANNER_DATA_DIR        folder of the embedded PostgreSQL (default ./server-data)
  PORT, HOST              where to listen (default 8080 on 127.0.0.1)
  PLANNER_SECURE_COOKIES  1 when served over HTTPS (cookies get Secure)
  PLANNER_DIST            the built app to serve (default ./dist; built on first start when missing)
  PLANNER_PASSWORD        password for create-admin / create-user (else read from standard input)`;

export function dbOptions(env = process.env) {
  return { url: env.DATABASE_URL || undefined, dataDir: env.PLANNER_DATA_DIR || 'server-data' };
}

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(dbOptions());
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

function readPassword(): string {
  if (process.env.PLANNER_PASSWORD) return process.env.PLANNER_PASSWORD;
  const text = readFileSync(0, 'utf8');
  return text.split(/\r?\n/)[0] ?? '';
}

async function communitiesOf(path: string) {
  const { readLayer } = await import('../scripts/cli/io');
  const feats = await readLayer(path, { kind: 'communities' });
  return feats.map((f) => ({ id: f.properties.id, name: f.properties.name, street: f.properties.street }));
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, host: { type: 'string' }, 'api-only': { type: 'boolean' } } });
  const port = Number(values.port ?? process.env.PORT ?? 8080);
  const host = values.host ?? process.env.HOST ?? '127.0.0.1';
  const dist = resolve(process.env.PLANNER_DIST ?? 'dist');
  if (!values['api-only'] && !existsSync(resolve(dist, 'index.html'))) {
    console.error(`building the app into ${dist} …`);
    const { build } = await import('vite');
    await build({ logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
  }
  const db = await openDb(dbOptions());
  const applied = await migrate(db);
  if (applied.length) console.error(`migrations applied: ${applied.join(', ')}`);
  const projects = await db.query('SELECT id FROM projects LIMIT 1');
  if (!projects.rows.length) {
    const id = await createProject(db, '江北区老旧小区改造', await communitiesOf('public/data/communities.fgb'));
    console.error(`created project ${id} from the default communities`);
  }
  const users = await db.query('SELECT id FROM users LIMIT 1');
  if (!users.rows.length) console.error('no users yet: create the first administrator with  npm run server -- create-admin --username NAME');
  const { startServer } = await import('./http');
  const s = await startServer({ db, port, host, dist: values['api-only'] ? undefined : dist, secureCookies: process.env.PLANNER_SECURE_COOKIES === '1' });
  console.log(`serving on http://${host}:${s.port}/ (${db.engine === 'pglite' ? `embedded PostgreSQL in ${dbOptions().dataDir}` : 'PostgreSQL'})`);
  const stop = async () => {
    await s.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return new Promise(() => undefined);
}

async function backup(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' } } });
  if (!values.out) throw new Error('backup needs --out FILE');
  const o = dbOptions();
  if (o.url) {
    const r = spawnSync('pg_dump', ['--format=custom', '--file', values.out, o.url], { stdio: 'inherit' });
    return r.status ?? 1;
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(o.dataDir);
  const blob = await db.dumpDataDir('gzip');
  writeFileSync(values.out, Buffer.from(await blob.arrayBuffer()));
  await db.close();
  console.error(`embedded database in ${o.dataDir} written to ${values.out}`);
  return 0;
}

async function restore(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { from: { type: 'string' } } });
  if (!values.from) throw new Error('restore needs --from FILE');
  const o = dbOptions();
  if (o.url) {
    const r = spawnSync('pg_restore', ['--clean', '--if-exists', '--no-owner', '--dbname', o.url, values.from], { stdio: 'inherit' });
    return r.status ?? 1;
  }
  if (existsSync(o.dataDir) && readdirSync(o.dataDir).length) throw new Error(`${o.dataDir} is not empty: restore into a new PLANNER_DATA_DIR (nothing was changed)`);
  mkdirSync(o.dataDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(o.dataDir, { loadDataDir: new Blob([readFileSync(values.from)]) });
  await db.close();
  console.error(`restored ${values.from} into ${o.dataDir}`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd = 'serve', ...rest] = argv[0]?.startsWith('--') && argv[0] !== '--help' ? ['serve', ...argv] : argv;
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
    console.log(USAGE);
    return 0;
  }
  switch (cmd) {
    case 'serve':
      return serve(rest);
    case 'migrate':
      return withDb(async (db) => (console.error(`applied: ${(await migrate(db)).join(', ') || 'none pending'}`), 0));
    case 'create-admin':
    case 'create-user': {
      const { values } = parseArgs({
        args: rest,
        options: { username: { type: 'string' }, role: { type: 'string' }, street: { type: 'string' }, department: { type: 'string' }, display: { type: 'string' } },
      });
      const role = (cmd === 'create-admin' ? 'admin' : values.role) as Role;
      if (!values.username) throw new Error(`${cmd} needs --username`);
      if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
      const password = readPassword();
      return withDb(async (db) => {
        const u = await createUser(db, { username: values.username!, display: values.display, role, street: values.street, department: values.department, password });
        console.error(`created ${u.role} "${u.username}"`);
        return 0;
      });
    }
    case 'create-project': {
      const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, communities: { type: 'string' } } });
      if (!values.name) throw new Error('create-project needs --name');
      const list = await communitiesOf(values.communities ?? 'public/data/communities.fgb');
      return withDb(async (db) => (console.error(`created project ${await createProject(db, values.name!, list)} with ${list.length} communities`), 0));
    }
    case 'backup':
      return backup(rest);
    case 'restore':
      return restore(rest);
    default:
      console.error(`unknown command "${cmd}"\n\n${USAGE}`);
      return 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).then(
    (code) => code !== undefined && process.exit(code),
    (err) => {
      console.error(`error: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
