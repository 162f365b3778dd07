// Gitolite mirroring mode against two real gitolite3 hosts behind a loopback sshd: we push
// master → copy as gitolite does, and gitolite on the copy must accept it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratch } from '../support/helpers';
import { GitoliteHosts, mirrorConf, startGitoliteHosts } from '../infra/gitoliteHosts';

let g: GitoliteHosts;

const COMMON = [
  { repo: 'r1', master: 'gl1', options: ['mirror.copies = gl2'] },
  { repo: 'r2', master: 'gl1', options: ['mirror.copies.sync = gl2'] },
  { repo: 'r3', master: 'gl1', options: ['mirror.copies.nosync = gl2'] },
  { repo: 'r4', master: 'gl2', options: ['mirror.copies = gl1'] },
  { repo: 'self', master: 'gl1', options: ['mirror.copies = gl1 gl2'] },
  { repo: 'elsewhere', master: 'gl3', options: ['mirror.copies = gl9'] },
  { repo: 'loc' },
  // Wild repositories: created by their first user, then mirrored with creator and perms.
  { repo: 'wild/..*', master: 'gl1', options: ['mirror.copies = gl2'], rules: ['C = admin', 'RW+ = CREATOR'] },
];

/** Commits made by the hosting user straight into its repository (no gitolite, no trigger). */
function seed(host: string, repo: string, tag: string) {
  const script = [
    `cd repositories/${repo}.git`,
    'export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@x GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@x',
    't=$(git hash-object -t tree -w --stdin </dev/null)',
    `c1=$(echo "${tag} one" | git commit-tree $t)`,
    `c2=$(echo "${tag} two" | git commit-tree $t -p $c1)`,
    'git update-ref refs/heads/master $c2',
    'git update-ref refs/heads/dev $c1',
    'git tag v1 $c1',
  ].join(' && ');
  const r = g.as(host, script);
  assert.equal(r.code, 0, r.output);
}

function refs(host: string, repo: string): string {
  const r = g.as(host, `git --git-dir=repositories/${repo}.git for-each-ref --format='%(refname) %(objectname)'`);
  assert.equal(r.code, 0, r.output);
  return r.output.trim();
}

/** What gitolite on `host` serves to the admin over ssh. */
function served(host: string, repo: string): string {
  const r = spawnSync('git', ['ls-remote', `${host}:${repo}`], {
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH!, HOME: '/nonexistent', GIT_CONFIG_NOSYSTEM: '1', GIT_SSH_COMMAND: `ssh -F ${g.adminSshConfig}` },
  });
  assert.equal(r.status, 0, `${r.stderr}\n${r.error ?? ''}\nsshd log:\n${g.sshd.log().slice(-3000)}`);
  return r.stdout
    .split('\n')
    .filter((l) => l && !l.endsWith('\tHEAD'))
    .sort()
    .join('\n');
}

before(async () => {
  g = await startGitoliteHosts(['gl1', 'gl2']);
  g.setConf('gl1', mirrorConf([...COMMON, { repo: 'nm', master: 'gl1', options: ['mirror.copies = gl2'] }]));
  // gl2 believes a third host is nm's master, so gitolite there must refuse gl1's push.
  g.setConf('gl2', mirrorConf([...COMMON, { repo: 'nm', master: 'gl3', options: ['mirror.copies = gl2'] }]));
  for (const repo of ['r1', 'r2', 'r3', 'self', 'nm']) seed('gl1', repo, repo);
  seed('gl2', 'r4', 'r4');
});

after(async () => {
  await g?.stop();
});

test('gitolite mirror: plan lists master → copy pushes per ref and touches nothing', () => {
  const r = runCli(['mirror', 'plan', '--gitolite', g.hosts.gl1.home, '--all', '--json']);
  assert.equal(r.code, 1, r.stderr); // nm fails: gl2 does not take gl1 as nm's master
  const plan = JSON.parse(r.stdout);
  assert.equal(plan.hostname, 'gl1');
  const targets = plan.results.map((x: { repo: string; copy: string; type: string; status: string }) => `${x.repo}>${x.copy}:${x.type}:${x.status}`);
  assert.deepEqual(targets.sort(), ['nm>gl2:async:failed', 'r1>gl2:async:planned', 'r2>gl2:sync:planned', 'r3>gl2:nosync:planned', 'self>gl2:async:planned']);
  const r1 = plan.results.find((x: { repo: string }) => x.repo === 'r1');
  assert.deepEqual(r1.refs.map((x: { ref: string; change: string }) => `${x.change} ${x.ref}`).sort(), ['create refs/heads/dev', 'create refs/heads/master', 'create refs/tags/v1']);
  assert.deepEqual(
    plan.refused.map((x: { repo: string; reason: string; explicit: boolean }) => [x.repo, x.reason, x.explicit]),
    [
      ['elsewhere', "gl1: 'elsewhere' is mirrored but not here", false],
      ['r4', "gl1: 'r4' is a copy on this host (its master is 'gl2'); only the master pushes to copies", false],
    ],
  );
  // 'testing' is left over from `gitolite setup`: gitolite never deletes a repository.
  assert.deepEqual(plan.local.sort(), ['gitolite-admin', 'loc', 'testing']);
  assert.equal(refs('gl2', 'r1'), '', 'a plan pushes nothing');
});

