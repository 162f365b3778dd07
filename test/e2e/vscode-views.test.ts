// Views that tell the truth, in a real VS Code (issue 13 item 2): every value of a multi-valued
// key is listed; "N projects matched" expands to the projects, each with a dry run of its own;
// remote and URL rows have a context menu (Replicate, Dry run, Open in config, Copy URL, Test
// connection); Test connection is a real ls-remote against the real git http-backend, its error
// shown with no password; the view says when it shows the saved file while the buffer is dirty;
// and a second block of a remote gets its own problems (issue 13, Why §2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startGitHttpBackend, type GitHttpServer } from '../infra/httpBackend';
import { launchVsCode, MOD, openFile, readExtensionLog, runCommand, pickMenuItem, saveUntil, scripts, until, webview, type VsCode, oneVsCodePerFile, activated, openRemotes, expand } from './vscode';

// The password the site holds; the host wants another, so every connection fails to authenticate.
const SECRET = 'Wr0ngPassw0rd-in-secure-config';
let vs: VsCode;
let http: GitHttpServer;
let demo: { base: string; site: string; mirrors: string; config: string; cleanup(): void };

oneVsCodePerFile(async () => {
  const m = await scripts.demo();
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const base = mkdtempSync(join(tmpdir(), 'gr-views-'));
  const httpRoot = join(base, 'mirrors', 'http');
  mkdirSync(httpRoot, { recursive: true });
  http = await startGitHttpBackend({ projectRoot: httpRoot, username: 'mirror', password: 'the-right-one' });
  demo = m.createDemoSite({ dir: base, mistake: false, failing: true, loopback: { port: http.port, root: httpRoot, username: 'mirror', password: SECRET } });
  vs = await launchVsCode({ workspace: demo.site, trust: true, name: 'views', env: { GIT_REPLICATION_TIME_SCALE: '0.05' } });
  await activated(vs);
  return vs;
}, async () => {
  await http?.close();
  demo?.cleanup();
});

/** Right-clicks a row and returns the labels of its context menu (the menu stays open). */
async function contextMenu(page: Page, row: Locator): Promise<{ menu: Locator; labels: string[] }> {
  await row.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor();
  const labels = (await menu.locator('.action-item .action-label').allInnerTexts()).map((l) => l.trim()).filter(Boolean);
  return { menu, labels };
}

