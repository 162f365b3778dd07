// Replication from a real VS Code on a demo site without the mistake: "Replicate Project…" from
// the command palette updates the mirror on disk, the dry-run panel lists the right ref changes and pushes only the shown ones, after confirmation,
// and the Queue view shows a failing URL with its retry count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchVsCode, openPalette, replicateProject, runCommand, scripts, until, webview, type VsCode, oneVsCodePerFile, activated } from './vscode';

let vs: VsCode;
let demo: { base: string; site: string; mirrors: string; config: string; cleanup(): void };
let gitLog: string;
let git: (args: string[], cwd: string) => string;

oneVsCodePerFile(async () => {
  const m = await scripts.demo();
  git = m.git;
  demo = m.createDemoSite({ mistake: false, failing: true });
  // gitReplication.gitPath: a git that logs its sub-commands, then runs the real one.
  mkdirSync(join(demo.base, 'bin'));
  gitLog = join(demo.base, 'git-calls.log');
  writeFileSync(join(demo.base, 'bin', 'git'), `#!/bin/sh\necho "$*" >> '${gitLog}'\nexec /usr/bin/git "$@"\n`, { mode: 0o755 });
  // Gerrit's retry delays are minutes; the engine scales them down for tests (1 min → 3 s).
  vs = await launchVsCode({
    workspace: demo.site, trust: true, name: 'replication',
    env: { GIT_REPLICATION_TIME_SCALE: '0.05' },
    settings: { 'gitReplication.gitPath': join(demo.base, 'bin', 'git') },
  });
  // The extension activates on the workspace's replication.config; wait for its status item.
  await activated(vs);
  return vs;
}, () => demo?.cleanup());

const refs = (repo: string) => (existsSync(repo) ? git(['for-each-ref', '--format=%(refname) %(objectname)'], repo) : '');

test('"Replicate Project…" from the command palette updates the mirror on disk', async () => {
  const { page } = vs;
  const source = join(demo.site, 'git', 'beta.git');
  const mirror = join(demo.mirrors, 'local', 'beta.git');
  assert.equal(existsSync(mirror), false);
  // Issue 13 §5: the first push to a new mirror is created and pushed at once, so no toast ever
  // says "retry" and the queue's status-bar item never turns red. Every state shown is recorded.
  // (A string: the tests compile without the DOM library.)
  await page.evaluate(`(() => {
    const seen = (window.grSeen = []);
    const note = () => {
      for (const t of document.querySelectorAll('.notifications-toasts .notification-toast')) seen.push('toast: ' + t.innerText);
      for (const b of document.querySelectorAll('.statusbar-item')) {
        if (!/Replication queue/.test(b.getAttribute('aria-label') || '')) continue;
        seen.push('status: ' + (b.classList.contains('error-kind') ? 'error ' : '') + b.getAttribute('aria-label'));
      }
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class', 'aria-label'] });
  })()`);
  await replicateProject(vs, 'beta', 'local');
  await until('beta mirrored to the local host', () => refs(mirror) !== '' && refs(mirror) === refs(source), 60000);
  assert.match(refs(mirror), /refs\/heads\/feature/);
  assert.match(readFileSync(gitLog, 'utf8'), /(^| )push( |$)/m, 'the push ran the git from gitReplication.gitPath');
  await page.locator('.notifications-toasts .notification-toast', { hasText: 'Replicating beta: done' }).first().waitFor();
  const seen = (await page.evaluate('window.grSeen')) as string[];
  assert.ok(seen.some((x) => /Replicating beta/.test(x)), `the progress toast was recorded: ${seen.slice(-5).join(' | ')}`);
  assert.deepEqual(seen.filter((x) => /retry/i.test(x) || x.startsWith('status: error')), [], 'no retry and no error shown for a first push');
});

