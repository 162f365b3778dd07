// The gitolite checks reuse work between runs (parsed lines, compiled blocks, group maps,
// per-repo mirror results). Whatever the reuse, an edit must give exactly what a cold check of
// the same files gives: random edit sequences over a multi-file site are checked with warm
// caches, then every step again from cold, and the diagnostics, mirror model and groups must agree.
// Warm is one service instance (createGitoliteModules) kept across the steps; cold is a new one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Workspace } from '../../server/src/service/workspace';
import { analysisForConf } from '../../server/src/gitolite/confSite';
import { GitoliteCaches } from '../../server/src/gitolite/caches';
import { createGitoliteModules } from '../../server/src/gitolite';
import { loadGitoliteSite } from '../../server/src/gitolite/mirroringSite';
import { parseConf } from '../../server/src/gitolite/compile/confParser';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A virtual gitolite home (nothing touches the disk: the checks read through the Workspace).
const HOME = '/gr-gitolite-incremental-home';
const RC = join(HOME, '.gitolite.rc');
const CONF = join(HOME, '.gitolite', 'conf');
const ROOT = join(CONF, 'gitolite.conf');
const A = join(CONF, 'inc', 'a.conf');
const B = join(CONF, 'inc', 'b.conf');
const S = join(CONF, 'inc', 's.conf');
const CONF_FILES = [ROOT, A, B, S];

function memWorkspace(files: Map<string, string>): Workspace {
  const isDir = (p: string) => [...files.keys()].some((f) => f.startsWith(p.endsWith('/') ? p : p + '/'));
  return {
    read: (p) => files.get(p),
    list: (d) => {
      if (!isDir(d)) return undefined;
      const names = new Set<string>();
      for (const f of files.keys()) if (f.startsWith(d + '/')) names.add(f.slice(d.length + 1).split('/')[0]);
      return [...names].sort();
    },
    stat: (p) => (files.has(p) ? { mode: 0o100644, isFile: true, isDirectory: false } : isDir(p) ? { mode: 0o40755, isFile: false, isDirectory: true } : undefined),
  };
}

const RCS = [
  "%RC = (\n  GIT_CONFIG_KEYS => 'hooks\\..*',\n  HOSTNAME => 'gl1',\n  ENABLE => [ 'help', 'Mirroring', 'mirror' ],\n);\n1;\n",
  "%RC = (\n  GIT_CONFIG_KEYS => 'hooks\\..* gitolite\\.mirror\\..*',\n  HOSTNAME => 'gl2',\n  ENABLE => [ 'Mirroring', 'continuation-lines' ],\n);\n1;\n",
  "%RC = (\n  GIT_CONFIG_KEYS => '',\n  ENABLE => [ 'help' ],\n);\n1;\n",
];

// Lines that matter to the checks: groups (nested, redefined), repo lines (names, groups,
// @all, patterns), rules with and without refs, mirror options of both dialects, bad values,
// skipped blocks, continuation lines, includes and junk.
const LINES = [
  '@g1 = u1 u2', '@g2 = @g1 u3', '@repos = r1 r2', '@g1 = u4', '@repos = r9', '@g3 = @nope',
  'repo r1', 'repo r2 r3', 'repo @repos', 'repo @all', 'repo r[0-9]+', 'repo foo.git', 'repo r1 \\', '    r4',
  '    RW+ = @g1', '    RW dev/ = u5 @admins', '    R = @all', '    RW = u$bad', '    - NAME/x = u1', '    R refs/tags/ = u1', '    RW = @undefined', '    RW+ = @g2 @g3',
  '    option mirror.master = gl1', '    option mirror.copies = gl2 gl3', '    option mirror.copies.nosync = gl3', '    option mirror.redirectOK = gl4',
  '    option mirror.master = gl2 gl3', '    option mirror.master =', '    option mirror.slaves = gl2', '    option mirror.master = %HOSTNAME', '    option mirror.copies = gl1',
  '    config gitolite.mirror.master = "gl1"', '    config hooks.x = y', '    config bad.key = v', '    desc = hello', '    option mirror.copies = gl,5',
  '=begin testconf', '=end', '# a comment', '', 'junk line here', 'include "inc/b.conf"', 'include inc/a.conf', 'subconf "inc/s.conf"',
];

function initialFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(RC, RCS[0]);
  const root = ['@admins = alice bob', '@g1 = u1 u2'];
  for (let g = 0; g < 60; g++) root.push(`@k${g} = u${g} u${g + 1}${g % 7 === 3 ? ` @k${g - 1}` : ''}`);
  root.push('repo gitolite-admin', '    RW+ = @admins', 'include "inc/a.conf"', 'include "inc/b.conf"', 'subconf "inc/s.conf"', 'repo r1', '    R = @all');
  files.set(ROOT, root.join('\n') + '\n');
  // Included files long enough to span several compile blocks.
  for (const [path, from] of [[A, 0], [B, 150]] as const) {
    const l: string[] = [];
    for (let i = from; i < from + 150; i++) {
      l.push(`repo r${i}`, `    RW+ = @k${i % 60}`, `    RW dev/ = u${i % 13} @admins`);
      if (i % 4 === 0) l.push('    option mirror.master = gl1', '    option mirror.copies = gl2 gl3');
      if (i % 9 === 0) l.push('    option mirror.redirectOK = gl2');
    }
    files.set(path, l.join('\n') + '\n');
  }
  files.set(S, '@team = s1 s2\nrepo s\n    RW = @team\n');
  return files;
}

type Edit = { file: number; at: number; kind: 'replace' | 'insert' | 'delete'; line: number } | { rc: number };

function apply(files: Map<string, string>, e: Edit): string {
  if ('rc' in e) { files.set(RC, RCS[e.rc]); return RC; }
  const path = CONF_FILES[e.file];
  const lines = files.get(path)!.split('\n');
  const at = e.at % lines.length;
  if (e.kind === 'replace') lines[at] = LINES[e.line];
  else if (e.kind === 'insert') lines.splice(at, 0, LINES[e.line]);
  else lines.splice(at, 1);
  files.set(path, lines.join('\n'));
  return path;
}

/** Everything an edit can change: diagnostics of every file, the mirror model and the groups. */
function snapshot(caches: GitoliteCaches, files: Map<string, string>, edited: string, version: number): string {
  const ws = memWorkspace(files);
  const mods = createGitoliteModules(caches);
  const out: Record<string, unknown> = {};
  // The edited file first, as the LSP server checks it; then the others.
  for (const path of [edited, ...[RC, ...CONF_FILES].filter((p) => p !== edited)]) {
    if (!files.has(path)) continue;
    out[path] = (path === RC ? mods.rc : mods.conf).validate(TextDocument.create('file://' + path, 'gitolite', version, files.get(path)!), { path, ws });
  }
  const site = loadGitoliteSite(ROOT, ws, undefined, caches);
  out.model = { dialect: site.dialect, hostname: site.hostname, repos: site.repos };
  // Group members as gitolite ends up with them (nested groups expand at their point in the conf).
  out.groups = [...analysisForConf(caches, ROOT, ws).compiled.groups].map(([g, m]) => [g, [...m]]);
  return JSON.stringify(out, null, 1);
}

test('edit sequences: warm-cache diagnostics, mirror model and groups equal a cold check of the same files', () => {
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    { weight: 12, arbitrary: fc.record({ file: fc.nat(CONF_FILES.length - 1), at: fc.nat(2000), kind: fc.constantFrom('replace', 'insert', 'delete') as fc.Arbitrary<'replace' | 'insert' | 'delete'>, line: fc.nat(LINES.length - 1) }) },
    { weight: 1, arbitrary: fc.record({ rc: fc.nat(RCS.length - 1) }) },
  );
  let steps = 0;
  let differed = 0;
  fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 12 }), (edits) => {
    const warm = new GitoliteCaches();
    const files = initialFiles();
    snapshot(warm, files, ROOT, 1); // warm every cache
    const states: Array<{ files: Map<string, string>; edited: string; warm: string }> = [];
    let v = 2;
    for (const e of edits) {
      const edited = apply(files, e);
      states.push({ files: new Map(files), edited, warm: snapshot(warm, files, edited, v++) });
    }
    for (const s of states) {
      const cold = snapshot(new GitoliteCaches(), s.files, s.edited, 1);
      assert.equal(s.warm, cold, `after ${JSON.stringify(edits)}`);
      steps++;
    }
    if (states.length > 1 && states[0].warm !== states[states.length - 1].warm) differed++;
  }), { numRuns: 40, seed: 20261122 });
  // The sequences did change what is reported (the comparison is not between empty results).
  assert.ok(steps >= 40 && differed >= 10, `steps ${steps}, sequences whose findings changed ${differed}`);
});

