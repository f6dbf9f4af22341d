/**
 * The shared project in a real browser: the built app served by `npm run server` (embedded PostgreSQL in a temporary
 * folder), a 街道 editor and the district signed in from two browser contexts. The editor records a vote; the district
 * sees it without reloading; the editor cannot edit another street's community.
 */
import { afterAll, beforeAll, describe, expect, test, inject } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, shot, waitForMapIdle } from './browser';
import { freePort } from '../../server/testing/pg-cluster';

const PASSWORD = 'correct-horse-9';
const NODE = [process.execPath, '--import', 'tsx', 'server/main.ts'];
let browser: Browser;
let server: ChildProcess;
let dir = '';
let base = '';
const contexts: BrowserContext[] = [];


beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'planner-e2e-shared-'));
  const env = { ...process.env, PLANNER_DATA_DIR: join(dir, 'db'), PLANNER_DIST: inject('distDir'), PLANNER_PASSWORD: PASSWORD, DATABASE_URL: '' };
  for (const args of [
    ['create-admin', '--username', 'district', '--display', '区住建局'],
    ['create-user', '--username', 'kongpu', '--role', 'street', '--street', '孔浦街道', '--display', '孔浦街道'],
    ['create-user', '--username', 'water', '--role', 'department', '--department', '区水利局', '--display', '区水利局'],
  ]) {
    const r = spawnSync(NODE[0]!, [...NODE.slice(1), ...args], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  }
  const port = await freePort();
  server = spawn(NODE[0]!, [...NODE.slice(1), 'serve', '--port', String(port)], { env, stdio: 'ignore' });
  base = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 600; i++) {
    if (await fetch(`${base}api/health`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(user: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  contexts.push(context);
  const page = await context.newPage();
  await page.route('**/*', (route) => (route.request().url().startsWith('http://127.0.0.1') ? route.continue() : route.abort()));
  await page.goto(base);
  await page.getByTestId('shared-login').waitFor();
  await page.getByTestId('login-user').fill(user);
  if (user === 'kongpu') {
    await page.getByTestId('login-password').fill('not-the-password-1');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('shared-login').textContent()).toContain('用户名或密码不正确');
    await shot(page, 'shared-login-1366');
  }
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('shared-user').waitFor();
  await waitForMapIdle(page);
  await page.getByTestId('mode-workflow').click();
  return page;
}

const select = (page: Page, id: string) => page.evaluate((x) => ((window as any).__planner.app.selectedId = x), id);

describe('shared project: a 街道 editor and the district', () => {
  let editor: Page;
  let district: Page;
  let own = { id: '', name: '' };
  let other = '';

  test('both sign in; the wrong password is refused', async () => {
    editor = await signIn('kongpu');
    district = await signIn('district');
    expect(await editor.getByTestId('shared-user').textContent()).toContain('街道编辑');
    ({ own, other } = await editor.evaluate(() => {
      const cs = (window as any).__planner.app.dataset.communities.map((f: any) => f.properties);
      const o = cs.find((p: any) => p.street === '孔浦街道' && p.stage === 'POOL' && !p.side_state);
      return { own: { id: o.id, name: o.name }, other: cs.find((p: any) => p.street !== '孔浦街道').id };
    }));
    expect(own.id).toBeTruthy();
  });

  test('the editor records the application vote; the district sees the new stage without reloading', async () => {
    await select(district, own.id);
    await expect.poll(() => district.getByTestId('workflow-stage').textContent()).toBe('排摸入库');
    await select(editor, own.id);
    await editor.getByTestId('workflow-target').selectOption('APPLIED');
    await editor.getByTestId('workflow-date').fill('2021-03-02');
    await editor.getByTestId('vote-date').fill('2021-03-01');
    await editor.getByTestId('vote-area-in').fill('2100');
    await editor.getByTestId('vote-area-total').fill('3000');
    await editor.getByTestId('vote-owners-in').fill('210');
    await editor.getByTestId('vote-owners-total').fill('300');
    await editor.getByTestId('workflow-submit').click();
    await expect.poll(() => editor.getByTestId('workflow-stage').textContent()).not.toBe('排摸入库');
    const stage = await editor.getByTestId('workflow-stage').textContent();
    await expect.poll(() => editor.getByTestId('shared-status').textContent(), { timeout: 20_000 }).toContain('已同步');
    await expect.poll(() => district.getByTestId('workflow-stage').textContent(), { timeout: 20_000 }).toBe(stage);
    // the district's history of the community names who recorded it
    await district.getByTestId('shared-history').locator('summary').click();
    await expect.poll(() => district.getByTestId('shared-history').textContent()).toContain('孔浦街道');
    // the vote in the workflow history carries who recorded it (stamped by the server, not claimed by the client)
    await expect.poll(() => district.getByTestId('workflow-recorder').first().textContent()).toContain('记录人: 孔浦街道');
    await shot(district, 'shared-district-sees-vote-1366');
  });

  test('the editor reports progress; the district sees which 街道 have not reported', async () => {
    await editor.getByTestId('progress-percent').fill('40');
    await editor.getByTestId('progress-send').click();
    await expect.poll(() => editor.getByTestId('progress-report').textContent()).toContain('已报送');
    await expect.poll(() => district.getByTestId('not-reported').textContent(), { timeout: 20_000 }).not.toContain('孔浦街道');
    expect(await district.getByTestId('not-reported').textContent()).toContain('庄桥街道');
  });

  test('the editor cannot edit another street’s community (the form is read-only and the server refuses)', async () => {
    await select(editor, other);
    await editor.getByTestId('workflow-readonly').waitFor();
    expect(await editor.getByTestId('workflow-edit').evaluate((f) => (f as HTMLFieldSetElement).disabled)).toBe(true);
    const status = await editor.evaluate(async (id) => {
      // the editor's own session and token: only the role decides
      const { csrf } = await (await fetch('api/session')).json();
      const r = await fetch(`api/projects/1/records/community/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ opId: 'forged', baseVersion: 0, value: { pool: '储备' } }),
      });
      return r.status;
    }, other);
    expect(status).toBe(403);
    await shot(editor, 'shared-editor-readonly-1366');
  });

  test('the editor writes a content plan for its own community; the district sees it live', async () => {
    const target = await editor.evaluate(() => {
      const cs = (window as any).__planner.app.dataset.communities.map((f: any) => f.properties);
      return cs.filter((p: any) => p.street === '孔浦街道')[1].id as string;
    });
    await select(editor, target);
    await select(district, target);
    await editor.getByTestId('content-accept-all').click();
    await expect.poll(() => editor.getByTestId('shared-status').textContent(), { timeout: 20_000 }).toContain('已同步');
    const lines = await editor.getByTestId('content-lines').locator('li').count();
    expect(lines).toBeGreaterThan(0);
    await expect.poll(() => district.getByTestId('content-lines').locator('li').count(), { timeout: 20_000 }).toBe(lines);
    expect(await editor.getByTestId('shared-refusal').count()).toBe(0);
  });

  test('two tabs of the editor follow the server, not each other; edits queued offline in both survive closing them', async () => {
    const ctx = editor.context();
    const ids = await editor.evaluate(() => {
      const cs = (window as any).__planner.app.dataset.communities.map((f: any) => f.properties);
      return cs.filter((p: any) => p.street === '孔浦街道').slice(2, 4).map((p: any) => p.id as string);
    });
    const open = async () => {
      const p = await ctx.newPage();
      await p.route('**/*', (route) => (route.request().url().startsWith('http://127.0.0.1') ? route.continue() : route.abort()));
      await p.goto(base);
      await p.getByTestId('shared-user').waitFor();
      await waitForMapIdle(p);
      await p.getByTestId('mode-workflow').click();
      return p;
    };
    const second = await open();
    // offline, each tab plans one community: both edits wait in this browser
    await ctx.setOffline(true);
    await select(editor, ids[0]!);
    await editor.getByTestId('content-accept-all').click();
    await select(second, ids[1]!);
    await second.getByTestId('content-accept-all').click();
    await expect.poll(() => editor.getByTestId('shared-status').textContent(), { timeout: 20_000 }).toMatch(/离线|发送中/);
    await expect.poll(() => second.getByTestId('shared-status').textContent(), { timeout: 20_000 }).toMatch(/离线|发送中/);
    expect(await editor.getByTestId('tab-conflict').count()).toBe(0);
    expect(await second.getByTestId('tab-conflict').count()).toBe(0);
    // both tabs are closed before the server is reachable again; the next tab sends what both queued
    await editor.close();
    await second.close();
    await ctx.setOffline(false);
    editor = await open();
    await expect.poll(() => editor.getByTestId('shared-status').textContent(), { timeout: 30_000 }).toContain('已同步');
    for (const id of ids) {
      await select(district, id);
      await expect.poll(() => district.getByTestId('content-lines').count(), { timeout: 20_000 }).toBe(1);
    }
    await shot(district, 'shared-district-sees-queued-plans-1366');
  });

  test('special works: a 街道 editor only views them; a department editor records works under its own department', async () => {
    await editor.getByTestId('mode-coordination').click();
    await editor.getByTestId('works-tab-works').click();
    await editor.getByTestId('works-readonly').waitFor();
    expect(await editor.getByTestId('works-draw').count()).toBe(0);
    const dept = await signIn('water');
    await dept.getByTestId('mode-coordination').click();
    await dept.getByTestId('works-tab-works').click();
    const field = dept.getByTestId('works-draw-dept');
    await dept.getByTestId('works-draw-line').click();
    await field.waitFor();
    expect(await field.inputValue()).toBe('区水利局');
    expect(await field.evaluate((i) => (i as HTMLInputElement).readOnly)).toBe(true);
    await shot(dept, 'shared-department-works-1366');
  });
});
