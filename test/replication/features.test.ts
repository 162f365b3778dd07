import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, Hover, MarkupContent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { replicationModule as m } from '../../server/src/replication';
import { validate } from '../../server/src/formats';
import { doc, FANOUT, memoryWorkspace, REPL, SECURE } from '../support/replication-helpers';
import { elideShared } from '../../server/src/replication/features/inlayHints';

/** Text with a `|` marking the cursor → document, position and context. */
function at(textWithCursor: string, path = REPL, others: Record<string, string> = {}) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const d = doc(text, path);
  return { d, pos: d.positionAt(offset), ctx: { path, ws: memoryWorkspace({ ...others, [path]: text }) } };
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const hoverText = (h: Hover | null) => (h?.contents as MarkupContent | undefined)?.value ?? '';

function complete(t: string, path = REPL, others: Record<string, string> = {}) {
  const { d, pos, ctx } = at(t, path, others);
  return m.complete!(d, pos, ctx);
}
function hover(t: string, path = REPL) {
  const { d, pos, ctx } = at(t, path);
  return m.hover!(d, pos, ctx);
}

test('completion: section headers per file kind', () => {
  assert.deepEqual(labels(complete('[|')), ['gerrit', 'replication', 'remote "remote name"', 'url "base URL"', 'include']);
  const remote = complete('[|').find((i) => i.label === 'remote "remote name"')!;
  assert.equal(remote.insertText, 'remote "${1:name}"]$0');
  assert.equal(complete('[|]')[0].insertText, 'gerrit', 'no second ] when one follows');
  assert.deepEqual(labels(complete('[|', FANOUT('x'))), ['gerrit', 'replication', 'remote', 'url "base URL"']);
  assert.deepEqual(labels(complete('[|', SECURE)), ['remote "remote name (as in replication.config)"', 'include']);
  // Before any section, headers come with their bracket.
  assert.deepEqual(labels(complete('|')).slice(0, 2), ['[gerrit]', '[replication]']);
});

test('completion: keys valid in context, with docs; single-valued keys already set are left out', () => {
  const items = complete('[remote "a"]\n  url = ssh://h/${name}\n  threads = 2\n  |');
  const names = labels(items);
  assert.ok(names.includes('replicationDelay') && names.includes('url') && names.includes('push'));
  assert.ok(!names.includes('threads'), 'threads is already set');
  assert.ok(!names.includes('autoReload'), 'gerrit keys are not offered in a remote');
  const delay = items.find((i) => i.label === 'replicationDelay')!;
  // Plain text: no snippet session is left open to block the next completion.
  assert.equal(delay.insertText, 'replicationDelay = ');
  assert.equal(delay.insertTextFormat, 1);
  assert.equal(delay.command, undefined, 'no command unless the client can run it');
  assert.match((delay.documentation as MarkupContent).value, /Default: `15`[\s\S]*Unit: seconds/);
  assert.equal(items.find((i) => i.label === 'mirror')!.insertText, 'mirror = ');
  assert.ok(items.find((i) => i.label === 'pushurl')!.tags?.includes(1), 'unused keys are marked deprecated');
  assert.ok(!labels(complete('[gerrit]\n  |', FANOUT('x'))).includes('autoReload'), 'autoReload is not offered in fan-out files');
  assert.deepEqual(labels(complete('[remote "a"]\n  |', SECURE)), ['username', 'password']);
});

test('completion: values — booleans, enums, refspecs and a ${name} snippet in url', () => {
  assert.deepEqual(labels(complete('[remote "a"]\n  mirror = |')), ['true', 'false']);
  const styles = complete('[remote "a"]\n  remoteNameStyle = |');
  assert.deepEqual(labels(styles), ['slash', 'dash', 'underscore', 'basenameOnly']);
  assert.equal(styles[3].detail, 'foo/bar/my-repo → my-repo');
  const url = complete('[remote "a"]\n  url = ssh://host/|');
  assert.equal(url[0].label, '${name}');
  assert.equal(url[0].insertText, '${name}');
  assert.equal(url[0].insertTextFormat, 1, 'plain text: no placeholder needed');
  // Whole-URL templates only on an empty value: after `ssh://host/` they would be inserted into it.
  assert.deepEqual(labels(url), ['${name}']);
  assert.ok(labels(complete('[remote "a"]\n  url = |')).includes('https://host/${name}.git'));
  assert.ok(labels(complete('[remote "a"]\n  url =|')).includes('https://host/${name}.git'));
  assert.deepEqual(labels(complete('[remote "a"]\n  adminUrl = gerrit+ssh://h|')), ['${name}']);
  assert.ok(labels(complete('[remote "a"]\n  adminUrl = |')).includes('gerrit+ssh://host:29418/'));
  assert.ok(labels(complete('[remote "a"]\n  push = |')).includes('+refs/*:refs/*'));
  assert.deepEqual(complete('[remote "a"]\n  url = x # |'), [], 'nothing inside a comment');
});

