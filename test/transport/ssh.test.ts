// Pushes over a real OpenSSH sshd on 127.0.0.1: host key checking, repository creation,
// HEAD and deletion over ssh, and injection attempts that must fail before git runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRepositoryOverSsh, deleteRepositoryOverSsh, setHeadOverSsh } from '../../server/src/engine/transport/adminSsh';
import { classifyGitFailure } from '../../server/src/engine/transport/gitErrors';
import { gitClient, runGit } from '../../server/src/engine/transport/gitRun';
import { UnsafeInputError, validateProjectName } from '../../server/src/engine/transport/safety';
import { prepareGit, TransportOptions } from '../../server/src/engine/transport/invocation';
import { scratch } from '../support/helpers';
import { generateKey, SshServer, startSshd } from '../infra/sshd';
import { git, makeBareRepo, makeSourceRepo, refsOf } from '../infra/gitRepos';

let sshd: SshServer;
let work: { dir: string; cleanup: () => void };
let source: string;
let opts: TransportOptions;

before(async () => {
  sshd = await startSshd();
  work = scratch('gr-ssh-');
  source = makeSourceRepo(join(work.dir, 'source.git'));
  opts = { knownHosts: sshd.knownHosts, identityFile: sshd.identityFile, sshConfig: 'none', timeout: 10 };
});

after(async () => {
  await sshd?.stop();
  work?.cleanup();
});

async function push(url: string, o: TransportOptions, refspec = 'refs/*:refs/*') {
  const inv = prepareGit(url, o);
  try {
    return await runGit(inv, ['push', '--porcelain', inv.url, refspec], { cwd: source, timeoutMs: 30_000 });
  } finally {
    inv.cleanup();
  }
}

test('ssh: a push to the real sshd lands every ref', async () => {
  const target = makeBareRepo(join(work.dir, 'plain.git'));
  const r = await push(sshd.url(target), opts);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\*\trefs\/heads\/master:refs\/heads\/master\t\[new branch\]$/m);
  assert.equal(refsOf(target), refsOf(source));
});

test('ssh: simple-git runs with the prepared invocation', async () => {
  const target = makeBareRepo(join(work.dir, 'simple.git'));
  const inv = prepareGit(sshd.url(target), opts);
  try {
    await gitClient(inv, source).push(inv.url, 'refs/heads/*:refs/heads/*');
  } finally {
    inv.cleanup();
  }
  assert.equal(git(target, 'rev-parse', 'refs/heads/stable'), git(source, 'rev-parse', 'refs/heads/stable'));
});

test('ssh: an unknown host key is refused and never written to known_hosts', async () => {
  const target = makeBareRepo(join(work.dir, 'unknown-host.git'));
  const empty = join(work.dir, 'known_hosts_empty');
  writeFileSync(empty, '');
  const before = statSync(empty);
  const r = await push(sshd.url(target), { ...opts, knownHosts: empty });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /No ED25519 host key is known for \[127\.0\.0\.1\]:\d+|Host key verification failed/);
  assert.equal(classifyGitFailure(r.stderr), 'host-key');
  assert.equal(readFileSync(empty, 'utf8'), '', 'known_hosts stays empty');
  assert.equal(statSync(empty).mtimeMs, before.mtimeMs);
  assert.equal(refsOf(target), '', 'nothing was pushed');
});

test('ssh: a changed host key is refused and known_hosts is left alone', async () => {
  const target = makeBareRepo(join(work.dir, 'changed-host.git'));
  const other = generateKey(join(work.dir, 'impostor'));
  const wrong = join(work.dir, 'known_hosts_wrong');
  const line = `[127.0.0.1]:${sshd.port} ${readFileSync(other + '.pub', 'utf8').trim().split(' ').slice(0, 2).join(' ')}\n`;
  writeFileSync(wrong, line);
  const r = await push(sshd.url(target), { ...opts, knownHosts: wrong });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  assert.equal(readFileSync(wrong, 'utf8'), line);
  assert.equal(refsOf(target), '');
});

test('ssh: inherited GIT_* variables and user config change nothing', async () => {
  const target = makeBareRepo(join(work.dir, 'clean-env.git'));
  const marker = join(work.dir, 'env-marker');
  const saved = { ...process.env };
  process.env.GIT_DIR = '/nonexistent';
  process.env.GIT_SSH_COMMAND = `touch ${marker}; false`;
  process.env.GIT_CONFIG_PARAMETERS = `'url.file:///nonexistent/.insteadof'='ssh://'`;
  process.env.GIT_CONFIG_GLOBAL = join(work.dir, 'evil-global');
  writeFileSync(join(work.dir, 'evil-global'), '[core]\n\tsshCommand = touch ' + marker + '\n');
  try {
    const r = await push(sshd.url(target), opts);
    assert.equal(r.code, 0, r.stderr);
  } finally {
    process.env = saved;
  }
  assert.equal(existsSync(marker), false);
  assert.equal(refsOf(target), refsOf(source));
});

test('ssh: create a missing repository over ssh, then push; HEAD and delete too', async () => {
  const path = join(work.dir, "created/it's a repo.git");
  const url = sshd.url(path);
  const before = await push(url, opts);
  assert.notEqual(before.code, 0, 'the repository does not exist yet');
  assert.match(before.stderr, /does not appear to be a git repository/);
  assert.equal(classifyGitFailure(before.stderr), 'missing-repository');

  const created = await createRepositoryOverSsh(url, 'refs/heads/stable', opts);
  assert.deepEqual(created, { ok: true });
  assert.equal(git(path, 'symbolic-ref', 'HEAD'), 'refs/heads/stable');
  assert.equal(git(path, 'rev-parse', '--is-bare-repository'), 'true');

  const r = await push(url, opts);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(refsOf(path), refsOf(source));

  assert.deepEqual(await setHeadOverSsh(url, 'refs/heads/master', opts), { ok: true });
  assert.equal(git(path, 'symbolic-ref', 'HEAD'), 'refs/heads/master');

  assert.deepEqual(await deleteRepositoryOverSsh(url, opts), { ok: true });
  assert.equal(existsSync(path), false);
  assert.equal(existsSync(join(work.dir, 'created')), true, 'only the repository is removed');
});

