// No two pushes to one URL at once, across restarts (issue 9, item 2): a daemon killed with
// kill -9 mid-push leaves its `git push` running, and the restarted daemon must not push the
// same URL while that push still runs. The mirror itself is the witness: its pre-receive hook
// takes a non-blocking flock on a file beside the mirror and holds it for as long as it runs
// (it sleeps, standing for a large pack in transit). A second receive-pack in the hook while
// the first is still there cannot take the lock and leaves an `overlap.*` mark. The kernel
// drops the lock when the hook's process ends, however it ends, so a killed push cannot leave
// a false mark behind.
//
// Over ssh and http the mirror's receive-pack runs in the server's process tree, out of the
// restarted daemon's reach: ending the orphaned `git push` (and its ssh or git-remote-http) does
// not end it. There the restarted daemon does not push a URL while a push left by the stopped
// daemon to the same URL still runs here; it lets that push finish (within a grace period) so its
// receive-pack is done too. The real loopback sshd and `git http-backend` stand for the servers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratch } from '../support/helpers';
import { bare, git, refsOf, workRepo, writeSite } from '../support/engine-helpers';
import { type Daemon, kill9, marksOf, overlapHook, startDaemon, stopDaemon, until } from '../support/daemon';
import { startSshd, type SshServer } from '../infra/sshd';
import { startGitHttpBackend, type GitHttpServer } from '../infra/httpBackend';

const ENV = { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.05' }; // delay 1 s → 50 ms, retry 1 min → 3 s
// ssh and http: a grace for orphaned pushes of 60 s × 0.25 = 15 s, well above the hook's 2 s.
const REMOTE_ENV = { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.25' };
const KILLS = 4;
const HTTP_USER = 'mirror';
const HTTP_PASSWORD = 'overlap-test-password';

let sshd: SshServer;
let http: GitHttpServer;
let httpRoot: ReturnType<typeof scratch>;
before(async () => {
  sshd = await startSshd();
  httpRoot = scratch('gr-overlap-http-root-');
  http = await startGitHttpBackend({ projectRoot: httpRoot.dir, username: HTTP_USER, password: HTTP_PASSWORD });
});
after(async () => {
  await http?.close();
  await sshd?.stop();
  httpRoot?.cleanup();
});

function pendingTasks(site: string): string[] {
  const root = join(site, 'data', 'replication', 'ref-updates');
  const out: string[] = [];
  for (const d of ['waiting', 'running']) if (existsSync(join(root, d))) out.push(...readdirSync(join(root, d)).map((f) => `${d}/${f}`));
  return out;
}

async function restartsNeverOverlap(kind: 'path' | 'file' | 'ssh' | 'http'): Promise<void> {
  const s = scratch(`gr-overlap-${kind}-`);
  const site = join(s.dir, 'site');
  // The http server serves every test's mirrors from its one project root.
  const mirrorDir = kind === 'http' ? join(httpRoot.dir, s.dir.split('/').pop()!) : join(s.dir, 'mirror');
  const mirror = join(mirrorDir, 'p.git');
  const marks = join(s.dir, 'marks');
  let env: NodeJS.ProcessEnv = kind === 'path' || kind === 'file' ? ENV : REMOTE_ENV;
  let secure: Record<string, string> = {};
  let url: string;
  if (kind === 'path') url = `${mirrorDir}/\${name}.git`;
  else if (kind === 'file') url = `file://${mirrorDir}/\${name}.git`;
  else if (kind === 'ssh') {
    url = sshd.url(`${mirrorDir}/\${name}.git`);
    const cfg = join(s.dir, 'ssh_config');
    writeFileSync(cfg, `Host 127.0.0.1\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${sshd.identityFile}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${sshd.knownHosts}\n  GlobalKnownHostsFile /dev/null\n`);
    env = { ...env, GIT_REPLICATION_SSH_CONFIG: cfg };
  } else {
    url = `${http.baseUrl}/${mirrorDir.split('/').pop()}/\${name}.git`;
    secure = { 'etc/secure.config': `[remote "m"]\n  username = ${HTTP_USER}\n  password = ${HTTP_PASSWORD}\n` };
  }
  writeSite(site, `[remote "m"]\n  url = ${url}\n  replicationDelay = 1\n  mirror = true\n`, secure);
  const w = workRepo(join(s.dir, 'work'));
  const source = bare(join(site, 'git', 'p.git'));
  bare(mirror);
  let tip = w.commit('u0');
  git(w.dir, 'push', '-q', source, `${tip}:refs/heads/master`);
  overlapHook(mirror, marks, kind === 'path' || kind === 'file' ? 10 : 2);
  writeFileSync(join(marks, 'slow'), '');

  const daemons: Daemon[] = [];
  const logs = () => daemons.map((d, i) => `--- daemon ${i} ---\n${d.log()}`).join('\n');
  try {
    for (let round = 0; round <= KILLS; round++) {
      // A new update each round, stored for the daemon as the hook would.
      tip = w.commit(`u${round + 1}`, tip);
      git(w.dir, 'push', '-q', source, `${tip}:refs/heads/master`);
      if (round === KILLS) rmSync(join(marks, 'slow')); // the last push may finish
      assert.equal(runCli(['start', '--site', site, 'p'], { env }).code, 0);
      const seen = marksOf(marks, 'push.').length;
      const d = startDaemon(site, { env });
      daemons.push(d);
      await until(`daemon ${round} to start`, () => /daemon started/.test(d.log()), logs);
      if (round === KILLS) break;
      // Mid-push: the mirror holds this daemon's push in its hook. Kill the daemon there.
      await until(`daemon ${round}'s push to reach the mirror`, () => marksOf(marks, 'push.').length > seen, logs);
      await kill9(d);
    }
    await until(
      'the mirror at the last update with no task left',
      () => refsOf(mirror).get('refs/heads/master') === tip && pendingTasks(site).length === 0,
      () => `tasks: ${pendingTasks(site).join(' ')}\n${logs()}`,
    );
    assert.deepEqual(marksOf(marks, 'overlap.'), [], `two pushes reached the mirror at once\n${logs()}`);
    assert.ok(marksOf(marks, 'push.').length > KILLS, 'every round pushed');
    git(mirror, 'fsck', '--no-progress');
  } finally {
    for (const d of daemons) await stopDaemon(d);
    s.cleanup();
    rmSync(mirrorDir, { recursive: true, force: true });
  }
}

test('kill -9 mid-push and restart, four times, to a path mirror: no two pushes to its URL at once', async () => {
  await restartsNeverOverlap('path');
});

test('kill -9 mid-push and restart, four times, to a file:// mirror: no two pushes to its URL at once', async () => {
  await restartsNeverOverlap('file');
});

test('kill -9 mid-push and restart, four times, to an ssh mirror: no two receive-packs on the server at once', async () => {
  await restartsNeverOverlap('ssh');
});

test('kill -9 mid-push and restart, four times, to an http mirror (git http-backend): no two receive-packs at once', async () => {
  await restartsNeverOverlap('http');
});