test('completion: remote names in secure.config come from replication.config', () => {
  const others = { [REPL]: '[remote "github"]\n  url = x\n[remote "backup"]\n  url = y\n' };
  const items = complete('[remote "github"]\n  password = x\n[remote "|', SECURE, others);
  assert.deepEqual(labels(items), ['backup']);
  assert.equal(items[0].insertText, 'backup"]');
  assert.equal(complete('[remote "|"]', SECURE, others)[0].insertText, 'backup', 'quote and bracket already there');
  assert.deepEqual(labels(complete('[remote "|', REPL, { [SECURE]: '[remote "github"]\n  password = x\n' })), ['github'], 'replication.config offers remotes that have credentials');
});

test('hover: doc, type, default, unit, floor, example', () => {
  const h = hoverText(hover('[remote "a"]\n  rescheduleDel|ay = 15\n'));
  assert.match(h, /\*\*remote\.NAME\.rescheduleDelay\*\*/);
  assert.match(h, /Type: integer/);
  assert.match(h, /Default: `3`/);
  assert.match(h, /Unit: seconds/);
  assert.match(h, /Minimum: 3/);
  assert.match(h, /```ini\nrescheduleDelay = 15\n```/);
  assert.doesNotMatch(h, /value in effect/, 'nothing to add when the value is what it says');
  assert.match(hoverText(hover('[gerr|it]\n')), /Plugin-wide settings/);
  assert.match(hoverText(hover('[remote "a|"]\n  url = ssh://h/${name}\n')), /Remote \*\*a\*\*: `ssh:\/\/h\/\$\{name\}`/);
});

