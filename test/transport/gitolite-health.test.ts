// `status --gitolite` and `explain --gitolite` against two real gitolite3 hosts behind a loopback
// sshd (test/infra/gitoliteHosts.ts): the copies' refs read by a dry-run push gitolite on the copy
// answers, and the last error read from the gl-copy-*.status file gitolite itself writes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/helpers';
import { GitoliteHosts, mirrorConf, startGitoliteHosts } from '../infra/gitoliteHosts';

let g: GitoliteHosts;

const COMMON = [
  { repo: 'insync', master: 'gl1', options: ['mirror.copies = gl2'] },
  { repo: 'behind', master: 'gl1', options: ['mirror.copies.sync = gl2'] },
  { repo: 'manual', master: 'gl1', options: ['mirror.copies.nosync = gl2'] },
  { repo: 'rewound', master: 'gl1', options: ['mirror.copies = gl2'] },
  { repo: 'self', master: 'gl1', options: ['mirror.copies = gl1 gl2'] },
  { repo: 'back', master: 'gl2', options: ['mirror.copies = gl1'] },
  { repo: 'loc' },
  { repo: 'wild/..*', master: 'gl1', options: ['mirror.copies = gl2'], rules: ['C = admin', 'RW+ = CREATOR'] },
];

/** Two commits on master (dev on the first), made by the hosting user in its repository. */
function seed(host: string, repo: string, tag: string) {
  const r = g.as(host, [
    `cd repositories/${repo}.git`,
    'export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@x GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@x',
    't=$(git hash-object -t tree -w --stdin </dev/null)',
    `c1=$(echo "${tag} one" | git commit-tree $t)`,
    `c2=$(echo "${tag} two" | git commit-tree $t -p $c1)`,
    'git update-ref refs/heads/master $c2',
    'git update-ref refs/heads/dev $c1',
  ].join(' && '));
  assert.equal(r.code, 0, r.output);
}

const status = (home: string, ...args: string[]) => runCli(['status', '--gitolite', home, ...args]);

before(async () => {
  g = await startGitoliteHosts(['gl1', 'gl2']);
  g.setConf('gl1', mirrorConf([...COMMON, { repo: 'nm', master: 'gl1', options: ['mirror.copies = gl2'] }]));
  // gl2 believes a third host is nm's master: it refuses gl1's pushes of nm.
  g.setConf('gl2', mirrorConf([...COMMON, { repo: 'nm', master: 'gl3', options: ['mirror.copies = gl2'] }]));
  for (const repo of ['insync', 'behind', 'manual', 'rewound', 'self', 'nm']) seed('gl1', repo, repo);
  const pushed = runCli(['mirror', 'push', '--gitolite', g.hosts.gl1.home, 'insync', 'rewound', 'self']);
  assert.equal(pushed.code, 0, pushed.stdout + pushed.stderr);
  // Rewound on the master after the push: the copy has a commit the master lost.
  assert.equal(g.as('gl1', 'cd repositories/rewound.git && git update-ref refs/heads/master refs/heads/dev').code, 0);
  // gitolite's own push of nm fails on gl2 and leaves its status file.
  const failed = g.as('gl1', 'gitolite mirror push gl2 nm');
  assert.notEqual(failed.code, 0, failed.output);
  assert.ok(existsSync(join(g.hosts.gl1.repoPath('nm'), 'gl-copy-gl2.status')), failed.output);
});

after(async () => {
  await g?.stop();
});

