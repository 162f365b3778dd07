// kill -9 chaos (issue 9, D2): a daemon killed mid-push leaves its `git push` running; the
// restarted daemon must neither race it nor drop a task because the race made a ref update fail.
// Real daemon processes, real git, a real sshd. The mirror's pre-receive hook sleeps: it stands
// for a large pack in transit and makes "mid-push" a moment the test can wait for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, runCli, scratch } from '../support/helpers';
import { bare, git, refsOf, workRepo, writeSite } from '../support/engine-helpers';
import { startSshd, type SshServer } from '../infra/sshd';
import { type Daemon, kill9, sleep, startDaemon as spawnDaemon, stopDaemon, until } from '../support/daemon';

const startDaemon = (site: string, env: NodeJS.ProcessEnv) => spawnDaemon(site, { env });

const SCALE = '0.05'; // replicationDelay 1 s → 50 ms, replicationRetry 1 min → 3 s

let sshd: SshServer;
before(async () => {
  sshd = await startSshd();
});
after(async () => {
  await sshd?.stop();
});







function pendingTasks(site: string): string[] {
  const root = join(site, 'data', 'replication', 'ref-updates');
  const out: string[] = [];
  for (const d of ['waiting', 'running']) if (existsSync(join(root, d))) out.push(...readdirSync(join(root, d)).map((f) => `${d}/${f}`));
  return out;
}

/** A pre-receive hook that records each push it sees and then sleeps `seconds`. */
function slowHook(mirror: string, marks: string, seconds: number): void {
  mkdirSync(marks, { recursive: true });
  const hook = join(mirror, 'hooks', 'pre-receive');
  writeFileSync(hook, `#!/bin/sh\nread old new ref\necho "$new" > "${marks}/push.$$"\nsleep ${seconds}\n`);
  chmodSync(hook, 0o755);
}

async function orphanRace(kind: 'local' | 'ssh'): Promise<void> {
  const s = scratch(`gr-kill-${kind}-`);
  const site = join(s.dir, 'site');
  const mirror = join(s.dir, 'mirror', 'p.git');
  const marks = join(s.dir, 'marks');
  const url = kind === 'local' ? `${s.dir}/mirror/\${name}.git` : sshd.url(`${s.dir}/mirror/\${name}.git`);
  let env: NodeJS.ProcessEnv = { ...process.env, GIT_REPLICATION_TIME_SCALE: SCALE };
  if (kind === 'ssh') {
    const cfg = join(s.dir, 'ssh_config');
    writeFileSync(cfg, `Host 127.0.0.1\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${sshd.identityFile}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${sshd.knownHosts}\n  GlobalKnownHostsFile /dev/null\n`);
    env = { ...env, GIT_REPLICATION_SSH_CONFIG: cfg };
  }
  writeSite(site, `[remote "m"]\n  url = ${url}\n  replicationDelay = 1\n  mirror = true\n`);
  const w = workRepo(join(s.dir, 'work'));
  const source = bare(join(site, 'git', 'p.git'));
  bare(mirror);
  const u0 = w.commit('u0');
  git(w.dir, 'push', '-q', source, `${u0}:refs/heads/master`);
  const first = runCli(['start', '--site', site, '--wait', '--now'], { env });
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.equal(refsOf(mirror).get('refs/heads/master'), u0);
  // Long enough that the orphan still runs when the restarted daemon looks, even at load 9+
  // (it is ended then, so the test does not wait for it).
  slowHook(mirror, marks, 10);

  let d: Daemon | undefined = startDaemon(site, env);
  try {
    await until('the daemon to start', () => /daemon started/.test(d!.log()), d.log);
    // U1: the daemon pushes it; the mirror holds it in pre-receive for 10 s.
    const u1 = w.commit('u1', u0);
    git(w.dir, 'push', '-q', source, `${u1}:refs/heads/master`);
    assert.equal(runCli(['start', '--site', site, 'p'], { env }).code, 0);
    await until('the push of U1 to reach the mirror', () => existsSync(marks) && readdirSync(marks).length > 0, d.log);
    const first = d;
    await kill9(first);
    // U2 while the killed daemon's push of U1 is still in flight; then a restart.
    const u2 = w.commit('u2', u1);
    git(w.dir, 'push', '-q', source, `${u2}:refs/heads/master`);
    assert.equal(runCli(['start', '--site', site, 'p'], { env }).code, 0);
    d = startDaemon(site, env);
    await until('the daemon to restart', () => /daemon started/.test(d!.log()), () => first.log() + '\n--- restarted ---\n' + d!.log());
    await until(
      `the mirror at U2 with no task left (mirror at ${refsOf(mirror).get('refs/heads/master')}, u1 ${u1}, u2 ${u2})`,
      () => refsOf(mirror).get('refs/heads/master') === u2 && pendingTasks(site).length === 0,
      () => `tasks: ${pendingTasks(site).join(' ')}\n${d!.log()}`,
      30_000,
    );
    assert.doesNotMatch(d.log(), /Giving up/);
    // The killed daemon's push was ended before the replay (git, and ssh or receive-pack).
    assert.match(d.log(), /ended \d+ git process\(es\) left running by a stopped owner: .*of pid \d+/);
    git(mirror, 'fsck', '--no-progress');
  } finally {
    await stopDaemon(d);
    s.cleanup();
  }
}

