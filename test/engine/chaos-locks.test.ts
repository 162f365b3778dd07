// Stale ref locks (issue 9, D14): a `refs/heads/X.lock` or `packed-refs.lock` left in a mirror
// by a killed receive-pack. The task is kept; a local mirror's lock is removed only when it is
// older than 10 minutes and no process has the repository open; over ssh it is named.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../support/helpers';
import { bare, git, refsOf, workRepo, writeSite } from '../support/engine-helpers';
import { Engine } from '../../server/src/engine/engine';
import { startSshd, type SshServer } from '../infra/sshd';

const SCALE = 0.02; // replicationRetry 1 min → 1.2 s

let sshd: SshServer;
before(async () => {
  sshd = await startSshd();
});
after(async () => {
  await sshd?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean, logs: string[], ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${logs.join('\n')}`);
    await sleep(20);
  }
}

/** The queue idle, or a failure with the log after 30 s (a task retried forever never idles). */
async function idle(f: Fix): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the queue did not drain in 30 s\n${f.logs.join('\n')}`)), 30_000)));
  try {
    await Promise.race([f.engine().queue.idle(), late]);
  } finally {
    clearTimeout(timer);
    await f.engine().stop();
  }
}

/**
 * The task still stored, once. A retry moves it between waiting/ and running/ by a rename, and
 * the two directories are read one after the other: a read can fall between them and see none.
 */
async function inStore(f: Fix): Promise<void> {
  await until('the task in the store', () => f.waiting() === 1, f.logs, 2_000);
}

function ageFile(path: string, minutes: number): void {
  const t = new Date(Date.now() - minutes * 60_000);
  utimesSync(path, t, t);
}

interface Fix {
  dir: string;
  site: string;
  mirror: string;
  tip: string;
  logs: string[];
  engine: () => Engine;
  waiting: () => number;
  cleanup: () => void;
}

/** proj at the source with master and side, mirrored; `mirror = true` so deletions replicate. */
function fixture(url?: (dir: string) => string): Fix {
  const s = scratch('gr-locks-');
  const site = join(s.dir, 'site');
  writeSite(site, `[remote "m"]\n  url = ${url ? url(s.dir) : `${s.dir}/mirror/\${name}.git`}\n  replicationDelay = 0\n  replicationRetry = 1\n  mirror = true\n`);
  const w = workRepo(join(s.dir, 'work'));
  const source = bare(join(site, 'git', 'proj.git'));
  const mirror = bare(join(s.dir, 'mirror', 'proj.git'));
  const c0 = w.commit('c0');
  git(w.dir, 'push', '-q', source, `${c0}:refs/heads/master`, `${c0}:refs/heads/side`);
  git(w.dir, 'push', '-q', mirror, `${c0}:refs/heads/master`, `${c0}:refs/heads/side`);
  const tip = w.commit('c1', c0);
  git(w.dir, 'push', '-q', source, `${tip}:refs/heads/master`);
  const logs: string[] = [];
  let engine: Engine | undefined;
  const store = join(site, 'data', 'replication', 'ref-updates');
  return {
    dir: s.dir,
    site,
    mirror,
    tip,
    logs,
    engine: () => (engine ??= Engine.open(site, { timeScale: SCALE, log: (l, m) => logs.push(`${l} ${m}`) })),
    // Stored tasks, waiting or running (a failed push's task moves back to waiting shortly after).
    waiting: () => ['waiting', 'running'].reduce((n, d) => n + (existsSync(join(store, d)) ? readdirSync(join(store, d)).length : 0), 0),
    cleanup: s.cleanup,
  };
}

test('D14: a master.lock older than 10 minutes, no process in the mirror: removed, named in the log, and the update pushed', async () => {
  const f = fixture();
  try {
    const lock = join(f.mirror, 'refs', 'heads', 'master.lock');
    writeFileSync(lock, '');
    ageFile(lock, 11);
    f.engine().onRefsUpdated('proj', ['refs/heads/master'], { now: true });
    await idle(f);
    assert.equal(refsOf(f.mirror).get('refs/heads/master'), f.tip, f.logs.join('\n'));
    assert.equal(existsSync(lock), false);
    assert.ok(f.logs.some((m) => m.includes(`removed the stale lock ${lock} of refs/heads/master in `) && /11 min old and no process had the repository open/.test(m)), f.logs.join('\n'));
    assert.equal(f.waiting(), 0);
  } finally {
    f.cleanup();
  }
});

