// The engine's commands over SSH to a real sshd: a missing mirror is created over ssh
// (createMissingRepositories: mkdir + git init --bare + HEAD) and then pushed; an unknown
// host key stops everything and is never learned.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, scratch } from '../support/helpers';
import { SshServer, startSshd } from '../infra/sshd';
import { git, makeSourceRepo, refsOf } from '../infra/gitRepos';

let sshd: SshServer;
let work: { dir: string; cleanup: () => void };

before(async () => {
  sshd = await startSshd();
  work = scratch('gr-cli-ssh-');
});

after(async () => {
  await sshd?.stop();
  work?.cleanup();
});

function sshConfig(name: string, knownHosts: string): string {
  const f = join(work.dir, name);
  writeFileSync(
    f,
    `Host mirrorhost\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${sshd.identityFile}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${knownHosts}\n  GlobalKnownHostsFile /dev/null\n`,
  );
  return f;
}

function cli(args: string[], sshConfigFile: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.001', GIT_REPLICATION_SSH_CONFIG: sshConfigFile };
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function makeSite(name: string): { site: string; mirrors: string } {
  const site = join(work.dir, name);
  const mirrors = join(work.dir, `${name}-mirrors`);
  mkdirSync(join(site, 'etc'), { recursive: true });
  writeFileSync(join(site, 'etc', 'replication.config'), `[remote "ssh"]\n  url = ssh://mirrorhost${mirrors}/\${name}.git\n  replicationDelay = 0\n  replicationMaxRetries = 1\n`);
  makeSourceRepo(join(site, 'git', 'alpha.git'), ['main', 'stable']);
  makeSourceRepo(join(site, 'git', 'team', 'beta.git'));
  return { site, mirrors };
}

test('cli over ssh: missing mirrors are created over ssh, with HEAD, then pushed', async () => {
  const { site, mirrors } = makeSite('site');
  const cfg = sshConfig('ssh_config', sshd.knownHosts);
  const plan = await cli(['plan', '--site', site], cfg);
  assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  assert.match(plan.stdout, /alpha → ssh {2}ssh:\/\/mirrorhost.*\/alpha\.git {2}\(repository would be created\)/);
  assert.equal(existsSync(mirrors), false, 'a plan creates nothing');

  const start = await cli(['start', '--site', site, '--wait', '--now', '--all'], cfg);
  assert.equal(start.code, 0, start.stdout + start.stderr);
  assert.match(start.stdout, /Replication completed successfully!/);
  for (const p of ['alpha', 'team/beta']) {
    const m = join(mirrors, `${p}.git`);
    assert.equal(refsOf(m), refsOf(join(site, 'git', `${p}.git`)), p);
    assert.equal(git(m, 'symbolic-ref', 'HEAD'), git(join(site, 'git', `${p}.git`), 'symbolic-ref', 'HEAD'), `${p}: HEAD set at creation`);
  }
  const again = await cli(['plan', '--site', site], cfg);
  assert.doesNotMatch(again.stdout, /create|would be created/);
});

test('cli over ssh: an unknown host key stops the push and is never learned', async () => {
  const { site, mirrors } = makeSite('site-unknown');
  const empty = join(work.dir, 'known_hosts_empty');
  writeFileSync(empty, '');
  const cfg = sshConfig('ssh_config_unknown', empty);
  const plan = await cli(['plan', '--site', site], cfg);
  assert.equal(plan.code, 1);
  assert.match(plan.stdout, /unreachable: .*(Host key verification failed|No ED25519 host key is known)/s);
  const start = await cli(['start', '--site', site, '--wait', '--now', 'alpha'], cfg);
  assert.match(start.stdout, /FAILED!/);
  assert.equal(existsSync(mirrors), false, 'nothing was created on the unknown host');
  assert.equal(readFileSync(empty, 'utf8'), '');
});