test('the snapshot sees an edit in an included file (the comparison above is not vacuous)', () => {
  const caches = new GitoliteCaches();
  const files = initialFiles();
  const before = snapshot(caches, files, ROOT, 1);
  files.set(A, files.get(A)!.replace('repo r4\n', 'repo r4\n    RW = u$bad\n'));
  const after = snapshot(caches, files, A, 2);
  assert.notEqual(before, after);
  assert.match(after, /bad username 'u\$bad'/);
});

test('one repo\'s mirror settings spread over files and distant blocks combine; the last master wins', () => {
  const caches = new GitoliteCaches();
  const files = new Map<string, string>([[RC, RCS[0]]]);
  // 250 filler repos put r1's second mention in a later compile block of the same file.
  const filler = Array.from({ length: 250 }, (_, i) => `repo f${i}\n    RW = u1`).join('\n');
  files.set(ROOT, ['repo gitolite-admin', '    RW+ = admin', 'include "inc/a.conf"', 'include "inc/b.conf"'].join('\n') + '\n');
  files.set(A, ['repo r1', '    option mirror.master = gl9', '    option mirror.copies = gl2', filler, 'repo r1', '    option mirror.master = gl1'].join('\n') + '\n');
  files.set(B, ['repo r1', '    option mirror.copies.nosync = gl3', '    option mirror.redirectOK = gl2'].join('\n') + '\n');
  const check = () => loadGitoliteSite(ROOT, memWorkspace(files), undefined, caches).repos.find((r) => r.name === 'r1');
  const r1 = check();
  assert.deepEqual({ master: r1?.master, copies: r1?.copies, redirectOK: r1?.redirectOK, mode: r1?.mode },
    { master: 'gl1', copies: [{ host: 'gl2', mode: 'async' }, { host: 'gl3', mode: 'nosync' }], redirectOK: ['gl2'], mode: 'master' });
  // An edit in b.conf (another block) changes r1, and only what it says.
  files.set(B, ['repo r1', '    option mirror.copies.nosync = gl4'].join('\n') + '\n');
  const after = check();
  assert.deepEqual({ master: after?.master, copies: after?.copies, redirectOK: after?.redirectOK },
    { master: 'gl1', copies: [{ host: 'gl2', mode: 'async' }, { host: 'gl4', mode: 'nosync' }], redirectOK: [] });
});

test('a one-line edit builds the one block it touches and reuses the others; mirror checks run only when a mirror entry changed', () => {
  const caches = new GitoliteCaches();
  const files = initialFiles();
  const ws = () => memWorkspace(files);
  const blocksOf = (path: string) => analysisForConf(caches, ROOT, ws()).exploded.segments.filter((s) => s.file === path).map((s) => s.xlines);
  analysisForConf(caches, ROOT, ws());
  const before = blocksOf(A);
  assert.ok(before.length >= 2, `a.conf spans ${before.length} blocks`);
  const built0 = caches.counts.blocksBuilt, mirror0 = caches.counts.mirrorRuns;
  // A rule's user in the last block: no mirror entry changes.
  const lines = files.get(A)!.split('\n');
  const at = lines.lastIndexOf('    RW dev/ = u0 @admins');
  lines[at] = '    RW dev/ = u0x @admins';
  files.set(A, lines.join('\n'));
  const after = blocksOf(A);
  assert.equal(caches.counts.blocksBuilt - built0, 1, 'one block array built');
  assert.equal(after.length, before.length);
  assert.deepEqual(after.map((b, i) => b === before[i]), before.map((_, i) => i !== before.length - 1), 'the untouched blocks are the very same arrays');
  assert.equal(caches.counts.mirrorRuns - mirror0, 0, 'mirror checks reused');
  // A mirror entry's value: the checks run again, once, and agree with a cold check.
  files.set(A, files.get(A)!.replace('    option mirror.copies = gl2 gl3', '    option mirror.copies = gl2 gl4'));
  const warm = snapshot(caches, files, A, 3);
  assert.equal(caches.counts.mirrorRuns - mirror0, 1, 'mirror checks ran once for the mirror edit');
  assert.equal(warm, snapshot(new GitoliteCaches(), files, A, 1));
});

