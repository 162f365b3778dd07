// Mirror health in a real VS Code (issue 11 item 7): every mirror of the demo site starts in
// sync; a commit to a source project makes its mirror stale, which the Remotes view and the
// "Mirror health" status-bar item show after a refresh; "Sync now" on the target fixes it; the
// explain answer is the hover of a project row and the "Why is this not replicated?" document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchVsCode, openPalette, runCommand, pickMenuItem, scripts, until, type VsCode, oneVsCodePerFile, activated, openRemotes, expand } from './vscode';

let vs: VsCode;
let demo: { base: string; site: string; mirrors: string; cleanup(): void };
let git: (args: string[], cwd: string) => string;

oneVsCodePerFile(async () => {
  const m = await scripts.demo();
  git = m.git;
  demo = m.createDemoSite({ mistake: false });
  // Every mirror a bare copy of its source: all targets in sync before VS Code starts.
  rmSync(join(demo.mirrors, 'local', 'alpha.git'), { recursive: true, force: true });
  for (const p of ['alpha', 'beta', 'tools/gamma']) git(['clone', '-q', '--bare', join(demo.site, 'git', `${p}.git`), join(demo.mirrors, 'local', `${p}.git`)], demo.base);
  git(['clone', '-q', '--bare', join(demo.site, 'git', 'tools', 'gamma.git'), join(demo.mirrors, 'backup', 'tools', 'gamma.git')], demo.base);
  vs = await launchVsCode({ workspace: demo.site, trust: true, name: 'health', env: { GIT_REPLICATION_TIME_SCALE: '0.05' } });
  await activated(vs);
  return vs;
}, () => demo?.cleanup());

const refs = (repo: string) => git(['for-each-ref', '--format=%(refname) %(objectname)'], repo);

/** Hovers a row until VS Code shows its tooltip with `text` (a re-render can close a hover). */
async function hoverText(page: Page, row: Locator, text: string | RegExp): Promise<string> {
  const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: text }).first();
  return until(`a hover with ${text}`, async () => {
    await page.mouse.move(0, 0);
    await row.hover();
    await hover.waitFor({ timeout: 5000 });
    return (await hover.innerText()).replace(/\u00a0/g, ' ');
  }, 60000);
}

const iconOf = async (row: Locator) => (await row.locator('.custom-view-tree-node-item-icon').getAttribute('class')) ?? '';

test('a stale mirror becomes visible in the Remotes view and the status bar', async () => {
  const { page } = vs;
  const pane = await openRemotes(page);
  const url = pane.locator(`.monaco-list-row[aria-label^="${join(demo.mirrors, 'local')}/\${name}.git"]`).first();
  // The health arrives after the remotes: one ls-remote per target.
  await until('the local URL to be checked', async () => /3 in sync/.test((await url.getAttribute('aria-label')) ?? ''), 60000);
  assert.match(await iconOf(url), /codicon-pass/);
  assert.equal(await page.locator('.statusbar-item', { hasText: 'Mirror health' }).count(), 0, 'nothing behind: no Mirror health item');
  await vs.shot('all-in-sync');

  // A new commit on beta's main, as a Gerrit user's push would make it.
  const src = join(demo.site, 'git', 'beta.git');
  const tree = git(['rev-parse', 'main^{tree}'], src);
  const next = git(['commit-tree', tree, '-p', 'main', '-m', 'a change nobody replicated'], src);
  git(['update-ref', 'refs/heads/main', next], src);
  await runCommand(page, 'Git Replication: Refresh Remotes');

  await until('the URL row to show the stale mirror', async () => /1 behind, 2 in sync/.test((await url.getAttribute('aria-label')) ?? ''), 60000);
  assert.match(await iconOf(url), /codicon-history/);
  await expand(url);
  const beta = pane.locator('.monaco-list-row[aria-label^="beta, behind"]').first();
  await beta.waitFor();
  assert.match((await beta.getAttribute('aria-label'))!, /behind · 1 ref · oldest update/);
  const bar = page.locator('.statusbar-item', { hasText: 'Mirror health' }).first();
  await bar.waitFor();
  assert.match(await bar.innerText(), /Mirror health: 1 behind/);
  // The target's tooltip: what differs and the last success (none recorded: the copy was made by hand).
  const tip = await hoverText(page, beta, 'last success');
  assert.match(tip, /fast-forward refs\/heads\/main/);
  assert.match(tip, /last success: never recorded/);
  await vs.shot('stale-visible');
});