test('gitolite mirror: push lands on the copy, gitolite there accepts it, nosync waits', () => {
  const r = runCli(['mirror', 'push', '--gitolite', g.hosts.gl1.home, 'r1', 'r2', 'r3', 'self']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /DENIED|FATAL/);
  assert.match(r.stdout, /^Mirror r1 -> gl2 \(async\): Succeeded! \(3 refs updated\)$/m);
  assert.match(r.stdout, /^Mirror r2 -> gl2 \(sync\): Succeeded! \(3 refs updated\)$/m);
  assert.match(r.stdout, /^Mirror r3 -> gl2 \(nosync\): NOT ATTEMPTED! manual mirror push pending for 'gl2' \(3 refs to update\)$/m);
  assert.match(r.stdout, /Mirroring completed successfully!/);
  for (const repo of ['r1', 'r2', 'self']) {
    assert.notEqual(refs('gl1', repo), '');
    assert.equal(refs('gl2', repo), refs('gl1', repo), repo);
    assert.equal(served('gl2', repo), served('gl1', repo), `gitolite on gl2 serves the same refs for ${repo}`);
  }
  assert.equal(refs('gl2', 'r3'), '', 'nosync copies are not pushed automatically');

  const manual = runCli(['mirror', 'push', '--gitolite', g.hosts.gl1.home, '--include-nosync', 'r3']);
  assert.equal(manual.code, 0, manual.stdout + manual.stderr);
  assert.match(manual.stdout, /^Mirror r3 -> gl2 \(nosync\): Succeeded!/m);
  assert.equal(served('gl2', 'r3'), served('gl1', 'r3'));
});

test('gitolite mirror: --mirror deletes refs on the copy; a second plan is up to date', () => {
  assert.equal(g.as('gl1', 'git --git-dir=repositories/r1.git update-ref -d refs/heads/dev').code, 0);
  const plan = JSON.parse(runCli(['mirror', 'plan', '--gitolite', g.hosts.gl1.home, '--json', 'r1']).stdout);
  assert.deepEqual(plan.results[0].refs.filter((x: { change: string }) => x.change !== 'up-to-date').map((x: { ref: string; change: string }) => `${x.change} ${x.ref}`), ['delete refs/heads/dev']);
  const r = runCli(['mirror', 'push', '--gitolite', g.hosts.gl1.home, 'r1']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(served('gl2', 'r1'), served('gl1', 'r1'));
  assert.doesNotMatch(served('gl2', 'r1'), /refs\/heads\/dev/);
  const again = runCli(['mirror', 'plan', '--gitolite', g.hosts.gl1.home, 'r1']);
  assert.match(again.stdout, /^Mirror r1 -> gl2 \(async\): plan \(up to date\)$/m);
  // The engine's own verbs take --gitolite too.
  const viaPlan = runCli(['plan', '--gitolite', g.hosts.gl1.home, 'r1']);
  assert.equal(viaPlan.stdout, again.stdout);
  const viaStart = runCli(['start', '--wait', '--now', '--gitolite', g.hosts.gl1.home, 'r1']);
  assert.equal(viaStart.code, 0, viaStart.stderr);
  assert.match(viaStart.stdout, /^Mirror r1 -> gl2 \(async\): Succeeded! \(up to date\)$/m);
});

test('gitolite mirror: a copy refuses to push, and the copy side refuses a wrong master', () => {
  const before = refs('gl1', 'r1');
  const fromCopy = runCli(['mirror', 'push', '--gitolite', g.hosts.gl2.home, 'r1']);
  assert.equal(fromCopy.code, 1);
  assert.match(fromCopy.stderr, /^error: gl2: 'r1' is a copy on this host \(its master is 'gl1'\); only the master pushes to copies$/m);
  assert.match(fromCopy.stdout, /Nothing to mirror/);
  assert.equal(refs('gl1', 'r1'), before);

  const notMaster = runCli(['mirror', 'push', '--gitolite', g.hosts.gl1.home, 'nm']);
  assert.equal(notMaster.code, 1);
  assert.match(notMaster.stdout, /Mirror nm -> gl2 \(async\): FAILED! .*FATAL: gl2: 'gl1' is not the master for 'nm'/s);
  assert.equal(refs('gl2', 'nm'), '');
  // As gitolite does, the failure is kept for `gitolite mirror status`.
  const status = join(g.hosts.gl1.repoPath('nm'), 'gl-copy-gl2.status');
  assert.match(readFileSync(status, 'utf8'), /not the master for 'nm'/);
  assert.match(g.as('gl1', 'gitolite mirror status all all').output, /^nm$/m);
});

test('gitolite mirror: a wild repository is created on the copy with its creator, then pushed', () => {
  const created = spawnSync('git', ['ls-remote', 'gl1:wild/one'], {
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH!, HOME: '/nonexistent', GIT_CONFIG_NOSYSTEM: '1', GIT_SSH_COMMAND: `ssh -F ${g.adminSshConfig}` },
  });
  assert.equal(created.status, 0, created.stderr);
  seed('gl1', 'wild/one', 'wild');
  assert.equal(existsSync(g.hosts.gl2.repoPath('wild/one')), false);
  const plan = runCli(['mirror', 'plan', '--gitolite', g.hosts.gl1.home, 'wild/one']);
  assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  assert.match(plan.stdout, /^Mirror wild\/one -> gl2 \(async\): plan \(3 refs to update\) \(wild repository would be created on the copy\)$/m);
  assert.equal(existsSync(g.hosts.gl2.repoPath('wild/one')), false, 'a plan creates nothing');
  const push = runCli(['mirror', 'push', '--gitolite', g.hosts.gl1.home, 'wild/one']);
  assert.equal(push.code, 0, push.stdout + push.stderr);
  assert.equal(served('gl2', 'wild/one'), served('gl1', 'wild/one'));
  assert.equal(readFileSync(join(g.hosts.gl2.repoPath('wild/one'), 'gl-creator'), 'utf8').trim(), 'admin');
});

