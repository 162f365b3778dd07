// The "move the password to secure.config" quick fix: the url edit, the secure.config edit
// (created, merged into a block, or replacing a key), and what a client can apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeAction, CreateFile, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { replicationModule as m } from '../../server/src/replication';
import { validate } from '../../server/src/formats';
import type { ServiceContext } from '../../server/src/service/types';
import { scratch } from '../support/helpers';
import { doc, FANOUT, memoryWorkspace, REPL, SECURE } from '../support/replication-helpers';

const FULL = { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] };
const uri = (p: string) => 'file://' + p;

/** The code actions for the url-password diagnostic of `text` (as a client sends it back: no data). */
function actions(text: string, opts: { path?: string; files?: Record<string, string>; caps?: ServiceContext['workspaceEdit']; nth?: number } = {}) {
  const path = opts.path ?? REPL;
  const ctx: ServiceContext = { path, ws: memoryWorkspace({ ...opts.files, [path]: text }), workspaceEdit: 'caps' in opts ? opts.caps : FULL };
  const d = doc(text, path);
  const diags = validate(d, ctx);
  const pw = diags.filter((x) => x.code === 'url-password');
  const nth = opts.nth ?? 0;
  assert.ok(pw.length > nth, `url-password #${nth} in ${JSON.stringify(diags.map((x) => x.code))}`);
  assert.equal(pw[nth].data, undefined, 'the fix (and its secret) does not travel with the diagnostic');
  const { data: _drop, ...sent } = pw[nth];
  return { list: m.codeActions!(d, sent.range, [sent], ctx), diags };
}

/** Apply a code action's edit to the files: returns the new texts by path. */
function apply(action: CodeAction, files: Record<string, string>): Record<string, string> {
  const out = { ...files };
  const edit = (u: string, edits: TextEdit[]) => {
    const p = u.replace(/^file:\/\//, '');
    assert.ok(p in out, `edit to a file that exists: ${p}`);
    out[p] = TextDocument.applyEdits(TextDocument.create(u, 'x', 1, out[p]), edits);
  };
  const e = action.edit!;
  if (e.documentChanges) {
    for (const c of e.documentChanges) {
      if ('kind' in c) {
        assert.equal((c as CreateFile).kind, 'create');
        const p = (c as CreateFile).uri.replace(/^file:\/\//, '');
        assert.ok(!(p in out), 'create only a file that does not exist');
        out[p] = '';
      } else edit((c as TextDocumentEdit).textDocument.uri, (c as TextDocumentEdit).edits as TextEdit[]);
    }
  }
  for (const [u, edits] of Object.entries(e.changes ?? {})) edit(u, edits);
  return out;
}

/** What real git reads from a secure.config text. */
function gitGet(text: string, key: string): string {
  const s = scratch('gr-secfix-');
  try {
    const f = join(s.dir, 'secure.config');
    writeFileSync(f, text);
    const r = spawnSync('git', ['config', '--file', f, '--get', key], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: s.dir } });
    assert.equal(r.status, 0, `git config --get ${key}: ${r.stderr}`);
    return r.stdout.replace(/\n$/, '');
  } finally {
    s.cleanup();
  }
}

