// Workspace-wide diagnostics (issue 13 item 5): the real server checks every config file of the
// workspace on start, also those not open, follows file events, hands a file over to the editor's
// text while it is open and back to the disk when it is closed, and never walks out of the
// workspace through a symlink or into a git repository.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lsp-client';
import { scratch } from '../support/helpers';

const root = scratch('gr-wsdiag-');
const clients: LspClient[] = [];
after(() => {
  for (const c of clients) c.kill();
  root.cleanup();
});
const uri = (p: string) => pathToFileURL(p).href;
const codes = (c: LspClient, u: string) => [...c.published].reverse().find((p) => p.uri === u)?.diagnostics.map((d) => String(d.code)) ?? [];

function workspace(name: string) {
  const ws = join(root.dir, name);
  const etc = join(ws, 'site', 'etc');
  mkdirSync(join(etc, 'replication'), { recursive: true });
  const config = join(etc, 'replication.config');
  writeFileSync(config, '[remote "m"]\n  url = /srv/mirror/${name}.git\n  threads = abc\n');
  const fanout = join(etc, 'replication', 'backup.config');
  writeFileSync(fanout, '[remote]\n  url = /srv/backup/${name}.git\n  timeout = soon\n');
  const conf = join(ws, 'gitolite-admin', 'conf');
  mkdirSync(join(conf, 'sub'), { recursive: true });
  writeFileSync(join(conf, 'gitolite.conf'), 'repo gitolite-admin\n    RW+ = admin\ninclude "sub/*.conf"\n');
  const included = join(conf, 'sub', 'team.conf');
  writeFileSync(included, 'repo team\n    RW+ = alice\nthis is not gitolite\n');
  // A bare repository holding a file that looks like a config, and a symlink to a site outside.
  const repo = join(ws, 'site', 'git', 'p.git');
  mkdirSync(join(repo, 'objects'), { recursive: true });
  mkdirSync(join(repo, 'refs'), { recursive: true });
  writeFileSync(join(repo, 'HEAD'), 'ref: refs/heads/master\n');
  writeFileSync(join(repo, 'replication.config'), '[remote "x"]\n  threads = abc\n');
  const outside = join(root.dir, `${name}-outside`, 'etc');
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, 'replication.config'), '[remote "secret"]\n  threads = abc\n');
  symlinkSync(join(root.dir, `${name}-outside`), join(ws, 'linked-site'));
  return { ws, config, fanout, included, repo, outside: join(outside, 'replication.config') };
}

async function start(ws: string, opts: { pull?: boolean; initializationOptions?: object } = {}) {
  const c = new LspClient({ pull: opts.pull, initializationOptions: { diagnosticsDelay: 0, ...opts.initializationOptions } });
  clients.push(c);
  await c.initialize(uri(ws));
  return c;
}

test('on start every config file of the workspace is checked, open or not; links and repositories are not entered', async () => {
  const w = workspace('start');
  const c = await start(w.ws);
  await c.waitFor('the unopened replication.config', () => codes(c, uri(w.config)).includes('invalid-int'));
  await c.waitFor('the unopened fan-out file', () => codes(c, uri(w.fanout)).length > 0);
  await c.waitFor('the included gitolite file', () => codes(c, uri(w.included)).includes('gl-syntax'));
  await c.waitFor('the end of the pass', () => /workspace diagnostics: \d+ of \d+ config file/.test(c.stderr));
  const seen = new Set(c.published.map((p) => p.uri));
  assert.ok(!seen.has(uri(join(w.repo, 'replication.config'))), 'a file inside a git repository is no config');
  assert.ok(![...seen].some((u) => u.includes('linked-site') || u.includes('-outside')), 'the symlinked site outside is not read');
  assert.doesNotMatch(c.stderr + JSON.stringify(c.published), /secret/);
});

test('a file event re-checks from disk; an open file follows its text, and falls back to the disk on close', async () => {
  const w = workspace('events');
  const c = await start(w.ws);
  await c.waitFor('the first check', () => codes(c, uri(w.config)).includes('invalid-int'));
  writeFileSync(w.config, '[remote "m"]\n  url = /srv/mirror/${name}.git\n  threads = 4\n');
  await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(w.config), type: 2 }] });
  await c.waitFor('the fixed file re-checked', () => !codes(c, uri(w.config)).includes('invalid-int'));
  // Open with an unsaved mistake: the editor's text counts.
  await c.open(uri(w.config), '[remote "m"]\n  url = /srv/mirror/${name}.git\n  threads = lots\n', 1);
  await c.waitFor('the open text checked', () => codes(c, uri(w.config)).includes('invalid-int'));
  await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uri(w.config) } });
  await c.waitFor('the disk text again after close', () => {
    const last = [...c.published].reverse().find((p) => p.uri === uri(w.config));
    return last && last.version === undefined && !last.diagnostics.some((d) => d.code === 'invalid-int');
  });
});

test('pull mode: an opened file drops its disk diagnostics (the client pulls its own), and gets them back on close', async () => {
  const w = workspace('pull');
  const c = await start(w.ws, { pull: true });
  await c.waitFor('the first check', () => codes(c, uri(w.config)).includes('invalid-int'));
  await c.open(uri(w.config), '[remote "m"]\n  url = /srv/mirror/${name}.git\n  threads = abc\n', 1);
  await c.waitFor('the disk diagnostics cleared', () => codes(c, uri(w.config)).length === 0);
  const pulled = await c.request<{ items: Array<{ code: string }> }>('textDocument/diagnostic', { textDocument: { uri: uri(w.config) } });
  assert.ok(pulled.items.some((d) => d.code === 'invalid-int'));
  await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uri(w.config) } });
  await c.waitFor('the disk diagnostics back', () => codes(c, uri(w.config)).includes('invalid-int'));
});

test('workspaceDiagnostics: false checks only open documents', async () => {
  const w = workspace('off');
  const c = await start(w.ws, { initializationOptions: { workspaceDiagnostics: false } });
  await c.open(uri(w.fanout), '[remote]\n  url = /srv/backup/${name}.git\n', 1);
  await c.diagnosticsFor(uri(w.fanout), 1);
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(!c.published.some((p) => p.uri === uri(w.config)), 'the unopened file was not checked');
});
