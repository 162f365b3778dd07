import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../support/helpers';
import { bare, git, refsOf, workRepo, writeSite } from '../support/engine-helpers';
import { until } from '../support/daemon';
import { Engine } from '../../server/src/engine/engine';
import type { LogLevel } from '../../server/src/engine/queue/queue';

const SCALE = 0.02; // 1 s of config = 20 ms; 1 min = 1.2 s

function setup(remoteBody: string, projects = ['proj'], extraConfig = '') {
  const s = scratch('gr-queue-');
  const site = join(s.dir, 'site');
  const mirrors = join(s.dir, 'mirrors');
  writeSite(site, `${extraConfig}[remote "m"]\n  url = ${mirrors}/\${name}.git\n${remoteBody}`);
  const w = workRepo(join(s.dir, 'work'));
  const tip = w.commit('one');
  for (const p of projects) {
    const src = bare(join(site, 'git', `${p}.git`));
    git(w.dir, 'push', '-q', src, `${tip}:refs/heads/master`, `${tip}:refs/heads/feature`, `${tip}:refs/meta/config`);
  }
  const logs: Array<[LogLevel, string]> = [];
  const engine = Engine.open(site, { timeScale: SCALE, log: (l, m) => logs.push([l, m]) });
  return { s, site, mirrors, w, tip, engine, logs, src: (p = 'proj') => join(site, 'git', `${p}.git`), mirror: (p = 'proj') => join(mirrors, `${p}.git`) };
}

function storeEmpty(engine: Engine): boolean {
  return readdirSync(engine.store!.waiting).length === 0 && readdirSync(engine.store!.running).length === 0;
}

test('updates inside replicationDelay merge into one push per URL; missing mirror is created', async () => {
  const e = setup('  replicationDelay = 5\n  replicationRetry = 0\n');
  try {
    for (let i = 0; i < 30; i++) e.engine.onRefsUpdated('proj', [i % 2 ? 'refs/heads/master' : 'refs/heads/feature']);
    assert.equal(e.engine.queue.snapshot().pending.length, 1);
    await e.engine.queue.idle();
    // First push finds no repository: it is created (with HEAD) and retried.
    assert.ok(e.logs.some(([, m]) => m.startsWith('Missing repository created')));
    assert.equal(git(e.mirror(), 'symbolic-ref', 'HEAD'), 'refs/heads/master');
    assert.deepEqual(refsOf(e.mirror()).get('refs/heads/master'), e.tip);
    assert.equal(refsOf(e.mirror()).has('refs/meta/config'), false, 'only the updated refs are pushed');
    assert.equal(e.engine.queue.pushCount.get(join(e.mirrors, 'proj.git')), 2);
    assert.ok(storeEmpty(e.engine));
  } finally {
    e.s.cleanup();
  }
});

test('full sync honours replicatePermissions, excludedRefsPattern and mirror deletes (never HEAD)', async () => {
  const e = setup('  replicationDelay = 0\n  replicatePermissions = false\n  excludedRefsPattern = refs/heads/feat.*\n  mirror = true\n');
  try {
    bare(e.mirror());
    git(e.w.dir, 'push', '-q', e.mirror(), `${e.tip}:refs/heads/stale`);
    e.engine.startReplication({}, { now: true });
    await e.engine.queue.idle();
    const refs = refsOf(e.mirror());
    assert.deepEqual([...refs.keys()].sort(), ['refs/heads/master']);
    assert.equal(git(e.mirror(), 'symbolic-ref', 'HEAD'), 'refs/heads/master');
  } finally {
    e.s.cleanup();
  }
});

test('a branch deletion is replicated only with mirror (row 43)', async () => {
  for (const mirror of [false, true]) {
    const e = setup(`  replicationDelay = 0\n  mirror = ${mirror}\n`);
    try {
      bare(e.mirror());
      e.engine.startReplication({}, { now: true });
      await e.engine.queue.idle();
      assert.ok(refsOf(e.mirror()).has('refs/heads/feature'));
      git(e.src(), 'update-ref', '-d', 'refs/heads/feature');
      e.engine.onRefsUpdated('proj', ['refs/heads/feature'], { now: true });
      await e.engine.queue.idle();
      assert.equal(refsOf(e.mirror()).has('refs/heads/feature'), !mirror);
    } finally {
      e.s.cleanup();
    }
  }
});

test('a push colliding with one in flight is rescheduled, not retried', async () => {
  const e = setup('  replicationDelay = 0\n  rescheduleDelay = 3\n  threads = 2\n');
  try {
    bare(e.mirror());
    // The mirror's pre-receive hook holds the first push for as long as the gate file exists, so
    // the second push is scheduled while the first is certainly in flight, however loaded the
    // machine is.
    const gate = join(e.s.dir, 'gate');
    const reached = join(e.s.dir, 'reached');
    writeFileSync(gate, '');
    writeFileSync(join(e.mirror(), 'hooks', 'pre-receive'), `#!/bin/sh\ncat >/dev/null\n: > '${reached}'\nwhile [ -e '${gate}' ]; do sleep 0.02; done\n`, { mode: 0o755 });
    const first = e.engine.startReplication({}, { now: true })[0];
    await until('the first push to reach the mirror', () => existsSync(reached));
    assert.equal(e.engine.queue.snapshot().inFlight.length, 1);
    const second = e.engine.onRefsUpdated('proj', ['refs/heads/master'], { now: true })[0];
    assert.notEqual(first, second);
    await until('the second push to meet the first', () => e.logs.some(([, m]) => m.startsWith('Rescheduling replication to')));
    rmSync(gate);
    await e.engine.queue.idle();
    assert.ok(e.logs.some(([, m]) => m.startsWith('Rescheduling replication to') && m.includes('avoid collision')), JSON.stringify(e.logs));
    assert.equal(second.retryCount, 0);
    assert.ok(storeEmpty(e.engine));
  } finally {
    e.s.cleanup();
  }
});