test('gitolite mirror: gitolite.conf decides; a conf not yet compiled is pointed out; errors stop everything', () => {
  const confFile = join(g.hosts.gl1.home, '.gitolite', 'conf', 'gitolite.conf');
  const original = readFileSync(confFile, 'utf8');
  try {
    // The admin made gl2 the master of r2 but has not run `gitolite setup` yet.
    writeFileSync(confFile, original.replace(/repo r2\n(.*\n)*?    option mirror\.master    =   gl1\n    option mirror\.copies\.sync = gl2\n/, 'repo r2\n    RW+     =   admin\n    option mirror.master = gl2\n    option mirror.copies = gl1\n'));
    const r = runCli(['mirror', 'plan', '--gitolite', g.hosts.gl1.home, 'r2']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^warning: 'r2': gitolite\.conf says master 'gl2', copies gl1:async, but gitolite compiled master 'gl1', copies gl2:sync; run 'gitolite setup' on this host$/m);
    assert.match(r.stderr, /^error: gl1: 'r2' is a copy on this host \(its master is 'gl2'\)/m);

    writeFileSync(confFile, original + '\nrepo bad;name\n    RW+ = admin\n');
    const bad = runCli(['mirror', 'push', '--gitolite', g.hosts.gl1.home, '--all']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /gitolite\.conf:\d+:\d+: error: .*\[gl-[a-z-]+\]\nerror: the gitolite configuration has errors; nothing is mirrored/);
    assert.equal(bad.stdout, '');
  } finally {
    writeFileSync(confFile, original);
  }
});

test('gitolite mirror: HOSTNAME unset and bad arguments give clear errors', () => {
  const s = scratch();
  try {
    mkdirSync(join(s.dir, 'repositories', 'a.git'), { recursive: true });
    writeFileSync(join(s.dir, '.gitolite.rc'), "%RC = (\n    # HOSTNAME => 'foo',\n    UMASK => 0077,\n);\n");
    const r = runCli(['mirror', 'push', '--gitolite', s.dir, '--all']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /HOSTNAME not set in .*\.gitolite\.rc: gitolite mirroring is off on this host/);
    assert.equal(runCli(['mirror', 'push', '--gitolite', s.dir]).code, 2);
    assert.equal(runCli(['mirror', 'sync', '--gitolite', s.dir, '--all']).code, 2);
    const missing = runCli(['mirror', 'plan', '--gitolite', join(s.dir, 'nope'), '--all']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /\.gitolite\.rc: no such file/);
  } finally {
    s.cleanup();
  }
  const bad = runCli(['mirror', 'push', '--gitolite', g.hosts.gl1.home, '../r1', '-x']);
  assert.equal(bad.code, 2, 'an option-looking repository is a usage error');
  const dots = runCli(['mirror', 'push', '--gitolite', g.hosts.gl1.home, '../r1']);
  assert.equal(dots.code, 1);
  assert.match(dots.stderr, /refusing repository: the project name "\.\.\/r1" contains a '\.\.' path segment/);
  assert.equal(existsSync(join(g.hosts.gl1.home, 'r1.git')), false);
});
