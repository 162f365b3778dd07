// The editor features of issue 13 in a real VS Code on the demo site (without the mistake):
// inlay hints show the value in effect and the url a real project is pushed to, and the hover
// leads with that fact (item 6); accepting a key leaves no snippet session that blocks the next
// completion, and a duplicate remote block is merged or renamed by a quick fix (item 7); the
// dry-run panel folds targets and shows what an update lands, subjects escaped (item 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchVsCode, MOD, openFile, runCommand, scripts, until, webview, type VsCode, oneVsCodePerFile } from './vscode';

/** A commit subject holding HTML, landed on alpha's main: the panel must show it as text. */
const HTML_SUBJECT = '<img src=x onerror=alert(1)> Fix the <b>build</b>';

let vs: VsCode;
let demo: { site: string; mirrors: string; config: string; cleanup(): void };
/** The config as the tests start from it. */
let original: string;

oneVsCodePerFile(async () => {
  const { createDemoSite, git } = await scripts.demo();
  demo = createDemoSite({ mistake: false });
  const work = mkdtempSync(join(tmpdir(), 'gr-e2e-work-'));
  git(['clone', '-q', join(demo.site, 'git', 'alpha.git'), work], tmpdir());
  git(['commit', '-q', '--allow-empty', '-m', HTML_SUBJECT], work);
  git(['push', '-q', 'origin', 'main'], work);
  rmSync(work, { recursive: true, force: true });
  // Values whose effect differs from what is written, beside the demo's plain ones.
  const text = readFileSync(demo.config, 'utf8')
    .replace('\tdefaultForceUpdate = false\n', '\tdefaultForceUpdate = false\n\tsshConnectionTimeout = 30\n')
    .replace('\tthreads = 2\n', '\tthreads = 2\n\trescheduleDelay = 1\n\treplicationRetry = 1m\n')
    // A remote written twice, for its quick fixes.
    + '[remote "local"]\n\ttimeout = 30\n';
  writeFileSync(demo.config, text);
  original = text;
  vs = await launchVsCode({ workspace: demo.site, trust: true, name: 'editor' });
  await openFile(vs.page, 'etc/replication.config', 'replication.config');
  return vs;
}, () => demo?.cleanup(), { escapeFirst: true });

/**
 * Saves the buffer and returns what was saved, then puts the original back on disk; the editor,
 * clean after the save, reloads it. (Revert and undo are not used: a revert is itself undoable,
 * so an undo after it brings an earlier test's edits back.) `gone`: a line only the edit had.
 */
async function saveAndRestore(page: Page, gone: string | RegExp): Promise<string> {
  await page.keyboard.press(`${MOD}+S`);
  const saved = await until('the edited file on disk', () => { const t = readFileSync(demo.config, 'utf8'); return t !== original && t; });
  await page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
  writeFileSync(demo.config, original);
  await page.locator('.editor-instance .view-lines .view-line', { hasText: gone }).first().waitFor({ state: 'detached' });
  return saved;
}

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

/** The rows of the suggest widget once it shows one matching `label`. */
async function suggestions(page: Page, label: RegExp): Promise<string[]> {
  const rows = page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
  await rows.filter({ hasText: label }).first().waitFor();
  return (await rows.allInnerTexts()).map((t) => t.split('\n')[0].trim());
}

