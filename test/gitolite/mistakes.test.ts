// The mistake classes gitolite compiles in silence (issue 12 item 2): option lines that apply to
// no repository, mirror keys the trigger never reads, gitolite-admin dropping a host, v2's
// description lines, and host names that break only the push to one copy. Their differential
// against the real gitolite3 is mirror-differential.test.ts; here: messages, ranges, severities,
// quick fixes, and what the real gitolite3 compiles once a fix is applied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver';
import { home, homeEnv, templateHome, v3rc, editRc, gitoliteLines } from '../support/gitoliteHome';
import { scratch } from '../support/helpers';
import { moduleFor } from '../../server/src/formats';
import { diskWorkspace } from '../../server/src/service/workspace';
import { loadGitoliteSite } from '../../server/src/gitolite/mirroringSite';
import { DiagnosticSeverity } from '../../server/src/service/lspConstants';

const CONF = '.gitolite/conf/gitolite.conf';
const byCode = (ds: Diagnostic[], c: string) => ds.filter((d) => d.code === c);
const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();

function fixes(path: string, ds: Diagnostic[]) {
  const doc = TextDocument.create('file://' + path, 'x', 1, readFileSync(path, 'utf8'));
  const actions = moduleFor(path)!.codeActions!(doc, ds[0].range, ds, { path, ws: diskWorkspace });
  const apply = (i = 0) => TextDocument.applyEdits(doc, actions[i].edit!.changes!['file://' + path]);
  return { actions, apply };
}

test('option lines that apply to no repository: before any repo line, under a group never defined, after a refused subconf repo line', () => {
  const h = home(v3rc({ hostname: 'gl1', enable: ['Mirroring'] }), {
    'gitolite.conf': 'option mirror.master = gl1\nrepo gitolite-admin\n    RW+ = admin\nrepo @mirrored\n    option mirror.copies = gl2\nrepo foo t1\n    RW+ = admin\n@team = t1\nsubconf "team.conf"\n',
    'team.conf': 'repo foo\n    option mirror.master = gl2\n',
  });
  try {
    const ds = h.check(CONF);
    const none = byCode(ds, 'gl-option-no-repo');
    assert.equal(none.length, 2, JSON.stringify(ds));
    assert.equal(none[0].severity, DiagnosticSeverity.Warning);
    assert.deepEqual([none[0].range.start, none[0].range.end], [{ line: 0, character: 0 }, { line: 0, character: 26 }]);
    assert.match(none[0].message, /^this line applies to no repository: gitolite attaches option lines to the repos of the last 'repo' line, and there is none before it/);
    assert.equal(none[1].range.start.line, 4);
    assert.match(none[1].message, /names only '@mirrored', which is never defined as a group with members/);
    const sub = byCode(h.check('.gitolite/conf/team.conf'), 'gl-option-no-repo');
    assert.equal(sub.length, 1);
    assert.match(sub[0].message, /the last 'repo' line of subconf 'team' named only repos it may not set/);
    // Defining the group with a member makes its options apply: the finding goes.
    writeFileSync(h.confPath, readFileSync(h.confPath, 'utf8').replace('repo @mirrored', '@mirrored = foo\nrepo @mirrored'));
    assert.equal(byCode(h.check(CONF), 'gl-option-no-repo').length, 1);
  } finally {
    h.cleanup();
  }
});

test("mirror keys the trigger never reads: did-you-mean, a quick fix, and the model then sees the copies", () => {
  const h = home(v3rc({ hostname: 'gl1', enable: ['Mirroring'] }), {
    'gitolite.conf': 'repo gitolite-admin\n    RW+ = admin\nrepo foo\n    RW+ = admin\n    option mirror.master = gl1\n    option mirror.copy = gl2\n    option mirror.extcopy-1 = file:///srv/m/%GL_REPO.git\n',
  });
  try {
    const [d, ...rest] = byCode(h.check(CONF), 'gl-mirror-unknown-key');
    assert.equal(rest.length, 0, 'mirror.extcopy-* is read by contrib file_mirror');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.match(d.message, /never reads 'mirror\.copy' .*this line changes nothing; did you mean 'mirror\.copies'\?$/);
    assert.deepEqual(loadGitoliteSite(h.dir, diskWorkspace).repos.find((r) => r.name === 'foo')?.copies, []);
    const f = fixes(h.confPath, [d]);
    assert.equal(f.actions[0].title, "Change the key to 'mirror.copies'");
    writeFileSync(h.confPath, f.apply());
    assert.match(readFileSync(h.confPath, 'utf8'), /\n {4}option mirror\.copies = gl2\n/);
    assert.deepEqual(codes(h.check(CONF)), []);
    assert.deepEqual(loadGitoliteSite(h.dir, diskWorkspace).repos.find((r) => r.name === 'foo')?.copies, [{ host: 'gl2', mode: 'async' }]);
  } finally {
    h.cleanup();
  }
});

