import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync, existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratch } from '../support/helpers';
import { bare, git, refsOf, workRepo, writeSite } from '../support/engine-helpers';
import { Engine } from '../../server/src/engine/engine';
import { TargetStateStore, targetStateDir, type TargetState } from '../../server/src/engine/health/targetState';

const ENV = { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.001' };

function setup(remoteBody = '  replicationDelay = 0\n  replicationRetry = 0\n') {
  const s = scratch('gr-tstate-');
  const site = join(s.dir, 'site');
  const mirrors = join(s.dir, 'mirrors');
  writeSite(site, `[remote "m"]\n  url = ${mirrors}/\${name}.git\n${remoteBody}`);
  const w = workRepo(join(s.dir, 'work'));
  const tip = w.commit('one');
  git(w.dir, 'push', '-q', bare(join(site, 'git', 'proj.git')), `${tip}:refs/heads/master`, `${tip}:refs/heads/feature`);
  return { s, site, mirrors, w, tip, src: join(site, 'git', 'proj.git'), mirror: join(mirrors, 'proj.git'), events: join(site, 'data', 'replication') };
}

function records(events: string): TargetState[] {
  const dir = targetStateDir(events);
  return readdirSync(dir)
    .filter((n) => /^[0-9a-f]{40}$/.test(n))
    .map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as TargetState);
}

test('engine: a failed push then a good one leave last attempt, last success and last error', async () => {
  const e = setup('  replicationDelay = 0\n  replicationRetry = 0\n  createMissingRepositories = false\n');
  try {
    const engine = Engine.open(e.site, { timeScale: 0.001 });
    engine.startReplication({}, { now: true });
    await engine.queue.idle();
    let [r] = records(e.events);
    assert.equal(r.remote, 'm');
    assert.equal(r.project, 'proj');
    assert.equal(r.url, e.mirror);
    assert.equal(r.lastAttempt?.result, 'failed');
    assert.match(r.lastError?.message ?? '', /repository not found/);
    assert.equal(r.lastSuccess, undefined);

    bare(e.mirror);
    engine.startReplication({}, { now: true });
    await engine.queue.idle();
    [r] = records(e.events);
    assert.equal(r.lastAttempt?.result, 'ok');
    assert.deepEqual(r.lastSuccess?.refsPushed.sort(), ['refs/heads/feature', 'refs/heads/master']);
    assert.ok((r.lastSuccess?.durationMs ?? -1) >= 0);
    assert.ok(!Number.isNaN(Date.parse(r.lastSuccess!.at)));
    assert.match(r.lastError?.message ?? '', /repository not found/, 'the last error is kept after a success');
    assert.deepEqual(refsOf(e.mirror).get('refs/heads/master'), e.tip);
    // Gerrit's own files are untouched: nothing of ours inside ref-updates/.
    assert.deepEqual(readdirSync(join(e.events, 'ref-updates')).sort(), ['building', 'running', 'waiting']);
    await engine.stop();
  } finally {
    e.s.cleanup();
  }
});

test('engine: a rejected ref makes the attempt partial, not a success', async () => {
  const e = setup();
  try {
    bare(e.mirror);
    const other = e.w.commit('unrelated');
    git(e.w.dir, 'push', '-q', e.mirror, `${other}:refs/heads/master`);
    execFileSync('git', ['config', 'receive.denyNonFastForwards', 'true'], { cwd: e.mirror });
    // Without force (no `+` in the refspec) a non-fast-forward is rejected.
    writeFileSync(join(e.site, 'etc', 'replication.config'), `[remote "m"]\n  url = ${e.mirrors}/\${name}.git\n  push = refs/heads/*:refs/heads/*\n  replicationDelay = 0\n  replicationRetry = 0\n`);
    const engine = Engine.open(e.site, { timeScale: 0.001 });
    engine.startReplication({}, { now: true });
    await engine.queue.idle();
    const [r] = records(e.events);
    assert.equal(r.lastAttempt?.result, 'partial');
    assert.ok(r.lastAttempt?.refsRejected?.some((x) => x.startsWith('refs/heads/master REJECTED_NONFASTFORWARD')), JSON.stringify(r));
    assert.deepEqual(r.lastAttempt?.refsPushed, ['refs/heads/feature']);
    assert.equal(r.lastSuccess, undefined);
    assert.match(r.lastError?.message ?? '', /1 ref\(s\) rejected/);
    await engine.stop();
  } finally {
    e.s.cleanup();
  }
});

