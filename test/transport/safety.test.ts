import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseGitUrl } from '../../server/src/engine/transport/gitUrl';
import { projectNameProblem, refNameProblem, remoteUrlProblem, UnsafeInputError, validateAdminUrl, validateProjectName, validateRemoteUrl } from '../../server/src/engine/transport/safety';
import { displayUrl, prepareGit, redact, withoutUrlPassword } from '../../server/src/engine/transport/invocation';
import { quoteRemotePath } from '../../server/src/engine/transport/adminSsh';
import { gitSshCommand } from '../../server/src/engine/transport/ssh';
import { scratch } from '../support/helpers';

test('safety: plain file, ssh, scp-like, http(s) and git URLs are accepted', () => {
  for (const url of [
    '/srv/mirrors/a/b.git',
    'file:///srv/mirrors/a.git',
    'ssh://git@host.example:29418/a/b.git',
    'git+ssh://host/~/repos/a.git',
    'git@host.example:a/b.git',
    'host:~user/a.git',
    'https://host.example/git/a.git',
    'http://[::1]:8080/a.git',
    'git://host.example/a.git',
  ]) {
    assert.equal(remoteUrlProblem(url), undefined, url);
  }
});

test('safety: option injection, command transports and .. segments are refused', () => {
  const cases: Array<[string, RegExp]> = [
    ['-oProxyCommand=touch /tmp/pwned', /starts with '-'/],
    ['--upload-pack=touch x', /starts with '-'/],
    ['ext::sh -c touch% /tmp/pwned', /'ext::' transport, which runs arbitrary commands/],
    ['EXT::sh -c id', /'ext::' transport/],
    ['fd::3', /'fd::' transport, which runs arbitrary commands/],
    ['gcrypt::rsync://x/y', /'gcrypt::' transport, which starts an external remote helper/],
    ['ssh://-oProxyCommand=touch%20x/y.git', /host in the URL starts with '-'/],
    ['ssh://-oProxyCommand=x@host/y.git', /user name in the URL starts with '-'/],
    ['host:-oops.git', /repository path starts with '-'/],
    ['ssh://host/srv/../etc/passwd', /'\.\.' path segment/],
    ['ssh://host/srv/%2e%2e/etc', /'\.\.' path segment/],
    ['https://host/a/../b.git', /'\.\.' path segment/],
    ['/srv/git/../../etc', /'\.\.' path segment/],
    ['file:///srv/../x.git', /'\.\.' path segment/],
    ['ftp://host/a.git', /unsupported transport 'ftp:\/\/'/],
    ['rsync://host/a.git', /unsupported transport/],
    ['gerrit+ssh://host/a', /unsupported transport 'gerrit\+ssh:\/\/'/],
    ['ssh://ho;st/a.git', /not allowed in a host name/],
    ['ssh://host/a\n.git', /control character/],
    [' /srv/a.git', /white space/],
    ['', /empty/],
  ];
  for (const [url, why] of cases) {
    const p = remoteUrlProblem(url);
    assert.ok(p, `should refuse ${JSON.stringify(url)}`);
    assert.match(p!, why, url);
    assert.throws(() => validateRemoteUrl(url), UnsafeInputError);
  }
  assert.equal(validateAdminUrl('gerrit+ssh://host:29418/').kind, 'other');
});

test('safety: project names follow Gerrit and refuse -, ~ and .. tricks', () => {
  for (const ok of ['a', 'a/b', 'plugins/replication', 'a b', 'a.b/c-d_e', 'x.git']) assert.equal(projectNameProblem(ok), undefined, ok);
  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['-oProxyCommand=x', /starts with '-'/],
    ['--upload-pack=x', /starts with '-'/],
    ['~root/x', /starts with '~'/],
    ['../x', /'\.\.' path segment/],
    ['a/../../x', /'\.\.' path segment/],
    ['..', /'\.\.' path segment/],
    ['a/./b', /'\.' path segment/],
    ['/abs', /absolute path/],
    ['a/', /ends with '\/'/],
    ['a//b', /'\/\/'/],
    ['a\\b', /contains '\\'/],
    ['a.git/b', /'\.git\/'/],
    ['a$b', /'\$'/],
    ['a:b', /':'/],
    ['a\nb', /control character/],
  ];
  for (const [name, why] of bad) {
    assert.match(projectNameProblem(name) ?? '', why, JSON.stringify(name));
    assert.throws(() => validateProjectName(name), (e: Error) => e instanceof UnsafeInputError && /^refusing project: /.test(e.message));
  }
});