test('gitolite-admin without a host that mirrors other repos: an error on that host, a warning elsewhere', () => {
  const conf = 'repo gitolite-admin\n    RW+ = admin\n    option mirror.master = gl1\n    option mirror.copies = gl2\nrepo foo\n    RW+ = admin\n    option mirror.master = gl1\n    option mirror.copies = gl2 gl3\n';
  const self = home(v3rc({ hostname: 'gl3', enable: ['Mirroring'] }), { 'gitolite.conf': conf });
  const master = home(v3rc({ hostname: 'gl1', enable: ['Mirroring'] }), { 'gitolite.conf': conf });
  const off = home(v3rc({ hostname: 'gl3' }), { 'gitolite.conf': conf });
  try {
    const [d] = byCode(self.check(CONF), 'gl-mirror-admin-locked-out');
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, 3);
    assert.match(d.message, /this host \('gl3'\) is neither the master nor a copy of gitolite-admin \(master 'gl1', copies 'gl2'\): .*"FATAL: gl3: 'gitolite-admin' is mirrored but not here"/);
    assert.ok(d.relatedInformation?.some((r) => r.location.uri === 'file://' + self.rcPath), 'points at HOSTNAME in the rc');
    assert.deepEqual(codes(self.check(CONF)), ['gl-mirror-admin-locked-out']);
    const [w] = byCode(master.check(CONF), 'gl-mirror-admin-host-dropped');
    assert.equal(w.severity, DiagnosticSeverity.Warning);
    assert.match(w.message, /'gl3' \(mirrors 'foo'\) is not in its list/);
    // Without the trigger nothing is refused on gl3 (the rc's trigger-disabled warning says what is off).
    assert.deepEqual(codes(off.check(CONF)), []);
    assert.deepEqual(codes(off.check('.gitolite.rc')), ['gl-mirror-trigger-disabled']);
  } finally {
    self.cleanup();
    master.cleanup();
    off.cleanup();
  }
});

