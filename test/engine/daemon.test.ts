import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, runCli, scratch } from '../support/helpers';
import { bare, git, GIT_ENV, refsOf, workRepo, writeSite } from '../support/engine-helpers';
import { Engine } from '../../server/src/engine/engine';

const SCALE = '0.05';

function startDaemon(site: string): { child: ChildProcess; log: () => string } {
  let log = '';
  const child = spawn(process.execPath, [CLI, 'daemon', '--site', site, '--poll', '50'], {
    env: { ...process.env, GIT_REPLICATION_TIME_SCALE: SCALE },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (b) => (log += b));
  child.stderr!.on('data', (b) => (log += b));
  return { child, log: () => log };
}

async function until(what: string, cond: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));
}

test('kill -9 mid-queue loses nothing: after a restart every mirror equals its source', async () => {
  const s = scratch('gr-kill-');
  let d: ReturnType<typeof startDaemon> | undefined;
  try {
    const site = join(s.dir, 'site');
    writeSite(
      site,
      `[remote "a"]\n  url = ${s.dir}/a/\${name}.git\n  replicationDelay = 1\n  threads = 1\n` +
        `[remote "b"]\n  url = file://${s.dir}/b/\${name}.git\n  replicationDelay = 2\n  threads = 2\n  mirror = true\n` +
        `[replication]\n  updateRefErrorMaxRetries = 5\n`,
    );
    const w = workRepo(join(s.dir, 'work'));
    const projects = Array.from({ length: 10 }, (_, i) => `group/p${i}`);
    let prev = w.commit('root');
    for (const p of projects) {
      const src = bare(join(site, 'git', `${p}.git`));
      const specs = [`${prev}:refs/heads/master`];
      for (let b = 0; b < 10; b++) {
        prev = w.commit(`${p} ${b}`, prev);
        specs.push(`${prev}:refs/heads/b${b}`);
      }
      git(w.dir, 'push', '-q', src, ...specs);
    }
    // 10 projects × 10 refs × 2 remotes = 200 tasks, each its own file, written as the hook does.
    const feeder = Engine.open(site);
    let fed = 0;
    for (const p of projects) for (let b = 0; b < 10; b++) fed += feeder.storeTasks(p, [`refs/heads/b${b}`]);
    fed += feeder.storeTasks({}, ['..all..']); // and a full sync of everything (master)
    assert.ok(fed >= 200, `fed ${fed}`);
    const waiting = feeder.store!.waiting;
    const running = feeder.store!.running;
    assert.equal(readdirSync(waiting).length, fed);

    d = startDaemon(site);
    await until('a push in flight', () => readdirSync(running).length > 0);
    d.child.kill('SIGKILL');
    await exited(d.child);
    const left = readdirSync(waiting).length + readdirSync(running).length;
    assert.ok(left > 0, 'killed mid-queue: tasks are still in the store');
    assert.ok(readdirSync(running).length > 0, 'killed with pushes in flight');

    d = startDaemon(site);
    await until('the store to drain', () => readdirSync(waiting).length + readdirSync(running).length === 0, 120_000);
    for (const p of projects) {
      const src = refsOf(join(site, 'git', `${p}.git`));
      assert.deepEqual(refsOf(join(s.dir, 'a', `${p}.git`)), src, `a/${p}`);
      assert.deepEqual(refsOf(join(s.dir, 'b', `${p}.git`)), src, `b/${p}`);
    }
    assert.match(d.log(), /replayed/);
    d.child.kill('SIGTERM');
    assert.equal(await exited(d.child), 0);
  } finally {
    if (d && d.child.exitCode === null) d.child.kill('SIGKILL');
    s.cleanup();
  }
});

test('the post-receive hook stores tasks at once and the running daemon pushes them', async () => {
  const s = scratch('gr-hook-');
  let d: ReturnType<typeof startDaemon> | undefined;
  try {
    const site = join(s.dir, 'site');
    writeSite(site, `[remote "m"]\n  url = ${s.dir}/mirror/\${name}.git\n  replicationDelay = 1\n`);
    const src = bare(join(site, 'git', 'team', 'app.git'));
    bare(join(s.dir, 'mirror', 'team', 'app.git'));
    const inst = runCli(['hook', 'install', '--site', site]);
    assert.equal(inst.code, 0, inst.stderr);
    assert.match(inst.stdout, /installed .*team\/app\.git\/hooks\/post-receive/);
    d = startDaemon(site);
    await until('the daemon to start', () => /daemon started/.test(d!.log()));
    const w = workRepo(join(s.dir, 'work'));
    const c = w.commit('hello');
    const t0 = Date.now();
    git(w.dir, 'push', '-q', src, `${c}:refs/heads/master`, `${c}:refs/heads/topic`);
    assert.ok(Date.now() - t0 < 10_000);
    await until('the mirror to follow', () => refsOf(join(s.dir, 'mirror', 'team', 'app.git')).get('refs/heads/topic') === c);
    assert.deepEqual(refsOf(join(s.dir, 'mirror', 'team', 'app.git')), refsOf(src));
    d.child.kill('SIGTERM');
    assert.equal(await exited(d.child), 0);
    void GIT_ENV;
  } finally {
    if (d && d.child.exitCode === null) d.child.kill('SIGKILL');
    s.cleanup();
  }
});
