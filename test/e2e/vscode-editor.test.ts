// The editor features of issue 13 in a real VS Code on the demo site (without the mistake):
// inlay hints show the value in effect and the url a real project is pushed to, and the hover
// leads with that fact (item 6).
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchVsCode, MOD, openFile, runCommand, scripts, type VsCode } from './vscode';

let vs: VsCode;
let demo: { site: string; mirrors: string; config: string; cleanup(): void };

before(async () => {
  const { createDemoSite } = await scripts.demo();
  demo = createDemoSite({ mistake: false });
  // Values whose effect differs from what is written, beside the demo's plain ones.
  const text = readFileSync(demo.config, 'utf8')
    .replace('\tdefaultForceUpdate = false\n', '\tdefaultForceUpdate = false\n\tsshConnectionTimeout = 30\n')
    .replace('\tthreads = 2\n', '\tthreads = 2\n\trescheduleDelay = 1\n\treplicationRetry = 1m\n');
  writeFileSync(demo.config, text);
  vs = await launchVsCode({ workspace: demo.site, trust: true, name: 'editor' });
  await openFile(vs.page, 'etc/replication.config', 'replication.config');
});

after(async () => {
  await vs?.close();
  demo?.cleanup();
});

afterEach(async (t) => {
  await vs?.page.keyboard.press('Escape').catch(() => undefined);
  await vs?.shot(`after-${(t as { name?: string }).name?.replace(/\W+/g, '-').slice(0, 40) ?? 'test'}`).catch(() => undefined);
});

/** 1-based line and column of `needle` in the config on disk. */
function where(needle: string): { line: number; column: number } {
  const lines = readFileSync(demo.config, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} is in the config`);
  return { line: i + 1, column: lines[i].indexOf(needle) + 1 };
}

async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press(`${MOD}+1`);
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator('.statusbar-item', { hasText: `Ln ${line},` }).first().waitFor();
}

/** The rendered text of an editor line that holds `needle` (inlay hints are part of it). */
const editorLine = (page: Page, needle: string) => page.locator('.editor-instance .view-lines .view-line', { hasText: needle }).first();
/** Its text with the editor's non-breaking spaces as plain ones. */
const lineText = async (page: Page, needle: string) => (await editorLine(page, needle).innerText()).replace(/\u00a0/g, ' ');

test('inlay hints show the value in effect and where a real project is pushed', async () => {
  const { page } = vs;
  await editorLine(page, 'rescheduleDelay = 1').filter({ hasText: /→\s3\ss/ }).waitFor();
  assert.match(await lineText(page, 'replicationRetry = 1m'), /→ 1,048,576 min/);
  assert.match(await lineText(page, 'sshConnectionTimeout = 30'), /→ 30 ms/);
  assert.doesNotMatch(await lineText(page, 'threads = 2'), /→/, 'no hint where the value is what was written');
  const local = await lineText(page, '/local/${name}.git');
  assert.ok(local.includes('alpha → …/local/alpha.git'), `the part the template shares is elided: ${local}`);
  const backup = await lineText(page, '/backup/${name}.git');
  assert.ok(backup.includes('tools/gamma → …/backup/tools/gamma.git'), `the remote's projects = tools/* picks tools/gamma: ${backup}`);
  await vs.shot('inlay-hints');
});

test('the hover on a url leads with the real project, the doc follows', async () => {
  const { page } = vs;
  const at = where('/local/${name}.git');
  await goTo(page, at.line, at.column + 2);
  await runCommand(page, 'Show or Focus Hover');
  const hover = page.locator('.monaco-hover').first();
  await hover.locator('.rendered-markdown').first().waitFor();
  const text = await hover.innerText();
  assert.ok(text.trimStart().startsWith('Project alpha of this site is pushed to'), text);
  assert.ok(text.indexOf('Project alpha') < text.indexOf('Where to push'), 'the general doc comes after');
  assert.doesNotMatch(text, /foo\/bar/);
  await vs.shot('hover-url');
});