test('host names that break only the push to one copy are warnings; v2 keys under a v3 rc that allows them are warnings', () => {
  const v2 = home(`$GL_HOSTNAME = 'gl1';\n$GL_GITCONFIG_KEYS = "gitolite.mirror.*";\n1;\n`, {
    'gitolite.conf': 'repo foo\n    RW+ = admin\n    config gitolite.mirror.master = "gl1"\n    config gitolite.mirror.slaves = "gl2, gl3"\n',
  });
  const v3 = home(v3rc({ hostname: 'gl1', enable: ['Mirroring'], keys: 'gitolite\\.mirror\\..*' }), {
    'gitolite.conf': 'repo gitolite-admin\n    RW+ = admin\nrepo foo\n    RW+ = admin\n    config gitolite.mirror.master = gl1\n',
  });
  try {
    const [d] = byCode(v2.check(CONF), 'gl-mirror-unsafe-value');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.match(d.message, /^'gl2,' is not a usable mirror host name: gitolite loads it, and only the push to it fails/);
    const [e] = byCode(v3.check(CONF), 'gl-mirror-v2-under-v3');
    assert.equal(e.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(loadGitoliteSite(v3.dir, diskWorkspace).repos, [], 'gitolite v3 reads no v2 mirror key');
  } finally {
    v2.cleanup();
    v3.cleanup();
  }
});

test("v2 description lines: accepted under a v2 rc (with v2's own checks); under v3 gitolite's syntax warning, the v3 form and a fix", () => {
  const v2conf = 'repo foo\n    RW+ = admin\nfoo = "the foo project"\nfoo "Jane Doe" = "the foo project"\nb;ad = "x"\noption deny-rules = 1\n';
  const v2 = home(`$GL_HOSTNAME = 'gl1';\n1;\n`, { 'gitolite.conf': v2conf });
  try {
    const ds = v2.check(CONF);
    // G2:src/gl-compile-conf: the description regex, then "bad repo name", and anything else
    // aborts (v3's `option` sugar among them; a v3 `desc = "…"` would be a description of a repo 'desc').
    assert.deepEqual(ds.map((d) => [d.code, d.range.start.line, d.severity, d.message.split('\n')[0]]), [
      ['gl-bad-reponame', 4, DiagnosticSeverity.Error, "bad repo name 'b;ad'"],
      ['gl-v2-syntax', 5, DiagnosticSeverity.Error, "can't make head or tail of 'option deny-rules = 1'"],
    ]);
  } finally {
    v2.cleanup();
  }
  const v3conf = 'repo gitolite-admin\n    RW+ = admin\nrepo bar\n    RW+ = admin\nfoo "Jane Doe" = "the foo project"\n    R = u1\n';
  const v3 = home(v3rc(), { 'gitolite.conf': v3conf });
  try {
    const [d, ...rest] = v3.check(CONF);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'gl-v2-description');
    assert.equal(d.source, 'gitolite');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.equal(d.message.split('\n')[0], `syntax error, ignoring: 'foo "Jane Doe" = "the foo project"'`);
    assert.match(d.message, /the v3 form is: repo foo \/ desc = "the foo project" \/ owner = "Jane Doe"\. GIT_CONFIG_KEYS \(''\) does not allow gitweb\.description or gitweb\.owner, so gitolite would then stop with "git config 'gitweb\.description' not allowed"/);
    const f = fixes(v3.confPath, [d]);
    // The rule after the line belonged to 'repo bar': the fix writes that repo line again.
    assert.equal(f.apply(), 'repo gitolite-admin\n    RW+ = admin\nrepo bar\n    RW+ = admin\nrepo foo\n    desc = "the foo project"\n    owner = "Jane Doe"\nrepo bar\n    R = u1\n');
  } finally {
    v3.cleanup();
  }
});

test('the v3 form of a v2 description line, compiled by the real gitolite3: refused as predicted, then written once GIT_CONFIG_KEYS allows it', () => {
  const s = scratch('gr-gl-v2desc-');
  try {
    const tmpl = join(s.dir, 'h');
    const rc0 = templateHome(tmpl);
    const conf = 'repo gitolite-admin\n    RW+ = admin\nrepo foo\n    RW+ = admin\nfoo "Jane Doe" = "the foo project"\n';
    const confPath = join(tmpl, CONF);
    writeFileSync(confPath, conf);
    const compile = () => spawnSync('gitolite', ['compile'], { env: homeEnv(tmpl), encoding: 'utf8' });
    assert.deepEqual(gitoliteLines(compile().stderr), [`WARNING: syntax error, ignoring: 'foo "Jane Doe" = "the foo project"'`]);
    const doc = TextDocument.create('file://' + confPath, 'x', 1, conf);
    const ds = moduleFor(confPath)!.validate(doc, { path: confPath, ws: diskWorkspace });
    const d = byCode(ds, 'gl-v2-description')[0];
    writeFileSync(confPath, fixes(confPath, [d]).apply());
    // What our message predicted, gitolite says:
    const refused = compile();
    assert.notEqual(refused.status, 0);
    assert.deepEqual(gitoliteLines(refused.stderr), ["FATAL: git config 'gitweb.description' not allowed"]);
    assert.match(d.message, /gitolite would then stop with "git config 'gitweb\.description' not allowed": add 'gitweb\\\.description' and 'gitweb\\\.owner' to it/);
    writeFileSync(join(tmpl, '.gitolite.rc'), editRc(rc0, { GIT_CONFIG_KEYS: 'gitweb\\.description gitweb\\.owner' }));
    const ok = compile();
    assert.equal(ok.status, 0, ok.stderr);
    const cfg = spawnSync('gitolite', ['git-config', '-r', 'foo', 'gitweb'], { env: homeEnv(tmpl), encoding: 'utf8' });
    assert.equal(cfg.stdout, 'foo\tgitweb.description\tthe foo project\nfoo\tgitweb.owner\tJane Doe\n');
    const after = moduleFor(confPath)!.validate(TextDocument.create('file://' + confPath, 'x', 2, readFileSync(confPath, 'utf8')), { path: confPath, ws: diskWorkspace });
    assert.deepEqual(codes(after), []);
  } finally {
    s.cleanup();
  }
});