test('safety: ref names for HEAD', () => {
  assert.equal(refNameProblem('refs/heads/master'), undefined);
  for (const r of ['master', '-x', 'refs/heads/a b', 'refs/heads/a..b', 'refs/heads/a.lock', 'refs/heads/a~1', 'refs/heads/a:b', 'refs/heads/.x']) {
    assert.ok(refNameProblem(r), r);
  }
  // Legal ref names with shell characters are accepted: the remote command quotes them.
  assert.equal(refNameProblem('refs/heads/x;rm'), undefined);
});

test('transport: URL parsing and display never show user info', () => {
  const p = parseGitUrl('https://u%40x:p%3Ass@w@host:8443/a%20b.git');
  assert.deepEqual([p.kind, p.user, p.password, p.host, p.port, p.path], ['http', 'u@x', 'p:ss@w', 'host', 8443, '/a b.git']);
  assert.equal(displayUrl('https://u:p@ss@host/a.git'), 'https://host/a.git');
  assert.equal(displayUrl('ssh://git@host:29418/a.git'), 'ssh://host:29418/a.git');
  assert.equal(displayUrl('/srv/a.git'), '/srv/a.git');
  const s = parseGitUrl('git@host:a/b.git');
  assert.deepEqual([s.kind, s.scpLike, s.user, s.host, s.path], ['ssh', true, 'git', 'host', 'a/b.git']);
});

test('transport: redact replaces secrets, their URL encoding and URL passwords', () => {
  assert.equal(redact('x s3cr3t/y s3cr3t', ['s3cr3t']), 'x ***/y ***');
  assert.equal(redact('https://u:p%40ss@h/', ['p@ss']), 'https://u:***@h/');
  assert.equal(redact('see https://bob:hunter2@h/x', []), 'see https://bob:***@h/x');
  assert.equal(redact('abcdef', ['abc', 'abcdef']), '***');
});

test('transport: prepareGit gives a clean environment and moves URL credentials out of band', () => {
  const saved = { ...process.env };
  process.env.GIT_DIR = '/nonexistent';
  process.env.GIT_SSH_COMMAND = 'touch /tmp/should-not-run';
  process.env.GIT_CONFIG_PARAMETERS = "'core.sshcommand'='evil'";
  process.env.SSH_AUTH_SOCK = '/tmp/agent';
  try {
    const inv = prepareGit('https://alice:pa55%20word@host.example/a.git', { timeout: 30 });
    try {
      assert.equal(inv.url, 'https://host.example/a.git');
      assert.equal(inv.displayUrl, 'https://host.example/a.git');
      assert.deepEqual(inv.secrets.sort(), ['pa55 word', 'pa55%20word'].sort());
      for (const k of Object.keys(inv.env)) assert.ok(!['GIT_DIR', 'GIT_CONFIG_PARAMETERS', 'SSH_AUTH_SOCK'].includes(k), k);
      assert.equal(inv.env.GIT_TERMINAL_PROMPT, '0');
      assert.equal(inv.env.GIT_CONFIG_NOSYSTEM, '1');
      assert.equal(inv.env.GIT_CONFIG_GLOBAL, '/dev/null');
      assert.deepEqual(inv.env.GIT_ALLOW_PROTOCOL.split(':').sort(), ['file', 'git', 'http', 'https', 'ssh']);
      assert.match(inv.env.GIT_SSH_COMMAND, /StrictHostKeyChecking=yes/);
      assert.doesNotMatch(inv.env.GIT_SSH_COMMAND, /accept-new|StrictHostKeyChecking=no/);
      assert.ok(statSync(inv.env.HOME).isDirectory());
      assert.equal(statSync(inv.env.HOME).mode & 0o077, 0);
      const all = JSON.stringify([inv.env, inv.configArgs, inv.config, inv.url, inv.displayUrl]);
      assert.ok(!all.includes('pa55'), 'no secret in env, argv or URLs');
      assert.deepEqual(inv.configArgs.filter((a, i) => i % 2 === 0), inv.config.map(() => '-c'));
      const helper = /^credential\.https:\/\/host\.example\.helper=!(.*)$/.exec(inv.config.find((c) => c.startsWith('credential.https'))!)![1];
      const dir = helper.replace(/\/helper$/, '');
      assert.equal(statSync(dir).mode & 0o077, 0);
      assert.equal(statSync(join(dir, 'answer')).mode & 0o777, 0o600);
      assert.match(readFileSync(join(dir, 'answer'), 'utf8'), /^username=alice\npassword=pa55 word\n$/);
      assert.ok(inv.config.includes('credential.helper='), 'other helpers are cleared first');
      assert.ok(inv.config.includes('http.lowSpeedTime=30'));
      inv.cleanup();
      assert.equal(existsSync(dir), false, 'cleanup removes the credential files');
    } finally {
      inv.cleanup();
    }
  } finally {
    process.env = saved;
  }
});

