// The two cross-file edits over the real stdio server, applied to disk the way an editor
// would: moving a url's password to secure.config, and renaming a remote in both files.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeAction, CreateFile, Diagnostic, Range, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../support/lsp-client';
import { scratch } from '../support/helpers';

const SECRET = 'Zq9%2Fsecret';
const SECRET_PLAIN = 'Zq9/secret';
const clients: LspClient[] = [];
const dirs: Array<() => void> = [];
after(() => {
  for (const c of clients) c.kill();
  for (const d of dirs) d();
});

function site(files: Record<string, string>) {
  const s = scratch('gr-lsp-edits-');
  dirs.push(s.cleanup);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(s.dir, rel, '..'), { recursive: true });
    writeFileSync(join(s.dir, rel), text);
  }
  return { dir: s.dir, path: (rel: string) => join(s.dir, rel), uri: (rel: string) => pathToFileURL(join(s.dir, rel)).toString() };
}

async function start(workspaceEdit?: { documentChanges?: boolean; resourceOperations?: string[] }) {
  const c = new LspClient({ initializationOptions: { diagnosticsDelay: 0 }, workspaceEdit });
  clients.push(c);
  await c.initialize(null);
  return c;
}

/** Apply a WorkspaceEdit to the disk as an editor would (documentChanges in order, or changes). */
function applyToDisk(edit: WorkspaceEdit) {
  const editFile = (uri: string, edits: TextEdit[]) => {
    const p = fileURLToPath(uri);
    writeFileSync(p, TextDocument.applyEdits(TextDocument.create(uri, 'x', 0, readFileSync(p, 'utf8')), edits));
  };
  for (const c of edit.documentChanges ?? []) {
    if ('kind' in c) {
      assert.equal(c.kind, 'create');
      const p = fileURLToPath((c as CreateFile).uri);
      assert.ok(!existsSync(p), 'CreateFile without overwrite: the file must not exist');
      writeFileSync(p, '', { mode: 0o600 });
    } else editFile((c as TextDocumentEdit).textDocument.uri, (c as TextDocumentEdit).edits as TextEdit[]);
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) editFile(uri, edits);
}

const gitGet = (file: string, key: string) =>
  spawnSync('git', ['config', '--file', file, '--get', key], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/nonexistent' } }).stdout.trim();

test('quick fix over stdio: move the password to a new secure.config', async () => {
  const text = `[remote "mirror"]\n  url = https://bot:${SECRET}@git.example.com/\${name}.git\n`;
  const s = site({ 'etc/replication.config': text });
  const c = await start({ documentChanges: true, resourceOperations: ['create'] });
  await c.open(s.uri('etc/replication.config'), text, 1);
  const diags = (await c.diagnosticsFor(s.uri('etc/replication.config'), 1)).diagnostics;
  const d = diags.find((x) => x.code === 'url-password') as Diagnostic;
  assert.ok(d, JSON.stringify(diags));
  const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: s.uri('etc/replication.config') }, range: d.range, context: { diagnostics: [d] } });
  const move = actions.find((a) => /secure\.config/.test(a.title))!;
  assert.equal(move.title, 'Move the user name and password to secure.config');
  applyToDisk(move.edit!);
  const after = readFileSync(s.path('etc/replication.config'), 'utf8');
  assert.equal(after, '[remote "mirror"]\n  url = https://git.example.com/${name}.git\n');
  assert.equal(gitGet(s.path('etc/secure.config'), 'remote.mirror.password'), SECRET_PLAIN);
  assert.equal(gitGet(s.path('etc/secure.config'), 'remote.mirror.username'), 'bot');
  // The editor saves the edited document: the warning goes away.
  await c.changeAll(s.uri('etc/replication.config'), 2, after);
  const next = (await c.diagnosticsFor(s.uri('etc/replication.config'), 2)).diagnostics;
  assert.ok(!next.some((x) => x.code === 'url-password'), JSON.stringify(next));
  // The secret went out only inside the edit: not in diagnostics, titles or the server's log.
  for (const secret of [SECRET, SECRET_PLAIN]) {
    assert.ok(!JSON.stringify(c.published.map((p) => p.diagnostics.map((x) => [x.message, x.data, x.relatedInformation]))).includes(secret));
    assert.ok(!actions.some((a) => a.title.includes(secret)));
    assert.ok(!c.stderr.includes(secret), 'server log');
  }
  // A client that cannot create files is offered the fix only when secure.config exists.
  const s2 = site({ 'etc/replication.config': text });
  const c2 = await start({ documentChanges: true });
  await c2.open(s2.uri('etc/replication.config'), text, 1);
  const d2 = (await c2.diagnosticsFor(s2.uri('etc/replication.config'), 1)).diagnostics.find((x) => x.code === 'url-password')!;
  const ask = () => c2.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: s2.uri('etc/replication.config') }, range: d2.range, context: { diagnostics: [d2] } });
  assert.deepEqual(await ask(), []);
  writeFileSync(s2.path('etc/secure.config'), '[remote "mirror"]\n', { mode: 0o600 });
  const offered = await ask();
  assert.equal(offered.length, 1);
  assert.ok(!offered[0].edit!.documentChanges!.some((x) => 'kind' in x), 'no CreateFile');
  applyToDisk(offered[0].edit!);
  assert.equal(readFileSync(s2.path('etc/secure.config'), 'utf8'), `[remote "mirror"]\n\tusername = bot\n\tpassword = ${SECRET_PLAIN}\n`);
  assert.equal(await c.shutdown(), 0);
  assert.equal(await c2.shutdown(), 0);
});

test('rename over stdio: both files change; refusals come back as errors with the reason', async () => {
  const repl = '[remote "mirror"]\n  url = ssh://h/${name}\n[remote "other"]\n  url = ssh://o/${name}\n[remote "mirror"]\n  threads = 2\n';
  const secure = '[remote "mirror"]\n\tpassword = x\n';
  const s = site({ 'etc/replication.config': repl, 'etc/secure.config': secure, 'etc2/replication/eu.config': '[remote]\n  url = ssh://h/${name}\n' });
  const c = await start();
  const uri = s.uri('etc/replication.config');
  await c.open(uri, repl, 1);
  const position = { line: 0, character: 10 };
  const range = await c.request<Range | null>('textDocument/prepareRename', { textDocument: { uri }, position });
  assert.deepEqual(range, { start: { line: 0, character: 9 }, end: { line: 0, character: 15 } });
  const edit = await c.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName: 'backup' });
  applyToDisk(edit);
  assert.equal(readFileSync(s.path('etc/replication.config'), 'utf8'), repl.replaceAll('"mirror"', '"backup"'));
  assert.equal(readFileSync(s.path('etc/secure.config'), 'utf8'), secure.replace('"mirror"', '"backup"'));
  await assert.rejects(
    c.request('textDocument/rename', { textDocument: { uri }, position, newName: 'other' }),
    (e: { code?: number; message?: string }) => e.code === -32803 && /already has a \[remote "other"\]/.test(e.message ?? ''),
  );
  // In a fan-out file the name is the file's: prepareRename says so.
  const fan = s.uri('etc2/replication/eu.config');
  await c.open(fan, '[remote]\n  url = ssh://h/${name}\n', 1);
  await assert.rejects(
    c.request('textDocument/prepareRename', { textDocument: { uri: fan }, position: { line: 0, character: 3 } }),
    (e: { code?: number; message?: string }) => e.code === -32803 && /rename the file/.test(e.message ?? ''),
  );
  assert.ok(!/failed/.test(c.stderr), `refusals are not logged as failures: ${c.stderr}`);
  assert.equal(await c.shutdown(), 0);
});
