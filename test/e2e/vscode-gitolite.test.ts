// A gitolite home in a real VS Code (issue 12 item 4): the demo's gitolite home (gl1, with real
// gitolite3 copies gl2 async and gl3 nosync behind loopback sshds) opened in code-server. The
// Remotes view lists the copies, the conf's mistake is in Problems with its quick fix, the dry
// run shows per repo × copy what git push --mirror would change and what this host skips,
// "Replicate Project…" pushes to the copy (gitolite there accepts it), and the Queue view shows
// nosync copies waiting and a failed copy with gitolite's error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, scratch } from '../support/helpers';
import { launchVsCode, MOD, replicateProject, runCommand, saveUntil, scripts, until, webview, type VsCode, oneVsCodePerFile, activated } from './vscode';

const importEsm = new Function('u', 'return import(u)') as (u: string) => Promise<any>;

let vs: VsCode;
let s: ReturnType<typeof scratch>;
let demo: { hosts: { repoPath(h: string, r: string): string; setConf(c: string): void; stop(): Promise<void> }; home: string; conf: string };
let gl: { gitoliteDemoConf(o?: { mistake?: boolean }): string; GITOLITE_DEMO_MISTAKE: { bad: string; good: string } };
let git: (args: string[], cwd: string) => string;

oneVsCodePerFile(async () => {
  s = scratch('gr-e2e-gitolite-');
  gl = await importEsm(pathToFileURL(join(ROOT, 'scripts', 'demoGitolite.mjs')).href);
  git = (await scripts.demo()).git;
  demo = await (gl as unknown as { createGitoliteDemo(o: object): Promise<typeof demo> }).createGitoliteDemo({ dir: join(s.dir, 'gitolite'), root: ROOT });
  vs = await launchVsCode({ workspace: demo.home, trust: true, name: 'gitolite' });
  await activated(vs);
  return vs;
}, async () => {
  await demo?.hosts.stop();
  s?.cleanup();
});

const refs = (host: string, repo: string) => git(['for-each-ref', '--format=%(refname) %(objectname)'], demo.hosts.repoPath(host, repo));
const pane = (title: RegExp) => vs.page.locator('.pane', { has: vs.page.locator('.pane-header', { hasText: title }) });

/** Shows our views (a click on the activity bar icon would hide them when they are shown). */
async function showViews(): Promise<void> {
  if (!(await pane(/^Remotes/i).isVisible())) await vs.page.locator('.activitybar a.action-label[aria-label^="Git Replication"]').click();
  await pane(/^Remotes/i).waitFor();
}

test('the Remotes view lists the copies with their sync mode, redirectOK and the repos each receives', async () => {
  await showViews();
  const remotes = pane(/^Remotes/i);
  const gl2 = remotes.locator('.monaco-list-row', { hasText: 'gl2' }).first();
  await gl2.waitFor();
  assert.match(await gl2.innerText(), /3 repos · async · redirectOK/);
  assert.match(await remotes.locator('.monaco-list-row', { hasText: 'gl3' }).first().innerText(), /3 repos · nosync/);
  const rows = await remotes.locator('.monaco-list-row').allInnerTexts();
  assert.ok(rows.some((r) => /tools\/gamma/.test(r) && /async · redirectOK/.test(r)), rows.join(' | '));
  assert.ok(!rows.some((r) => /sandbox/.test(r)), 'sandbox has no copy: its key is one gitolite never reads');
  await vs.shot('remotes');
});

