// A no-op resync of a local mirror starts no `git push` (issue 9, item 10): both repositories'
// refs are read on disk, and only a difference (or anything the disk reader is not certain of)
// makes the engine push. A `git` wrapper first in PATH records every git command the engine runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli, scratch } from '../support/helpers';
import { bare, git, refsOf, workRepo, writeSite } from '../support/engine-helpers';
import { refsOnDisk } from '../../server/src/engine/transport/refsOnDisk';

const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

/** A PATH whose `git` appends its arguments to LOG and runs the real git. */
function recordingPath(dir: string, log: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'git'), `#!/bin/sh\necho "$*" >> "${log}"\nexec "${realGit}" "$@"\n`);
  chmodSync(join(dir, 'git'), 0o755);
  return `${dir}:${process.env.PATH}`;
}

test('refsOnDisk lists what git for-each-ref lists: loose, packed, peeled tags, a loose ref over its packed value', () => {
  const s = scratch('gr-disk-');
  try {
    const w = workRepo(join(s.dir, 'work'));
    const repo = bare(join(s.dir, 'r.git'));
    const a = w.commit('a');
    const b = w.commit('b', a);
    git(w.dir, 'push', '-q', repo, `${a}:refs/heads/master`, `${a}:refs/heads/old`, `${a}:refs/changes/01/1/1`, `${b}:refs/heads/side`);
    git(w.dir, 'tag', '-a', '-m', 'annotated', 'v1', a);
    git(w.dir, 'push', '-q', repo, 'refs/tags/v1:refs/tags/v1');
    git(repo, 'pack-refs', '--all');
    git(repo, 'update-ref', 'refs/heads/master', b); // loose, over the packed value
    git(repo, 'update-ref', 'refs/heads/new', b);
    git(repo, 'update-ref', '-d', 'refs/heads/old'); // gone from packed-refs too
    writeFileSync(join(repo, 'refs', 'heads', 'held.lock'), `${a}\n`); // not a ref for git
    assert.deepEqual(refsOnDisk(repo), refsOf(repo));
    assert.equal(refsOnDisk(repo)!.get('refs/heads/master'), b);
    assert.equal(refsOnDisk(repo)!.has('refs/heads/old'), false);
    assert.deepEqual(refsOnDisk(bare(join(s.dir, 'empty.git'))), new Map());
  } finally {
    s.cleanup();
  }
});

test('refsOnDisk is undefined when it cannot be certain: a symbolic or broken ref, a link, reftable, no repository', () => {
  const s = scratch('gr-disk-');
  try {
    const w = workRepo(join(s.dir, 'work'));
    const make = (name: string) => {
      const r = bare(join(s.dir, `${name}.git`));
      git(w.dir, 'push', '-q', r, `${w.commit(name)}:refs/heads/master`);
      return r;
    };
    const sym = make('sym');
    git(sym, 'symbolic-ref', 'refs/heads/alias', 'refs/heads/master');
    assert.equal(refsOnDisk(sym), undefined);
    const broken = make('broken');
    writeFileSync(join(broken, 'refs', 'heads', 'empty'), '');
    assert.equal(refsOnDisk(broken), undefined);
    const linked = make('linked');
    execFileSync('ln', ['-s', join(linked, 'refs', 'heads', 'master'), join(linked, 'refs', 'heads', 'link')]);
    assert.equal(refsOnDisk(linked), undefined);
    const reftable = make('reftable');
    mkdirSync(join(reftable, 'reftable'));
    assert.equal(refsOnDisk(reftable), undefined);
    assert.equal(refsOnDisk(join(s.dir, 'absent.git')), undefined);
    assert.equal(refsOnDisk(w.dir), undefined); // a work tree, not a bare repository
  } finally {
    s.cleanup();
  }
});

function site(mirrorOpts: string, urlOf: (dir: string) => string) {
  const s = scratch('gr-noop-');
  const dir = join(s.dir, 'site');
  writeSite(dir, `[remote "m"]\n  url = ${urlOf(s.dir)}\n  push = +refs/*:refs/*\n  replicationDelay = 0\n${mirrorOpts}`);
  const w = workRepo(join(s.dir, 'work'));
  const src = bare(join(dir, 'git', 'p.git'));
  const tip = w.commit('c');
  git(w.dir, 'push', '-q', src, `${tip}:refs/heads/master`, `${tip}:refs/heads/feature`, `${tip}:refs/meta/config`);
  const log = join(s.dir, 'git.log');
  const env = { ...process.env, PATH: recordingPath(join(s.dir, 'bin'), log), GIT_REPLICATION_TIME_SCALE: '0.01' };
  const pushes = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => /(^| )push( |$)/.test(l)).length : 0);
  const sync = () => {
    const r = runCli(['start', '--site', dir, '--wait', '--now', '--all'], { env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Replication completed successfully!/);
  };
  return { s, dir, w, src, tip, pushes, sync, mirror: join(s.dir, 'mirror', 'p.git') };
}

for (const [kind, urlOf] of [
  ['path', (d: string) => `${d}/mirror/\${name}.git`],
  ['file://', (d: string) => `file://${d}/mirror/\${name}.git`],
] as const) {
  test(`a no-op full sync of a ${kind} mirror runs no git push; a change at the source or a stray mirror ref does`, () => {
    const x = site('  mirror = true\n', urlOf);
    try {
      x.sync(); // creates the mirror and pushes
      const first = x.pushes();
      assert.ok(first >= 1, 'the initial sync pushed');
      assert.deepEqual(refsOf(x.mirror), refsOf(x.src));
      x.sync();
      assert.equal(x.pushes(), first, 'the no-op resync ran git push');
      // A new commit at the source is pushed.
      git(x.w.dir, 'push', '-q', x.src, `${x.w.commit('d', x.tip)}:refs/heads/master`);
      x.sync();
      assert.equal(x.pushes(), first + 1);
      assert.deepEqual(refsOf(x.mirror), refsOf(x.src));
      // With mirror = true, a ref only the mirror has is deleted by a push.
      git(x.mirror, 'update-ref', 'refs/heads/stray', x.tip);
      x.sync();
      assert.equal(x.pushes(), first + 2);
      assert.deepEqual(refsOf(x.mirror), refsOf(x.src));
      // Something the disk reader is unsure of: git push decides (and finds nothing to do).
      git(x.mirror, 'symbolic-ref', 'refs/heads/alias', 'refs/heads/master');
      x.sync();
      assert.equal(x.pushes(), first + 3);
    } finally {
      x.s.cleanup();
    }
  });
}

test('without mirror a ref only the mirror has is left, and excluded refs do not count: no push', () => {
  const x = site('  excludedRefsPattern = refs/heads/feature\n', (d) => `${d}/mirror/\${name}.git`);
  try {
    x.sync();
    const first = x.pushes();
    git(x.mirror, 'update-ref', 'refs/heads/stray', x.tip);
    git(x.w.dir, 'push', '-q', '-f', x.src, `${x.w.commit('e')}:refs/heads/feature`); // excluded: never pushed
    x.sync();
    assert.equal(x.pushes(), first);
    assert.equal(refsOf(x.mirror).get('refs/heads/stray'), x.tip);
    assert.equal(refsOf(x.mirror).has('refs/heads/feature'), false);
    // A missing mirror is never "up to date": it is created and pushed again.
    rmSync(x.mirror, { recursive: true, force: true });
    x.sync();
    assert.ok(x.pushes() > first);
    assert.equal(refsOf(x.mirror).get('refs/heads/master'), x.tip);
  } finally {
    x.s.cleanup();
  }
});
