// Mirror checks (M1–M15 consequences), the rc reader and the model the engine consumes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, TextEdit } from 'vscode-languageserver';
import { DEFAULT_RC, home, v3rc } from '../support/gitoliteHome';
import { readRc } from '../../server/src/gitolite/rcReader';
import { loadGitoliteSite } from '../../server/src/gitolite/mirroringSite';
import { moduleFor, validate } from '../../server/src/formats';
import { diskWorkspace } from '../../server/src/service/workspace';

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();
const byCode = (ds: Diagnostic[], c: string) => ds.filter((d) => d.code === c);

function applyEdits(text: string, edits: TextEdit[]): string {
  const doc = TextDocument.create('file:///x', 'x', 1, text);
  return TextDocument.applyEdits(doc, edits);
}

test('rc reader: the default rc, an edited rc, a v2 rc, unreadable values', () => {
  const d = readRc(DEFAULT_RC);
  assert.equal(d.dialect, 'v3');
  assert.equal(d.hostname, undefined);
  assert.ok(d.hostnameComment, 'finds the commented-out HOSTNAME');
  assert.equal(d.gitConfigKeys?.value, '');
  assert.ok(d.enable?.value.includes('ssh-authkeys'));
  assert.ok(!d.enable?.value.includes('Mirroring'));
  assert.deepEqual([...d.roles].sort(), ['READERS', 'WRITERS']);
  assert.deepEqual(d.notes, []);

  const e = readRc(v3rc({ hostname: 'gl1', enable: ['Mirroring', 'mirror', 'continuation-lines'], keys: 'foo\\.bar .*' }));
  assert.equal(e.hostname?.value, 'gl1');
  assert.equal(e.gitConfigKeys?.value, 'foo\\.bar .*');
  for (const x of ['Mirroring', 'mirror', 'continuation-lines']) assert.ok(e.enable?.value.includes(x), x);
  // The HOSTNAME value is located exactly (line and columns of the quoted string).
  const lines = v3rc({ hostname: 'gl1' }).split('\n');
  assert.equal(lines[e.hostname!.pos.line].slice(e.hostname!.pos.start, e.hostname!.pos.end), "'gl1'");

  const odd = readRc(`# comment\n%RC=(HOSTNAME=>"gl2",  # trailing\n ENABLE=>[qw(help Mirroring)],GIT_CONFIG_KEYS=>q{gitolite\\.mirror\\..*},\n SAFE_CONFIG => { LT => '<' }, UNSAFE_PATT => qr([\`~#\\$\\&()|;<>]),\n);\n$RC{HOSTNAME} = 'gl3';\n1;\n`);
  assert.equal(odd.hostname?.value, 'gl3', 'a later $RC{HOSTNAME} assignment wins');
  assert.deepEqual(odd.enable?.value, ['help', 'Mirroring']);
  assert.equal(odd.gitConfigKeys?.value, 'gitolite\\.mirror\\..*');
  assert.equal(odd.safeConfig.LT, '<');

  const v2 = readRc(`$GL_HOSTNAME = 'serer1';\n$GL_GITCONFIG_KEYS = "gitolite.mirror.*";\n$REPO_UMASK = 0077;\n1;\n`);
  assert.equal(v2.dialect, 'v2');
  assert.equal(v2.hostname?.value, 'serer1');
  assert.equal(v2.gitConfigKeys?.value, 'gitolite.mirror.*');

  const un = readRc(`%RC = (\n  HOSTNAME => $ENV{HOSTNAME},\n  GIT_CONFIG_KEYS => "$x foo",\n  ENABLE => [ 'help', @extra ],\n);\n`);
  assert.equal(un.hostname, undefined, 'never guesses');
  assert.equal(un.notes.length, 3);
  assert.ok(un.notes.every((n) => n.code === 'gl-rc-unreadable'));
  assert.match(un.notes[0].message, /^HOSTNAME is an expression; it is not evaluated here/);

  const old = readRc(`$GL_SLAVE_MODE = 1;\n`);
  assert.equal(old.notes[0].message, 'Mirroring has completely changed in this version.\tYou need to check the documentation for how to upgrade');
});

