// The gitolite analysis keeps its caches (parses, compiled chunks, mirror results, value memos)
// in the service instance that owns them (createGitoliteModules), never in module variables:
// two sites in one process, even at the same path, never see each other's cached results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createGitoliteModules } from '../../server/src/gitolite';
import { GitoliteCaches } from '../../server/src/gitolite/caches';
import { analysisForConf } from '../../server/src/gitolite/confSite';
import type { Workspace } from '../../server/src/service/workspace';
import { ROOT } from '../support/helpers';

const HOME = '/gr-two-sites/home';
const RC = `${HOME}/.gitolite.rc`;
const CONF = `${HOME}/.gitolite/conf/gitolite.conf`;
const RC_TEXT = "%RC = (\n    HOSTNAME => 'gl1',\n    ENABLE => ['Mirroring'],\n);\n1;\n";

function site(conf: string): Workspace {
  const files = new Map([[RC, RC_TEXT], [CONF, conf]]);
  const dirs = new Set([HOME, `${HOME}/.gitolite`, `${HOME}/.gitolite/conf`, '/gr-two-sites']);
  return {
    read: (p) => files.get(p),
    list: (d) => (dirs.has(d) ? [...files.keys(), ...dirs].filter((p) => p !== d && p.startsWith(d + '/') && !p.slice(d.length + 1).includes('/')).map((p) => p.slice(d.length + 1)) : undefined),
    stat: (p) => (files.has(p) ? { mode: 0o100644, isFile: true, isDirectory: false } : dirs.has(p) ? { mode: 0o040755, isFile: false, isDirectory: true } : undefined),
  };
}

const check = (mods: ReturnType<typeof createGitoliteModules>, ws: Workspace, text: string, version = 1) =>
  mods.conf.validate(TextDocument.create('file://' + CONF, 'gitolite', version, text), { path: CONF, ws }).map((d) => d.code);

test('two sites at the same path in one process keep their own caches', () => {
  const one = 'repo gitolite-admin\n    RW+ = admin\nrepo app\n    RW = @devs\n'; // @devs is not declared here
  const two = '@devs = alice\nrepo gitolite-admin\n    RW+ = admin\nrepo app\n    RW = @devs\n    option mirror.master = gl1\n    option mirror.copies = gl2\n';
  const cachesA = new GitoliteCaches();
  const cachesB = new GitoliteCaches();
  const a = createGitoliteModules(cachesA);
  const b = createGitoliteModules(cachesB);
  const wsA = site(one);
  const wsB = site(two);
  assert.ok(check(a, wsA, one).includes('gl-undeclared-group'));
  const entryA = cachesA.sites.get(`${CONF}\0`);
  assert.ok(entryA, 'A remembers its analysis');
  assert.equal(cachesB.sites.size + cachesB.parses.size + cachesB.mirrors.size, 0, 'B has seen nothing of A');
  assert.ok(!check(b, wsB, two).includes('gl-undeclared-group'));
  // B's work went to B only: A's cached analysis is the very same object, and serves A again.
  assert.equal(cachesA.sites.get(`${CONF}\0`), entryA);
  assert.equal(analysisForConf(cachesA, CONF, wsA), entryA!.result);
  assert.equal(cachesA.mirrors.size, 1);
  assert.notEqual(cachesA.mirrors.get(`${CONF}\0${RC}`)?.result, cachesB.mirrors.get(`${CONF}\0${RC}`)?.result);
  // The same text in both: still two parses, two compiles (no object crosses between them).
  const sameA = analysisForConf(cachesA, CONF, site(two));
  const sameB = analysisForConf(cachesB, CONF, site(two));
  assert.notEqual(sameA.exploded.files.get(CONF), sameB.exploded.files.get(CONF));
  assert.notEqual(sameA.compiled, sameB.compiled);
  assert.deepEqual(sameA.mirror.repos.map((r) => r.name), sameB.mirror.repos.map((r) => r.name));
});

test('no module of server/src/gitolite keeps a cache in a module variable', () => {
  const dir = join(ROOT, 'server', 'src', 'gitolite');
  const files = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : n.endsWith('.ts') ? [join(d, n)] : []));
  const found: string[] = [];
  for (const f of files(dir)) {
    readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      // Top-level (unindented) mutable state: a `let`, or a const Map/Set/WeakMap filled at run time.
      if (/^(export )?let /.test(line) || /^(export )?const \w+\s*(:[^=]+)?=\s*new (Weak)?(Map|Set)\b/.test(line)) found.push(`${f.slice(dir.length + 1)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, []);
});
