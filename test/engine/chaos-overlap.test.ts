// No two pushes to one URL at once, across restarts (issue 9, item 2): a daemon killed with
// kill -9 mid-push leaves its `git push` running, and the restarted daemon must not push the
// same URL while that push still runs. The mirror itself is the witness: its pre-receive hook
// takes a non-blocking flock on a file beside the mirror and holds it for as long as it runs
// (it sleeps, standing for a large pack in transit). A second receive-pack in the hook while
// the first is still there cannot take the lock and leaves an `overlap.*` mark. The kernel
// drops the lock when the hook's process ends, however it ends, so a killed push cannot leave
// a false mark behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratch } from '../support/helpers';
import { bare, git, refsOf, workRepo, writeSite } from '../support/engine-helpers';
import { type Daemon, kill9, marksOf, overlapHook, startDaemon, stopDaemon, until } from '../support/daemon';

const ENV = { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.05' }; // delay 1 s → 50 ms, retry 1 min → 3 s
const KILLS = 4;

function pendingTasks(site: string): string[] {
  const root = join(site, 'data', 'replication', 'ref-updates');
  const out: string[] = [];
  for (const d of ['waiting', 'running']) if (existsSync(join(root, d))) out.push(...readdirSync(join(root, d)).map((f) => `${d}/${f}`));
  return out;
}

async function restartsNeverOverlap(kind: 'path' | 'file'): Promise<void> {
  const s = scratch(`gr-overlap-${kind}-`);
  const site = join(s.dir, 'site');
  const mirror = join(s.dir, 'mirror', 'p.git');
  const marks = join(s.dir, 'marks');
  const url = kind === 'path' ? `${s.dir}/mirror/\${name}.git` : `file://${s.dir}/mirror/\${name}.git`;
  writeSite(site, `[remote "m"]\n  url = ${url}\n  replicationDelay = 1\n  mirror = true\n`);
  const w = workRepo(join(s.dir, 'work'));
  const source = bare(join(site, 'git', 'p.git'));
  bare(mirror);
  let tip = w.commit('u0');
  git(w.dir, 'push', '-q', source, `${tip}:refs/heads/master`);
  overlapHook(mirror, marks, 10);
  writeFileSync(join(marks, 'slow'), '');

  const daemons: Daemon[] = [];
  const logs = () => daemons.map((d, i) => `--- daemon ${i} ---\n${d.log()}`).join('\n');
  try {
    for (let round = 0; round <= KILLS; round++) {
      // A new update each round, stored for the daemon as the hook would.
      tip = w.commit(`u${round + 1}`, tip);
      git(w.dir, 'push', '-q', source, `${tip}:refs/heads/master`);
      if (round === KILLS) rmSync(join(marks, 'slow')); // the last push may finish
      assert.equal(runCli(['start', '--site', site, 'p'], { env: ENV }).code, 0);
      const seen = marksOf(marks, 'push.').length;
      const d = startDaemon(site, { env: ENV });
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
  }
}

test('kill -9 mid-push and restart, four times, to a path mirror: no two pushes to its URL at once', async () => {
  await restartsNeverOverlap('path');
});

test('kill -9 mid-push and restart, four times, to a file:// mirror: no two pushes to its URL at once', async () => {
  await restartsNeverOverlap('file');
});