test('transport: ssh command quoting and remote path quoting', () => {
  const s = scratch('gr safety ');
  try {
    const cmd = gitSshCommand({ knownHosts: join(s.dir, 'known hosts'), identityFile: join(s.dir, "id'x"), sshConfig: 'none', timeout: 5 });
    assert.match(cmd, /^ssh -F none -o BatchMode=yes -o StrictHostKeyChecking=yes -o UpdateHostKeys=no /);
    assert.ok(cmd.includes(`'UserKnownHostsFile="${join(s.dir, 'known hosts')}"'`), cmd);
    assert.ok(cmd.includes(`'${join(s.dir, "id'\\''x")}'`), cmd);
    assert.match(cmd, /ConnectTimeout=5/);
  } finally {
    s.cleanup();
  }
  assert.equal(quoteRemotePath('/srv/a b.git'), "'/srv/a b.git'");
  assert.equal(quoteRemotePath("/srv/x';rm -rf ~;'.git"), "'/srv/x'\\'';rm -rf ~;'\\''.git'");
  assert.equal(quoteRemotePath('~/repos/a.git'), '~/repos/a.git');
  assert.equal(quoteRemotePath('~git/r $x.git'), "~git/'r $x.git'");
  assert.equal(quoteRemotePath('~`id`/x'), "'~`id`/x'");
});

test('transport: prepareGit refuses unsafe URLs before anything runs', () => {
  assert.throws(() => prepareGit('ext::sh -c touch% /tmp/x'), /refusing remote URL: the URL uses the 'ext::' transport/);
  assert.throws(() => prepareGit('-oProxyCommand=id'), /refusing remote URL: the URL "-oProxyCommand=id" starts with '-'/);
  assert.throws(() => prepareGit('http://h/a.git', { credentials: { username: 'u', password: 'a\nprotocol=http' } }), /newline/);
});

test('transport: withoutUrlPassword keeps the user and hands the password back', () => {
  assert.deepEqual(withoutUrlPassword('https://bob:p%40ss@host/a/${name}.git'), { url: 'https://bob@host/a/${name}.git', username: 'bob', password: 'p@ss' });
  assert.deepEqual(withoutUrlPassword('https://:tok@host/x.git'), { url: 'https://host/x.git', username: '', password: 'tok' });
  assert.deepEqual(withoutUrlPassword('ssh://git@host/x.git'), { url: 'ssh://git@host/x.git' });
  assert.deepEqual(withoutUrlPassword('/srv/x.git'), { url: '/srv/x.git' });
});

test('transport: credential files left by a killed process are swept by the next one', async () => {
  const s = scratch();
  try {
    const mod = join(__dirname, '..', '..', 'server', 'src', 'engine', 'transport', 'invocation.js');
    const env = { ...process.env, TMPDIR: s.dir };
    const writer = `const t = require(${JSON.stringify(mod)}); t.prepareGit('https://h/x.git', { credentials: { username: 'u', password: 'left-behind' } }); console.log('ready'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', writer], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((res) => child.stdout!.on('data', () => res()));
    child.kill('SIGKILL');
    await new Promise((res) => child.once('exit', res));
    const left = readdirSync(s.dir).filter((n) => n.startsWith('git-replication-cred-'));
    assert.equal(left.length, 1, 'kill -9 leaves the credential dir behind');
    const next = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(mod)}).prepareGit('https://h/y.git', {}).cleanup()`], { env });
    assert.equal(next.status, 0, String(next.stderr));
    assert.deepEqual(readdirSync(s.dir).filter((n) => n.startsWith('git-replication-cred-')), [], 'the next process swept it');
  } finally {
    s.cleanup();
  }
});