test('status --gitolite: each copy in sync, behind, diverged or refused, with gitolite\'s last error', () => {
  const r = status(g.hosts.gl1.home, '--json');
  assert.equal(r.code, 1, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.hostname, 'gl1');
  const by = Object.fromEntries(j.targets.map((t: { repo: string; copy: string }) => [`${t.repo}>${t.copy}`, t]));
  assert.deepEqual(Object.keys(by).sort(), ['behind>gl2', 'insync>gl2', 'manual>gl2', 'nm>gl2', 'rewound>gl2', 'self>gl2']);
  assert.equal(by['insync>gl2'].health, 'in-sync');
  assert.equal(by['self>gl2'].health, 'in-sync');
  assert.equal(by['behind>gl2'].health, 'behind');
  assert.equal(by['behind>gl2'].type, 'sync');
  assert.deepEqual(by['behind>gl2'].refs.map((x: { kind: string; ref: string }) => `${x.kind} ${x.ref}`).sort(), ['create refs/heads/dev', 'create refs/heads/master']);
  assert.ok(Date.now() - Date.parse(by['behind>gl2'].oldestUnreplicated) < 3600_000);
  assert.equal(by['manual>gl2'].health, 'behind');
  assert.equal(by['rewound>gl2'].health, 'diverged');
  assert.deepEqual(by['rewound>gl2'].refs.map((x: { kind: string; ref: string }) => `${x.kind} ${x.ref}`), ['forced refs/heads/master']);
  const nm = by['nm>gl2'];
  assert.equal(nm.health, 'unreachable');
  assert.match(nm.error, /FATAL: gl2: 'gl1' is not the master for 'nm'/);
  // The file gitolite wrote: TIMESTAMP<TAB>TID<TAB>output, local time.
  assert.match(nm.lastError.message, /not the master for 'nm'/);
  assert.ok(Math.abs(Date.now() - Date.parse(nm.lastError.at)) < 3600_000, nm.lastError.at);
  assert.deepEqual(j.counts, { 'in-sync': 2, behind: 2, diverged: 1, 'missing-repository': 0, unreachable: 1 });
  assert.ok(j.refused.some((x: { repo: string; reason: string }) => x.repo === 'back' && /is a copy on this host/.test(x.reason)));

  const text = status(g.hosts.gl1.home);
  assert.equal(text.code, 1);
  for (const l of text.stdout.split('\n')) assert.ok([...l].length <= 80, `wider than 80: ${l}`);
  assert.match(text.stdout, /^behind +behind → gl2 \(sync\)$/m);
  assert.match(text.stdout, /^ {2}2 ref\(s\) differ, oldest update \d+s ago$/m);
  assert.match(text.stdout, /^ {2}nosync: pushed by hand only/m);
  assert.match(text.stdout, /^diverged +rewound → gl2 \(async\)$/m);
  assert.match(text.stdout, /^ {2}last error: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \(gl-copy-gl2\.status\)\n {4}.*FATAL: gl2: 'gl1' is not the master for 'nm'/m);
  assert.match(text.stdout, /^6 copy target\(s\): 2 in sync, 2 behind, 1 diverged, 0 missing, 1 unreachable$/m);

  // A status reads; it pushes nothing and leaves gitolite's files alone.
  assert.equal(status(g.hosts.gl1.home, 'behind', '--json').code, 1);
  assert.equal(g.as('gl2', 'git --git-dir=repositories/behind.git for-each-ref').output.trim(), '');
  assert.ok(existsSync(join(g.hosts.gl1.repoPath('nm'), 'gl-copy-gl2.status')));

  // In sync only: exit 0. A repository that is a copy here, named: exit 1 with the reason.
  assert.equal(status(g.hosts.gl1.home, 'insync', 'self').code, 0);
  const back = status(g.hosts.gl1.home, 'back');
  assert.equal(back.code, 1);
  assert.match(back.stderr, /error: gl1: 'back' is a copy on this host/);
  assert.equal(runCli(['status', '--gitolite', g.hosts.gl1.home, '--remote', 'x']).code, 2);
});

test('explain --gitolite: master, copy types, self, nosync, a copy host, a missing ref and the last error', () => {
  const sync = runCli(['explain', '--gitolite', g.hosts.gl1.home, 'behind', 'refs/heads/master']);
  assert.equal(sync.code, 0, sync.stdout + sync.stderr);
  assert.match(sync.stdout, /^behind on gl1 \(master\): mirrored$/m);
  assert.match(sync.stdout, /^ {2}· mirror\.master: "gl1" \(.*gitolite\.conf:\d+\)$/m);
  assert.match(sync.stdout, /^ {2}✓ mode: master/m);
  assert.match(sync.stdout, /^ {2}✓ push --mirror: refs\/heads\/master exists here/m);
  assert.match(sync.stdout, /^ {2}copy gl2 \(sync\): mirrored$/m);
  assert.match(sync.stdout, /✓ mirror\.copies\.sync: pushed before the user's push returns/);

  const manual = runCli(['explain', '--gitolite', g.hosts.gl1.home, 'manual']);
  assert.equal(manual.code, 1);
  assert.match(manual.stdout, /copy gl2 \(nosync\): not mirrored automatically[\s\S]*✗ mirror\.copies\.nosync: never pushed on its own: run 'gitolite mirror push gl2 manual'/);

  const self = JSON.parse(runCli(['explain', '--gitolite', g.hosts.gl1.home, '--json', 'self']).stdout);
  assert.deepEqual(self.copies.map((c: { copy: string; replicated: boolean }) => [c.copy, c.replicated]), [['gl1', false], ['gl2', true]]);
  assert.match(self.copies[0].steps[0].detail, /skipping self/);

  const copy = runCli(['explain', '--gitolite', g.hosts.gl2.home, 'insync']);
  assert.equal(copy.code, 1);
  assert.match(copy.stdout, /^ {2}✗ mode: copy: only the master "gl1" pushes to the copies; a user's push here is refused/m);

  const gone = runCli(['explain', '--gitolite', g.hosts.gl1.home, 'insync', 'refs/heads/nope']);
  assert.match(gone.stdout, /· push --mirror: refs\/heads\/nope does not exist here: 'git push --mirror' deletes it on the copies/);

  const nm = runCli(['explain', '--gitolite', g.hosts.gl1.home, 'nm']);
  assert.match(nm.stdout, /· gl-copy-gl2\.status: the last push failed \(.*\): .*not the master for 'nm'/);

  const wild = JSON.parse(runCli(['explain', '--gitolite', g.hosts.gl1.home, '--json', 'wild/new']).stdout);
  assert.equal(wild.existsHere, false);
  assert.match(wild.steps.find((s: { rule: string }) => s.rule === 'repo (wild pattern)')?.detail ?? '', /pattern "wild\/\.\.\*"/);

  const loc = runCli(['explain', '--gitolite', g.hosts.gl1.home, 'loc']);
  assert.equal(loc.code, 1);
  assert.match(loc.stdout, /✗ mode: local: no master and no copies/);
});
