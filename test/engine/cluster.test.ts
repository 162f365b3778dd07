// Cluster mode (issue 9, item 8): three daemons share one task store with
// replication.distributionInterval, each in a network namespace of its own (so nothing but the
// shared directory connects them), each with 2 threads. 600 tasks over 100 projects; one node
// is killed with kill -9 while it is mid-push. At the end every mirror equals its source, the
// store is empty (no task lost), the killed node's running task was taken over, and no mirror
// ever saw two pushes at once: each mirror's pre-receive hook is the overlap witness of
// test/support/daemon.ts, and it sleeps, standing for a pack in transit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../support/helpers';
import { bare, git, refsOf, workRepo, writeSite } from '../support/engine-helpers';
import { type Daemon, kill9, marksOf, overlapHook, startDaemon, stopDaemon, until } from '../support/daemon';
import { Engine } from '../../server/src/engine/engine';

const ENV = { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.05' }; // 1 s → 50 ms, retry 1 min → 3 s
const PROJECTS = Array.from({ length: 100 }, (_, i) => `team${i % 4}/p${String(i).padStart(2, '0')}`);
const ROUNDS = 6; // one new branch per project and round: 600 tasks
const NODES = 3;

function storeFiles(site: string): string[] {
  const root = join(site, 'data', 'replication', 'ref-updates');
  const out: string[] = [];
  for (const d of ['waiting', 'running']) if (existsSync(join(root, d))) out.push(...readdirSync(join(root, d)).map((f) => `${d}/${f}`));
  return out;
}

/**
 * The owner mark of a push that is in a mirror's hook now: its `push.PID` file names the hook's
 * process, which is alive while it sleeps. (Probing the witness lock instead would itself make
 * a hook starting at that moment see an overlap.)
 */
function pushInHook(marks: string): string | undefined {
  for (const f of marksOf(marks, 'push.')) {
    const pid = f.slice('push.'.length);
    let state: string | undefined;
    try {
      const t = readFileSync(`/proc/${pid}/stat`, 'utf8');
      state = t.slice(t.lastIndexOf(')') + 2).split(' ')[0];
    } catch {
      continue;
    }
    if (state !== 'Z' && state !== 'X') return readFileSync(join(marks, f), 'utf8');
  }
  return undefined;
}

test('three cluster nodes, one killed with kill -9 mid-push: every mirror equals its source, no task lost, never two pushes to one URL at once', async () => {
  const s = scratch('gr-cluster-');
  const site = join(s.dir, 'site');
  writeSite(site, `[replication]\n  distributionInterval = 1\n[remote "m"]\n  url = ${s.dir}/mirror/\${name}.git\n  replicationDelay = 1\n  threads = 2\n`);
  // One template with every commit the rounds use (unreferenced after the first), copied as
  // each source and each mirror: the mirrors start equal to the sources and have the objects.
  const w = workRepo(join(s.dir, 'work'));
  const tpl = bare(join(s.dir, 'tpl.git'));
  const commits = [w.commit('c0')];
  for (let k = 1; k <= ROUNDS; k++) commits.push(w.commit(`c${k}`, commits[k - 1]));
  git(w.dir, 'push', '-q', tpl, `${commits[0]}:refs/heads/master`, `${commits[ROUNDS]}:refs/heads/tmp`);
  git(tpl, 'update-ref', '-d', 'refs/heads/tmp');
  const src = (p: string) => join(site, 'git', `${p}.git`);
  const mirror = (p: string) => join(s.dir, 'mirror', `${p}.git`);
  const marks = (p: string) => join(s.dir, 'marks', p);
  for (const p of PROJECTS) {
    cpSync(tpl, src(p), { recursive: true });
    cpSync(tpl, mirror(p), { recursive: true });
    overlapHook(mirror(p), marks(p), '0.4');
    writeFileSync(join(marks(p), 'slow'), '');
  }
  // What a hook does on each update: the new ref at the source, one task in the store.
  const writer = Engine.open(site);
  const round = (k: number) => {
    for (const p of PROJECTS) {
      git(src(p), 'update-ref', `refs/heads/b${k}`, commits[k]);
      assert.equal(writer.storeTasks(p, [`refs/heads/b${k}`]), 1);
    }
  };
  for (let k = 1; k <= 3; k++) round(k);
  assert.equal(storeFiles(site).length, 300);

  const nodes: Daemon[] = [];
  const logs = () => nodes.map((d, i) => `--- node ${i} (pid ${d.child.pid}) ---\n${d.log().slice(-3000)}`).join('\n');
  try {
    for (let i = 0; i < NODES; i++) nodes.push(startDaemon(site, { env: ENV, wrap: ['unshare', '--net'] }));
    for (const [i, d] of nodes.entries()) await until(`node ${i} to start`, () => /daemon started.*cluster node/.test(d.log()), logs);
    // Mid-drain: find a mirror whose hook holds a push now, and kill the node that pushes it.
    let victim: Daemon | undefined;
    await until(
      'a node mid-push',
      () => {
        for (const p of PROJECTS) {
          const owner = pushInHook(marks(p));
          victim = owner === undefined ? undefined : nodes.find((d) => owner.includes(`:${d.child.pid}:`));
          if (victim) return true;
        }
        return false;
      },
      logs,
    );
    await kill9(victim!);
    const survivors = nodes.filter((d) => d !== victim);
    // More updates while a node is down: the survivors pick them up from the store.
    for (let k = 4; k <= ROUNDS; k++) round(k);
    await until(
      'every mirror equal to its source and the store empty',
      () => storeFiles(site).length === 0 && PROJECTS.every((p) => refsOf(mirror(p)).size === ROUNDS + 1),
      () => `store: ${storeFiles(site).slice(0, 10).join(' ')}\n${logs()}`,
      180_000,
    );
    for (const p of PROJECTS) assert.deepEqual(refsOf(mirror(p)), refsOf(src(p)), `${p}: mirror differs from its source`);
    const overlaps = PROJECTS.flatMap((p) => marksOf(marks(p), 'overlap.').map((f) => `${p}/${f}`));
    assert.deepEqual(overlaps, [], `two pushes reached one mirror at once\n${logs()}`);
    // The killed node's running task was given back by a survivor, and both survivors pushed.
    assert.ok(survivors.some((d) => /recovered \d+ task\(s\) left running by a stopped node/.test(d.log())), logs());
    for (const d of survivors) assert.match(d.log(), /Replication to .* completed in/);
    for (const p of PROJECTS.slice(0, 5)) git(mirror(p), 'fsck', '--no-progress');
  } finally {
    for (const d of nodes) await stopDaemon(d);
    rmSync(s.dir, { recursive: true, force: true });
  }
});
