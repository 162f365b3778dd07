// Rounds of kill -9 (issue 9, chaos suite): five projects, two local mirrors (one whose
// pre-receive hook sleeps, so pushes are in flight), a real daemon. Each round pushes new
// commits, branches, tags, deletions and forced updates to random projects (through the
// installed post-receive hook, sometimes `start`), then kills the daemon with SIGKILL at a
// random moment (sometimes mid-push, sometimes while it starts) and restarts it (sometimes two
// at once). The PRNG is seeded; the seed is printed and GIT_REPLICATION_CHAOS_SEED replays it.
// At the end: every mirror equals its source, fsck passes, the store is empty, one daemon ran
// at a time and no git process marked for this store is left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLI, runCli, scratch } from '../support/helpers';
import { GIT_ENV, bare, git, refsOf, workRepo, writeSite } from '../support/engine-helpers';
import { OWNER_VAR, findOrphans, parseMark, storeId } from '../../server/src/engine/transport/gitOwner';
import { prng } from '../support/gitconfig-generator';
import { type Daemon, kill9, sleep, startDaemon as spawnDaemon, until as untilFor } from '../support/daemon';

const startDaemon = (site: string) => spawnDaemon(site, { env: ENV });
/** The rounds wait 20 s by default: a round that needs longer is a finding. */
const until = (what: string, cond: () => boolean, log: () => string, ms = 20_000) => untilFor(what, cond, log, ms);

const run = promisify(execFile);
const ENV = { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.02' }; // delay 1 s → 20 ms, retry 1 min → 1.2 s
const ROUNDS = 16;
const PROJECTS = ['p0', 'team/p1', 'p2', 'team/p3', 'p4'];
const MIRRORS = ['fast', 'slow'];




const exited = (d: Daemon) => d.child.exitCode !== null || d.child.signalCode !== null;



function procState(pid: string): string | undefined {
  try {
    const t = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return t.slice(t.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

function livePids(): string[] {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n) && procState(n) !== undefined && procState(n) !== 'Z');
}

function ppid(pid: string): string | undefined {
  try {
    const t = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return t.slice(t.lastIndexOf(')') + 2).split(' ')[1];
  } catch {
    return undefined;
  }
}

/**
 * Live daemon processes of this site (a zombie is dead: the kernel released its lock). A child
 * the daemon has forked but not yet exec'd (a git push starting) still shows the daemon's
 * command line; it is not a second daemon.
 */
function daemonsOf(site: string): string[] {
  const want = `${CLI}\0daemon\0--site\0${site}\0`;
  const found = livePids().filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'latin1').includes(want);
    } catch {
      return false;
    }
  });
  return found.filter((p) => !found.includes(ppid(p) ?? ''));
}

/** Live processes marked as git children working for this store, whoever their owner. */
function markedFor(events: string): string[] {
  const id = storeId(events);
  return livePids().filter((p) => {
    let env: string;
    try {
      env = readFileSync(`/proc/${p}/environ`, 'latin1');
    } catch {
      return false;
    }
    const kv = env.split('\0').find((x) => x.startsWith(`${OWNER_VAR}=`));
    return kv !== undefined && (parseMark(kv.slice(OWNER_VAR.length + 1))?.stores.includes(id) ?? false);
  });
}

function storeFiles(events: string): string[] {
  const root = join(events, 'ref-updates');
  const out: string[] = [];
  for (const d of ['building', 'waiting', 'running', 'quarantine']) if (existsSync(join(root, d))) out.push(...readdirSync(join(root, d)).map((f) => `${d}/${f}`));
  return out;
}