test('"Sync now" on the stale target pushes it and the mirror shows in sync', async () => {
  const { page } = vs;
  const pane = await openRemotes(page);
  const beta = pane.locator('.monaco-list-row[aria-label^="beta, behind"]').first();
  await beta.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor();
  await vs.shot('target-menu');
  await pickMenuItem(menu, 'Sync Now');
  await page.locator('.notifications-toasts .notification-toast', { hasText: /Sync now: beta → \S+: done \(/ }).first().waitFor({ timeout: 60000 });
  assert.equal(refs(join(demo.mirrors, 'local', 'beta.git')), refs(join(demo.site, 'git', 'beta.git')), 'the mirror holds the new commit');
  await pane.locator('.monaco-list-row[aria-label^="beta, in sync"]').first().waitFor({ timeout: 60000 });
  await page.locator('.statusbar-item', { hasText: 'Mirror health' }).first().waitFor({ state: 'detached', timeout: 30000 });
  // The target now has a recorded success.
  const url = pane.locator(`.monaco-list-row[aria-label^="${join(demo.mirrors, 'local')}/\${name}.git"]`).first();
  await until('all in sync again', async () => /3 in sync/.test((await url.getAttribute('aria-label')) ?? ''));
  await hoverText(page, pane.locator('.monaco-list-row[aria-label^="beta, in sync"]').first(), /last success: \d{4}-\d\d-\d\d \d\d:\d\d \(\d+[sm] ago\)/);
  // The rows kept their order: alpha, beta, tools/gamma.
  const labels = await pane.locator('.monaco-list-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
  const names = labels.map((l) => l.split(',')[0]).filter((n) => ['alpha', 'beta', 'tools/gamma'].includes(n));
  assert.deepEqual(names.slice(0, 3), ['alpha', 'beta', 'tools/gamma']);
  await vs.shot('synced');
});

test('the explain answer is the hover of a project row, and "Why is this not replicated?" says which rule', async () => {
  const { page } = vs;
  await page.mouse.move(0, 0);
  const pane = await openRemotes(page);
  const backup = pane.locator('.monaco-list-row[aria-label^="backup"]').first();
  await expand(backup);
  const matched = pane.locator('.monaco-list-row[aria-label^="1 project, matched"]').first();
  await expand(matched);
  // backup's project row: the only child of its "1 project, matched" row, so the row right after
  // it in the list's own order (data-index; a virtual list's DOM order is not the order shown).
  // Waited for: the children of a just-expanded row render a moment later.
  const gammaAt = await until('tools/gamma under backup\'s matched row', async () => {
    const rows = await pane.locator('.monaco-list-row').evaluateAll((rs) => rs.map((r) => ({ i: Number(r.getAttribute('data-index')), l: r.getAttribute('aria-label') ?? '' })));
    const matchedAt = rows.find((r) => r.l.startsWith('1 project, matched'))?.i;
    const child = rows.find((r) => matchedAt !== undefined && r.i === matchedAt + 1 && r.l.startsWith('tools/gamma'));
    return child?.i;
  });
  const gamma = pane.locator(`.monaco-list-row[data-index="${gammaAt}"]`);
  const text = await hoverText(page, gamma, /Why tools\/gamma[\s\S]*remote backup/);
  await vs.shot('explain-hover');
  assert.match(text, /remote backup \(etc\/replication\.config:\d+\): replicated to 1 of 1 URL/);
  assert.match(text, /projects: pattern "tools\/\*" \(\S+\) matches/);
  assert.match(text, /remoteNameStyle/);

  // From the palette: a project the backup remote does not replicate, and a ref.
  await page.mouse.move(0, 0);
  await openPalette(page, 'Git Replication: Why Is This Not Replicated?');
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'project' }).waitFor();
  await page.locator('.quick-input-widget input').fill('beta');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'beta' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'a ref of beta' }).waitFor();
  await page.locator('.quick-input-widget input').fill('refs/heads/main');
  await page.keyboard.press('Enter');
  const doc = page.locator('.editor-instance .view-lines').first();
  await page.locator('.tab.active', { hasText: 'Why beta-refs_heads_main' }).waitFor();
  // Monaco renders spaces as no-break spaces.
  const docText = async () => (await doc.innerText()).replace(/\u00a0/g, ' ');
  await until('the explain document', async () => /remote backup \(\S+\): not replicated/.test(await docText()));
  const answer = await docText();
  await vs.shot('why-not-replicated');
  assert.match(answer, /remote backup \(etc\/replication\.config:\d+\): not replicated — projects: none of "tools\/\*" matches/);
  assert.match(answer, /remote local \(etc\/replication\.config:\d+\): replicated as refs\/heads\/main to 1 of 1 URL/);
  assert.match(answer, /✓ push: "\+refs\/heads\/\*:refs\/heads\/\*" maps it to refs\/heads\/main/);
});