test('D2: kill -9 mid-push to a local mirror, a newer update, a restart: the mirror gets the newer update', async () => {
  await orphanRace('local');
});

test('D2: kill -9 mid-push to an ssh mirror, a newer update, a restart: the mirror gets the newer update', async () => {
  await orphanRace('ssh');
});

/** A site with one project and a file mirror, synced once. */
function smallSite(): { site: string; cleanup: () => void } {
  const s = scratch('gr-lock-');
  const site = join(s.dir, 'site');
  writeSite(site, `[remote "m"]\n  url = ${s.dir}/mirror/\${name}.git\n  replicationDelay = 1\n`);
  const w = workRepo(join(s.dir, 'work'));
  git(w.dir, 'push', '-q', bare(join(site, 'git', 'p.git')), `${w.commit('c')}:refs/heads/master`);
  return { site, cleanup: s.cleanup };
}

function procState(pid: number): string | undefined {
  try {
    const t = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return t.slice(t.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

const ENV = { ...process.env, GIT_REPLICATION_TIME_SCALE: SCALE };

test('single instance: a daemon killed with kill -9 and left a zombie does not stop a restart', async () => {
  const x = smallSite();
  // The daemon's parent execs sleep, which never reaps it: after kill -9 it stays a zombie.
  const parent = spawn('sh', ['-c', `"${process.execPath}" "${CLI}" daemon --site "${x.site}" --poll 50 2>&1 & echo "pid $!"; exec sleep 120`], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  parent.stdout!.on('data', (b) => (out += b));
  let d: Daemon | undefined;
  try {
    await until('the first daemon to start', () => /daemon started/.test(out), () => out);
    const pid = Number(/pid (\d+)/.exec(out)![1]);
    process.kill(pid, 'SIGKILL');
    await until('the killed daemon to be a zombie', () => procState(pid) === 'Z', () => out);
    d = startDaemon(x.site, ENV);
    await until('the restarted daemon to start', () => /daemon started/.test(d!.log()) || d!.child.exitCode !== null, d.log);
    assert.match(d.log(), /daemon started/, d.log());
  } finally {
    await stopDaemon(d);
    parent.kill('SIGKILL');
    x.cleanup();
  }
});

test('single instance: a pid file naming a live unrelated process (a reused pid) does not stop a start', async () => {
  const x = smallSite();
  const other = spawn('sleep', ['120'], { stdio: 'ignore' });
  let d: Daemon | undefined;
  try {
    const events = join(x.site, 'data', 'replication');
    mkdirSync(events, { recursive: true });
    writeFileSync(join(events, 'daemon.pid'), `${other.pid}\n`);
    d = startDaemon(x.site, ENV);
    await until('the daemon to start', () => /daemon started/.test(d!.log()) || d!.child.exitCode !== null, d.log);
    assert.match(d.log(), /daemon started/, d.log());
  } finally {
    await stopDaemon(d);
    other.kill('SIGKILL');
    x.cleanup();
  }
});

test('single instance: a live daemon still blocks a second one, which says who holds the store; after kill -9 a restart works', async () => {
  const x = smallSite();
  let a: Daemon | undefined;
  let c: Daemon | undefined;
  try {
    a = startDaemon(x.site, ENV);
    await until('the first daemon to start', () => /daemon started/.test(a!.log()), a.log);
    const b = runCli(['daemon', '--site', x.site], { env: ENV });
    assert.equal(b.code, 1, b.stdout + b.stderr);
    assert.match(b.stderr, new RegExp(`error: a daemon already runs for the task store .*: pid ${a.child.pid} on \\S+, started \\d{4}-`));
    const running = runCli(['start', '--site', x.site, 'p'], { env: ENV });
    assert.doesNotMatch(running.stderr, /no daemon is running/);
    await kill9(a);
    c = startDaemon(x.site, ENV);
    await until('the restarted daemon to start', () => /daemon started/.test(c!.log()) || c!.child.exitCode !== null, c.log);
    assert.match(c.log(), /daemon started/, c.log());
  } finally {
    await stopDaemon(a);
    await stopDaemon(c);
    x.cleanup();
  }
});
