// `git-replication check` on a gitolite home and on a gitolite-admin clone (rc via --rc or beside it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, runCli, scratch } from '../support/helpers';

const SITES = join(FIXTURES, 'gitolite', 'sites');

test('check a gitolite home: clean, exit 0; the model files are found below the home', () => {
  const r = runCli(['check', join(SITES, 'home-v3')]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.stdout.trim(), '');
  const one = runCli(['check', '--format', 'json', join(SITES, 'home-v3', '.gitolite', 'conf', 'gitolite.conf')]);
  assert.deepEqual(JSON.parse(one.stdout).diagnostics, []);
});

test('check a gitolite-admin clone with --rc: the HOSTNAME typo is reported in the rc, with a did-you-mean', () => {
  const rc = join(SITES, 'admin-v2', 'server', '.gitolite.rc');
  const r = runCli(['check', '--rc', rc, join(SITES, 'admin-v2')]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, r.stdout);
  assert.match(lines[0], /server\/\.gitolite\.rc:2:16: warning: \$GL_HOSTNAME 'serer1' is not the master or a copy of any repo in gitolite\.conf \(hosts there: 'server1', 'server2'\); did you mean 'server1'\? .*\[gl-mirror-hostname-unknown\]$/);
  assert.equal(runCli(['check', '--rc', join(SITES, 'nope.rc'), join(SITES, 'admin-v2')]).code, 2);
});

test('check a gitolite-admin clone without an rc: default v3 rc, so v2 mirror lines are gitolite FATALs', () => {
  const r = runCli(['check', join(SITES, 'admin-v2')]);
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stdout, /^conf\/gitolite\.conf:1:1: info: no \.gitolite\.rc found/m);
  assert.match(r.stdout, /^conf\/gitolite\.conf:6:16: error: git config 'gitolite\.mirror\.master' not allowed\ncheck GIT_CONFIG_KEYS in the rc file \[gl-config-not-allowed\]$/m);
});

test('check a gitolite-admin clone with the rc beside conf/: mirror findings land where the fix belongs', () => {
  const s = scratch('gr-gl-cli-');
  try {
    cpSync(join(SITES, 'home-v3', '.gitolite', 'conf'), join(s.dir, 'conf'), { recursive: true });
    writeFileSync(join(s.dir, '.gitolite.rc'), "%RC = (\n    GIT_CONFIG_KEYS => '',\n    HOSTNAME => 'marz',\n    ENABLE => [ 'help', 'ssh-authkeys', 'git-config' ],\n);\n1;\n");
    mkdirSync(join(s.dir, 'keydir'));
    const r = runCli(['check', '--format', 'json', s.dir]);
    assert.equal(r.code, 0, r.stdout);
    const ds = JSON.parse(r.stdout).diagnostics as Array<{ file: string; line: number; code: string; message: string }>;
    assert.deepEqual(ds.map((d) => `${d.file}:${d.line}:${d.code}`).sort(), ['.gitolite.rc:3:gl-mirror-hostname-unknown', '.gitolite.rc:4:gl-mirror-trigger-disabled']);
    assert.match(ds.find((d) => d.code === 'gl-mirror-hostname-unknown')!.message, /did you mean 'mars'\?.*FATAL: marz: '.*' is mirrored but not here/);
  } finally {
    s.cleanup();
  }
});

test('check --hosts on two gitolite-admin clones: keydir and the confs are compared; text output adds the other place', () => {
  const s = scratch('gr-gl-hosts-cli-');
  try {
    const clone = (name: string, conf: string, keys: string[]) => {
      const d = join(s.dir, name);
      mkdirSync(join(d, 'conf'), { recursive: true });
      mkdirSync(join(d, 'keydir'));
      writeFileSync(join(d, 'conf', 'gitolite.conf'), conf);
      for (const k of keys) writeFileSync(join(d, 'keydir', `${k}.pub`), `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${k.length} ${k}\n`);
      return d;
    };
    const head = 'repo gitolite-admin\n    RW+ = admin\n';
    const a = clone('a', head + 'repo r1\n    RW+ = admin\n    option mirror.master = gl1\n    option mirror.copies = gl2\n', ['admin', 'server-gl2']);
    const b = clone('b', head + 'repo r1\n    RW+ = admin\n    option mirror.master = gl1\n    option mirror.copies = gl2\nrepo r2\n    RW+ = admin\n', ['admin']);
    const r = runCli(['check', '--hosts', 'gl1=a', 'gl2=b'], { cwd: s.dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = r.stdout.trim().split('\n').filter((l) => !/no \.gitolite\.rc found/.test(l));
    assert.deepEqual(lines, [
      "b/conf/gitolite.conf:5:5: error: 'gl2' has no keydir/server-gl1.pub, so it refuses every mirror push from 'gl1' (ssh: \"Permission denied (publickey)\"); 'gl1' pushes 'r1' to it: add 'gl1''s public key as keydir/server-gl1.pub on 'gl2' [gl-hosts-key-missing]",
      'a/conf/gitolite.conf:6:5: note: gl1: option mirror.copies = gl2',
    ]);
    const json = JSON.parse(runCli(['check', '--format', 'json', '--hosts', `gl1=${a}`, `gl2=${b}`]).stdout).diagnostics.filter((d: { code: string }) => d.code.startsWith('gl-hosts'));
    assert.equal(json.length, 1);
    assert.deepEqual(json[0].related, [{ file: join(a, 'conf', 'gitolite.conf'), line: 6, column: 5, message: 'gl1: option mirror.copies = gl2' }]);
  } finally {
    s.cleanup();
  }
});