const labelsOf = (pane: Locator) => pane.locator('.monaco-list-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));

test('every value of a multi-valued key is listed, and "N projects matched" expands to the projects', async () => {
  const { page } = vs;
  const pane = await openRemotes(page);
  // local is the last remote: collapse the others so its rows are in view.
  for (const r of ['loopback', 'offline', 'backup']) {
    const row = pane.locator(`.monaco-list-row[aria-label^="${r}"]`).first();
    if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
  }
  const local = pane.locator('.monaco-list-row[aria-label^="local"]').first();
  await expand(pane.locator('.monaco-list-row[aria-label^="Settings"]').last());
  await pane.locator('.monaco-list-row[aria-label="push, +refs/heads/*:refs/heads/*"]').waitFor();
  await pane.locator('.monaco-list-row[aria-label="push, +refs/tags/*:refs/tags/*"]').waitFor();
  const matched = pane.locator('.monaco-list-row[aria-label^="3 projects, matched"]').first();
  await expand(matched);
  const labels = await labelsOf(pane);
  for (const p of ['alpha', 'beta', 'tools/gamma']) assert.ok(labels.some((l) => l.startsWith(`${p},`) || l === p), `${p} is listed: ${labels.join(' | ')}`);
  assert.ok(await local.isVisible());
  await vs.shot('projects-expanded');

  // Each project has a dry run of its own: the panel shows that project only.
  const beta = pane.locator('.monaco-list-row[aria-label^="beta"]').last();
  const { menu, labels: items } = await contextMenu(page, beta);
  assert.ok(items.includes('Sync Now') && items.includes('Why Is This Not Replicated?'), items.join(' | '));
  await pickMenuItem(menu, 'Dry-Run Replication…');
  const view = webview(page);
  await view.locator('section.target[data-project="beta"][data-remote="local"]').waitFor({ timeout: 60000 });
  assert.equal(await view.locator('section.target:not([data-project="beta"])').count(), 0, 'only beta');
  assert.equal(await view.locator('section.target[data-remote="loopback"]').count(), 0, 'only the local remote');
  await vs.shot('project-dry-run');
  await runCommand(page, 'View: Close All Editors');
});

test('remote and URL rows have a context menu; Open in config goes to the url line; Copy URL has no credential', async () => {
  const { page } = vs;
  const pane = await openRemotes(page);
  const loopback = pane.locator('.monaco-list-row[aria-label^="loopback"]').first();
  await expand(loopback);
  const { labels } = await contextMenu(page, loopback);
  await vs.shot('remote-menu');
  for (const l of ['Replicate', 'Dry-Run Replication…', 'Open in Config', 'Copy URL', 'Test Connection']) assert.ok(labels.includes(l), `${l} in ${labels.join(' | ')}`);
  await page.keyboard.press('Escape');
  const url = pane.locator(`.monaco-list-row[aria-label^="${http.baseUrl}/\${name}.git"]`).first();
  const { menu, labels: urlItems } = await contextMenu(page, url);
  for (const l of ['Replicate', 'Dry-Run Replication…', 'Open in Config', 'Copy URL', 'Test Connection']) assert.ok(urlItems.includes(l), `${l} on the URL row`);
  await pickMenuItem(menu, 'Open in Config');
  await page.locator('.tab.active[aria-label*="replication.config"]').waitFor();
  const urlLine = readFileSync(demo.config, 'utf8').split('\n').findIndex((l) => l.includes(`url = ${http.baseUrl}`)) + 1;
  await page.locator('.statusbar-item', { hasText: `Ln ${urlLine}, Col 1` }).first().waitFor();
  const copy = await contextMenu(page, url);
  await pickMenuItem(copy.menu, 'Copy URL');
  await until('the copy in the log', () => readExtensionLog(vs.userDataDir).includes(`Copy URL: ${http.baseUrl}/\${name}.git`));
  await runCommand(page, 'View: Close All Editors');
});

test('Test connection runs a real ls-remote and shows the error, with no password anywhere', async () => {
  const { page } = vs;
  const pane = await openRemotes(page);
  const before = http.requests.length;
  const url = pane.locator(`.monaco-list-row[aria-label^="${http.baseUrl}/\${name}.git"]`).first();
  const { menu } = await contextMenu(page, url);
  await pickMenuItem(menu, 'Test Connection');
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'connection failed' }).first();
  await toast.waitFor({ timeout: 60000 });
  const text = await toast.innerText();
  await vs.shot('test-connection-error');
  assert.match(text, /loopback → http:\/\/127\.0\.0\.1:\d+\/beta\.git: connection failed: .*(Authentication failed|401)/);
  assert.ok(http.requests.slice(before).some((r) => r.authorization === 'bad'), 'the host was asked, with the configured (wrong) password');
  // The offline remote: nothing listens on its port. The first toast goes first: seen in 2 of
  // 5 runs, VS Code logged the second error but never showed its toast beside the first.
  await runCommand(page, 'Notifications: Clear All Notifications');
  await toast.waitFor({ state: 'detached' });
  const offline = pane.locator('.monaco-list-row[aria-label^="offline"]').first();
  await expand(offline);
  const off = await contextMenu(page, offline);
  await pickMenuItem(off.menu, 'Test Connection');
  // The error is a notification: a toast, or (seen in 2 of 8 runs: logged, never shown as a toast
  // after the first was cleared) only in the notification center, where VS Code keeps them all.
  const offlineError = /offline → .*connection failed: .*(refused|Failed to connect|Couldn't connect)/i;
  await until('the offline error as a notification', async () => {
    if (await page.locator('.notifications-toasts .notification-toast', { hasText: offlineError }).first().isVisible()) return true;
    if (!(await page.locator('.notifications-center').isVisible())) await runCommand(page, 'Notifications: Show Notifications');
    return page.locator('.notifications-center .notification-list-item', { hasText: offlineError }).first().isVisible();
  }, 60000);
  await vs.shot('test-connection-offline-notification');
  if (await page.locator('.notifications-center').isVisible()) await runCommand(page, 'Notifications: Hide Notifications');
  // No secret in any row, tooltip source (aria label), toast or log line.
  const everything = [text, ...(await labelsOf(pane)), readExtensionLog(vs.userDataDir)].join('\n');
  assert.doesNotMatch(everything, new RegExp(SECRET));
  assert.match(readExtensionLog(vs.userDataDir), /Test connection loopback → .*(Authentication failed|401)/);
  await vs.shot('test-connection-offline');
});