test('http url, no secure.config: the url loses user and password, a new secure.config gets both', () => {
  const text = '[remote "a"]\n  url = https://bob:s%40cr%3Bt@gerrit.example.com/${name}.git\n  push = +refs/*:refs/*\n';
  const { list, diags } = actions(text);
  assert.match(diags.find((d) => d.code === 'url-password')!.message, /remote\.a\.password instead, with the user as remote\.a\.username/);
  assert.equal(list.length, 1);
  const a = list[0];
  assert.equal(a.title, 'Move the user name and password to secure.config');
  assert.equal(a.isPreferred, true);
  const kinds = a.edit!.documentChanges!.map((c) => ('kind' in c ? c.kind : 'edit'));
  assert.deepEqual(kinds, ['edit', 'create', 'edit']);
  assert.equal((a.edit!.documentChanges![0] as TextDocumentEdit).textDocument.version, 1, 'the open document is edited at its version');
  const out = apply(a, { [REPL]: text });
  assert.equal(out[REPL], '[remote "a"]\n  url = https://gerrit.example.com/${name}.git\n  push = +refs/*:refs/*\n');
  assert.equal(out[SECURE], '[remote "a"]\n\tusername = bob\n\tpassword = "s@cr;t"\n');
  assert.equal(gitGet(out[SECURE], 'remote.a.password'), 's@cr;t');
  assert.equal(gitGet(out[SECURE], 'remote.a.username'), 'bob');
  // The secret shows up only in the edit.
  for (const s of ['s@cr;t', 's%40cr%3Bt']) {
    assert.ok(!a.title.includes(s));
    assert.ok(!JSON.stringify(diags).replace(/url = [^"]*/g, '').includes(s), 'no diagnostic carries the password');
    for (const d of diags) assert.ok(!d.message.includes(s));
  }
  // Afterwards the url is clean and secure.config is valid.
  const after = validate(doc(out[REPL]), { path: REPL, ws: memoryWorkspace(out) });
  assert.ok(!after.some((d) => d.code === 'url-password'));
  assert.deepEqual(validate(doc(out[SECURE], SECURE), { path: SECURE, ws: memoryWorkspace(out) }).map((d) => d.code), []);
});

test('ssh urls keep the login user; only the password moves', () => {
  let { list, diags } = actions('[remote "a"]\n  url = ssh://git:pw%2F1@h:29418/${name}\n');
  assert.match(diags.find((d) => d.code === 'url-password')!.message, /as remote\.a\.password instead\.$/);
  assert.equal(list[0].title, 'Move the password to secure.config');
  let out = apply(list[0], { [REPL]: '[remote "a"]\n  url = ssh://git:pw%2F1@h:29418/${name}\n' });
  assert.equal(out[REPL], '[remote "a"]\n  url = ssh://git@h:29418/${name}\n');
  assert.equal(out[SECURE], '[remote "a"]\n\tpassword = pw/1\n');
  // scp-like: URIish does not unescape these, so the password is taken as written.
  const scp = '[remote "a"]\n  url = git:p%41ss@host.example.com:repos/${name}.git\n';
  ({ list } = actions(scp));
  out = apply(list[0], { [REPL]: scp });
  assert.equal(out[REPL], '[remote "a"]\n  url = git@host.example.com:repos/${name}.git\n');
  assert.equal(gitGet(out[SECURE], 'remote.a.password'), 'p%41ss');
});

test('merging into an existing secure.config: appends to the block, keeps keys, replaces a different value', () => {
  const text = '[remote "a"]\n  url = https://bob:pw@h/${name}\n';
  // Same username already there: only the password is added, indented like the block.
  let secure = '# credentials\n[remote "a"]\n    username = bob ; the bot\n[remote "z"]\n\tpassword = other\n';
  let { list } = actions(text, { files: { [SECURE]: secure } });
  assert.equal(list[0].title, 'Move the user name and password to secure.config');
  assert.ok(!list[0].edit!.documentChanges!.some((c) => 'kind' in c), 'no CreateFile for an existing file');
  let out = apply(list[0], { [REPL]: text, [SECURE]: secure });
  assert.equal(out[SECURE], '# credentials\n[remote "a"]\n    username = bob ; the bot\n    password = pw\n[remote "z"]\n\tpassword = other\n');
  // A different password in effect (the last of repeated blocks) is replaced in place, not duplicated.
  secure = '[remote "a"]\n\tpassword = old1\n[remote "a"]\n\tpassword = old2 # rotated\n';
  ({ list } = actions(text, { files: { [SECURE]: secure } }));
  assert.equal(list[0].title, 'Move the user name and password to secure.config (replacing the password there)');
  out = apply(list[0], { [REPL]: text, [SECURE]: secure });
  assert.equal(out[SECURE], '[remote "a"]\n\tpassword = old1\n[remote "a"]\n\tpassword = pw # rotated\n\tusername = bob\n');
  assert.equal(gitGet(out[SECURE], 'remote.a.password'), 'pw');
  // No block for the remote: a new one after a blank line; CRLF files stay CRLF.
  secure = '[remote "other"]\r\n\tpassword = x';
  ({ list } = actions(text, { files: { [SECURE]: secure } }));
  out = apply(list[0], { [REPL]: text, [SECURE]: secure });
  assert.equal(out[SECURE], '[remote "other"]\r\n\tpassword = x\r\n\r\n[remote "a"]\r\n\tusername = bob\r\n\tpassword = pw\r\n');
  // Already there with the same values: only the url changes.
  secure = '[remote "a"]\n\tusername = bob\n\tpassword = pw\n';
  ({ list } = actions(text, { files: { [SECURE]: secure } }));
  out = apply(list[0], { [REPL]: text, [SECURE]: secure });
  assert.equal(out[SECURE], secure);
  assert.equal(out[REPL], '[remote "a"]\n  url = https://h/${name}\n');
});

test('passwords that need git-config quoting read back exactly (checked with git)', () => {
  const cases: Array<[string, string]> = [
    ['%22q%5Cb', '"q\\b'],
    ['%20lead', ' lead'],
    ['trail%20', 'trail '],
    ['a%23b', 'a#b'],
    ['a%3Bb', 'a;b'],
    ['tab%09in', 'tab\tin'],
    ['%C3%A9t%C3%A9', 'été'],
    ['a+b', 'a+b'],
  ];
  for (const [raw, want] of cases) {
    const text = `[remote "a"]\n  url = https://u:${raw}@h/\${name}\n`;
    const { list } = actions(text);
    assert.equal(list.length, 1, raw);
    const out = apply(list[0], { [REPL]: text });
    assert.equal(gitGet(out[SECURE], 'remote.a.password'), want, raw);
  }
  // JGit's http transport URL-decodes the (already unescaped) password once more: %2541 is sent as "A".
  let out = apply(actions('[remote "a"]\n  url = https://u:p%2541@h/${name}\n').list[0], { [REPL]: '' });
  assert.equal(gitGet(out[SECURE], 'remote.a.password'), 'pA');
  // …and where that second decode fails it sends none; the once-decoded text is what was meant.
  out = apply(actions('[remote "a"]\n  url = https://u:100%25@h/${name}\n').list[0], { [REPL]: '' });
  assert.equal(gitGet(out[SECURE], 'remote.a.password'), '100%');
  // A NUL cannot be written to a git config: no fix rather than a wrong one.
  assert.equal(actions('[remote "a"]\n  url = https://u:a%00b@h/${name}\n').list.length, 0);
});

test('fan-out file: the remote is the file name and secure.config is the site\'s', () => {
  const path = FANOUT('mirror-1');
  const text = '[remote]\n  url = https://bot:tok@h/${name}\n';
  const { list } = actions(text, { path, files: { [SECURE]: '[remote "other"]\n\tpassword = x\n' } });
  const out = apply(list[0], { [path]: text, [SECURE]: '[remote "other"]\n\tpassword = x\n' });
  assert.equal(out[path], '[remote]\n  url = https://h/${name}\n');
  assert.equal(out[SECURE], '[remote "other"]\n\tpassword = x\n\n[remote "mirror-1"]\n\tusername = bot\n\tpassword = tok\n');
});

test('what the client can apply: no resource operations means the file must exist; plain changes edit both files', () => {
  const text = '[remote "a"]\n  url = https://bob:pw@h/${name}\n';
  assert.equal(actions(text, { caps: { documentChanges: true, resourceOperations: [] } }).list.length, 0);
  assert.equal(actions(text, { caps: undefined }).list.length, 0, 'no capabilities: no CreateFile');
  const secure = '[remote "a"]\n';
  const { list } = actions(text, { caps: undefined, files: { [SECURE]: secure } });
  assert.equal(list.length, 1);
  assert.equal(list[0].edit!.documentChanges, undefined);
  assert.deepEqual(Object.keys(list[0].edit!.changes!).sort(), [uri(REPL), uri(SECURE)].sort());
  const out = apply(list[0], { [REPL]: text, [SECURE]: secure });
  assert.equal(out[SECURE], '[remote "a"]\n\tusername = bob\n\tpassword = pw\n');
});

test('no fix where moving would change behaviour or cannot be done faithfully', () => {
  // Two urls of one remote (blocks merge) with different credentials: secure.config holds one set.
  const two = '[remote "a"]\n  url = https://u:one@h/${name}\n[remote "b"]\n  url = https://h2/${name}\n[remote "a"]\n  url = https://u:two@h3/${name}\n';
  assert.equal(actions(two).list.length, 0);
  assert.equal(actions(two, { nth: 1 }).list.length, 0);
  // The same credentials on both urls: each url gets the fix; the second finds them in place.
  const same = two.replace('u:two', 'u:one');
  const first = apply(actions(same).list[0], { [REPL]: same });
  assert.equal(first[SECURE], '[remote "a"]\n\tusername = u\n\tpassword = one\n');
  const second = apply(actions(first[REPL], { nth: 0, files: { [SECURE]: first[SECURE] } }).list[0], first);
  assert.equal(second[SECURE], first[SECURE]);
  assert.ok(!second[REPL].includes(':one@'));
  // insteadOf rewrote the url: the password is not where the fix would cut.
  assert.equal(actions('[url "https://u:pw@h/"]\n  insteadOf = h:\n[remote "a"]\n  url = h:${name}\n').list.length, 0);
  // Quoted values are left to the user.
  assert.equal(actions('[remote "a"]\n  url = "https://u:pw@h/${name}"\n').list.length, 0);
  // The secure.config exists but cannot be read (another user's 600 file).
  const path = REPL;
  const text = '[remote "a"]\n  url = https://u:pw@h/${name}\n';
  const ws = memoryWorkspace({ [path]: text });
  const unreadable: ServiceContext = { path, workspaceEdit: FULL, ws: { ...ws, stat: (p) => (p === SECURE ? { mode: 0o100600, isFile: true, isDirectory: false } : ws.stat(p)) } };
  const d = doc(text);
  const diag = validate(d, unreadable).find((x) => x.code === 'url-password')!;
  assert.deepEqual(m.codeActions!(d, diag.range, [diag], unreadable), []);
  // replication.config next to etc/replication/: its remotes are ignored, secure.config is the fan-out remotes'.
  const ignored = { [REPL]: text, [FANOUT('a')]: '[remote]\n  url = https://h/${name}\n' };
  const ictx: ServiceContext = { path, workspaceEdit: FULL, ws: memoryWorkspace(ignored) };
  const idiag = validate(d, ictx).find((x) => x.code === 'url-password')!;
  assert.deepEqual(m.codeActions!(d, idiag.range, [idiag], ictx), []);
});
