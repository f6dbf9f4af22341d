/**
 * Every system prerequisite of the tests, in one place (issue #17). Plain Node (no dependencies), so
 * `npm run setup` works before `npm install` / `npm ci`:
 *
 *   node scripts/prereq.mjs            check each prerequisite; install what is missing with apt-get when
 *                                      run as root, else print the exact command (exit 1 if anything is missing)
 *   node scripts/prereq.mjs --check    check only: one line naming what is missing and how to install it
 *   node scripts/prereq.mjs --dry-run  like the default, but print the apt-get commands instead of running them
 *
 * The vitest global setup (test/prereq-setup.ts) calls checkPrereqs() before any test of any project runs.
 * Each prerequisite is checked on its own: having Chromium says nothing about poppler.
 *
 *   Node.js          ^20.19 or ≥ 22.12 (vite 8, rolldown, @sveltejs/vite-plugin-svelte; package.json engines)
 *   Chromium         browser tests (Debian `chromium`; CHROMIUM_PATH selects another binary)
 *   a CJK font       Chinese text in browser screenshots and printed PDFs (`fonts-noto-cjk`, found with fc-list)
 *   pdftotext/pdftoppm  the presentation tests read and rasterise the printed PDF (`poppler-utils`)
 *   PostgreSQL       initdb, pg_ctl and postgres under /usr/lib/postgresql/<version>/bin (`postgresql`):
 *                    the shared-editing tests start a throwaway cluster (PG_BIN selects another folder)
 */
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Node versions package.json `engines` accepts (the strictest range among the dependencies we run on Node). */
export const NODE_ENGINES = '^20.19.0 || >=22.12.0';

/** @param {string} v e.g. "20.20.2" */
export function nodeSatisfies(v) {
  const [maj, min] = v.replace(/^v/, '').split('.').map(Number);
  return (maj === 20 && min >= 19) || (maj === 22 && min >= 12) || maj > 22;
}

/** @param {string} p */
function executable(p) {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** @param {string} cmd @param {NodeJS.ProcessEnv} env */
export function onPath(cmd, env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir && executable(join(dir, cmd))) return join(dir, cmd);
  return null;
}

/** The PostgreSQL server binaries folder: PG_BIN, else the newest /usr/lib/postgresql/<v>/bin with all three. */
export function findPgBin(env = process.env, root = '/usr/lib/postgresql') {
  const ok = (/** @type {string} */ dir) => ['initdb', 'pg_ctl', 'postgres'].every((b) => executable(join(dir, b)));
  if (env.PG_BIN) return ok(env.PG_BIN) ? env.PG_BIN : null;
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (ok(join(root, v, 'bin'))) return join(root, v, 'bin');
  return null;
}

/**
 * @typedef {{ id: string, label: string, apt: string[], found: boolean, detail?: string }} Prereq
 * @typedef {{ env?: NodeJS.ProcessEnv, nodeVersion?: string, pgRoot?: string }} CheckOptions
 */

/** Check each prerequisite on its own. @param {CheckOptions} [opts] @returns {Prereq[]} */
export function checkPrereqs(opts = {}) {
  const env = opts.env ?? process.env;
  const nodeVersion = opts.nodeVersion ?? process.versions.node;
  const chromium = env.CHROMIUM_PATH || '/usr/bin/chromium';
  const fcList = onPath('fc-list', env);
  let cjk = false;
  if (fcList) {
    const r = spawnSync(fcList, [':lang=zh', 'family'], { encoding: 'utf8', env });
    cjk = r.status === 0 && r.stdout.trim() !== '';
  }
  return [
    { id: 'node', label: `Node.js ${NODE_ENGINES} (found ${nodeVersion})`, apt: [], found: nodeSatisfies(nodeVersion) },
    { id: 'chromium', label: `Chromium (${chromium})`, apt: ['chromium'], found: executable(chromium) },
    { id: 'cjk-font', label: 'a CJK font', apt: fcList ? ['fonts-noto-cjk'] : ['fontconfig', 'fonts-noto-cjk'], found: cjk },
    { id: 'pdftotext', label: 'pdftotext', apt: ['poppler-utils'], found: onPath('pdftotext', env) !== null },
    { id: 'pdftoppm', label: 'pdftoppm', apt: ['poppler-utils'], found: onPath('pdftoppm', env) !== null },
    {
      id: 'postgresql',
      label: 'PostgreSQL server (initdb, pg_ctl)',
      apt: ['postgresql'],
      found: findPgBin(env, opts.pgRoot) !== null,
    },
  ];
}

