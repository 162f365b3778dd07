// Quick fixes for a duplicate `[remote "x"]` block (issue 13 item 7): merging keeps every value
// real git reads for every remote, in order; renaming makes a remote of its own with a free
// placeholder name. Through the real server over stdio, the rename carries the command that
// opens VS Code's rename box only for the client that said it runs it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { replicationModule as m } from '../../server/src/replication';
import { check, doc, memoryWorkspace, REPL } from '../support/replication-helpers';
import { LspClient } from '../support/lsp-client';
import { scratch } from '../support/helpers';

const tmp = scratch('gr-dup-remote-');
const clients: LspClient[] = [];
after(() => {
  for (const c of clients) c.kill();
  tmp.cleanup();
});

function fixesOf(text: string): CodeAction[] {
  const diags = check(text).filter((d) => d.code === 'duplicate-remote');
  const d = doc(text);
  return m.codeActions!(d, diags[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, diags, { path: REPL, ws: memoryWorkspace({ [REPL]: text }) });
}

function apply(text: string, a: CodeAction): string {
  const edits = Object.values(a.edit!.changes!)[0];
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'x', 0, text), edits);
}

/** What real git reads: every `remote.*` variable in order, one remote after another. */
function gitReads(text: string): string[] {
  const f = join(tmp.dir, `c-${Math.random().toString(36).slice(2)}.config`);
  writeFileSync(f, text);
  const list = execFileSync('git', ['config', '--file', f, '--list'], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } }).split('\n').filter((l) => l.startsWith('remote.'));
  const byRemote = new Map<string, string[]>();
  for (const l of list) {
    const name = l.slice('remote.'.length, l.lastIndexOf('.', l.indexOf('=')));
    (byRemote.get(name) ?? byRemote.set(name, []).get(name)!).push(l);
  }
  return [...byRemote.keys()].sort().flatMap((k) => byRemote.get(k)!);
}

const merge = (fixes: CodeAction[]) => fixes.find((f) => f.title.startsWith('Merge'));
const rename = (fixes: CodeAction[]) => fixes.find((f) => f.title.startsWith('Rename'));

test('merge moves the second block to the end of the first; git reads the same values in the same order', () => {
  const text = [
    '[remote "x"]', '  url = /a/${name}', '  threads = 2  # two', '[remote "y"]', '  url = /y/${name}', '# about x again',
    '[remote "x"]  # again', '  url = /b/${name}', '  # a comment inside', '  threads = 3', '# trailing', '',
  ].join('\n');
  const fixes = fixesOf(text);
  assert.equal(fixes.length, 2, fixes.map((f) => f.title).join(' | '));
  assert.ok(fixes.every((f) => !f.isPreferred), 'which was meant is the user\'s call: Fix all applies neither');
  const merged = apply(text, merge(fixes)!);
  assert.equal(merged, [
    '[remote "x"]', '  url = /a/${name}', '  threads = 2  # two', '  url = /b/${name}', '  # a comment inside', '  threads = 3',
    '[remote "y"]', '  url = /y/${name}', '# about x again', '# trailing', '',
  ].join('\n'));
  assert.deepEqual(gitReads(merged), gitReads(text));
  assert.deepEqual(check(merged).filter((d) => d.code === 'duplicate-remote'), []);
});

test('merge: adjacent blocks, an empty first block, a third block (into the one before it), no newline at the end', () => {
  for (const text of [
    '[remote "x"]\n  url = /a/${name}\n[remote "x"]\n  push = refs/heads/*:refs/heads/*\n',
    '[remote "x"]\n[remote "z"]\n  url = /z/${name}\n[remote "x"]\n  url = /b/${name}\n',
    '[remote "x"]\n  url = /a/${name}\n  threads = 1\n[remote "x"]\n  threads = 2\n[gerrit]\n  autoReload = true\n[remote "x"]\n  threads = 3\n  url = /c/${name}',
  ]) {
    let t = text;
    // Merge every duplicate, one at a time, as a user would.
    for (let i = 0; i < 3 && merge(fixesOf(t)); i++) t = apply(t, merge(fixesOf(t))!);
    assert.deepEqual(check(t).filter((d) => d.code === 'duplicate-remote'), [], t);
    assert.deepEqual(gitReads(t), gitReads(text), t);
    assert.equal(t.match(/\[remote "x"\]/g)!.length, 1, t);
  }
});

test('no merge where it could change what is read: an include between, a key on a header line', () => {
  const include = '[remote "x"]\n  url = /a/${name}\n[include]\n  path = more.config\n[remote "x"]\n  url = /b/${name}\n';
  assert.equal(merge(fixesOf(include)), undefined);
  assert.ok(rename(fixesOf(include)), 'renaming is still offered');
  assert.equal(merge(fixesOf('[remote "x"]\n  url = /a/${name}\n[remote "x"] threads = 2\n  url = /b/${name}\n')), undefined);
});

test('rename gives the block a free placeholder name and marks it for a rename prompt', () => {
  const text = '[remote "x"]\n  url = /a/${name}\n[remote "x-2"]\n  url = /c/${name}\n[remote "x"]\n  url = /b/${name}\n';
  const r = rename(fixesOf(text))!;
  assert.equal(r.title, 'Rename this block to a remote of its own ("x-3")');
  const renamed = apply(text, r);
  assert.match(renamed, /\[remote "x-3"\]\n {2}url = \/b\//);
  assert.deepEqual(check(renamed).filter((d) => d.code === 'duplicate-remote'), []);
  assert.equal(r.command, undefined, 'no command for a client that did not say it runs ours');
});

test('over stdio: both fixes for the duplicate block; the rename names gitReplication.renameAt for our VS Code client only', async () => {
  const etc = join(tmp.dir, 'site', 'etc');
  mkdirSync(etc, { recursive: true });
  const path = join(etc, 'replication.config');
  const text = '[remote "x"]\n  url = /a/${name}\n[remote "x"]\n  url = /b/${name}\n';
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  for (const vscodeCommands of [false, true]) {
    const c = new LspClient({ initializationOptions: { diagnosticsDelay: 0, workspaceDiagnostics: false, vscodeCommands } });
    clients.push(c);
    await c.initialize(null);
    await c.open(uri, text);
    const published = await c.waitFor('the duplicate-remote warning', () => c.published.find((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'duplicate-remote')));
    const diag = published.diagnostics.find((d: Diagnostic) => d.code === 'duplicate-remote')!;
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
    assert.deepEqual(actions.map((a) => a.title), ['Merge into the [remote "x"] block above', 'Rename this block to a remote of its own ("x-2")']);
    const cmd = actions[1].command;
    if (!vscodeCommands) assert.equal(cmd, undefined);
    else assert.deepEqual(cmd, { title: 'Rename', command: 'gitReplication.renameAt', arguments: [uri, { line: 2, character: 9 }] });
    c.kill();
  }
});