test('a mirror edit among plain repos re-derives only the repos of the blocks it changed, and equals a cold check', () => {
  const caches = new GitoliteCaches();
  const files = initialFiles();
  snapshot(caches, files, ROOT, 1);
  let v = 2;
  const inc0 = caches.counts.mirrorIncremental;
  const step = (path: string, edit: (text: string) => string, incremental: boolean, what: string) => {
    const text = edit(files.get(path)!);
    assert.notEqual(text, files.get(path), `${what}: the edit applies`);
    files.set(path, text);
    const runs = caches.counts.mirrorRuns, inc = caches.counts.mirrorIncremental;
    const warm = snapshot(caches, files, path, v++);
    assert.equal(caches.counts.mirrorRuns - runs, 1, `${what}: the mirror checks ran`);
    assert.equal(caches.counts.mirrorIncremental - inc, incremental ? 1 : 0, `${what}: ${incremental ? 'from the index' : 'from scratch'}`);
    assert.equal(warm, snapshot(new GitoliteCaches(), files, path, 1), `${what}: warm equals cold`);
  };
  // A value changes (same repos), a repo with mirror entries goes away, one appears in another
  // file, entries move to the repo before them (a repo line removed), an earlier entry is
  // overridden by a later block and changed in its earlier one, the rc's HOSTNAME changes (from scratch), then a group gets
  // mirror entries (from scratch: the index holds plain repos only) and loses them again.
  step(A, (t) => t.replace('repo r8\n    RW+ = @k8\n    RW dev/ = u8 @admins\n    option mirror.master = gl1\n    option mirror.copies = gl2 gl3', 'repo r8\n    RW+ = @k8\n    RW dev/ = u8 @admins\n    option mirror.master = gl1\n    option mirror.copies = gl2 gl4'), true, 'a value');
  step(A, (t) => t.replace('repo r12\n', 'repo r12x\n'), true, 'a repo renamed');
  step(B, (t) => t.replace('repo r151\n', 'repo r151\n    option mirror.master = gl7\n'), true, 'a repo gains entries');
  step(A, (t) => t.replace('repo r16\n', ''), true, 'a repo line removed');
  step(B, (t) => t + 'repo r0\n    option mirror.master = gl2\n', true, 'a later block overrides');
  step(A, (t) => t.replace('    option mirror.copies = gl2 gl3', '    option mirror.copies = gl2 gl6'), true, 'an earlier block of the same repo');
  step(RC, (t) => t.replace("HOSTNAME => 'gl1'", "HOSTNAME => 'gl2'"), false, 'HOSTNAME');
  step(A, (t) => t.replace('repo r20\n', 'repo r20x\n'), true, 'after the rc change');
  step(B, (t) => t + 'repo @k3\n    option mirror.copies = gl5\n', false, 'a group gets entries');
  step(B, (t) => t.replace('repo @k3\n    option mirror.copies = gl5\n', ''), false, 'and loses them');
  step(A, (t) => t.replace('repo r24\n', 'repo r24x\n'), true, 'plain again');
  assert.equal(caches.counts.mirrorIncremental - inc0, 8);
});