test(`kill -9 rounds: ${ROUNDS} random kills of a daemon pushing 5 projects to 2 mirrors; all converge, nothing left`, async (t) => {
  const seed = Number(process.env.GIT_REPLICATION_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
  t.diagnostic(`seed ${seed} (GIT_REPLICATION_CHAOS_SEED=${seed} replays it)`);
  console.log(`# engine-chaos-rounds seed ${seed}`);
  const rnd = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];

  const s = scratch('gr-rounds-');
  const site = join(s.dir, 'site');
  const events = join(site, 'data', 'replication');
  const marks = join(s.dir, 'slow-pushes');
  const remotes = MIRRORS.map(
    (m) => `[remote "${m}"]\n  url = ${s.dir}/${m}/\${name}.git\n  push = +refs/*:refs/*\n  mirror = true\n  replicationDelay = 1\n  replicationRetry = 1\n  threads = 2\n`,
  ).join('');
  writeSite(site, remotes);
  const source = (p: string) => join(site, 'git', `${p}.git`);
  const mirror = (m: string, p: string) => join(s.dir, m, `${p}.git`);
  const w = workRepo(join(s.dir, 'work'));
  for (const p of PROJECTS) {
    git(w.dir, 'push', '-q', bare(source(p)), `${w.commit(p)}:refs/heads/master`);
    for (const m of MIRRORS) bare(mirror(m, p));
  }
  const first = runCli(['start', '--site', site, '--wait', '--now'], { env: ENV });
  assert.equal(first.code, 0, first.stdout + first.stderr);
  // The slow mirror holds each push 0.4 s in pre-receive and counts the pushes it sees.
  for (const p of PROJECTS) {
    const hook = join(mirror('slow', p), 'hooks', 'pre-receive');
    writeFileSync(hook, `#!/bin/sh\ncat >/dev/null\necho "$$" >> "${marks}"\nsleep 0.4\n`);
    chmodSync(hook, 0o755);
  }
  writeFileSync(marks, '');
  const installed = runCli(['hook', 'install', '--site', site], { env: ENV });
  assert.equal(installed.code, 0, installed.stdout + installed.stderr);

  const slowPushes = () => readFileSync(marks, 'utf8').split('\n').filter(Boolean).length;
  let serial = 0;
  /** One random change to a project, pushed to its source (the post-receive hook stores the tasks). */
  const change = async (p: string): Promise<void> => {
    const refs = refsOf(source(p));
    const master = refs.get('refs/heads/master')!;
    const branches = [...refs.keys()].filter((r) => r.startsWith('refs/heads/b'));
    const op = rnd();
    let spec: string[];
    if (op < 0.4) spec = [`${w.commit(`m${serial++}`, master)}:refs/heads/master`];
    else if (op < 0.55) spec = [`${w.commit(`b${serial}`, master)}:refs/heads/b${serial++}`];
    else if (op < 0.65) spec = [`${w.commit(`t${serial}`, master)}:refs/tags/t${serial++}`];
    else if (op < 0.8 && branches.length) spec = [`:${pick(branches)}`];
    else if (op < 0.9 && branches.length) spec = [`+${w.commit(`f${serial++}`, master)}:${pick(branches)}`]; // a forced update
    else spec = [`${w.commit(`m${serial++}`, master)}:refs/heads/master`, `${w.commit(`b${serial}`, master)}:refs/heads/b${serial++}`];
    await run('git', ['push', '-q', source(p), ...spec], { cwd: w.dir, env: GIT_ENV });
  };
  const changeSome = async (): Promise<string[]> => {
    const ps = [...PROJECTS].sort(() => rnd() - 0.5).slice(0, 1 + Math.floor(rnd() * 3));
    await Promise.all(ps.map(change)); // distinct projects: the pushes to sources run at once
    return ps;
  };

  const all: Daemon[] = [];
  const logs = () => all.map((d, i) => `--- daemon ${i} (pid ${d.child.pid}) ---\n${d.log()}`).join('\n');
  /** A daemon up and past its start-up (orphans ended, store replayed); sometimes two race for the store. */
  const restart = async (race: boolean): Promise<Daemon> => {
    const ds = race ? [startDaemon(site), startDaemon(site)] : [startDaemon(site)];
    all.push(...ds);
    await until('a daemon to start', () => ds.some((d) => /daemon started/.test(d.log())), logs);
    const up = ds.find((d) => /daemon started/.test(d.log()))!;
    for (const d of ds.filter((x) => x !== up)) {
      await until('the second daemon to give up', () => exited(d), logs);
      assert.equal(d.child.exitCode, 1, logs());
      assert.match(d.log(), new RegExp(`a daemon already runs for the task store .*: pid ${up.child.pid} `));
    }
    const running = daemonsOf(site);
    assert.deepEqual(running, [String(up.child.pid)], `one daemon for the site: ${running.join(' ')} (started: ${up.child.pid}; all: ${all.map((x) => `${x.child.pid}${exited(x) ? ' exited' : ''}`).join(', ')})\n${logs()}`);
    // Every git process of a dead owner but its pushes was ended before the replay; a push may
    // finish (its URL waits for it, chaos-overlap.test.ts) and is over within the grace
    // (60 s × the time scale), ended if it must be.
    const orphans = findOrphans(events);
    assert.deepEqual(orphans.filter((o) => o.url === undefined), [], `no orphan but a push after a start\n${logs()}`);
    await until('the orphaned pushes to be over', () => findOrphans(events).length === 0, () => `orphans: ${JSON.stringify(findOrphans(events))}\n${logs()}`, 10_000);
    return up;
  };

  let d: Daemon | undefined;
  const kills = { midPush: 0, random: 0, startUp: 0 };
  try {
    d = await restart(false);
    for (let round = 0; round < ROUNDS; round++) {
      const seen = slowPushes();
      await changeSome();
      if (rnd() < 0.2) assert.equal(runCli(['start', '--site', site, pick(PROJECTS)], { env: ENV }).code, 0);
      if (rnd() < 0.5) {
        // Mid-push: once the slow mirror holds a push of this round, a little later.
        const end = Date.now() + 3000;
        while (slowPushes() === seen && Date.now() < end) await sleep(10);
        await sleep(rnd() * 300);
        kills.midPush++;
      } else {
        await sleep(rnd() * 800);
        kills.random++;
      }
      await kill9(d);
      if (rnd() < 0.3) await changeSome(); // updates stored while no daemon runs
      if (rnd() < 0.2) {
        // Killed again while it starts: ending orphans or replaying the store.
        const early = startDaemon(site);
        all.push(early);
        await sleep(rnd() * 700);
        await kill9(early);
        kills.startUp++;
      }
      d = await restart(rnd() < 0.25);
    }
    t.diagnostic(`kills: ${JSON.stringify(kills)}, slow-mirror pushes seen: ${slowPushes()}`);

    // Drain: every mirror equals its source and the store is empty.
    const converged = () => PROJECTS.every((p) => MIRRORS.every((m) => sameRefs(refsOf(mirror(m, p)), refsOf(source(p))))) && storeFiles(events).length === 0;
    await until('every mirror equal to its source and an empty store', converged, () => `${diff()}\nstore: ${storeFiles(events).join(' ')}\n${logs()}`, 30_000);
    const stopped = new Promise((r) => d!.child.once('exit', r));
    d.child.kill('SIGTERM');
    await stopped;
    for (const p of PROJECTS)
      for (const m of MIRRORS) {
        assert.deepEqual(refsOf(mirror(m, p)), refsOf(source(p)), `${m} mirror of ${p}`);
        git(mirror(m, p), 'fsck', '--strict', '--no-progress');
      }
    assert.deepEqual(storeFiles(events), [], 'no task in building/, waiting/, running/ or quarantine/');
    assert.deepEqual(daemonsOf(site), [], 'no daemon left');
    await until('no git process marked for this store', () => markedFor(events).length === 0, () => `marked: ${markedFor(events).join(' ')}\n${logs()}`, 5000);
    for (const x of all) assert.doesNotMatch(x.log(), /Giving up|cannot end \d+ git process/, logs());
  } finally {
    for (const x of all) if (!exited(x)) x.child.kill('SIGKILL');
    for (const p of markedFor(events)) {
      try {
        process.kill(Number(p), 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    s.cleanup();
  }

  function sameRefs(a: Map<string, string>, b: Map<string, string>): boolean {
    return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
  }
  function diff(): string {
    const out: string[] = [];
    for (const p of PROJECTS)
      for (const m of MIRRORS) {
        const a = refsOf(mirror(m, p));
        const b = refsOf(source(p));
        for (const r of new Set([...a.keys(), ...b.keys()])) if (a.get(r) !== b.get(r)) out.push(`${m} ${p} ${r}: mirror ${a.get(r) ?? '-'} source ${b.get(r) ?? '-'}`);
      }
    return out.join('\n');
  }
});
