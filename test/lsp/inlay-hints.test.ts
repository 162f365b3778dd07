// Inlay hints and site-specific hovers (issue 13 item 6), through the real server over stdio on a
// site with real bare repositories: the value in effect beside every value where it differs from
// what was written, and beside each url the url a real project of the site is pushed to (one the
// remote's projects filter matches), never with a password.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, InlayHint, MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp-client';
import { scratch } from '../support/helpers';
import { makeBareRepo } from '../infra/gitRepos';

const root = scratch('gr-inlay-');
const site = join(root.dir, 'site');
const config = join(site, 'etc', 'replication.config');
const uri = pathToFileURL(config).href;
const TEXT = [
  '[gerrit]',
  '  sshConnectionTimeout = 30',
  '[url "ssh://mirror.example/"]',
  '  insteadOf = mirror:',
  '[remote "local"]',
  '  url = /srv/mirror/${name}.git',
  '  replicationRetry = 1m',
  '  rescheduleDelay = 1',
  '  threads = 2',
  '  threads = 4',
  '  mirror = true',
  '  replicationDelay = 15',
  '[remote "tools"]',
  '  url = https://bot:s3cret@mirror.example/${name}.git',
  '  url = mirror:${name}.git',
  '  projects = tools/*',
  '  remoteNameStyle = dash',
  '  mirror = yes',
  '[remote "none"]',
  '  url = /srv/none/${name}.git',
  '  projects = nothing-here',
  '',
].join('\n');
const lineOf = (needle: string) => TEXT.split('\n').findIndex((l) => l.includes(needle));

let c: LspClient;
before(async () => {
  mkdirSync(join(site, 'etc'), { recursive: true });
  writeFileSync(config, TEXT);
  // Real bare repositories: the projects are what the engine's walk of basePath finds.
  makeBareRepo(join(site, 'git', 'beta.git'));
  makeBareRepo(join(site, 'git', 'tools', 'gamma.git'));
  c = new LspClient({ initializationOptions: { diagnosticsDelay: 0, workspaceDiagnostics: false } });
  const init = await c.initialize(pathToFileURL(site).href);
  assert.equal(init.capabilities.inlayHintProvider, true);
  await c.open(uri, TEXT);
});
after(() => {
  c?.kill();
  root.cleanup();
});

const hints = () => c.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } } });
const label = (h: InlayHint) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));
const byLine = (hs: InlayHint[]) => new Map(hs.map((h) => [h.position.line, label(h)]));
const hoverAt = async (needle: string, col = 4) =>
  ((await c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: lineOf(needle), character: col } }))?.contents as MarkupContent | undefined)?.value ?? '';

test('the value in effect is hinted where it differs from what was written, and only there', async () => {
  const m = byLine(await hints());
  assert.equal(m.get(lineOf('sshConnectionTimeout')), '→ 30 ms');
  assert.equal(m.get(lineOf('replicationRetry')), '→ 1,048,576 min');
  assert.equal(m.get(lineOf('rescheduleDelay')), '→ 3 s');
  assert.equal(m.get(lineOf('threads = 2')), `→ overridden (line ${lineOf('threads = 4') + 1})`);
  assert.equal(m.get(lineOf('mirror = yes')), '→ true');
  for (const plain of ['threads = 4', 'mirror = true', 'replicationDelay = 15', 'projects = tools/*', 'remoteNameStyle']) {
    assert.equal(m.get(lineOf(plain)), undefined, `no hint where the value is what was written: ${plain}`);
  }
  // The hint sits at the end of the value.
  const h = (await hints()).find((x) => x.position.line === lineOf('rescheduleDelay'))!;
  assert.equal(h.position.character, '  rescheduleDelay = 1'.length);
});

test('each url shows where a real project of the site that the remote replicates is pushed, without its password', async () => {
  const all = await hints();
  const m = byLine(all);
  assert.equal(m.get(lineOf('/srv/mirror/')), 'beta → /srv/mirror/beta.git', 'the first project of the site (no filter)');
  assert.equal(m.get(lineOf('bot:s3cret')), 'tools/gamma → https://bot@mirror.example/tools-gamma.git', 'one the projects filter matches, in remoteNameStyle dash');
  assert.equal(m.get(lineOf('mirror:${name}')), 'tools/gamma → ssh://mirror.example/tools-gamma.git', 'after the insteadOf rewrite');
  assert.equal(m.get(lineOf('/srv/none/')), undefined, 'no project of the site matches: nothing to show');
  assert.doesNotMatch(JSON.stringify(all), /s3cret/);
});

test('hovers lead with the site-specific fact, the general doc follows', async () => {
  const url = await hoverAt('/srv/mirror/');
  assert.match(url, /^Project \*\*beta\*\* of this site is pushed to `\/srv\/mirror\/beta\.git`\./);
  assert.doesNotMatch(url, /foo\/bar/);
  const docAt = url.indexOf('---');
  assert.ok(docAt > 0 && /\*\*remote\.url\*\*|url/i.test(url.slice(docAt)), 'the key doc comes after the site facts');
  const secret = await hoverAt('bot:s3cret');
  assert.match(secret, /^Project \*\*tools\/gamma\*\* of this site is pushed to `https:\/\/bot@mirror\.example\/tools-gamma\.git` \(remoteNameStyle dash\)/);
  assert.doesNotMatch(secret, /s3cret/);
  assert.match(await hoverAt('/srv/none/'), /^No project of this site \(2\) matches/);
  assert.match(await hoverAt('replicationRetry'), /^Written: `1m` — value in effect: \*\*1,048,576 minutes/);
});

test('a repository created later is picked up after a file event', async () => {
  makeBareRepo(join(site, 'git', 'alpha.git'));
  await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(site, 'etc', 'replication.config')).href, type: 2 }] });
  // The server handles messages in order: the request after the notification sees the new walk.
  const m = byLine(await hints());
  assert.equal(m.get(lineOf('/srv/mirror/')), 'alpha → /srv/mirror/alpha.git');
});
