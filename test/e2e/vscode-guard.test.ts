// The editor asks before any push that deletes refs, and cancelling pushes nothing (issue 11
// item 5, issue 13 item 1), in a real VS Code on the demo site: "Replicate Project…" of alpha to
// the mirror = true remote `local` (its mirror holds refs/heads/stale, which the source lacks)
// shows the dry-run modal, deletions first; cancelling leaves the mirror as it was. Confirming it
// meets the ref deletion guard (gitReplication.refDeletionGuard = 0: any deletion is a mass
// deletion): the server starts nothing and the editor asks again; cancelling that pushes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchVsCode, readExtensionLog, replicateProject, scripts, until, type VsCode, oneVsCodePerFile, activated } from './vscode';

let vs: VsCode;
let demo: { base: string; site: string; mirrors: string; config: string; cleanup(): void };
let git: (args: string[], cwd: string) => string;

oneVsCodePerFile(async () => {
  const m = await scripts.demo();
  git = m.git;
  demo = m.createDemoSite({ mistake: false });
  vs = await launchVsCode({ workspace: demo.site, trust: true, name: 'guard', settings: { 'gitReplication.refDeletionGuard': '0' } });
  await activated(vs);
  return vs;
}, () => demo?.cleanup());

const refs = (repo: string) => (existsSync(repo) ? git(['for-each-ref', '--format=%(refname) %(objectname)'], repo) : '');

test('Replicate Project asks before deleting a ref, deletions first; Cancel pushes nothing', async () => {
  const { page } = vs;
  const mirror = join(demo.mirrors, 'local', 'alpha.git');
  const before = refs(mirror);
  assert.match(before, /refs\/heads\/stale/);
  await replicateProject(vs, 'alpha', 'local');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 60000 });
  const text = await dialog.innerText();
  await vs.shot('confirm-delete');
  assert.match(text, /Replicating alpha: Push to 1 target: delete 1 ref, /, 'the summary counts the deletion first');
  assert.match(text, /^Delete:\s*\n\s*alpha → \S+: refs\/heads\/stale/m);
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  // The cancelled command has ended (logged); the mirror is as it was.
  await until('the cancel logged', () => /Replicating alpha: cancelled at the confirmation, nothing pushed/.test(readExtensionLog(vs.userDataDir)));
  assert.equal(refs(mirror), before, 'the mirror is unchanged');
});

test('confirmed, the push meets the ref deletion guard: the editor asks again and Cancel pushes nothing', async () => {
  const { page } = vs;
  const mirror = join(demo.mirrors, 'local', 'alpha.git');
  const before = refs(mirror);
  await replicateProject(vs, 'alpha', 'local');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 60000 });
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Push \d+ changes?$/ }).click();
  // The server started nothing and answered needsConfirmation: a second modal names the mass deletion.
  const guard = page.locator('.monaco-dialog-box', { hasText: 'mass deletion' });
  await guard.waitFor({ timeout: 60000 });
  const text = await guard.innerText();
  await vs.shot('confirm-mass-deletion');
  assert.match(text, /Replicating alpha: mass deletion\. 1 target would delete 1 ref, more than the ref deletion guard allows\./);
  assert.match(text, /alpha → \S+ \(remote local\): delete 1 of \d+ refs on the mirror\s*\n\s*refs\/heads\/stale/);
  assert.match(text, /Nothing has been pushed yet/);
  assert.equal(refs(mirror), before, 'nothing was pushed before the answer');
  await guard.locator('.dialog-buttons .monaco-button', { hasText: 'Cancel' }).click();
  await page.locator('.notifications-toasts .notification-toast', { hasText: 'nothing pushed (the mass deletion was not confirmed)' }).first().waitFor({ timeout: 30000 });
  await vs.shot('mass-deletion-cancelled');
  assert.equal(refs(mirror), before, 'the mirror is unchanged');
  assert.match(readExtensionLog(vs.userDataDir), /Replicating alpha: not pushed, the mass deletion was not confirmed/);
});

test('confirmed twice, exactly the shown changes are pushed, the deletion included', async () => {
  const { page } = vs;
  const mirror = join(demo.mirrors, 'local', 'alpha.git');
  const source = join(demo.site, 'git', 'alpha.git');
  await replicateProject(vs, 'alpha', 'local');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 60000 });
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Push \d+ changes?$/ }).click();
  const guard = page.locator('.monaco-dialog-box', { hasText: 'mass deletion' });
  await guard.waitFor({ timeout: 60000 });
  await guard.locator('.dialog-buttons .monaco-button', { hasText: 'Delete 1 ref and push' }).click();
  await page.locator('.notifications-toasts .notification-toast', { hasText: /Replicating alpha: pushed \d+ ref changes?/ }).first().waitFor({ timeout: 60000 });
  assert.doesNotMatch(refs(mirror), /refs\/heads\/stale/);
  assert.equal(refs(mirror), refs(source));
});
