// Workspace-wide diagnostics and Fix all in a real VS Code (issue 13 item 5): with no file
// open, the Problems panel lists the mistakes of replication.config and of secure.config; in
// secure.config, "Fix All" applies the safe fix, and saving writes it to disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchVsCode, MOD, openFile, runEditorCommand, scripts, until, type VsCode, oneVsCodePerFile } from './vscode';

let vs: VsCode;
let demo: { site: string; config: string; cleanup(): void };
let secure: string;

oneVsCodePerFile(async () => {
  const { createDemoSite } = await scripts.demo();
  demo = createDemoSite({ mistake: true });
  secure = join(demo.site, 'etc', 'secure.config');
  // A case slip: Gerrit's remote names are case-sensitive, so these credentials are never used.
  writeFileSync(secure, '[remote "Local"]\n\tusername = mirror-bot\n', { mode: 0o600 });
  vs = await launchVsCode({ workspace: demo.site, trust: true, name: 'workspace' });
  return vs;
}, () => demo?.cleanup());


test('with no file open, Problems lists the mistakes of replication.config and secure.config', async () => {
  const { page } = vs;
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel .monaco-tl-row', { hasText: '15s' }).first().waitFor({ timeout: 60_000 });
  const slip = page.locator('.markers-panel .monaco-tl-row', { hasText: "No remote 'Local'" }).first();
  await slip.waitFor({ timeout: 60_000 });
  assert.match(await slip.innerText(), /did you mean 'local'/);
  assert.equal(await page.locator('.tabs-container .tab').count(), 0, 'no editor was opened');
  await vs.shot('problems-unopened');
});

test('Fix All in secure.config applies the safe fix; saving writes it', async () => {
  const { page } = vs;
  await openFile(page, 'etc/secure.config', 'secure.config');
  // The editor's own "Fix All" runs every source.fixAll provider; it needs the editor focused
  // and the server's diagnostics for the open file in.
  await page.locator('.squiggly-error, .squiggly-warning, .squiggly-info').first().waitFor({ timeout: 30_000 });
  // Under load the first Fix All can run before the server's fixes for the buffer are in:
  // run it again until the editor shows the fix, then save until the disk has it.
  const fixedInEditor = page.locator('.editor-instance .view-lines', { hasText: /\[remote\s+"local"\]/ });
  for (let i = 0; (await fixedInEditor.count()) === 0; i++) {
    assert.ok(i < 6, 'Fix All never changed the buffer');
    await runEditorCommand(page, 'Fix All');
    await fixedInEditor.first().waitFor({ timeout: 10_000 }).catch(() => undefined);
  }
  await until('the fixed remote name on disk', async () => {
    if (/^\[remote "local"\]$/m.test(readFileSync(secure, 'utf8'))) return true;
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press(`${MOD}+S`);
    await new Promise((r) => setTimeout(r, 2_000));
    return false;
  }, 60_000);
  await vs.shot('fix-all');
  await page.keyboard.press('Control+Shift+M');
  await until('the slip gone from Problems', async () => (await page.locator('.markers-panel .monaco-tl-row', { hasText: "No remote 'Local'" }).count()) === 0);
});
