// Failures you can act on, in a real VS Code (issue 13 item 3): a push to a host that refuses
// connections shows why at once, in the progress toast and in the Queue row; after the retries
// run out the first error is still the reason; Cancel Replication… lists every task the Queue
// shows; failed tasks are dismissed one at a time and all together; and the UI's actions and the
// per-ref results are in the output channel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { launchVsCode, openPalette, readExtensionLog, replicateProject, scripts, until, type VsCode, oneVsCodePerFile, activated } from './vscode';

let vs: VsCode;
let demo: { base: string; site: string; mirrors: string; config: string; cleanup(): void };
const REASON = /refused|Failed to connect|Couldn't connect/i;

oneVsCodePerFile(async () => {
  const m = await scripts.demo();
  demo = m.createDemoSite({ mistake: false, failing: true });
  // One retry, then the task fails for good (replicationRetry = 1 min, scaled to 12 s).
  writeFileSync(demo.config, readFileSync(demo.config, 'utf8').replace('\treplicationRetry = 1\n', '\treplicationRetry = 1\n\treplicationMaxRetries = 1\n'));
  vs = await launchVsCode({ workspace: demo.site, trust: true, name: 'failures', env: { GIT_REPLICATION_TIME_SCALE: '0.2' } });
  await activated(vs);
  return vs;
}, () => demo?.cleanup());

const log = () => readExtensionLog(vs.userDataDir);

function queuePane(page: Page): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Queue/i }) });
}

async function openQueue(page: Page): Promise<Locator> {
  const pane = queuePane(page);
  if (!(await pane.isVisible())) await page.locator('.activitybar a.action-label[aria-label^="Git Replication"]').click();
  await pane.waitFor();
  return pane;
}

test('the reason of a failure is shown at once in the toast and the Queue row, and kept after the retries run out', async () => {
  const { page } = vs;
  const queue = await openQueue(page);
  await replicateProject(vs, 'alpha', 'offline');
  // While the first retry waits (12 s), the progress toast and the row already say why.
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /Replicating alpha/ }).filter({ hasText: /retry 1 of http:\/\/127\.0\.0\.1:\d+\/alpha\.git/ }).first();
  await toast.waitFor({ timeout: 60000 });
  await vs.shot('toast-reason');
  assert.match(await toast.innerText(), REASON);
  const row = queue.locator('.monaco-list-row', { hasText: /127\.0\.0\.1:\d+\/alpha\.git/ }).first();
  // The row can show before the attempt's reason reaches it (seen under load): wait for it.
  await until('the Queue row to name the reason', async () => REASON.test((await row.getAttribute('aria-label')) ?? ''), 30000);
  await vs.shot('queue-row-reason');

  // Given up: the toast and the row still give the connection error, not only "maximum number of retries".
  const final = page.locator('.notifications-toasts .notification-toast', { hasText: /Replicating alpha: 1 failed of 1 task/ }).first();
  await final.waitFor({ timeout: 90000 });
  assert.match(await final.innerText(), REASON);
  // The row, now failed for good (an error icon, no next attempt), still names the connection error.
  const failed = queue.locator('.monaco-list-row[aria-label^="alpha"]').first();
  await until('the task failed for good', async () => (await failed.locator('.codicon-error').count()) === 1, 60000);
  const label = (await failed.getAttribute('aria-label')) ?? '';
  assert.match(label, REASON);
  assert.doesNotMatch(label, /next in|maximum number of retries/);
  await vs.shot('failed-kept-reason');
  // The Remotes view re-checked that target: its URL row's tooltip has the last error.
  const remotes = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Remotes/i }) });
  const url = remotes.locator('.monaco-list-row[aria-label^="http://127.0.0.1"]').first();
  const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'last error' }).first();
  const tip = await until('the last error in the URL row tooltip', async () => {
    await page.mouse.move(0, 0);
    await url.hover();
    await hover.waitFor({ timeout: 5000 });
    return hover.innerText();
  }, 60000);
  assert.match(tip, /last error: \d{4}-\d\d-\d\d \d\d:\d\d \(\d+[sm] ago\), alpha: .*(refused|Failed to connect|Couldn't connect)/i);
  await vs.shot('url-last-error');
  assert.match(log(), /\[error\] Push to http:\/\/127\.0\.0\.1:\d+\/alpha\.git cancelled after maximum number of retries/);
});

test('Cancel sees every task the Queue shows; failed tasks are dismissed one at a time and all together; all of it is logged', async () => {
  const { page } = vs;
  const queue = await openQueue(page);
  // A second failed task.
  await replicateProject(vs, 'alpha', 'offline');
  await until('the second task to give up', () => (log().match(/cancelled after maximum number of retries/g) ?? []).length >= 2, 120000);
  await until('two failed tasks', async () => (await queue.locator('.monaco-list-row[aria-label^="alpha"]').count()) === 2, 60000);

  await openPalette(page, 'Git Replication: Cancel Replication…');
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Cancel Replication' }).waitFor();
  const items = page.locator('.quick-input-widget .monaco-list-row');
  await items.first().waitFor();
  const labels = await items.allInnerTexts();
  await vs.shot('cancel-lists-tasks');
  assert.equal(labels.filter((l) => /alpha/.test(l) && /failed/.test(l)).length, 2, `both failed tasks are listed: ${labels.join(' | ')}`);
  assert.ok(labels.some((l) => /Dismiss all failed/.test(l)));
  await page.keyboard.press('Escape');

  // One at a time: the row's Dismiss.
  const first = queue.locator('.monaco-list-row[aria-label^="alpha"]').first();
  await first.hover();
  await first.locator('.action-label[aria-label="Dismiss"]').click();
  await until('one failed task left', async () => (await queue.locator('.monaco-list-row[aria-label^="alpha"]').count()) === 1);
  // All together: the view's Dismiss Failed.
  await queue.locator('.pane-header').hover();
  await queue.locator('.pane-header .action-label[aria-label="Dismiss Failed"]').click();
  await queue.locator('.welcome-view-content', { hasText: 'The replication queue is empty' }).waitFor();
  await vs.shot('all-dismissed');

  // A push that works: its per-ref results are in the output channel.
  await replicateProject(vs, 'beta', 'local');
  await page.locator('.notifications-toasts .notification-toast', { hasText: 'Replicating beta: done' }).first().waitFor({ timeout: 60000 });
  const text = await until('the per-ref results in the log', () => /beta refs\/heads\/main → \S+beta\.git: SUCCEEDED \(OK\)/.test(log()) && log());
  assert.match(text, /Replicate Project: beta → local/);
  assert.match(text, /alpha all refs → http:\/\/127\.0\.0\.1:\d+\/alpha\.git: FAILED/);
  assert.match(text, /Dismiss: dismissed 1 task/);
  assert.match(text, /Dismiss Failed: dismissed 1 task/);
});