test("v2 guide's HOSTNAME typo: reported in the rc, at the HOSTNAME value, with a did-you-mean and a fix", () => {
  const h = home(`$GL_HOSTNAME = 'serer1';\n$GL_GITCONFIG_KEYS = "gitolite.mirror.*";\n1;\n`, {
    'gitolite.conf': 'repo ip1 gitolite-admin\n    RW+ = admin\n    config gitolite.mirror.master = "server1"\n    config gitolite.mirror.slaves = "server2 server3"\n',
  });
  try {
    const rcDiags = h.check('.gitolite.rc');
    const [d] = byCode(rcDiags, 'gl-mirror-hostname-unknown');
    assert.ok(d, JSON.stringify(rcDiags));
    assert.equal(d.range.start.line, 0);
    assert.equal(d.range.start.character, 15);
    assert.match(d.message, /^\$GL_HOSTNAME 'serer1' is not the master or a copy of any repo in gitolite\.conf .*did you mean 'server1'\?/);
    assert.match(d.message, /serer1 not the master, please push to <master>/);
    assert.equal(d.relatedInformation?.[0].location.uri, 'file://' + h.confPath);
    assert.equal(d.relatedInformation?.[0].location.range.start.line, 2);
    const fix = moduleFor(h.rcPath)!.codeActions!(TextDocument.create('file://' + h.rcPath, 'x', 1, readFileSync(h.rcPath, 'utf8')), d.range, [d], { path: h.rcPath, ws: diskWorkspace });
    assert.equal(fix[0].title, "Change HOSTNAME to 'server1'");
    const edits = fix[0].edit!.changes!['file://' + h.rcPath];
    assert.equal(applyEdits(readFileSync(h.rcPath, 'utf8'), edits).split('\n')[0], "$GL_HOSTNAME = 'server1';");
    // The conf itself is fine under v2 (its keys are allowed) and gets no duplicate.
    assert.deepEqual(codes(h.check('.gitolite/conf/gitolite.conf')), []);
    const site = loadGitoliteSite(h.dir, diskWorkspace);
    assert.equal(site.dialect, 'v2');
    assert.equal(site.hostname, 'serer1');
    assert.deepEqual(site.repos.map((r) => [r.name, r.master, r.copies.map((c) => c.host).join(' '), r.mode]), [
      ['gitolite-admin', 'server1', 'server2 server3', 'copy'],
      ['ip1', 'server1', 'server2 server3', 'copy'],
    ]);
  } finally {
    h.cleanup();
  }
});

test('v2 syntax under a v3 rc: gitolite FATAL, with a quick fix that rewrites it as v3 options', () => {
  const conf = 'repo foo\n    RW+ = u1\n    config gitolite.mirror.master = "gl1"   # the master\n    config gitolite.mirror.slaves = "gl2 gl3"\n    config gitolite.mirror.redirectOK = "true"\n';
  const h = home(v3rc({ hostname: 'gl1', enable: ['Mirroring'] }), { 'gitolite.conf': conf });
  try {
    const ds = h.check('.gitolite/conf/gitolite.conf');
    const fatal = byCode(ds, 'gl-config-not-allowed');
    assert.equal(fatal.length, 3);
    assert.equal(fatal[0].message, "git config 'gitolite.mirror.master' not allowed\ncheck GIT_CONFIG_KEYS in the rc file");
    assert.equal(fatal[0].source, 'gitolite');
    const doc = TextDocument.create('file://' + h.confPath, 'x', 1, conf);
    const actions = moduleFor(h.confPath)!.codeActions!(doc, fatal[0].range, fatal, { path: h.confPath, ws: diskWorkspace });
    const all = actions.find((a) => a.title.startsWith('Rewrite all 3'));
    assert.ok(all, actions.map((a) => a.title).join(' | '));
    const fixed = applyEdits(conf, all.edit!.changes!['file://' + h.confPath]);
    assert.equal(fixed, 'repo foo\n    RW+ = u1\n    option mirror.master = gl1 # the master\n    option mirror.copies = gl2 gl3\n    option mirror.redirectOK = all\n');
    assert.equal(actions[0].title, "Rewrite as gitolite v3: 'option mirror.master = gl1 # the master'");
    // After the fix: clean, and the model sees a v3 mirrored repo where this host is master.
    writeFileSync(h.confPath, fixed);
    assert.deepEqual(codes(h.check('.gitolite/conf/gitolite.conf')), []);
    assert.deepEqual(codes(h.check('.gitolite.rc')), []);
    const site = loadGitoliteSite(h.confPath, diskWorkspace);
    assert.equal(site.dialect, 'v3');
    assert.deepEqual(site.repos, [{ name: 'foo', isPattern: false, master: 'gl1', copies: [{ host: 'gl2', mode: 'async' }, { host: 'gl3', mode: 'async' }], redirectOK: 'all', mode: 'master', origin: { master: { file: h.confPath, line: 2 }, copies: [{ file: h.confPath, line: 3 }] } }]);
  } finally {
    h.cleanup();
  }
});

