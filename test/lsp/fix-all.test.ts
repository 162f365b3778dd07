// "Fix all" (issue 13 item 5): one source.fixAll action applies every preferred quick fix of the
// document that edits only this document and overlaps no other; the real server, real edits.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp-client';
import { scratch } from '../support/helpers';
import { fixAllAction, FIX_ALL_KIND } from '../../server/src/service/fixAll';

const root = scratch('gr-fixall-');
const clients: LspClient[] = [];
after(() => {
  for (const c of clients) c.kill();
  root.cleanup();
});

const TEXT = [
  '[remote "a"]',
  '  url = SSH://host/${name}.git',
  '  threadz = 3',
  '[remote "b"]',
  '  url = /srv/b/${name}.git',
  '  timeoutt = 5',
  '  password = hunter2',
  '',
].join('\n');

test('source.fixAll applies every safe preferred fix at once; what is left is what no safe fix covers', async () => {
  const etc = join(root.dir, 'site', 'etc');
  mkdirSync(etc, { recursive: true });
  const uri = pathToFileURL(join(etc, 'replication.config')).href;
  const c = new LspClient({ initializationOptions: { diagnosticsDelay: 0, workspaceDiagnostics: false } });
  clients.push(c);
  const init = await c.initialize(pathToFileURL(join(root.dir, 'site')).href);
  assert.deepEqual((init.capabilities.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix', FIX_ALL_KIND]);
  await c.open(uri, TEXT, 1);
  const before = (await c.diagnosticsFor(uri, 1)).diagnostics.map((d) => String(d.code)).sort();
  const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] },
  });
  assert.equal(actions.length, 1, JSON.stringify(actions));
  const [fix] = actions;
  assert.equal(fix.kind, FIX_ALL_KIND);
  assert.deepEqual(Object.keys(fix.edit!.changes!), [uri], 'edits this document only');
  const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'gerrit-replication', 1, TEXT), fix.edit!.changes![uri]);
  assert.match(fixed, /url = ssh:\/\/host/);
  assert.match(fixed, /\n  threads = 3\n/);
  assert.match(fixed, /\n  timeout = 5\n/);
  await c.changeAll(uri, 2, fixed);
  const after = (await c.diagnosticsFor(uri, 2)).diagnostics.map((d) => String(d.code)).sort();
  assert.ok(after.length < before.length, `${before} → ${after}`);
  for (const code of after) assert.ok(before.includes(code), `no new problem: ${code}`);
  // The password in replication.config is fixed by moving it to secure.config: two files, so not part of "fix all".
  assert.ok(after.includes('misplaced-key'), after.join(' '));
  assert.match(fixed, /password = hunter2/);
  // Asked for quick fixes only, no fix-all action comes back.
  const quick = await c.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['quickfix'] },
  });
  assert.ok(!quick.some((a) => a.kind === FIX_ALL_KIND));
});

test('fixAllAction: only preferred, single-file, non-overlapping fixes are merged; the first in the document wins', () => {
  const uri = 'file:///s/etc/replication.config';
  const r = (l: number, a: number, b: number) => ({ start: { line: l, character: a }, end: { line: l, character: b } });
  const act = (edits: TextEdit[], extra: Partial<CodeAction> = {}, d = 'x'): CodeAction => ({
    title: d, diagnostics: [{ range: edits[0].range, message: d, code: d } as Diagnostic], isPreferred: true, edit: { changes: { [uri]: edits } }, ...extra,
  });
  const a = act([{ range: r(1, 2, 9), newText: 'threads' }], {}, 'a');
  const overlap = act([{ range: r(1, 4, 6), newText: 'zz' }], {}, 'overlap');
  const notPreferred = act([{ range: r(2, 0, 1), newText: 'q' }], { isPreferred: false }, 'np');
  const twoFiles: CodeAction = { ...act([{ range: r(3, 0, 1), newText: 'q' }], {}, 'two'), edit: { changes: { [uri]: [{ range: r(3, 0, 1), newText: 'q' }], 'file:///s/etc/secure.config': [] } } };
  const b = act([{ range: r(5, 0, 3), newText: 'ok' }], {}, 'b');
  const got = fixAllAction(uri, [b, overlap, notPreferred, twoFiles, a])!;
  assert.deepEqual(got.edit!.changes![uri].map((e) => e.newText), ['threads', 'ok']);
  assert.deepEqual(got.diagnostics!.map((d) => d.code), ['a', 'b']);
  assert.equal(fixAllAction(uri, [notPreferred, twoFiles]), undefined);
});
