// Restricted Mode in a real VS Code: the trust dialog is answered "No", then every replication
// command is gone from the palette and the views explain why, while language features still work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchVsCode, openFile, paletteEntries, runCommand, scripts, type VsCode, oneVsCodePerFile } from './vscode';

let vs: VsCode;
let demo: { site: string; cleanup(): void };

oneVsCodePerFile(async () => {
  const { createDemoSite } = await scripts.demo();
  demo = createDemoSite({ mistake: true });
  vs = await launchVsCode({ workspace: demo.site, trust: false, name: 'trust' });
  return vs;
}, () => demo?.cleanup());


const REPLICATION_COMMANDS = ['Replicate Project…', 'Dry-Run Replication…', 'Replicate All', 'Retry Failed', 'Cancel Replication…', 'Why Is This Not Replicated?'];

test('restricted mode disables every replication command and says why', async () => {
  const { page } = vs;
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor();
  await vs.shot('trust-dialog');
  await dialog.getByRole('button', { name: /No, I don.t trust/i }).click();
  await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();

  // Opening the config activates the extension; its status item shows the restricted state.
  await openFile(page, 'etc/replication.config', 'replication.config');
  await page.locator('.statusbar-item[aria-label*="Restricted Mode"]', { hasText: 'Replication' }).first().waitFor();

  const entries = await paletteEntries(page, 'Git Replication:');
  assert.ok(entries.includes('Git Replication: Show Log'), `palette: ${entries.join(' | ')}`);
  assert.ok(entries.includes('Git Replication: Restart Language Server'));
  for (const c of REPLICATION_COMMANDS) assert.ok(!entries.includes(`Git Replication: ${c}`), `${c} must be hidden in Restricted Mode`);

  await page.locator('.activitybar a.action-label[aria-label^="Git Replication"]').click();
  // Both views explain it (Remotes and Queue), each with a way to manage trust.
  const explained = page.locator('.welcome-view-content', { hasText: 'Replication is disabled in Restricted Mode' });
  await explained.nth(1).waitFor();
  assert.equal(await page.locator('.welcome-view-content a, .welcome-view-content .monaco-button', { hasText: 'Manage Workspace Trust' }).count(), 2);
  await vs.shot('restricted-views');
});

test('restricted mode keeps the language features: diagnostics still appear', async () => {
  const { page } = vs;
  await page.keyboard.press('Control+Shift+M');
  const problems = page.locator('.markers-panel .monaco-tl-row');
  await problems.first().waitFor();
  // The demo mistake is diagnosed as in a trusted workspace.
  await page.locator('.markers-panel .monaco-tl-row', { hasText: 'replicationdelay=15s' }).first().waitFor();
  await vs.shot('restricted-problems');
});

test('trusting the folder enables replication without a reload', async () => {
  const { page } = vs;
  await runCommand(page, 'Workspaces: Manage Workspace Trust');
  const editor = page.locator('.workspace-trust-editor');
  await editor.waitFor();
  await vs.shot('trust-editor');
  await editor.locator('.monaco-button', { hasText: /^Trust/ }).first().click();
  // The server restarts with the engine on: the Remotes view lists the demo's remotes.
  const remotes = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Remotes/i }) });
  if (!(await remotes.isVisible())) await page.locator('.activitybar a.action-label[aria-label^="Git Replication"]').click();
  await remotes.locator('.monaco-list-row', { hasText: 'local' }).first().waitFor();
  const entries = await paletteEntries(page, 'Git Replication:');
  for (const c of REPLICATION_COMMANDS) assert.ok(entries.includes(`Git Replication: ${c}`), `${c} is back once trusted`);
  await vs.shot('trusted');
});
