// Mirroring.pm's decisions (copies, mode) and the readers of gitolite's compiled files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGlConf, rcValue } from '../../server/src/engine/gitolite/compiled';
import { copiesFromOptions, masterFromOptions, modeOf, selectMirrors } from '../../server/src/engine/gitolite/mirrorSite';
import { parsePorcelain } from '../../server/src/engine/gitolite/mirror';

const o = (k: string, v: string): [string, string] => [`gitolite-options.mirror.${k}`, v];

test('gitolite rules: copy types as Mirroring.pm copies() assigns them', () => {
  const c = copiesFromOptions([o('copies', 'a b'), o('copies-2', 'c'), o('copies.sync', 'b'), o('copies.nosync', 'd'), o('copies.nosync-quiet', 'e'), o('copies.async', 'f')]);
  assert.deepEqual(Object.fromEntries(c), { a: 'async', b: 'sync', c: 'async', d: 'nosync', e: 'nosync', f: 'async' });
  // git_config() keeps one value per key: the last one written wins.
  assert.deepEqual([...copiesFromOptions([o('copies', 'x'), o('copies', 'y')]).keys()], ['y']);
  // 'slaves' is rewritten to 'copies' by gitolite's option sugar, so compiled files only hold copies.
  assert.equal(masterFromOptions([o('master', 'gl1')]), 'gl1');
  assert.equal(masterFromOptions([]), '');
});

test('gitolite rules: mode() order: no HOSTNAME, master, copy, local, mirrored but not here', () => {
  const r = (master: string, copies: string[]) => ({ repo: 'x', master, copies: new Map(copies.map((h) => [h, 'async' as const])) });
  assert.deepEqual(modeOf(undefined, r('gl2', ['gl1'])), { mode: 'local' });
  assert.deepEqual(modeOf('gl1', r('gl1', ['gl1', 'gl2'])), { mode: 'master' });
  assert.deepEqual(modeOf('gl1', r('gl2', ['gl1'])), { mode: 'copy' });
  assert.deepEqual(modeOf('gl1', r('', ['gl1'])), { mode: 'copy' });
  assert.deepEqual(modeOf('gl1', r('', [])), { mode: 'local' });
  assert.deepEqual(modeOf('gl1', r('gl3', ['gl9'])), { mode: 'elsewhere', error: "gl1: 'x' is mirrored but not here" });
});

test('gitolite rules: selection skips self, filters copies and refuses copies and unknown repos', () => {
  const site = {
    home: '/h',
    hostname: 'gl1',
    repoBase: '/h/repositories',
    errors: [],
    notes: [],
    repos: [
      { repo: 'a', master: 'gl1', copies: new Map([['gl1', 'async' as const], ['gl3', 'sync' as const], ['gl2', 'nosync' as const]]) },
      { repo: 'b', master: 'gl2', copies: new Map([['gl1', 'async' as const]]) },
    ],
  };
  const all = selectMirrors(site);
  assert.deepEqual(all.targets, [
    { repo: 'a', copy: 'gl2', type: 'nosync' },
    { repo: 'a', copy: 'gl3', type: 'sync' },
  ]);
  assert.deepEqual(all.refused.map((r) => [r.repo, r.explicit]), [['b', false]]);
  assert.deepEqual(selectMirrors(site, { copies: ['gl3'] }).targets.map((t) => t.copy), ['gl3']);
  const named = selectMirrors(site, { repos: ['b', 'zz.git', '-x'] });
  assert.deepEqual(named.refused.map((r) => [r.repo, r.explicit]), [['b', true], ['zz', true], ['-x', true]]);
  assert.match(named.refused[1].reason, /no repository 'zz'/);
  assert.throws(() => selectMirrors({ ...site, hostname: undefined }), /HOSTNAME not set/);
  assert.throws(() => selectMirrors({ ...site, errors: ['/h/.gitolite/conf/gitolite.conf:3:1: error: bad [gl-x]'] }), /gitolite\.conf:3:1: error: bad \[gl-x\]\nerror: the gitolite configuration has errors; nothing is mirrored/);
  assert.deepEqual(selectMirrors({ ...site, repos: [{ ...site.repos[0], onDisk: false }] }).refused.map((r) => r.reason), ["gl1: no repository 'a' under /h/repositories"]);
});

test('gitolite rules: gl-conf and .gitolite.rc readers', () => {
  const glconf = `%one_repo = (\n  'r' => { 'admin' => [ [ 5, 'RW+', 'refs/.*' ] ] }\n);\n%one_config = (\n  'r' => [\n    [\n      6,\n      'gitolite-options.mirror.master',\n      'gl1'\n    ],\n    [\n      7,\n      'gitolite-options.mirror.copies-1',\n      'gl2 it\\'s'\n    ]\n  ]\n);\n`;
  assert.deepEqual(parseGlConf(glconf), [
    ['gitolite-options.mirror.master', 'gl1'],
    ['gitolite-options.mirror.copies-1', "gl2 it's"],
  ]);
  const rc = `%RC = (\n    UMASK => 0077,\n    HOSTNAME => 'mars',\n        # HOSTNAME                  =>  "foo",\n    GL_REPO_BASE => "/srv/repos",\n);\n`;
  assert.equal(rcValue(rc, 'HOSTNAME'), 'mars');
  assert.equal(rcValue(rc, 'GL_REPO_BASE'), '/srv/repos');
  assert.equal(rcValue('# HOSTNAME => "foo",', 'HOSTNAME'), undefined);
});

test('gitolite rules: git push --porcelain lines', () => {
  const out = 'To gl2:r1\n*\trefs/heads/a:refs/heads/a\t[new branch]\n \trefs/heads/b:refs/heads/b\t1111111..2222222\n+\trefs/heads/c:refs/heads/c\t3333333...4444444 (forced update)\n-\t:refs/heads/d\t[deleted]\n!\trefs/heads/e:refs/heads/e\t[rejected] (non-fast-forward)\n=\trefs/tags/v1:refs/tags/v1\t[up to date]\nDone\n';
  assert.deepEqual(parsePorcelain(out).map((r) => `${r.change} ${r.ref}`), [
    'create refs/heads/a',
    'fast-forward refs/heads/b',
    'forced refs/heads/c',
    'delete refs/heads/d',
    'rejected refs/heads/e',
    'up-to-date refs/tags/v1',
  ]);
});
