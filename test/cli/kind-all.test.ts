// `check FILE` on a file whose kind its name does not tell, `check --kind`, and `plan --all`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratch } from '../support/helpers';
import { bare, git, workRepo, writeSite } from '../support/engine-helpers';

test('check on a file of unknown kind says so and exits 2; --kind names the kind', () => {
  const s = scratch();
  try {
    const f = join(s.dir, 'my-replication.config');
    writeFileSync(f, '[remote "a"]\n  url = ssh://h/x.git\n  2bad = 1\n');
    const r = runCli(['check', f]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /my-replication\.config: cannot tell which kind of file this is; name it with --kind replication\|secure\|fanout\|gitolite\|rc/);
    assert.equal(r.stdout, '');
    // The same file checked as a replication.config: its errors, file:line, exit 1.
    const k = runCli(['check', '--kind', 'replication', f]);
    assert.equal(k.code, 1, k.stderr);
    assert.match(k.stdout, /my-replication\.config:2:\d+: error: .*lacks \$\{name\}/);
    assert.match(k.stdout, /my-replication\.config:3:3: error: .*\[key-starts-with-digit\]/);
    const bad = runCli(['check', '--kind', 'yaml', f]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--kind must be one of replication, secure, fanout, gitolite, rc/);
    // gitolite: a conf outside conf/ under another name.
    const conf = join(s.dir, 'admin.conf');
    writeFileSync(conf, 'repo foo\n    RW+ = alice\n    RW = \n');
    assert.equal(runCli(['check', conf]).code, 2);
    const g = runCli(['check', '--kind', 'gitolite', conf]);
    assert.match(g.stdout, /admin\.conf:3:5: warning: syntax error, ignoring: 'RW =' \[gl-syntax\]/);
    assert.equal(g.code, 0, g.stdout + g.stderr);
    // A directory still checks only the files it recognises, and says nothing of the others.
    mkdirSync(join(s.dir, 'etc'));
    writeFileSync(join(s.dir, 'etc', 'replication.config'), '[remote "a"]\n  url = ssh://h/${name}.git\n');
    const dir = runCli(['check', s.dir]);
    assert.equal(dir.code, 0, dir.stdout + dir.stderr);
    assert.equal(dir.stderr, '');
  } finally {
    s.cleanup();
  }
});

test('plan --all plans every project, like start --all, and refuses --all with a PROJECT', () => {
  const s = scratch('gr-cli-');
  try {
    const dir = join(s.dir, 'site');
    writeSite(dir, `[remote "mirror"]\n  url = ${s.dir}/mirrors/\${name}.git\n`);
    const w = workRepo(join(s.dir, 'work'));
    const tip = w.commit('x');
    for (const p of ['alpha', 'team/beta']) git(w.dir, 'push', '-q', bare(join(dir, 'git', `${p}.git`)), `${tip}:refs/heads/master`);
    const all = runCli(['plan', '--site', dir, '--all', '--json']);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(JSON.parse(all.stdout).targets.map((t: { project: string }) => t.project).sort(), ['alpha', 'team/beta']);
    const both = runCli(['plan', '--site', dir, '--all', 'alpha']);
    assert.equal(both.code, 1);
    assert.equal(both.stderr.trim(), 'error: cannot combine --all and PROJECT');
  } finally {
    s.cleanup();
  }
});