test('a re-parse keeps no earlier version of the text alive through the lines it tokenized anew', () => {
  // 20 versions of a 1 MB conf, each with another line changed and kept as the next parse's
  // base: the lines made anew from a version must not keep that whole text (1 MB each) alive.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const base = Array.from({ length: 40_000 }, (_, i) => `repo r${i}\n    RW+ = @g${i % 100} u${i}`);
  let parsed = parseConf(base.join('\n'));
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let v = 0; v < 20; v++) {
    const l = base.slice();
    l[v * 997] = `repo r${v * 997}x # version ${v}\n    RW+ = @g1 u1`;
    const text = l.join('\n');
    const next = parseConf(text, undefined, parsed);
    assert.equal(next.lines.length, parsed.lines.length);
    assert.equal(next.lines[2 * v * 997].text, `repo r${v * 997}x`);
    parsed = next;
  }
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 8e6, `heap grew by ${(grown / 1e6).toFixed(1)} MB over 20 one-line re-parses of a ${(base.join('\n').length / 1e6).toFixed(1)} MB text`);
});

test('an edit below every group line reuses the last run\'s group map; a group edit builds it anew; both equal a cold check', () => {
  const caches = new GitoliteCaches();
  const files = initialFiles();
  // No subconf: its lines are made anew on every run (prefixed group names), so a group line
  // there runs on every run, after the edit, and the map is built.
  files.set(ROOT, files.get(ROOT)!.replace('subconf "inc/s.conf"\n', ''));
  snapshot(caches, files, ROOT, 1);
  let v = 2;
  const step = (path: string, edit: (text: string) => string, built: number, copied: number, what: string) => {
    const text = edit(files.get(path)!);
    assert.notEqual(text, files.get(path), `${what}: the edit applies`);
    const before = analysisForConf(caches, ROOT, memWorkspace(files)).compiled.groups;
    files.set(path, text);
    const ws = memWorkspace(files);
    const b = caches.counts.groupMapsBuilt, c = caches.counts.groupMapsCopied;
    const warm = snapshot(caches, files, path, v++);
    assert.equal(caches.counts.groupMapsBuilt - b, built, `${what}: group maps built`);
    assert.equal(caches.counts.groupMapsCopied - c, copied, `${what}: shared maps copied`);
    if (!built && !copied) assert.equal(analysisForConf(caches, ROOT, ws).compiled.groups, before, `${what}: the very map of the last run`);
    assert.equal(warm, snapshot(new GitoliteCaches(), files, path, 1), `${what}: warm equals cold`);
  };
  // Every group of the root comes before its includes: a rule edit in a.conf reads groups only.
  step(A, (t) => t.replace('    RW dev/ = u0 @admins', '    RW dev/ = u0x @admins @k1'), 0, 0, 'a rule below the groups');
  step(A, (t) => t.replace('    RW+ = @k5', '    RW+ = @nope'), 0, 0, 'an undefined group below the groups');
  // A group line in an included file runs after the shared map's groups: a copy, changed.
  step(A, (t) => t.replace('repo r3\n', '@k2 = extra\nrepo r3\n'), 0, 1, 'a group line below the others');
  step(A, (t) => t.replace('@k2 = extra\n', ''), 1, 0, 'and gone again');
  // A group edit in the root: the map is replayed up to it and built from there.
  step(ROOT, (t) => t.replace('@k4 = u4 u5', '@k4 = u4 u5 u99'), 1, 0, 'a group edit');
  step(B, (t) => t.replace('    RW+ = @k7', '    RW+ = @k7 @k4'), 0, 0, 'then a rule below again');
});

test('a group edit recompiles its block but keeps the member maps of the block\'s unchanged group lines', () => {
  const caches = new GitoliteCaches();
  const files = initialFiles();
  const groupsNow = () => analysisForConf(caches, ROOT, memWorkspace(files)).compiled.groups;
  const before = groupsNow();
  files.set(ROOT, files.get(ROOT)!.replace('@k4 = u4 u5', '@k4 = u4 u5 u99'));
  const after = groupsNow();
  assert.notEqual(after.get('@k4'), before.get('@k4'), 'the edited group is made anew');
  assert.deepEqual([...after.get('@k4')!.keys()], ['u4', 'u5', 'u99']);
  // @k11 = u11 u12: the same line in the same (recompiled) block; @k3 names @k2, so it is made anew.
  assert.equal(after.get('@k11'), before.get('@k11'), 'an unchanged plain group line keeps its map');
  assert.notEqual(after.get('@k3'), before.get('@k3'));
  assert.equal(snapshot(caches, files, ROOT, 2), snapshot(new GitoliteCaches(), files, ROOT, 1));
});
