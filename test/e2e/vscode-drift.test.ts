// Drift in the dry-run panel, in a real VS Code on the demo site (issue 11 item 7): "Show drift"
// puts each mirror's current state (the engine's status check, one ls-remote per target) next to
// its plan: alpha's local mirror holds refs/heads/stale, which the source lacks (diverged);
// tools/gamma has no backup mirror yet (missing repository). Turning it off removes the badges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchVsCode, openPalette, scripts, webview, type VsCode, oneVsCodePerFile, activated } from './vscode';

let vs: VsCode;
let demo: { base: string; site: string; mirrors: string; config: string; cleanup(): void };

oneVsCodePerFile(async () => {
  const m = await scripts.demo();
  demo = m.createDemoSite({ mistake: false });
  vs = await launchVsCode({ workspace: demo.site, trust: true, name: 'drift' });
  await activated(vs);
  return vs;
}, () => demo?.cleanup());

test('"Show drift" shows each mirror\'s current state next to the plan, and hides it again', async () => {
  const { page } = vs;
  await openPalette(page, 'Git Replication: Dry-Run Replication…');
  await page.keyboard.press('Enter');
  const view = webview(page);
  const alpha = view.locator('section.target[data-project="alpha"][data-remote="local"]');
  const gamma = view.locator('section.target[data-project="tools/gamma"][data-remote="backup"]');
  await alpha.waitFor();
  assert.equal(await view.locator('.badge.drift').count(), 0, 'off until asked');
  await view.locator('#showDrift').check();
  const alphaDrift = alpha.locator('h2 .badge.drift');
  await alphaDrift.waitFor({ timeout: 60000 });
  assert.match(await alphaDrift.innerText(), /^now: diverged · \d+ refs?/);
  assert.match(await alphaDrift.getAttribute('class') ?? '', /h-diverged/);
  assert.match(await alphaDrift.getAttribute('title') ?? '', /refs\/heads\/stale/);
  assert.match(await gamma.locator('h2 .badge.drift').innerText(), /^now: missing repository/);
  // The plan is still there, next to it.
  assert.equal(await alpha.locator('tr.change[data-kind="delete"]').count(), 1);
  await vs.shot('drift-on');
  await view.locator('#showDrift').uncheck();
  await alphaDrift.waitFor({ state: 'detached' });
  assert.equal(await view.locator('.badge.drift').count(), 0);
  await vs.shot('drift-off');
});