/** The apt packages that provide the missing prerequisites, without repeats. @param {Prereq[]} missing */
export function packagesFor(missing) {
  return [...new Set(missing.flatMap((p) => p.apt))];
}

/** The exact command a person runs to install the packages. @param {string[]} pkgs @param {boolean} root */
export function installCommand(pkgs, root) {
  const s = root ? '' : 'sudo ';
  return `${s}apt-get update && ${s}apt-get install -y ${pkgs.join(' ')}`;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * One line for people: what is missing and the command that installs it; null when nothing is missing.
 * @param {Prereq[]} results @param {boolean} [root]
 */
export function missingLine(results, root = isRoot()) {
  const missing = results.filter((p) => !p.found);
  if (missing.length === 0) return null;
  const names = missing.map((p) => (p.apt.length ? `${p.label} (${p.apt.join(' ')})` : p.label)).join(', ');
  const pkgs = packagesFor(missing);
  const how = [];
  if (pkgs.length) how.push(`Install with: ${installCommand(pkgs, root)}  (or run: npm run setup)`);
  if (missing.some((p) => p.id === 'node')) how.push(`Install Node.js ${NODE_ENGINES} from https://nodejs.org`);
  return `Test prerequisites missing: ${names}. ${how.join('; ')}`;
}

/** `npm run setup`: check, install what is missing (root) or print the command, check again. */
function setup(/** @type {{ check: boolean, dryRun: boolean }} */ mode) {
  const say = (/** @type {string} */ l) => process.stdout.write(l + '\n');
  let results = checkPrereqs();
  if (mode.check) {
    const line = missingLine(results);
    if (line) process.stderr.write(line + '\n');
    return line ? 1 : 0;
  }
  for (const p of results) say(`${p.found ? 'ok     ' : 'MISSING'}  ${p.label}${p.found || !p.apt.length ? '' : `  (apt: ${p.apt.join(' ')})`}`);
  const missing = results.filter((p) => !p.found);
  if (missing.length === 0) {
    say('setup: every prerequisite is present');
    return 0;
  }
  const pkgs = packagesFor(missing);
  const apt = onPath('apt-get', process.env);
  if (pkgs.length && isRoot() && apt && !mode.dryRun) {
    const run = (/** @type {string[]} */ args) => spawnSync(apt, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
    say(`setup: apt-get install -y ${pkgs.join(' ')}`);
    if (!run(['update', '-qq']) || !run(['install', '-y', '-qq', ...pkgs])) {
      process.stderr.write(`setup: apt-get failed; install by hand: ${installCommand(pkgs, true)}\n`);
      return 1;
    }
    results = checkPrereqs();
    // a package can be installed while its files were removed: reinstall it once
    const still = packagesFor(results.filter((p) => !p.found));
    if (still.length && still.every((p) => pkgs.includes(p))) {
      say(`setup: apt-get install -y --reinstall ${still.join(' ')}`);
      run(['install', '-y', '-qq', '--reinstall', ...still]);
      results = checkPrereqs();
    }
    const line = missingLine(results);
    if (line) {
      process.stderr.write(line + '\n');
      return 1;
    }
    say('setup: every prerequisite is present');
    return 0;
  }
  const line = missingLine(results);
  process.stderr.write(`${line}\n`);
  if (pkgs.length && !apt) process.stderr.write(`setup: no apt-get on this machine: install the packages ${pkgs.join(', ')} (Debian names) with your package manager\n`);
  return 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--check' && a !== '--dry-run');
  if (unknown.length) {
    process.stderr.write(`prereq: unknown option ${unknown[0]} (use --check or --dry-run)\n`);
    process.exit(2);
  }
  process.exit(setup({ check: args.includes('--check'), dryRun: args.includes('--dry-run') }));
}