test('v2 keys allowed by GIT_CONFIG_KEYS under v3 are still ignored by the v3 trigger; mixing dialects is flagged', () => {
  const h = home(v3rc({ hostname: 'gl1', enable: ['Mirroring'], keys: '.*' }), {
    'gitolite.conf': 'repo foo\n    RW+ = u1\n    config gitolite.mirror.master = gl1\n    option mirror.copies = gl2\n    option mirror.master = gl1\n',
  });
  try {
    const ds = h.check('.gitolite/conf/gitolite.conf');
    assert.deepEqual(codes(ds), ['gl-mirror-mixed-dialect', 'gl-mirror-v2-under-v3']);
    assert.match(byCode(ds, 'gl-mirror-v2-under-v3')[0].message, /Mirroring trigger reads only 'option mirror\.\*'/);
  } finally {
    h.cleanup();
  }
});

test('HOSTNAME unset with mirror options: in the rc, at the commented-out HOSTNAME line', () => {
  const h = home(v3rc({ enable: ['Mirroring'] }), { 'gitolite.conf': 'repo foo\n    RW+ = u1\n    option mirror.master = gl1\n    option mirror.copies = gl2\n' });
  try {
    const [d] = byCode(h.check('.gitolite.rc'), 'gl-mirror-no-hostname');
    assert.ok(d);
    assert.match(readFileSync(h.rcPath, 'utf8').split('\n')[d.range.start.line], /# HOSTNAME\s*=>/);
    assert.match(d.message, /Mirroring does nothing at all without it .* a copy accepts pushes from anyone; set HOSTNAME to this server's name \(one of 'gl1', 'gl2'\)/);
    assert.deepEqual(codes(h.check('.gitolite/conf/gitolite.conf')), []);
    assert.equal(loadGitoliteSite(h.dir, diskWorkspace).repos[0].mode, 'local');
  } finally {
    h.cleanup();
  }
});

test('per-repo mirror problems, the trigger not enabled, and the empty option', () => {
  const conf = [
    '@mirrored = r1 r2',
    'repo @all',
    '    R = @all',
    '    option mirror.master = gl1',
    'repo r1',
    '    RW+ = u1',
    '    option mirror.copies = gl2 gl1',
    '    option mirror.redirectOK = gl5',
    '    option mirror.copies.nosync = gl3',
    'repo r2',
    '    option mirror.master = gl2',
    '    option mirror.copies = gl1',
    'repo lonely',
    '    option mirror.master =',
    '    option mirror.copies = gl4',
    '    option mirror.master = ""',
    'repo two',
    '    option mirror.master = gl1 gl2',
    '    option mirror.copies = gl9,gl8',
    '',
  ].join('\n');
  const h = home(v3rc({ hostname: 'gl1' }), { 'gitolite.conf': conf });
  try {
    const ds = h.check('.gitolite/conf/gitolite.conf');
    const at = (c: string) => byCode(ds, c).map((d) => d.range.start.line);
    assert.deepEqual(at('gl-mirror-master-is-copy'), [6]);
    assert.deepEqual(at('gl-mirror-redirect-not-copy'), [7]);
    assert.deepEqual(at('gl-mirror-nosync'), [8]);
    assert.equal(byCode(ds, 'gl-mirror-nosync')[0].severity, 3);
    assert.deepEqual(at('gl-mirror-multiple-masters'), [3, 17]);
    assert.deepEqual(at('gl-mirror-copies-without-master'), [14]);
    assert.deepEqual(at('gl-mirror-empty-option'), [13]);
    assert.deepEqual(at('gl-syntax'), [13]);
    assert.deepEqual(at('gl-mirror-unsafe-value'), [18]);
    assert.match(byCode(ds, 'gl-mirror-copies-without-master')[0].message, /gl4: pushing 'lonely' to copy 'gl4' not allowed/);
    const rcd = h.check('.gitolite.rc');
    assert.deepEqual(codes(rcd), ['gl-mirror-trigger-disabled']);
    assert.match(rcd[0].message, /DENIED by fallthru/);
    const site = loadGitoliteSite(h.dir, diskWorkspace);
    const r = Object.fromEntries(site.repos.map((x) => [x.name, x]));
    assert.equal(r.r1.mode, 'master');
    assert.deepEqual(r.r1.copies, [{ host: 'gl2', mode: 'async' }, { host: 'gl1', mode: 'async' }, { host: 'gl3', mode: 'nosync' }]);
    assert.equal(r.r2.master, 'gl2');
    assert.equal(r.r2.mode, 'copy');
    assert.equal(r.lonely.master, undefined, '= "" unsets the @all master');
    assert.equal(r.lonely.mode, 'mirrored-elsewhere');
  } finally {
    h.cleanup();
  }
});