test('D14: a fresh packed-refs.lock blocks a deletion: left alone and named with the ref, the task kept; once stale it is removed', async () => {
  const f = fixture();
  try {
    git(join(f.site, 'git', 'proj.git'), 'update-ref', '-d', 'refs/heads/side');
    const lock = join(f.mirror, 'packed-refs.lock');
    writeFileSync(lock, '');
    ageFile(lock, 1);
    f.engine().onRefsUpdated('proj', ['refs/heads/side'], { now: true });
    await until('the lock error', () => f.logs.some((m) => m.includes('the task is kept and retried')), f.logs);
    const line = f.logs.find((m) => m.includes('the task is kept and retried'))!;
    assert.match(line, /failed to update ref refs\/heads\/side on /);
    assert.ok(line.includes(`lock file ${lock} is left in place: it is `) && /is 6\d s old, younger than 10 min: a push may still hold it/.test(line), line);
    assert.equal(existsSync(lock), true);
    await inStore(f);
    ageFile(lock, 11);
    await idle(f);
    assert.equal(refsOf(f.mirror).has('refs/heads/side'), false, f.logs.join('\n'));
    assert.equal(existsSync(lock), false);
    assert.equal(f.waiting(), 0);
  } finally {
    f.cleanup();
  }
});

test('D14: an old lock while a process has the mirror open is left alone, naming the process; removed once it is gone', async () => {
  const f = fixture();
  const holder = spawn('sleep', ['120'], { cwd: f.mirror, stdio: 'ignore' });
  try {
    const lock = join(f.mirror, 'refs', 'heads', 'master.lock');
    writeFileSync(lock, '');
    ageFile(lock, 30);
    f.engine().onRefsUpdated('proj', ['refs/heads/master'], { now: true });
    await until('the lock error', () => f.logs.some((m) => m.includes('the task is kept and retried')), f.logs);
    const line = f.logs.find((m) => m.includes('the task is kept and retried'))!;
    assert.ok(line.includes(`lock file ${lock} is left in place: sleep[${holder.pid}] has the repository open`), line);
    assert.equal(existsSync(lock), true);
    await inStore(f);
    const gone = new Promise((r) => holder.once('exit', r));
    holder.kill('SIGKILL');
    await gone;
    await idle(f);
    assert.equal(refsOf(f.mirror).get('refs/heads/master'), f.tip, f.logs.join('\n'));
    assert.equal(f.waiting(), 0);
  } finally {
    if (holder.exitCode === null && holder.signalCode === null) holder.kill('SIGKILL');
    f.cleanup();
  }
});

test('D14: over ssh a stale lock is named (ref and lock file) and not removed; the task is kept until the lock is gone', async () => {
  const f = fixture((dir) => sshd.url(`${dir}/mirror/\${name}.git`));
  const cfg = join(f.dir, 'ssh_config');
  writeFileSync(cfg, `Host 127.0.0.1\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${sshd.identityFile}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${sshd.knownHosts}\n  GlobalKnownHostsFile /dev/null\n`);
  const saved = process.env.GIT_REPLICATION_SSH_CONFIG;
  process.env.GIT_REPLICATION_SSH_CONFIG = cfg;
  try {
    const lock = join(f.mirror, 'refs', 'heads', 'master.lock');
    writeFileSync(lock, '');
    ageFile(lock, 60);
    f.engine().onRefsUpdated('proj', ['refs/heads/master'], { now: true });
    await until('the lock error', () => f.logs.some((m) => m.includes('the task is kept and retried')), f.logs);
    const line = f.logs.find((m) => m.includes('the task is kept and retried'))!;
    assert.match(line, /failed to update ref refs\/heads\/master on ssh:\/\/127\.0\.0\.1:\d+\//);
    assert.ok(line.includes(`lock file ${lock} exists in the mirror; it is not removed over the network`), line);
    assert.equal(existsSync(lock), true);
    await inStore(f);
    rmSync(lock);
    await idle(f);
    assert.equal(refsOf(f.mirror).get('refs/heads/master'), f.tip, f.logs.join('\n'));
    assert.equal(f.waiting(), 0);
  } finally {
    if (saved === undefined) delete process.env.GIT_REPLICATION_SSH_CONFIG;
    else process.env.GIT_REPLICATION_SSH_CONFIG = saved;
    f.cleanup();
  }
});
