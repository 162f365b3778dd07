import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { runCli, scratch } from '../support/helpers';
import { bare, git, refsOf, workRepo, writeSite } from '../support/engine-helpers';

const ENV = { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.001' };

function site(extra = '  replicationDelay = 0\n') {
  const s = scratch('gr-cli-');
  const dir = join(s.dir, 'site');
  writeSite(dir, `[remote "mirror"]\n  url = ${s.dir}/mirrors/\${name}.git\n${extra}`);
  const w = workRepo(join(s.dir, 'work'));
  const tip = w.commit('x');
  for (const p of ['alpha', 'team/beta']) git(w.dir, 'push', '-q', bare(join(dir, 'git', `${p}.git`)), `${tip}:refs/heads/master`);
  return { s, dir, tip, w, mirror: (p: string) => join(s.dir, 'mirrors', `${p}.git`) };
}

test('start refuses --all with a PROJECT, exactly as Gerrit', () => {
  const x = site();
  try {
    const r = runCli(['start', '--site', x.dir, '--all', 'alpha'], { env: ENV });
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'error: cannot combine --all and PROJECT');
  } finally {
    x.s.cleanup();
  }
});

test('start --wait --now pushes and prints Gerrit\'s per-ref lines', () => {
  const x = site();
  try {
    const r = runCli(['start', '--site', x.dir, '--wait', '--now', 'alpha'], { env: ENV });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines, [
      `Replicate alpha refs refs/heads/master to ${x.mirror('alpha')}, Succeeded! (OK)`,
      'Replication of alpha ref refs/heads/master completed to 1 nodes, ',
      '----------------------------------------------',
      'Replication completed successfully!',
    ]);
    assert.equal(refsOf(x.mirror('alpha')).get('refs/heads/master'), x.tip);
    const again = runCli(['start', '--site', x.dir, '--wait', '--now', '--url', 'nomatch'], { env: ENV });
    assert.equal(again.stdout.trim(), 'Nothing to replicate');
    assert.equal(again.code, 0);
  } finally {
    x.s.cleanup();
  }
});

test('start without --wait stores one ..all.. task per URL for the daemon', () => {
  const x = site();
  try {
    const r = runCli(['start', '--site', x.dir, 'team/*'], { env: ENV });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Stored 1 replication task/);
    const waiting = join(x.dir, 'data', 'replication', 'ref-updates', 'waiting');
    assert.equal(readdirSync(waiting).length, 1);
    const list = runCli(['list', '--site', x.dir, '--detail'], { env: ENV });
    assert.match(list.stdout, /^Remote: mirror\nUrl: .*\/\$\{name\}\.git\nIn Flight: 0\nPending: 1\n {2}\[[0-9a-f]{8}\] push .*team\/beta\.git \[\.\.all\.\.\]/);
    const json = runCli(['list', '--site', x.dir, '--json'], { env: ENV });
    assert.deepEqual(JSON.parse(json.stdout), { Remote: 'mirror', Url: [`${x.s.dir}/mirrors/\${name}.git`] });
  } finally {
    x.s.cleanup();
  }
});

test('a config with errors is refused with file:line, for every command', () => {
  const x = site();
  try {
    writeSite(x.dir, `[remote "m"]\n  url = /tmp/nowhere/fixed.git\n  threads = lots\n`);
    for (const cmd of [['start', '--all'], ['plan'], ['list']]) {
      const r = runCli([...cmd, '--site', x.dir], { env: ENV });
      assert.equal(r.code, 1, cmd.join(' '));
      assert.match(r.stderr, /etc\/replication\.config:2:\d+: error: .*lacks \$\{name\}/);
      assert.match(r.stderr, /etc\/replication\.config:3:\d+: error: Invalid integer value: remote\.threads=lots/);
    }
    assert.equal(runCli(['plan'], { env: { ...ENV, GIT_REPLICATION_SITE: '' }, cwd: x.s.dir }).code, 2);
  } finally {
    x.s.cleanup();
  }
});

test('plan prints each change and --json gives the PlanResult; unsafe names and URLs are refused', () => {
  const x = site();
  try {
    bare(x.mirror('alpha'));
    const r = runCli(['plan', '--site', x.dir, '--json'], { env: ENV });
    assert.equal(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout);
    const alpha = plan.targets.find((t: { project: string }) => t.project === 'alpha');
    assert.deepEqual(alpha.changes, [{ ref: 'refs/heads/master', remoteRef: 'refs/heads/master', kind: 'create', oldId: null, newId: x.tip }]);
    const beta = plan.targets.find((t: { project: string }) => t.project === 'team/beta');
    assert.equal(beta.createRepository, true);
    const text = runCli(['plan', '--site', x.dir, 'alpha'], { env: ENV });
    assert.match(text.stdout, /alpha → mirror .*\n {2}create {7}refs\/heads\/master {2}→ [0-9a-f]{10}/);
    writeSite(x.dir, `[remote "m"]\n  url = ext::sh -c touch% /tmp/pwned-\${name}\n`);
    const evil = runCli(['plan', '--site', x.dir], { env: ENV });
    assert.equal(evil.code, 1);
    assert.match(evil.stderr, /replication.config:2:1: error: .*'ext::' transport/);
  } finally {
    x.s.cleanup();
  }
});

test('every command documents its exit codes', () => {
  for (const c of ['start', 'plan', 'list', 'daemon', 'hook', 'delete-project']) {
    const r = runCli([c, '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Exit: 0 /, c);
  }
});
