// The reload preview in a real VS Code (issue 11 item 4): on the demo site's
// etc/replication.config, an unsaved edit (remote local: mirror = true → false) and the
// "Preview reload" code lens on its [remote "local"] header, against the saved file, open a
// read-only document that names the remote and the setting change, and the saved file is untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launchVsCode, MOD, openFile, scripts, until, type VsCode, oneVsCodePerFile, activated } from './vscode';

let vs: VsCode;
let demo: { base: string; site: string; mirrors: string; config: string; cleanup(): void };

oneVsCodePerFile(async () => {
  const m = await scripts.demo();
  demo = m.createDemoSite({ mistake: false });
  // Word wrap: the preview's long lines are read from the DOM whole.
  vs = await launchVsCode({ workspace: demo.site, trust: true, name: 'reload', settings: { 'editor.wordWrap': 'on' } });
  await activated(vs);
  return vs;
}, () => demo?.cleanup());

test('the "Preview reload" code lens on a [remote] header shows what a reload of the edited config changes', async () => {
  const { page } = vs;
  const saved = readFileSync(demo.config, 'utf8');
  const line = saved.split('\n').findIndex((l) => l.trim() === 'mirror = true') + 1;
  assert.ok(line > 0);
  await openFile(page, 'etc/replication.config', 'replication.config');
  // One lens per [remote] header: local and backup.
  const lenses = page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Preview reload' });
  await until('two lenses', async () => (await lenses.count()) === 2, 60000);
  await vs.shot('lenses');
  // The unsaved edit: mirror = true → false on remote local.
  await page.keyboard.press(`${MOD}+G`);
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('false');
  await page.keyboard.press('Escape');
  await page.locator('.tab.active.dirty').first().waitFor();
  await lenses.first().click();
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Preview Reload (remote local)' }).waitFor();
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Against the saved file' }).first().waitFor();
  await vs.shot('against');
  await page.keyboard.press('Enter');
  const doc = page.locator('.editor-group-container.active .view-lines');
  // Whitespace removed: where the editor wraps a line does not matter.
  const flat = async () => (await doc.innerText()).replace(/\s+/g, '');
  await until('the preview document', async () => /Reloadpreview:.*againstsaved/.test(await flat()), 60000);
  const text = await flat();
  await vs.shot('preview');
  assert.match(text, /remotechanged:local\(etc\/replication\.config:7\)/);
  assert.ok(text.includes('mirror:true→false'), text);
  assert.doesNotMatch(text, /remote(added|removed|changed):backup/, 'backup did not change');
  assert.equal(readFileSync(demo.config, 'utf8'), saved, 'the preview saved nothing');
});