test('hover: the value in effect when it differs from what was written', () => {
  assert.match(hoverText(hover('[remote "a"]\n  replicationRetry = 1|m\n')), /value in effect: \*\*1,048,576 minutes \(about 2 years\)\*\*/);
  assert.match(hoverText(hover('[remote "a"]\n  rescheduleDelay = |1\n')), /value in effect: \*\*3 seconds\*\*/);
  assert.match(hoverText(hover('[gerrit]\n  sshConnectionTimeout = 3|0\n')), /value in effect: \*\*30 ms\*\*/);
  assert.match(hoverText(hover('[remote "a"]\n  remoteNameStyle = Da|sh\n')), /value in effect: \*\*slash\*\*/);
  assert.match(hoverText(hover('[remote "a"]\n  mir|ror\n')), /value in effect: \*\*true\*\*/);
  // What JGit reads: a bare key before a comment, or an empty value, is no value — the default.
  assert.match(hoverText(hover('[remote "a"]\n  mir|ror # keep\n')), /value in effect: \*\*false \(the default: JGit reads no value here/);
  assert.match(hoverText(hover('[remote "a"]\n  replicatePermiss|ions =\n')), /value in effect: \*\*true \(the default/);
  assert.match(hoverText(hover('[remote "a"]\n  threads = |2\n  threads = 4\n')), /overridden by a later `threads`; in effect: \*\*4 threads\*\*/);
  assert.match(hoverText(hover('[remote "a"]\n  replicationDelay = 1|5s\n')), /⚠ Invalid integer value: remote\.replicationdelay=15s/);
});

test('hover: project patterns and urls explain themselves', () => {
  assert.match(hoverText(hover('[remote "a"]\n  projects = foo/b|*\n')), /starts with `foo\/b` \(a prefix, not a glob\)/);
  assert.match(hoverText(hover('[remote "a"]\n  projects = ^foo/(bar|baz)\n'.replace('(bar|baz)', '(bar|baz)').replace('^foo', '^fo|o'))), /must match the \*\*whole\*\* project name/);
  assert.match(hoverText(hover('[remote "a"]\n  projects = f|oo\n')), /exactly the project `foo`.*lets `url` leave out `\$\{name\}`/);
  const h = hoverText(hover('[remote "a"]\n  url = https://bot:pw@h/git/${na|me}\n  remoteNameStyle = dash\n'));
  // Without the site's projects (no host lists them) the example says it is one.
  assert.match(h, /^Project `foo\/bar` \(an example: the site's projects are not known here\) is pushed to `https:\/\/bot@h\/git\/foo-bar` \(remoteNameStyle dash\)/);
  assert.doesNotMatch(h, /:pw@/);
});

test('hover: adminUrl says what the plugin does with it; include is a known section', () => {
  assert.match(hoverText(hover('[remote "a"]\n  adminUrl = gerrit+ssh://h:29418|/\n')), /gerrit create-project/);
  assert.match(hoverText(hover('[remote "a"]\n  adminUrl = https://h/|x\n')), /skips it and uses url/);
  assert.match(hoverText(hover('[include]\n  pa|th = other.config\n')), /\*\*include\.path\*\*/);
});

test('quick fixes come back as code actions, with or without diagnostic data', () => {
  const text = '[remote "a"]\n  url = ssh://h/fixed.git\n  threds = 2\n  replicationDelay = 15s\n  rescheduleDelay = 1\n';
  const d = doc(text);
  const ctx = { path: REPL, ws: memoryWorkspace({ [REPL]: text }) };
  const diags = validate(d, ctx);
  const range = { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } };
  const titles = m.codeActions!(d, range, diags, ctx).map((a) => a.title);
  assert.deepEqual(titles, ['Insert ${name}: ssh://h/${name}.git', 'Change to threads', 'Write 15 (seconds)', 'Raise to 3']);
  const stripped = diags.map(({ data: _data, ...rest }) => rest);
  const actions = m.codeActions!(d, range, stripped, ctx);
  assert.deepEqual(actions.map((a) => a.title), titles);
  let fixed = text;
  for (const a of actions.reverse()) fixed = TextDocument.applyEdits(doc(fixed), a.edit!.changes![d.uri]);
  assert.equal(fixed, '[remote "a"]\n  url = ssh://h/${name}.git\n  threads = 2\n  replicationDelay = 15\n  rescheduleDelay = 3\n');
  assert.deepEqual(validate(doc(fixed), { path: REPL, ws: memoryWorkspace({ [REPL]: fixed }) }), []);
});

test('document symbols: remotes with their urls; folding ranges per section', () => {
  const text = '[gerrit]\n  autoReload = true\n\n[remote "github"]\n  url = git@github.com:org/${name}.git\n  url = https://h/${name}\n  threads = 2\n# trailing comment\n[remote "one"]\n';
  const d = doc(text);
  const ctx = { path: REPL, ws: memoryWorkspace({ [REPL]: text }) };
  const syms = m.documentSymbols!(d, ctx);
  assert.deepEqual(syms.map((s) => s.name), ['gerrit', 'github', 'one']);
  assert.deepEqual(syms[1].children!.map((c) => c.name), ['git@github.com:org/${name}.git', 'https://h/${name}']);
  assert.deepEqual(syms[0].children!.map((c) => c.name), ['autoReload']);
  assert.equal(syms[1].range.end.line, 6);
  assert.deepEqual(m.foldingRanges!(d, ctx).map((f) => [f.startLine, f.endLine]), [[0, 1], [3, 6]]);
  const fan = m.documentSymbols!(doc('[remote]\n  url = ssh://h/${name}\n', FANOUT('backup')), { path: FANOUT('backup'), ws: memoryWorkspace({}) });
  assert.equal(fan[0].name, 'backup');
  const sec = m.documentSymbols!(doc('[remote "a"]\n  password = hunter2\n', SECURE), { path: SECURE, ws: memoryWorkspace({}) });
  assert.equal(sec[0].children![0].detail, '••••', 'secrets are not shown in the outline');
});

test('definition and references link a remote and its credentials across files', () => {
  const repl = '[gerrit]\n  autoReload = true\n[remote "github"]\n  url = ssh://h/${name}\n';
  const secure = '[remote "github"]\n  password = x\n';
  const ws = memoryWorkspace({ [REPL]: repl, [SECURE]: secure });
  const sd = doc(secure, SECURE);
  const defs = m.definition!(sd, { line: 0, character: 10 }, { path: SECURE, ws });
  assert.deepEqual(defs.map((l) => [l.uri.endsWith('/etc/replication.config'), l.range.start.line]), [[true, 2]]);
  const rd = doc(repl, REPL);
  const creds = m.definition!(rd, { line: 2, character: 10 }, { path: REPL, ws });
  assert.deepEqual(creds.map((l) => [l.uri.endsWith('/etc/secure.config'), l.range.start.line]), [[true, 0]]);
  assert.equal(m.references!(rd, { line: 2, character: 3 }, { path: REPL, ws }).length, 2);
  assert.deepEqual(m.definition!(rd, { line: 0, character: 3 }, { path: REPL, ws }), [], 'not on a remote');
  // fan-out: the file's [remote] is the definition
  const fws = memoryWorkspace({ [REPL]: '', [FANOUT('github')]: '[remote]\n  url = ssh://h/${name}\n', [SECURE]: secure });
  const fdefs = m.definition!(sd, { line: 0, character: 10 }, { path: SECURE, ws: fws });
  assert.deepEqual(fdefs.map((l) => [l.uri.endsWith('/etc/replication/github.config'), l.range.start.line]), [[true, 0]]);
});

test('inlay hints: a url expands with the first site project the remote replicates (excludeProjects wins); a single exact project needs no ${name}', () => {
  const text = '[remote "a"]\n  url = /m/${name}.git\n  excludeProjects = alpha\n[remote "one"]\n  url = /fixed/only.git\n  projects = beta\n';
  const d = doc(text);
  const ctx = { path: REPL, ws: memoryWorkspace({ [REPL]: text }), siteProjects: (etc: string) => (etc === '/srv/gerrit/etc' ? ['alpha', 'beta'] : undefined) };
  const hs = m.inlayHints!(d, { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } }, ctx);
  assert.deepEqual(hs.map((h) => [h.position.line, h.label]), [[1, 'beta → /m/beta.git'], [4, 'beta → /fixed/only.git']]);
  // Only what the range covers.
  assert.deepEqual(m.inlayHints!(d, { start: { line: 3, character: 0 }, end: { line: 5, character: 0 } }, ctx).map((h) => h.position.line), [4]);
});

test('inlay hints: a long prefix shared with the template is elided, keeping its last segment', () => {
  assert.equal(elideShared('/var/gerrit/mirrors/local/${name}.git', '/var/gerrit/mirrors/local/tools/gamma.git'), '…/local/tools/gamma.git');
  assert.equal(elideShared('/srv/m/${name}.git', '/srv/m/alpha.git'), '/srv/m/alpha.git', 'short: kept whole');
  assert.equal(elideShared('mirror:${name}.git', 'ssh://mirror.example.com/very/long/path/alpha.git'), 'ssh://mirror.example.com/very/long/path/alpha.git', 'rewritten by insteadOf: nothing shared');
});

test('completion: a key opens its value list when the client can re-trigger; templates end in $0; an existing `=` is kept', () => {
  const { d, pos, ctx } = at('[remote "a"]\n  url = ssh://h/${name}\n  |');
  const items = m.complete!(d, pos, { ...ctx, vscodeCommands: true });
  const trigger = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };
  assert.deepEqual(items.find((i) => i.label === 'mirror')!.command, trigger);
  assert.deepEqual(items.find((i) => i.label === 'replicationDelay')!.command, trigger);
  assert.equal(items.find((i) => i.label === 'projects')!.command, undefined, 'no value list to open');
  for (const i of complete('[remote "a"]\n  url = |')) if (i.insertTextFormat === 2) assert.match(String(i.insertText), /\$0$/, i.label);
  for (const i of complete('[|')) if (i.insertTextFormat === 2) assert.match(String(i.insertText), /\$0$/, i.label);
  // Changing the key of `mirr = true`: only the name, no second `=`.
  const renamed = at('[remote "a"]\n  mirr| = true\n');
  const mirror = m.complete!(renamed.d, renamed.pos, { ...renamed.ctx, vscodeCommands: true }).find((i) => i.label === 'mirror')!;
  assert.equal(mirror.insertText, 'mirror');
  assert.equal(mirror.command, undefined);
});
