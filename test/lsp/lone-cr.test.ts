// D11: gitolite ends lines at \n only, an editor also at a lone \r. Over the real server, a
// gitolite.conf and a .gitolite.rc with lone-CR line ends get positions the editor can use
// (inside their lines, on the text they name) and a gl-lone-cr warning at each lone \r.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp-client';
import { scratch } from '../support/helpers';

const home = scratch('gr-lone-cr-');
mkdirSync(join(home.dir, '.gitolite', 'conf'), { recursive: true });
const c = new LspClient({ pull: true });
after(() => {
  c.kill();
  home.cleanup();
});

const lines = (t: string) => t.split(/\r\n|\r|\n/);
function inside(text: string, ds: Diagnostic[]) {
  const ls = lines(text);
  for (const d of ds) {
    for (const p of [d.range.start, d.range.end]) {
      assert.ok(p.line < ls.length && p.character <= ls[p.line].length, `${d.code} at ${JSON.stringify(d.range)} is outside its line`);
    }
  }
}

test('gitolite.conf with lone CRs: ranges inside their lines, on the right text, and a gl-lone-cr warning', async () => {
  await c.initialize(pathToFileURL(home.dir).toString());
  const uri = pathToFileURL(join(home.dir, '.gitolite', 'conf', 'gitolite.conf')).toString();
  // Line 2 for the editor ("repo foo") is the tail of line 1 for gitolite.
  const text = 'repo gitolite-admin\n    RW+ = admin\r    RW+ = @nosuchgroup\n';
  await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'gitolite', version: 1, text } });
  const r = await c.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
  inside(text, r.items);
  const cr = r.items.filter((d) => d.code === 'gl-lone-cr');
  assert.equal(cr.length, 1, JSON.stringify(r.items));
  assert.deepEqual(cr[0].range.start, { line: 1, character: 15 }, 'at the \\r, as the editor counts');
  const undef = r.items.find((d) => d.code === 'gl-undeclared-group');
  assert.ok(undef, JSON.stringify(r.items));
  const ls = lines(text);
  assert.equal(ls[undef.range.start.line].slice(undef.range.start.character, undef.range.end.character), '@nosuchgroup');
  // The editor's line 3 is gitolite's line 2: a hover there reaches the group on it.
  const text2 = '@g = alice bob\r# a note\nrepo foo\n    RW+ = @g\n';
  await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: text2 }] });
  const h = await c.request<{ contents: unknown } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 11 } });
  assert.match(JSON.stringify(h), /alice/, 'hover on @g names its members');
});

test('.gitolite.rc with lone CRs: warned, and every range inside its line', async () => {
  const uri = pathToFileURL(join(home.dir, '.gitolite.rc')).toString();
  const text = "%RC = (\r    UMASK => 0077,\r    HOSTNAME => 'm1', # the mirror name\r    ENABLE => ['help'],\r);\r1;\r";
  await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'gitolite-rc', version: 1, text } });
  const r = await c.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
  inside(text, r.items);
  assert.equal(r.items.filter((d) => d.code === 'gl-lone-cr').length, 6);
  const folds = await c.request<Array<{ startLine: number; endLine: number }>>('textDocument/foldingRange', { textDocument: { uri } });
  for (const f of folds) assert.ok(f.endLine < lines(text).length, JSON.stringify(f));
  assert.equal(await c.shutdown(), 0);
});
