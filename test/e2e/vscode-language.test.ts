// Language features in a real VS Code on the demo site: the deliberate mistake
// (`replicationDelay = 15s`) shows in the Problems panel, hover shows a key's doc and default,
// completion offers keys, and the quick fix repairs the file on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchVsCode, MOD, openFile, readExtensionLog, runCommand, saveUntil, scripts, until, webview, type VsCode, oneVsCodePerFile } from './vscode';

let vs: VsCode;
let demo: { site: string; config: string; cleanup(): void };

oneVsCodePerFile(async () => {
  const { createDemoSite } = await scripts.demo();
  demo = createDemoSite({ mistake: true });
  vs = await launchVsCode({ workspace: demo.site, trust: true, name: 'language' });
  await openFile(vs.page, 'etc/replication.config', 'replication.config');
  return vs;
}, () => demo?.cleanup());


/** 1-based line and column of `needle` in the config on disk. */
function where(needle: string): { line: number; column: number } {
  const lines = readFileSync(demo.config, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} is in the config`);
  return { line: i + 1, column: lines[i].indexOf(needle) + 1 };
}

async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press(`${MOD}+1`); // focus the editor (the Problems panel may have focus)
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  // The status bar counts columns visually (a tab is 4), so only the line is checked.
  await page.locator('.statusbar-item', { hasText: `Ln ${line},` }).first().waitFor();
}

test('the demo mistake shows in the Problems panel', async () => {
  const { page } = vs;
  await page.keyboard.press('Control+Shift+M');
  const row = page.locator('.markers-panel .monaco-tl-row', { hasText: '15s' }).first();
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /replicationDelay|replicationdelay/i);
  assert.ok(await row.locator('.codicon-error').count() > 0, 'it is an error: Gerrit refuses the config');
  await vs.shot('problems');
});

test('hover shows the key\'s documentation and default', async () => {
  const { page } = vs;
  const at = where('threads = 2');
  await goTo(page, at.line, at.column + 2);
  await runCommand(page, 'Show or Focus Hover');
  const hover = page.locator('.monaco-hover .hover-contents, .monaco-hover .rendered-markdown').first();
  await hover.waitFor();
  const text = await page.locator('.monaco-hover').first().innerText();
  assert.match(text, /threads/i);
  assert.match(text, /default/i);
  assert.match(text, /\b1\b/, 'threads defaults to 1');
  await vs.shot('hover');
  await page.keyboard.press('Escape');
});

test('a refused config: the Remotes view flags the remote, the dry-run panel links to the error', async () => {
  const { page } = vs;
  await page.locator('.activitybar a.action-label[aria-label^="Git Replication"]').click();
  const remotes = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Remotes/i }) });
  const local = remotes.locator('.monaco-list-row', { hasText: 'local' }).first();
  await local.locator('.codicon-error').waitFor();
  assert.match(await local.innerText(), /1 error/);
  await runCommand(page, 'Git Replication: Dry-Run Replication…');
  const view = webview(page);
  await view.locator('#summary', { hasText: 'refuse to load' }).waitFor();
  assert.equal(await view.locator('section.target').count(), 0, 'nothing would be replicated');
  await vs.shot('refused-panel');
  // The diagnostic's link opens the config at the mistake.
  await view.locator('a.open', { hasText: 'replication.config:12' }).click();
  await page.locator('.tab.active[aria-label*="replication.config"]').waitFor();
  await page.locator('.statusbar-item', { hasText: `Ln ${where('15s').line},` }).first().waitFor();
});

test('the quick fix repairs the file', async () => {
  const { page } = vs;
  const at = where('15s');
  await goTo(page, at.line, at.column + 1);
  await page.keyboard.press(`${MOD}+.`);
  const fix = page.locator('.action-widget .monaco-list-row.action', { hasText: /15/ }).first();
  await fix.waitFor();
  await vs.shot('quick-fix-menu');
  // Keyboard, as a user would: move the focus onto the fix, then Enter.
  for (let i = 0; i < 10 && !/\bfocused\b/.test((await fix.getAttribute('class')) ?? ''); i++) await page.keyboard.press('ArrowDown');
  assert.match((await fix.getAttribute('class')) ?? '', /\bfocused\b/);
  await page.keyboard.press('Enter');
  await fix.waitFor({ state: 'detached' });
  await saveUntil(page, 'the fixed value on disk', () => /^\s*replicationDelay = 15\s*$/m.test(readFileSync(demo.config, 'utf8')));
  // …and the error goes away.
  await page.locator('.markers-panel .monaco-tl-row', { hasText: '15s' }).first().waitFor({ state: 'detached' });
  await vs.shot('fixed');
  // The dry-run panel follows the config: now it has targets instead of the refusal.
  await page.locator('.tab', { hasText: 'Dry-Run Replication' }).click();
  await webview(page).locator('section.target[data-project="alpha"][data-remote="local"] tr.change[data-kind="fast-forward"]').waitFor();
  await vs.shot('panel-after-fix');
  await page.locator('.tab', { hasText: 'replication.config' }).click();
  await page.locator('.tab.active', { hasText: 'replication.config' }).waitFor();
});

test('completion offers keys', async () => {
  const { page } = vs;
  const at = where('threads = 2');
  await goTo(page, at.line, 1);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('replicationR');
  await page.keyboard.press('Control+Space');
  const suggest = page.locator('.suggest-widget .monaco-list-row');
  await suggest.first().waitFor();
  const labels = await suggest.allInnerTexts();
  assert.ok(labels.some((l) => /replicationRetry/.test(l)), labels.join(' | '));
  await vs.shot('completion');
  await page.keyboard.press('Escape');
  await page.keyboard.press(`${MOD}+Z`);
});

test('activation is measured and logged', async () => {
  const log = await until('the activation line in the extension log', () => {
    const t = readExtensionLog(vs.userDataDir);
    return /activated in [\d.]+ ms/.test(t) && /language server ready in \d+ ms/.test(t) ? t : false;
  });
  const ms = Number(/activated in ([\d.]+) ms/.exec(log)![1]);
  console.log(`# activation: ${ms} ms; ${/language server ready in \d+ ms[^\n]*/.exec(log)![0]}`);
  // Its cost is the bench's (npm run bench:vscode), not a timed test's: here it must be logged.
  assert.ok(Number.isFinite(ms) && ms > 0, `activation took ${ms} ms`);
});
