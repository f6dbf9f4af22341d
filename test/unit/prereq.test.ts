/**
 * Issue #17: one place knows every system prerequisite of the tests (scripts/prereq.mjs); `npm test`
 * checks them in a vitest global setup and stops at once with one line; `npm run setup` names or installs them.
 * The end-to-end case runs vitest itself with a PATH that lacks pdftotext (the machine's other tools stay).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { checkPrereqs, installCommand, missingLine, nodeSatisfies, packagesFor } from '../../scripts/prereq.mjs';

const ROOT = join(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'prereq-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A PATH of one folder holding links to every program on the current PATH except `omit`. */
function pathWithout(omit: string): string {
  const bin = join(tmp, `bin-without-${omit}`);
  if (existsSync(bin)) return bin;
  mkdirSync(bin);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || !existsSync(dir) || !statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir)) {
      if (name === omit || existsSync(join(bin, name))) continue;
      symlinkSync(join(dir, name), join(bin, name));
    }
  }
  return bin;
}

/** The environment of a child process: this one's, minus vitest's own markers. */
function childEnv(path: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'TEST' && k !== 'NODE_ENV') env[k] = v;
  env.PATH = path;
  env.NO_COLOR = '1';
  return env;
}

describe('issue 17: test prerequisites', () => {
  it('npm test stops before any test with one line naming pdftotext and the command, without a stack trace', () => {
    const path = pathWithout('pdftotext');
    const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', 'unit', 'test/unit/i18n.test.ts'], {
      cwd: ROOT,
      env: childEnv(path),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    const out = `${r.stdout}\n${r.stderr}`;
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Test prerequisites missing: pdftotext \(poppler-utils\)\. Install with: (sudo )?apt-get update && (sudo )?apt-get install -y poppler-utils/);
    expect(lines[0]).not.toMatch(/pdftoppm|chromium|postgresql/i); // only what is missing
    expect(out).not.toMatch(/\n\s+at |❯|Error:/); // no stack trace
    expect(out).not.toMatch(/Test Files|passed/); // no test ran
  });

  it('npm run setup checks each prerequisite on its own and prints the exact install command', () => {
    const r = spawnSync(process.execPath, ['scripts/prereq.mjs', '--dry-run'], { cwd: ROOT, env: childEnv(pathWithout('pdftotext')), encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/MISSING\s+pdftotext\s+\(apt: poppler-utils\)/);
    expect(r.stdout).toMatch(/ok\s+pdftoppm/); // checked apart from pdftotext
    expect(r.stdout).toMatch(/ok\s+Chromium/);
    expect(r.stderr).toContain('apt-get install -y poppler-utils');
    const ok = spawnSync(process.execPath, ['scripts/prereq.mjs', '--check'], { cwd: ROOT, env: childEnv(process.env.PATH ?? ''), encoding: 'utf8' });
    expect([ok.status, ok.stderr]).toEqual([0, '']);
  });

  it('names each missing prerequisite with its Debian package', () => {
    const empty = mkdtempSync(join(tmp, 'pg-'));
    const res = checkPrereqs({ env: { ...process.env, CHROMIUM_PATH: join(tmp, 'no-chromium') }, pgRoot: empty });
    const missing = res.filter((p) => !p.found);
    expect(missing.map((p) => p.id)).toEqual(['chromium', 'postgresql']);
    expect(packagesFor(missing)).toEqual(['chromium', 'postgresql']);
    expect(missingLine(res, false)).toBe(
      `Test prerequisites missing: Chromium (${join(tmp, 'no-chromium')}) (chromium), PostgreSQL server (initdb, pg_ctl) (postgresql). ` +
        'Install with: sudo apt-get update && sudo apt-get install -y chromium postgresql  (or run: npm run setup)',
    );
    // poppler's two programs come from one package, named once
    const both = checkPrereqs({ env: { ...process.env, PATH: '' } }).filter((p) => p.id === 'pdftotext' || p.id === 'pdftoppm');
    expect(packagesFor(both.filter((p) => !p.found))).toEqual(['poppler-utils']);
    expect(installCommand(['poppler-utils'], true)).toBe('apt-get update && apt-get install -y poppler-utils');
  });

  it('accepts the Node versions package.json engines accepts', () => {
    expect(['20.18.3', '20.19.0', '21.7.0', '22.11.0', '22.12.0', '24.1.0'].map(nodeSatisfies)).toEqual([false, true, false, false, true, true]);
    const line = missingLine(checkPrereqs({ nodeVersion: '18.20.0' }));
    expect(line).toContain('Node.js ^20.19.0 || >=22.12.0 (found 18.20.0)');
    expect(line).toContain('https://nodejs.org');
  });
});