test('accepting a key brings its value list, and no snippet session blocks the next completion', async () => {
  const { page } = vs;
  const at = where('\treplicationDelay = 0');
  await goTo(page, at.line, 1);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  // A key with a default: accepting it offers the value list at once.
  await page.keyboard.type('replicationRe');
  await suggestions(page, /^replicationRetry/);
  await page.keyboard.press('Enter');
  const values = await suggestions(page, /^1(?!\d)/);
  assert.ok(!values.some((v) => /^replication/.test(v)), `the value list, not keys: ${values.join(' | ')}`);
  await vs.shot('value-list-after-key');
  // Closed and triggered again by hand: the value list again, with no snippet in the way.
  await page.keyboard.press('Escape');
  await page.locator('.editor-widget.suggest-widget.visible').waitFor({ state: 'hidden' });
  await page.keyboard.press('Control+Space');
  await suggestions(page, /^1(?!\d)/);
  await page.keyboard.press('Enter');
  await editorLine(page, 'replicationRetry = 1').waitFor();
  // The next line: quick suggestions come by themselves (an open snippet would prevent them).
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('mirr');
  await suggestions(page, /^mirror/);
  await page.keyboard.press('Enter');
  assert.deepEqual((await suggestions(page, /^true/)).sort(), ['false', 'true']);
  await page.keyboard.type('tr');
  await page.locator('.editor-widget.suggest-widget.visible .monaco-list-row').filter({ hasText: /^false/ }).waitFor({ state: 'detached' });
  await page.keyboard.press('Enter');
  await page.locator('.editor-widget.suggest-widget.visible').waitFor({ state: 'hidden' });
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('threa');
  await suggestions(page, /^threads/);
  await vs.shot('completion-next-line');
  await page.keyboard.press('Escape');
  const saved = await saveAndRestore(page, /^\s*threa\s*$/);
  assert.ok(saved.includes('\treplicationDelay = 0\n\treplicationRetry = 1\n\tmirror = true\n\tthrea\n'), saved);
});

test('Enter after a typed url value starts a new line; no URL template replaces the value (Why §4)', async () => {
  const { page } = vs;
  const at = where('\treplicationDelay = 0');
  await goTo(page, at.line, 1);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  // Typed as a user would, character by character: quick suggestions may open on the way.
  await page.keyboard.type('url = /srv/mirror/static.git', { delay: 20 });
  await vs.shot('typed-url-value');
  await page.keyboard.press('Enter');
  // A comment: no completion of its own to accept or dismiss.
  await page.keyboard.type('# next line');
  await editorLine(page, '# next line').waitFor();
  const saved = await saveAndRestore(page, '/srv/mirror/static.git');
  // The defect: Enter accepted "…@host:${name}.git" over the typed path and added no new line.
  assert.ok(saved.includes('\treplicationDelay = 0\n\turl = /srv/mirror/static.git\n\t# next line\n'), saved);
  assert.ok(!saved.includes('static.git@'), saved);
});

/** Opens the quick-fix menu at the cursor and runs the fix whose title matches, by keyboard. */
async function quickFix(page: Page, title: RegExp): Promise<void> {
  const fix = page.locator('.action-widget .monaco-list-row.action', { hasText: title }).first();
  // Right after a revert the diagnostics (and so their fixes) may not be back yet: ask again.
  for (let i = 0; ; i++) {
    await page.keyboard.press(`${MOD}+.`);
    try {
      await fix.waitFor({ timeout: 3000 });
      break;
    } catch (err) {
      if (i >= 10) throw err;
      await page.keyboard.press('Escape');
    }
  }
  for (let i = 0; i < 10 && !/\bfocused\b/.test((await fix.getAttribute('class')) ?? ''); i++) await page.keyboard.press('ArrowDown');
  assert.match((await fix.getAttribute('class')) ?? '', /\bfocused\b/);
  await page.keyboard.press('Enter');
}

