// Renaming a remote across replication.config and secure.config; refusals with reasons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { replicationModule as m } from '../../server/src/replication';
import { RequestRefused } from '../../server/src/service/errors';
import { doc, FANOUT, memoryWorkspace, REPL, SECURE } from '../support/replication-helpers';

const REPL_TEXT = '[gerrit]\n  autoReload = true\n[remote "mirror"]\n  url = ssh://h/${name}\n[remote "other"]\n  url = ssh://o/${name}\n[remote "mirror"] # more\n  push = +refs/*:refs/*\n';
const SECURE_TEXT = '[remote "mirror"]\n\tpassword = x\n[remote "orphan"]\n\tpassword = y\n';

/** Document, cursor (the first `|`) and context over a site. */
function at(files: Record<string, string>, path: string, marked: string) {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  const d = doc(text, path);
  return { d, pos: d.positionAt(offset), ctx: { path, ws: memoryWorkspace({ ...files, [path]: text }) }, text };
}

function applyAll(edit: WorkspaceEdit, files: Record<string, string>): Record<string, string> {
  const out = { ...files };
  for (const [u, edits] of Object.entries(edit.changes ?? {})) {
    const p = u.replace(/^file:\/\//, '');
    out[p] = TextDocument.applyEdits(TextDocument.create(u, 'x', 1, out[p]), edits);
  }
  return out;
}

test('rename from replication.config: every header in both files', () => {
  const marked = REPL_TEXT.replace('[remote "mirror"]\n  url', '[remote "mi|rror"]\n  url');
  const { d, pos, ctx, text } = at({ [SECURE]: SECURE_TEXT }, REPL, marked);
  assert.deepEqual(m.prepareRename!(d, pos, ctx), { start: { line: 2, character: 9 }, end: { line: 2, character: 15 } });
  const edit = m.rename!(d, pos, 'backup', ctx)!;
  assert.deepEqual(Object.keys(edit.changes!).sort(), ['file://' + REPL, 'file://' + SECURE]);
  const out = applyAll(edit, { [REPL]: text, [SECURE]: SECURE_TEXT });
  assert.equal(out[REPL], REPL_TEXT.replaceAll('"mirror"', '"backup"'));
  assert.equal(out[SECURE], SECURE_TEXT.replace('"mirror"', '"backup"'));
});

test('rename from secure.config reaches replication.config; the open text wins over the disk', () => {
  const { d, pos, ctx } = at({ [REPL]: REPL_TEXT }, SECURE, SECURE_TEXT.replace('[remote "mirror"]', '[remote "|mirror"]') + '[remote "mirror"]\n\tusername = u\n');
  const edit = m.rename!(d, pos, 'm2', ctx)!;
  assert.equal(edit.changes!['file://' + SECURE].length, 2);
  assert.equal(edit.changes!['file://' + REPL].length, 2);
  // Spaces, dots and slashes are fine in a quoted subsection.
  assert.ok(m.rename!(d, pos, 'eu west/1.b', ctx));
});

test('no rename off a remote header; refusals say why', () => {
  const { d, pos, ctx } = at({ [SECURE]: SECURE_TEXT }, REPL, REPL_TEXT.replace('[remote "mirror"]\n  url', '[remote "mirror"|]\n  url'));
  assert.ok(m.prepareRename!(d, pos, ctx), 'anywhere on the header');
  const off = at({}, REPL, REPL_TEXT.replace('autoReload', 'auto|Reload'));
  assert.equal(off.d && m.prepareRename!(off.d, off.pos, off.ctx), null);
  assert.equal(m.rename!(off.d, off.pos, 'x', off.ctx), null);
  const refuse = (name: string, why: RegExp) =>
    assert.throws(() => m.rename!(d, pos, name, ctx), (e: unknown) => e instanceof RequestRefused && why.test((e as Error).message), name);
  refuse('', /cannot be empty/);
  refuse('a"b', /would need escaping/);
  refuse('a\\b', /would need escaping/);
  refuse('a\nb', /line break/);
  refuse('other', /replication\.config already has a \[remote "other"\]/);
  refuse('orphan', /secure\.config already has a \[remote "orphan"\]/);
  // Remote names are case-sensitive: "Other" is a new name.
  assert.ok(m.rename!(d, pos, 'Other', ctx));
  assert.deepEqual(m.rename!(d, pos, 'mirror', ctx), { changes: {} });
});

test('fan-out sites: the file name is the remote name', () => {
  const files = { [FANOUT('eu')]: '[remote]\n  url = ssh://h/${name}\n', [SECURE]: '[remote "eu"]\n\tpassword = x\n' };
  const f = at(files, FANOUT('eu'), '[rem|ote]\n  url = ssh://h/${name}\n');
  assert.throws(() => m.prepareRename!(f.d, f.pos, f.ctx), (e: unknown) => e instanceof RequestRefused && /rename the file.*etc\/replication\/eu\.config|etc\/replication\/eu\.config.*rename the file/.test((e as Error).message));
  assert.throws(() => m.rename!(f.d, f.pos, 'x', f.ctx), RequestRefused);
  const s = at(files, SECURE, '[remote "e|u"]\n\tpassword = x\n');
  assert.throws(() => m.prepareRename!(s.d, s.pos, s.ctx), /etc\/replication\/eu\.config/);
  // replication.config's remotes are ignored there: a rename touches only that file,
  // and may not take the name of a fan-out remote.
  const r = at(files, REPL, '[remote "|eu"]\n  url = ssh://old/${name}\n');
  const edit = m.rename!(r.d, r.pos, 'legacy', r.ctx)!;
  assert.deepEqual(Object.keys(edit.changes!), ['file://' + REPL]);
  const r2 = at({ ...files, [FANOUT('us')]: '[remote]\n  url = ssh://h/${name}\n' }, REPL, '[remote "|eu"]\n  url = ssh://old/${name}\n');
  assert.throws(() => m.rename!(r2.d, r2.pos, 'us', r2.ctx), /etc\/replication\/us\.config already defines/);
});
