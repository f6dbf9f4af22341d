/**
 * Issue #16 item 9 (parts): package.json must say what the installed dependencies require.
 * - `engines.node` agrees with every dependency's own `engines.node` (the lowest versions we accept satisfy
 *   each of them), except the one documented in the README (`@mapbox/jsonlint-lines-primitives`, not loaded);
 * - js-yaml is only used by tests, so it is a devDependency (a runtime dependency ships in production installs).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_ENGINES } from '../../scripts/prereq.mjs';

const ROOT = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** Documented in the README: declares Node >= 22 but nothing we run loads it. */
const EXCEPTIONS = new Set(['@mapbox/jsonlint-lines-primitives']);

type V = [number, number, number];
const parse = (s: string): V => {
  const [a, b, c] = s.replace(/^v/, '').split('.').map((x) => (x === 'x' || x === '*' || x === undefined ? 0 : Number(x)));
  return [a, b ?? 0, c ?? 0];
};
const cmp = (a: V, b: V) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Does version v satisfy an npm engines range (the forms dependencies use: ^, ~, >=, >, <, <=, x-ranges, ||)? */
function satisfies(v: string, range: string): boolean {
  const x = parse(v);
  return range.split('||').some((clause) => {
    const parts = clause.trim().replace(/(>=|<=|>|<|\^|~|=)\s+/g, '$1').split(/\s+/).filter(Boolean);
    if (parts.length === 0) return true;
    return parts.every((p) => {
      const m = /^(>=|<=|>|<|\^|~|=)?(.*)$/.exec(p)!;
      const op = m[1] ?? '';
      if (m[2] === '*' || m[2] === 'x') return true;
      const r = parse(m[2]);
      const given = m[2].split('.').filter((s) => s !== 'x' && s !== '*').length;
      switch (op) {
        case '>=': return cmp(x, r) >= 0;
        case '>': return cmp(x, r) > 0;
        case '<': return cmp(x, r) < 0;
        case '<=': return cmp(x, r) <= 0;
        case '^': return cmp(x, r) >= 0 && (r[0] > 0 ? x[0] === r[0] : x[1] === r[1]);
        case '~': return cmp(x, r) >= 0 && x[0] === r[0] && (given < 2 || x[1] === r[1]);
        default: return x[0] === r[0] && (given < 2 || x[1] === r[1]) && (given < 3 || x[2] === r[2]);
      }
    });
  });
}

function installedEngines(): { name: string; range: string }[] {
  const out: { name: string; range: string }[] = [];
  const walk = (dir: string) => {
    for (const n of readdirSync(dir)) {
      if (n.startsWith('.')) continue;
      const p = join(dir, n);
      if (n.startsWith('@')) {
        walk(p);
        continue;
      }
      const pj = join(p, 'package.json');
      if (existsSync(pj)) {
        const j = JSON.parse(readFileSync(pj, 'utf8'));
        if (typeof j.engines?.node === 'string') out.push({ name: j.name, range: j.engines.node });
      }
      if (existsSync(join(p, 'node_modules'))) walk(join(p, 'node_modules'));
    }
  };
  walk(join(ROOT, 'node_modules'));
  return out;
}

describe('issue 16 item 9: engines and runtime dependencies', () => {
  it('reads npm engines ranges as npm does', () => {
    expect(satisfies('20.19.0', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('20.18.9', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies('22.11.0', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies('20.19.0', '>= 22')).toBe(false);
    expect(satisfies('20.19.0', '^10 || ^12 || >=14')).toBe(true);
    expect(satisfies('20.0.0', '^20.19 || ^22.12 || >=24')).toBe(false);
    expect(satisfies('20.19.0', '>= 10.x')).toBe(true);
    expect(satisfies('20.19.0', '*')).toBe(true);
  });

  it('package.json engines agrees with every installed dependency (the exception is documented)', () => {
    expect(pkg.engines.node).toBe(NODE_ENGINES);
    const lowest = pkg.engines.node.split('||').map((c: string) => c.trim().replace(/^[\^>=~\s]+/, ''));
    expect(lowest).toEqual(['20.19.0', '22.12.0']);
    const conflicts = installedEngines()
      .filter((d) => lowest.some((v: string) => !satisfies(v, d.range)))
      .map((d) => `${d.name} wants ${d.range}`);
    expect(conflicts.filter((c) => !EXCEPTIONS.has(c.split(' wants ')[0]))).toEqual([]);
    // the exception is still real and still said in the README; drop it from both when it goes away
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const name of EXCEPTIONS) {
      expect(conflicts.some((c) => c.startsWith(`${name} wants`))).toBe(true);
      expect(readme).toContain(name);
    }
    expect(readme).toContain('Node.js 20.19+ or 22.12+');
  });

  it('js-yaml is a devDependency: only tests use it', () => {
    expect(pkg.dependencies['js-yaml']).toBeUndefined();
    expect(pkg.devDependencies['js-yaml']).toBeDefined();
    const runtime: string[] = [];
    const walk = (dir: string) => {
      for (const n of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, n.name);
        if (n.isDirectory()) walk(p);
        else if (/\.(ts|js|mjs|svelte)$/.test(n.name) && !/\.(test|spec|bench)\.ts$/.test(n.name) && /from ['"]js-yaml['"]/.test(readFileSync(p, 'utf8'))) runtime.push(p);
      }
    };
    for (const d of ['src', 'scripts', 'geodata', 'server']) if (existsSync(join(ROOT, d))) walk(join(ROOT, d));
    expect(runtime).toEqual([]);
  });
});