test('a duplicate remote block: rename it with a prompt, or merge it into the first', async () => {
  const { page } = vs;
  const dup = original.split('\n').lastIndexOf('[remote "local"]') + 1;
  await goTo(page, dup, 10);
  // The menu offers both (asked again while the diagnostics of a fresh buffer are on their way).
  const menu = page.locator('.action-widget .monaco-list-row.action');
  for (let i = 0; ; i++) {
    await page.keyboard.press(`${MOD}+.`);
    try {
      await menu.filter({ hasText: 'Merge into the [remote "local"] block above' }).first().waitFor({ timeout: 3000 });
      break;
    } catch (err) {
      if (i >= 10) throw err;
      await page.keyboard.press('Escape');
    }
  }
  await menu.filter({ hasText: 'Rename this block to a remote of its own ("local-2")' }).first().waitFor();
  await vs.shot('duplicate-remote-fixes');
  await page.keyboard.press('Escape');
  // Rename: the placeholder is written, and VS Code's rename box opens on it for the real name.
  await quickFix(page, /^Rename this block/);
  const box = page.locator('.rename-box input').first();
  await box.waitFor();
  assert.equal(await box.inputValue(), 'local-2');
  await vs.shot('rename-prompt');
  // Into the box itself: typed keys go wherever the focus is, and under load the box can show
  // before it has the focus (seen once: "archive" landed in the editor text).
  await box.fill('archive');
  await box.press('Enter');
  await editorLine(page, '[remote "archive"]').waitFor();
  const renamed = await saveAndRestore(page, '[remote "archive"]');
  assert.equal(renamed, original.replace(/\[remote "local"\]\n\ttimeout = 30\n$/, '[remote "archive"]\n\ttimeout = 30\n'));
  // Merge: the block's lines join the first block; one [remote "local"] is left.
  await goTo(page, dup, 10);
  await quickFix(page, /^Merge into/);
  await page.locator('.editor-instance .view-lines .view-line', { hasText: '[remote "local"]' }).nth(1).waitFor({ state: 'detached' });
  await vs.shot('merged');
  // The editor renders lines out of order in the DOM: the saved file tells.
  await page.keyboard.press(`${MOD}+S`);
  const merged = await until('the merged file on disk', () => { const t = readFileSync(demo.config, 'utf8'); return t !== original && t; });
  assert.equal(merged, original.replace('\treplicationRetry = 1m\n', '\treplicationRetry = 1m\n\ttimeout = 30\n').replace(/\[remote "local"\]\n\ttimeout = 30\n$/, ''));
  await page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
  writeFileSync(demo.config, original);
  await page.locator('.editor-instance .view-lines .view-line', { hasText: '[remote "local"]' }).nth(1).waitFor();
});

test('the dry-run panel: an update shows its commits (subjects as text), and targets fold', async () => {
  const { page } = vs;
  await runCommand(page, 'Git Replication: Dry-Run Replication…');
  const view = webview(page);
  const alpha = view.locator('section.target[data-project="alpha"][data-remote="local"]');
  const main = alpha.locator('tr.change[data-kind="fast-forward"]', { has: view.locator('td.ref', { hasText: 'refs/heads/main' }) }).first();
  await main.waitFor();
  // The mirror's main is the first commit: the second, the third and the HTML one land.
  assert.equal(await main.locator('details.commits summary').innerText(), '3 commits');
  assert.deepEqual(await main.locator('details.commits li').allInnerTexts(), [HTML_SUBJECT, 'main: change 3', 'main: change 2']);
  assert.equal(await main.locator('details.commits img, details.commits b').count(), 0, 'no markup from a subject');
  assert.match(await alpha.locator('details.target-body > summary .counts').innerText(), /1 update/);
  await vs.shot('dry-run-commits');
  // Fold alpha by a click on its header, unfold it with Enter there.
  const table = alpha.locator('table');
  assert.equal(await table.isVisible(), true);
  await alpha.locator('details.target-body > summary').click();
  await table.waitFor({ state: 'hidden' });
  assert.match(await alpha.locator('details.target-body > summary').innerText(), /alpha[\s\S]*1 update/, 'a folded target still says what it holds');
  await vs.shot('dry-run-folded');
  await alpha.locator('details.target-body > summary').press('Enter');
  await table.waitFor();
  await view.locator('#collapseAll').click();
  assert.equal(await view.locator('section.target details.target-body[open]').count(), 0);
  await view.locator('#expandAll').click();
  assert.equal(await view.locator('section.target details.target-body:not([open])').count(), 0);
  await runCommand(page, 'View: Close All Editors');
});