test('ssh: admin commands refuse unknown hosts and report a clear error', async () => {
  const empty = join(work.dir, 'known_hosts_admin');
  writeFileSync(empty, '');
  const r = await createRepositoryOverSsh(sshd.url(join(work.dir, 'never.git')), 'refs/heads/master', { ...opts, knownHosts: empty });
  assert.equal(r.ok, false);
  assert.match(r.error!, /Host key verification failed/);
  assert.match(r.error!, /ssh exited with code 255/);
  assert.equal(existsSync(join(work.dir, 'never.git')), false);
  assert.equal(readFileSync(empty, 'utf8'), '');
});

test('ssh: injection attempts are refused before git or ssh runs', async () => {
  const marker = join(work.dir, 'pwned');
  const attempts = [
    `-oProxyCommand=touch ${marker}`,
    `ssh://-oProxyCommand=touch%20${marker.replace(/\//g, '%2F')}/x.git`,
    `ext::sh -c touch% ${marker}`,
    `fd::3`,
    sshd.url(work.dir + '/../escape.git'),
    `${sshd.user}@127.0.0.1:-oops.git`,
  ];
  for (const url of attempts) {
    assert.throws(() => prepareGit(url, opts), UnsafeInputError, url);
    const a = await createRepositoryOverSsh(url, 'refs/heads/master', opts);
    assert.equal(a.ok, false, url);
    assert.match(a.error!, /^refusing remote URL: /);
    const d = await deleteRepositoryOverSsh(url, opts);
    assert.match(d.error!, /^refusing remote URL: /);
  }
  assert.throws(() => validateProjectName('../../etc'), UnsafeInputError);
  assert.throws(() => validateProjectName('-oProxyCommand=x'), UnsafeInputError);
  const h = await setHeadOverSsh(sshd.url(join(work.dir, 'x.git')), '-f', opts);
  assert.match(h.error!, /^refusing ref: /);
  // Even if an unsafe URL slipped past validation, git itself refuses the transport.
  const inv = prepareGit(sshd.url(join(work.dir, 'plain.git')), opts);
  try {
    const r = await runGit(inv, ['push', `ext::sh -c touch% ${marker}`, 'refs/heads/master'], { cwd: source });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /transport 'ext' not allowed/);
  } finally {
    inv.cleanup();
  }
  assert.equal(existsSync(marker), false, 'no injected command ran');
});

test('ssh: failures are classified as Gerrit retries them', async () => {
  const target = makeBareRepo(join(work.dir, 'classify.git'));
  const stranger = generateKey(join(work.dir, 'stranger'));
  const denied = await push(sshd.url(target), { ...opts, identityFile: stranger });
  assert.notEqual(denied.code, 0);
  assert.equal(classifyGitFailure(denied.stderr), 'authentication', denied.stderr);
  // A port nobody listens on: bind one, close it, connect.
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
  const refused = await push(`ssh://${sshd.user}@127.0.0.1:${port}${target}`, opts);
  assert.notEqual(refused.code, 0);
  assert.equal(classifyGitFailure(refused.stderr), 'connection', refused.stderr);
  const local = await push(join(work.dir, 'no-such-dir.git'), opts);
  assert.equal(classifyGitFailure(local.stderr), 'missing-repository', local.stderr);
});

test('ssh: an ssh_config (GIT_REPLICATION_SSH_CONFIG) supplies aliases but cannot relax host key checks', async () => {
  const target = makeBareRepo(join(work.dir, 'alias.git'));
  const emptyKnown = join(work.dir, 'alias_known_hosts_empty');
  writeFileSync(emptyKnown, '');
  const config = (known: string) =>
    `Host mirrorhost\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${sshd.identityFile}\n  IdentitiesOnly yes\n` +
    `  UserKnownHostsFile ${known}\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking no\n`;
  const good = join(work.dir, 'ssh_config_good');
  const lax = join(work.dir, 'ssh_config_lax');
  writeFileSync(good, config(sshd.knownHosts));
  writeFileSync(lax, config(emptyKnown));
  const saved = process.env.GIT_REPLICATION_SSH_CONFIG;
  try {
    process.env.GIT_REPLICATION_SSH_CONFIG = good;
    const ok = await push(`mirrorhost:${target}`, { timeout: 10 });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(refsOf(target), refsOf(source));
    process.env.GIT_REPLICATION_SSH_CONFIG = lax;
    const refused = await push(`ssh://mirrorhost${target}`, { timeout: 10 });
    assert.notEqual(refused.code, 0);
    assert.equal(classifyGitFailure(refused.stderr), 'host-key', refused.stderr);
    assert.equal(readFileSync(emptyKnown, 'utf8'), '', '"StrictHostKeyChecking no" in the config did not win');
    const admin = await createRepositoryOverSsh(`ssh://mirrorhost${join(work.dir, 'lax-created.git')}`, 'refs/heads/master', {});
    assert.equal(admin.ok, false);
    assert.equal(existsSync(join(work.dir, 'lax-created.git')), false);
  } finally {
    if (saved === undefined) delete process.env.GIT_REPLICATION_SSH_CONFIG;
    else process.env.GIT_REPLICATION_SSH_CONFIG = saved;
  }
});