test('the view says it shows the saved file while the buffer is dirty', async () => {
  const { page } = vs;
  const pane = await openRemotes(page);
  await openFile(page, 'etc/replication.config', 'replication.config');
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press(`${MOD}+End`);
  await page.keyboard.type('# unsaved\n');
  const notice = pane.locator('.message', { hasText: 'Showing the saved etc/replication.config: the editor has unsaved changes' });
  await notice.waitFor();
  await vs.shot('dirty-notice');
  // Back to the saved text: the buffer is clean and the notice goes.
  await runCommand(page, 'File: Revert File');
  await until('the buffer to be clean', async () => !(await page.locator('.tab.active.dirty').count()));
  await notice.waitFor({ state: 'hidden' });
  await runCommand(page, 'View: Close All Editors');
});

test('a second [remote "local"] block with an error, after another remote: local is blamed, per block, and opens there', async () => {
  const { page } = vs;
  const original = readFileSync(demo.config, 'utf8');
  // The appended header's line: offline's block ends the demo file, so this block comes after it.
  const header = original.split('\n').length + (original.endsWith('\n') ? 0 : 1);
  try {
    await openFile(page, 'etc/replication.config', 'replication.config');
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press(`${MOD}+End`);
    await page.keyboard.insertText(`${original.endsWith('\n') ? '' : '\n'}[remote "local"]\n\tthreads = two\n`);
    await saveUntil(page, 'the second block on disk', () => readFileSync(demo.config, 'utf8').includes('threads = two'));
    const pane = await openRemotes(page);
    const local = pane.locator('.monaco-list-row[aria-label^="local"]').first();
    await until('local to show the error', async () => /^local, 1 error/.test((await local.getAttribute('aria-label')) ?? ''));
    const offline = pane.locator('.monaco-list-row[aria-label^="offline"]').first();
    assert.doesNotMatch((await offline.getAttribute('aria-label')) ?? '', /error|warning/, 'offline, whose block comes before, is not blamed');
    await expand(local);
    const blocks = pane.locator('.monaco-list-row[aria-label^="Defined in, 2 blocks"]').first();
    await expand(blocks);
    const first = pane.locator('.monaco-list-row[aria-label^="replication.config:"]').first();
    const second = pane.locator(`.monaco-list-row[aria-label^="replication.config:${header}"]`).first();
    await second.waitFor();
    assert.match((await second.getAttribute('aria-label')) ?? '', /1 error/);
    const firstLabel = (await first.getAttribute('aria-label')) ?? '';
    // The first block may warn that the remote is defined twice; the error is the second block's.
    assert.ok(!firstLabel.startsWith(`replication.config:${header}`) && !/error/.test(firstLabel), `the first block has no error: ${firstLabel}`);
    // With an error the site is refused, as the plugin would be: the projects row says so.
    await pane.locator('.monaco-list-row[aria-label^="0 projects, none replicated: the config has errors"]').first().waitFor();
    await vs.shot('second-block');
    // The message reads as sentences (Why §7): no "(threads)" after the key, a capital after the stop.
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-tl-row', { hasText: 'remote.threads=two' }).first();
    await problem.waitFor({ timeout: 60_000 });
    const message = await problem.innerText();
    assert.match(message, /JGit throws this when the plugin reads threads, so the plugin fails to load\. threads takes a plain integer, with no units\./, message);
    assert.doesNotMatch(message, /\(threads\)|\. [a-z](?!hreads takes)/, message);
    await vs.shot('second-block-problems');
    await runCommand(page, 'View: Hide Panel');
    // A click on local opens the block with the error, not the clean first header.
    await runCommand(page, 'View: Close All Editors');
    await local.locator('.label-name').first().click();
    await page.locator('.tab.active[aria-label*="replication.config"]').waitFor();
    await page.locator('.statusbar-item', { hasText: `Ln ${header}, Col 1` }).first().waitFor();
  } finally {
    writeFileSync(demo.config, original);
    await runCommand(page, 'View: Close All Editors').catch(() => undefined);
  }
  const pane = await openRemotes(page);
  await until('local to be clean again', async () => !/error/.test((await pane.locator('.monaco-list-row[aria-label^="local"]').first().getAttribute('aria-label')) ?? ''));
});
