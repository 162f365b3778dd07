import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli, scratch } from '../support/helpers';
import { bare, git, refsOf, workRepo, writeSite } from '../support/engine-helpers';

const ENV = { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.001' };

interface Step { rule: string; outcome: string; detail: string }
interface Remote { remote: string; projectReplicated: boolean; refReplicated?: boolean; remoteRef?: string; steps: Step[]; urls: Array<{ url?: string; replicated: boolean; collisions: string[]; steps: Step[] }> }

function site() {
  const s = scratch('gr-explain-');
  const dir = join(s.dir, 'site');
  const m = join(s.dir, 'mirrors');
  writeSite(
    dir,
    `[remote "a"]\n  url = ${m}/a/\${name}.git\n  projects = team/*\n  excludeProjects = ^team/secret.*\n  push = +refs/heads/*:refs/heads/*\n  push = refs/meta/config:refs/meta/config\n  push = +refs/changes/*:refs/changes/*\n  replicateNoteDbMetaRefs = false\n` +
      `  replicatePermissions = false\n  excludedRefsPattern = refs/heads/wip/.*\n  authGroup = Mirrors\n  mirror = true\n  replicationDelay = 0\n` +
      `[remote "b"]\n  url = ${m}/b/\${name}.git\n  remoteNameStyle = basenameOnly\n  replicationDelay = 0\n`,
  );
  const w = workRepo(join(s.dir, 'work'));
  const tip = w.commit('x');
  for (const p of ['team/app', 'team/secret-x', 'other/app']) git(w.dir, 'push', '-q', bare(join(dir, 'git', `${p}.git`)), `${tip}:refs/heads/master`, `${tip}:refs/heads/wip/t`, `${tip}:refs/meta/config`, `${tip}:refs/changes/01/1/meta`);
  return { s, dir, m };
}

const run = (dir: string, ...args: string[]) => {
  const r = runCli(['explain', '--site', dir, '--json', ...args], { env: ENV });
  return { code: r.code, json: r.code === 2 ? undefined : (JSON.parse(r.stdout) as { remotes: Remote[] }), stderr: r.stderr };
};
const remote = (j: { remotes: Remote[] }, name: string) => j.remotes.find((r) => r.remote === name)!;

test('explain names the deciding rule for projects, refs, authGroup, mirror and collisions', () => {
  const x = site();
  try {
    let r = run(x.dir, 'team/secret-x');
    let a = remote(r.json!, 'a');
    assert.equal(a.projectReplicated, false);
    assert.deepEqual(a.steps[0], { rule: 'excludeProjects', outcome: 'stop', detail: 'pattern "^team/secret.*" (regex) excludes it' });

    r = run(x.dir, 'other/app');
    a = remote(r.json!, 'a');
    assert.equal(a.projectReplicated, false);
    assert.match(a.steps.find((s) => s.rule === 'projects')!.detail, /none of "team\/\*" matches/);

    r = run(x.dir, 'team/app', 'refs/heads/master');
    assert.equal(r.code, 0);
    a = remote(r.json!, 'a');
    assert.equal(a.refReplicated, true);
    assert.equal(a.remoteRef, 'refs/heads/master');
    assert.match(a.steps.find((s) => s.rule === 'projects')!.detail, /pattern "team\/\*" \(wildcard\) matches/);
    assert.match(a.steps.find((s) => s.rule === 'authGroup')!.detail, /cannot be evaluated here/);
    assert.match(a.steps.find((s) => s.rule === 'push')!.detail, /"\+refs\/heads\/\*:refs\/heads\/\*" maps it to refs\/heads\/master \(forced\)/);
    assert.equal(a.steps.find((s) => s.rule === 'mirror')?.outcome, 'info');
    // basenameOnly: team/app and other/app collide on remote b.
    const b = remote(r.json!, 'b');
    assert.deepEqual(b.urls[0].collisions, ['other/app']);
    assert.equal(b.urls[0].url, join(x.m, 'b', 'app.git'));

    a = remote(run(x.dir, 'team/app', 'refs/heads/wip/t').json!, 'a');
    assert.equal(a.refReplicated, false);
    assert.equal(a.steps.find((s) => s.rule === 'excludedRefsPattern')?.outcome, 'stop');

    a = remote(run(x.dir, 'team/app', 'refs/meta/config').json!, 'a');
    assert.equal(a.refReplicated, false);
    assert.deepEqual(a.steps.find((s) => s.rule === 'replicatePermissions')?.outcome, 'stop');

    a = remote(run(x.dir, 'team/app', 'refs/changes/01/1/meta').json!, 'a');
    assert.equal(a.refReplicated, false);
    assert.equal(a.steps.find((s) => s.rule === 'replicateNoteDbMetaRefs')?.outcome, 'stop');

    a = remote(run(x.dir, 'team/app', 'refs/tags/v1').json!, 'a');
    assert.equal(a.refReplicated, false);
    assert.match(a.steps.find((s) => s.rule === 'push')!.detail, /no refspec matches/);

    // Nowhere: exit 1; usage: exit 2.
    assert.equal(run(x.dir, '--remote', 'a', 'other/app').code, 1);
    assert.equal(run(x.dir).code, 2);
    assert.equal(run(x.dir, 'team/app', 'master').code, 2);
    assert.equal(run(x.dir, '--remote', 'zz', 'team/app').code, 2);

    const text = runCli(['explain', '--site', x.dir, 'team/app', 'refs/heads/wip/t'], { env: ENV });
    assert.match(text.stdout, /^remote a \(etc\/replication.config:1\): ref not replicated$/m);
    assert.match(text.stdout, /✗ excludedRefsPattern: "refs\/heads\/wip\/\.\*" matches/);
  } finally {
    x.s.cleanup();
  }
});

test('explain agrees with what a real push replicates, ref by ref', () => {
  const x = site();
  try {
    const start = runCli(['start', '--site', x.dir, '--wait', '--now', '--all'], { env: ENV });
    assert.equal(start.code, 0, start.stderr);
    for (const ref of ['refs/heads/master', 'refs/heads/wip/t', 'refs/meta/config', 'refs/changes/01/1/meta']) {
      const a = remote(run(x.dir, '--remote', 'a', 'team/app', ref).json!, 'a');
      assert.equal(refsOf(join(x.m, 'a', 'team/app.git')).has(a.remoteRef ?? ref), !!a.refReplicated, ref);
    }
    assert.equal(refsOf(join(x.m, 'a', 'team/app.git')).size, 1);
  } finally {
    x.s.cleanup();
  }
});