test('start --wait writes the record through the CLI', () => {
  const e = setup();
  try {
    const r = runCli(['start', '--site', e.site, '--wait', '--now', 'proj'], { env: ENV });
    assert.equal(r.code, 0, r.stderr);
    const [rec] = records(e.events);
    assert.equal(rec.lastAttempt?.result, 'ok');
    assert.equal(rec.lastSuccess?.refsPushedCount, 2);
  } finally {
    e.s.cleanup();
  }
});

test('hostile record files: links, FIFOs, directories, huge or corrupt files never break a push', async () => {
  const e = setup();
  try {
    bare(e.mirror);
    const store = new TargetStateStore(e.events);
    const path = store.pathOf('m', e.mirror, 'proj');
    mkdirSync(targetStateDir(e.events), { recursive: true });
    const secretFile = join(e.s.dir, 'outside.json');
    writeFileSync(secretFile, 'do not touch\n');
    for (const plant of ['link', 'fifo', 'huge', 'corrupt', 'dir'] as const) {
      execFileSync('rm', ['-rf', path]);
      if (plant === 'link') symlinkSync(secretFile, path);
      if (plant === 'fifo') execFileSync('mkfifo', [path]);
      if (plant === 'huge') writeFileSync(path, Buffer.alloc(5 * 1024 * 1024, 0x20));
      if (plant === 'corrupt') writeFileSync(path, '{"remote": "m", "url": 7');
      if (plant === 'dir') mkdirSync(join(path, 'x'), { recursive: true });
      assert.equal(store.read('m', e.mirror, 'proj'), undefined, plant);
      const logs: string[] = [];
      const engine = Engine.open(e.site, { timeScale: 0.001, log: (_l, m) => logs.push(m) });
      const outcomes: string[] = [];
      engine.startReplication({}, { now: true, listener: { onPushDone: (_op, o) => outcomes.push(...o.map((x) => x.result)) } });
      await engine.queue.idle();
      await engine.stop();
      assert.ok(outcomes.length > 0 && outcomes.every((x) => x === 'SUCCEEDED'), `${plant}: ${outcomes}`);
      assert.equal(readFileSync(secretFile, 'utf8'), 'do not touch\n', `${plant}: a link target is never written`);
      if (plant === 'dir') {
        assert.ok(lstatSync(path).isDirectory());
        assert.ok(logs.some((m) => m.startsWith('cannot write the target state')), logs.join('\n'));
      } else {
        assert.ok(lstatSync(path).isFile(), plant);
        assert.equal(store.read('m', e.mirror, 'proj')?.lastAttempt?.result, 'ok', plant);
      }
      git(e.mirror, 'update-ref', '-d', 'refs/heads/master');
    }
    // No temporary files left behind.
    assert.deepEqual(readdirSync(targetStateDir(e.events)).filter((n) => n.startsWith('.tmp-')), []);
  } finally {
    e.s.cleanup();
  }
});

test('errors are redacted and a record copied under another name is not believed', () => {
  const s = scratch('gr-tstate-');
  try {
    const store = new TargetStateStore(s.dir);
    const url = 'https://bob:hunter2@example.test/proj.git';
    store.record({ remote: 'r', url, project: 'p' }, { at: new Date().toISOString(), result: 'failed', durationMs: 3, refsPushed: [], refsPushedCount: 0, error: 'fatal: auth hunter2 failed for https://bob:hunter2@example.test' }, ['hunter2']);
    const raw = readFileSync(store.pathOf('r', url, 'p'), 'utf8');
    assert.ok(!raw.includes('hunter2'), raw);
    assert.equal(store.read('r', url, 'p')?.url, 'https://example.test/proj.git');
    assert.equal(store.read('r', url, 'p')?.lastAttempt?.durationMs, 3);
    // The same content under another target's key says nothing about that target.
    writeFileSync(store.pathOf('r', url, 'other'), raw);
    assert.equal(store.read('r', url, 'other'), undefined);
    assert.ok(existsSync(store.pathOf('r', url, 'other')));
  } finally {
    s.cleanup();
  }
});