test('the dry-run panel lists the right ref changes and pushes only the shown ones, after confirmation', async () => {
  const { page } = vs;
  await openPalette(page, 'Git Replication: Dry-Run Replication…');
  await page.keyboard.press('Enter');
  const view = webview(page);
  const alpha = view.locator('section.target[data-project="alpha"][data-remote="local"]');
  await alpha.waitFor();
  const kinds = async (ref: string) => alpha.locator(`tr.change:has(td.ref:text-is("${ref}"))`).getAttribute('data-kind');
  assert.equal(await kinds('refs/heads/main'), 'fast-forward');
  assert.equal(await kinds('refs/heads/stable-1.0'), 'create');
  assert.equal(await kinds('refs/tags/v1.0'), 'create');
  assert.equal(await kinds('refs/heads/stale'), 'delete', 'mirror = true deletes what the source lacks');
  const beta = view.locator('section.target[data-project="beta"][data-remote="local"]');
  assert.equal(await beta.locator('tr.change[data-kind="up-to-date"]').count() > 0, true, 'beta was just replicated');
  const gamma = view.locator('section.target[data-project="tools/gamma"][data-remote="backup"]');
  assert.equal(await gamma.getAttribute('data-create-repo'), 'true');
  await vs.shot('dry-run');
  // Search narrows the targets; keyboard only. The Delete filter off hides alpha's deletion.
  const mirror = join(demo.mirrors, 'local', 'alpha.git');
  const before = refs(mirror);
  assert.match(before, /refs\/heads\/stale/);
  await view.locator('body').press('/');
  await page.keyboard.type('alpha');
  await gamma.waitFor({ state: 'hidden' });
  await view.locator('button.filter[data-kind="delete"]').click();
  await alpha.locator('tr.change[data-kind="delete"]').waitFor({ state: 'hidden' });
  assert.equal(await alpha.locator('tr.change[data-kind="fast-forward"]').first().isVisible(), true);
  await vs.shot('dry-run-search');
  // "Replicate these" asks first, with every outcome counted and the hidden deletion named as skipped.
  await view.locator('#replicate').click();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 20000 });
  const text = await dialog.innerText();
  await vs.shot('dry-run-confirm');
  assert.match(text, /Push to \d+ targets?: .*update \d+ refs?, create \d+ refs?/);
  assert.match(text, /1 hidden by the filters \(skipped\)/);
  assert.match(text, /Skipped, hidden by the filters:\s+alpha → \S+: refs\/heads\/stale \(delete\)/);
  assert.ok(!/^Delete:/m.test(text), 'no deletion is pushed');
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Push \d+ changes?$/ }).click();
  await page.locator('.notifications-toasts .notification-toast', { hasText: /Replicating the dry run: (pushed|\d+ of)/ }).first().waitFor({ timeout: 60000 });
  const after = refs(mirror);
  assert.notEqual(after, before, 'the shown changes were pushed');
  assert.match(after, /refs\/heads\/stale/, 'the hidden deletion did not happen');
  assert.match(after, /refs\/heads\/stable-1\.0/);
  // The panel refreshes: alpha's main is now up to date on the local host.
  await alpha.locator('tr.change[data-kind="up-to-date"]').first().waitFor({ state: 'attached' });
});

test('the Queue view shows a failing URL with its retry count', async () => {
  const { page } = vs;
  await runCommand(page, 'View: Close All Editors'); // the panel (and its focus) out of the way
  await replicateProject(vs, 'alpha', 'offline');
  await page.locator('.activitybar a.action-label[aria-label^="Git Replication"]').click();
  const queue = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Queue/i }) });
  const row = queue.locator('.monaco-list-row', { hasText: /127\.0\.0\.1:\d+\/alpha\.git/ }).first();
  await row.waitFor({ timeout: 60000 });
  await until('a retry count on the failing task', async () => /retry [1-9]/.test(await row.innerText()), 60000);
  assert.match(await row.innerText(), /alpha/);
  await queue.locator('.monaco-list-row', { hasText: 'Failed' }).first().waitFor();
  // The status bar counts the failure too.
  await page.locator('.statusbar-item[aria-label*="1 failing"]').first().waitFor();
  await vs.shot('queue-failing');
});
