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