test('transport failures are retried after replicationRetry minutes up to replicationMaxRetries', async () => {
  const s = scratch('gr-queue-');
  try {
    const site = join(s.dir, 'site');
    writeSite(site, `[remote "m"]\n  url = git://127.0.0.1:1/\${name}.git\n  replicationDelay = 0\n  replicationRetry = 1\n  replicationMaxRetries = 2\n`);
    const w = workRepo(join(s.dir, 'work'));
    git(w.dir, 'push', '-q', bare(join(site, 'git', 'proj.git')), `${w.commit('x')}:refs/heads/master`);
    const logs: string[] = [];
    const engine = Engine.open(site, { timeScale: 0.005, log: (_l, m) => logs.push(m) });
    const started = Date.now();
    const op = engine.startReplication({}, { now: true })[0];
    await engine.queue.idle();
    assert.equal(engine.queue.pushCount.get('git://127.0.0.1:1/proj.git'), 3);
    assert.equal(op.retryCount, 3);
    assert.ok(Date.now() - started >= 2 * 60_000 * 0.005, 'two retry delays of one (scaled) minute');
    assert.ok(logs.includes('Push to git://127.0.0.1:1/proj.git cancelled after maximum number of retries'));
    assert.ok(storeEmpty(engine));
  } finally {
    s.cleanup();
  }
});

test('"failed to update ref" is retried up to updateRefErrorMaxRetries', async () => {
  // replicationRetry = 1 min (scaled to 1.2 s) leaves time to remove the lock before the retry.
  const e = setup('  replicationDelay = 0\n  replicationRetry = 1\n', ['proj'], '[replication]\n  updateRefErrorMaxRetries = 1\n');
  try {
    bare(e.mirror());
    const lock = join(e.mirror(), 'refs', 'heads', 'master.lock');
    writeFileSync(lock, '');
    // Unlock as soon as the first attempt has failed (the queue logs the failure before rescheduling).
    const engine = Engine.open(e.site, { timeScale: SCALE, log: (_l, m) => m.includes('failed to update ref') && rmSync(lock, { force: true }) });
    const op = engine.onRefsUpdated('proj', ['refs/heads/master'], { now: true })[0];
    await engine.queue.idle();
    assert.equal(op.lockRetries, 1);
    assert.equal(refsOf(e.mirror()).get('refs/heads/master'), e.tip);
  } finally {
    e.s.cleanup();
  }
});

test('a lock error past updateRefErrorMaxRetries keeps the task and retries it (a documented deviation from Gerrit)', async () => {
  // Gerrit drops the task after updateRefErrorMaxRetries (default 0): the update would be lost.
  const e = setup('  replicationDelay = 0\n  replicationRetry = 1\n');
  try {
    bare(e.mirror());
    const lock = join(e.mirror(), 'refs', 'heads', 'master.lock');
    writeFileSync(lock, '');
    let failures = 0;
    const logs: string[] = [];
    // The lock goes away after the second failure, as when the push holding it has ended.
    const engine = Engine.open(e.site, {
      timeScale: SCALE,
      log: (_l, m) => {
        logs.push(m);
        if (/the task is kept and retried/.test(m) && ++failures === 2) rmSync(lock, { force: true });
      },
    });
    const op = engine.onRefsUpdated('proj', ['refs/heads/master'], { now: true })[0];
    await engine.queue.idle();
    assert.equal(op.lockRetries, 2);
    assert.ok(logs.some((m) => /^'failed to update ref refs\/heads\/master on .*master\.lock is left in place: .*' 1 time\(s\) during replication to .* \(updateRefErrorMaxRetries = 0\): the task is kept and retried/.test(m)), JSON.stringify(logs));
    assert.ok(!logs.some((m) => /Giving up/.test(m)), JSON.stringify(logs));
    assert.equal(refsOf(e.mirror()).get('refs/heads/master'), e.tip);
    assert.ok(storeEmpty(engine));
  } finally {
    e.s.cleanup();
  }
});

test('tasks still waiting at stop are replayed from the store after a restart', async () => {
  const e = setup('  replicationDelay = 3600\n');
  try {
    e.engine.onRefsUpdated('proj', ['refs/heads/master']);
    await e.engine.stop(); // the push never ran; its task stays in waiting/
    assert.equal(readdirSync(e.engine.store!.waiting).length, 1);
    const again = Engine.open(e.site, { timeScale: 0.0001 });
    assert.equal(again.replay(), 1);
    await again.queue.idle();
    assert.equal(refsOf(e.mirror()).get('refs/heads/master'), e.tip);
    assert.ok(storeEmpty(again));
  } finally {
    e.s.cleanup();
  }
});

test('drainQueueAttempts lets pending pushes finish at stop; 0 cancels them (row 44)', async () => {
  for (const attempts of [0, 3]) {
    const e = setup(`  replicationDelay = 2\n  drainQueueAttempts = ${attempts}\n`);
    try {
      bare(e.mirror());
      e.engine.onRefsUpdated('proj', ['refs/heads/master']);
      await e.engine.stop();
      // A push started while draining finishes even after stop returns.
      for (let i = 0; i < (attempts ? 250 : 15); i++) {
        if (refsOf(e.mirror()).has('refs/heads/master')) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(refsOf(e.mirror()).get('refs/heads/master'), attempts ? e.tip : undefined, `drainQueueAttempts = ${attempts}`);
      if (!attempts) assert.equal(readdirSync(e.engine.store!.waiting).length, 1, 'the cancelled task stays stored for the next start');
    } finally {
      e.s.cleanup();
    }
  }
});