test("the conf's mistake is in Problems with its quick fix; after the fix gl2 receives sandbox too", async () => {
  const { page } = vs;
  // Clicking a copy opens gitolite.conf at its copies line.
  await pane(/^Remotes/i).locator('.monaco-list-row', { hasText: 'gl2' }).first().click();
  await page.locator('.tab.active[aria-label*="gitolite.conf"]').first().waitFor();
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  const problem = page.locator('.markers-panel .monaco-list-row', { hasText: "never reads 'mirror.copy'" }).first();
  await problem.waitFor();
  await vs.shot('problems');
  await problem.click();
  await page.locator('.editor-instance .monaco-editor textarea').first().focus();
  await page.keyboard.press(`${MOD}+.`);
  const fix = page.locator('.action-widget .monaco-list-row.action', { hasText: "Change the key to 'mirror.copies'" }).first();
  await fix.waitFor();
  await vs.shot('quick-fix');
  // Keyboard, as a user would: the focus onto the fix, then Enter.
  for (let i = 0; i < 10 && !/\bfocused\b/.test((await fix.getAttribute('class')) ?? ''); i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await fix.waitFor({ state: 'detached' });
  await saveUntil(page, 'the fix on disk', () => readFileSync(demo.conf, 'utf8').includes(gl.GITOLITE_DEMO_MISTAKE.good));
  assert.ok(!readFileSync(demo.conf, 'utf8').includes(gl.GITOLITE_DEMO_MISTAKE.bad));
  await showViews();
  const gl2 = pane(/^Remotes/i).locator('.monaco-list-row', { hasText: 'gl2' }).first();
  await until('gl2 receives sandbox', async () => /4 repos/.test(await gl2.innerText()), 30000);
  await vs.shot('remotes-after-fix');
});

test('the dry run shows per repo × copy what git push --mirror would change, the nosync copies and what gl1 skips', async () => {
  const { page } = vs;
  await runCommand(page, 'Git Replication: Dry-Run Replication…');
  const view = webview(page);
  const alpha = view.locator('section.target[data-project="alpha"][data-remote="gl2"]');
  await alpha.waitFor({ timeout: 60000 });
  const kind = (ref: string) => alpha.locator(`tr.change:has(td.ref:text-is("${ref}"))`).getAttribute('data-kind');
  assert.equal(await kind('refs/heads/main'), 'fast-forward');
  assert.equal(await kind('refs/heads/stable-1.0'), 'create');
  assert.equal(await kind('refs/tags/v1.0'), 'create');
  assert.equal(await kind('refs/heads/stale'), 'delete', 'git push --mirror deletes what gl1 lacks');
  assert.equal(await view.locator('section.target[data-project="alpha"][data-remote="gl2"] .url').innerText(), 'gl2:alpha');
  const nosync = view.locator('section.target[data-project="beta"][data-remote="gl3"] .badge.note');
  assert.equal(await nosync.innerText(), 'nosync copy');
  const skipped = view.locator('section.skipped');
  assert.match(await skipped.innerText(), /docs: gl1: 'docs' is a copy on this host \(its master is 'gl2'\); only the master pushes to copies/);
  assert.match(await view.locator('#summary').innerText(), /^\d+ targets \(\d+ repositories\): .*1 skipped\./);
  await vs.shot('dry-run');
  await runCommand(page, 'View: Close All Editors');
});

test('"Replicate Project…" pushes alpha to gl2 after confirming its deletion, and gitolite on gl2 takes it', async () => {
  const { page } = vs;
  const before = refs('gl2', 'alpha');
  assert.match(before, /refs\/heads\/stale/);
  await replicateProject(vs, 'alpha', 'gl2');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 60000 });
  assert.match(await dialog.innerText(), /delete 1 ref/i);
  await vs.shot('replicate-confirm');
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Push/ }).first().click();
  await until('alpha mirrored to gl2', () => refs('gl2', 'alpha') === refs('gl1', 'alpha'), 60000);
  assert.doesNotMatch(refs('gl2', 'alpha'), /refs\/heads\/stale/);
  await page.locator('.notifications-toasts .notification-toast', { hasText: /Replicating alpha: pushed/ }).first().waitFor({ timeout: 60000 });
  await vs.shot('replicated');
});

test('the Queue view shows the nosync copies waiting and a failed copy with the error gitolite recorded', async () => {
  const { page } = vs;
  await showViews();
  const queue = pane(/^Queue/i);
  await queue.locator('.monaco-list-row', { hasText: 'Pending' }).first().waitFor({ timeout: 30000 });
  await queue.locator('.monaco-list-row', { hasText: 'gl3:beta' }).first().waitFor();
  // A copy nobody can reach: gl9 joins the conf on every host.
  demo.hosts.setConf(gl.gitoliteDemoConf({ mistake: false }).replace('option mirror.copies        =   gl2', 'option mirror.copies        =   gl2 gl9'));
  await runCommand(page, 'Git Replication: Refresh Remotes');
  await replicateProject(vs, 'tools/gamma', 'gl9');
  const failed = queue.locator('.monaco-list-row', { hasText: 'gl9:tools/gamma' }).first();
  await failed.waitFor({ timeout: 60000 });
  await queue.locator('.monaco-list-row', { hasText: 'Failed' }).first().waitFor();
  await page.locator('.statusbar-item[aria-label*="1 failing"]').first().waitFor({ timeout: 30000 });
  await failed.hover();
  await page.locator('.monaco-hover, .custom-hover', { hasText: /Could not resolve hostname gl9/ }).first().waitFor({ timeout: 20000 });
  assert.match(readFileSync(join(demo.hosts.repoPath('gl1', 'tools/gamma'), 'gl-copy-gl9.status'), 'utf8'), /Could not resolve hostname gl9/);
  await vs.shot('queue');
});
