// `npm run bench:engine`: the replication engine against the best hand-written baseline,
// measured in the same run, engine and baseline alternating (BENCH_RUNS pairs, default 5);
// every figure is a median with the spread (min–max) of the per-pair ratios, wall and CPU
// (this process and its reaped children: git, sh).
//  1. 200 projects × 3 file:// mirrors: initial sync and no-op resync, engine (threads per
//     remote, Gerrit full sync) vs `xargs -P<same total> git push --mirror`.
//  2. 1,000 ref updates over 10 projects inside replicationDelay → pushes per URL.
//  3. Draining 10,000 stored tasks (50 new refs × 200 projects, one mirror, 3 threads) vs the
//     baseline pushing the same 200 targets.
//  4. Cluster throughput: the same 10,000 tasks drained by 3 daemons × 2 threads sharing the
//     store (replication.distributionInterval) against 1 daemon × 6 threads.
//  5. RSS and heap with 100,000 pending tasks (a fresh process, as a daemon replaying them).
//  6. Recovery after kill -9: the drain's 10,000 tasks, its daemon killed with a third of the
//     mirrors caught up; from the restart to every mirror equal to its source, against the same
//     drain from a clean start.
// BENCH_SECTIONS=initial,noop,burst,drain,cluster,recovery,memory picks sections (default: all).
// Prints a Markdown table for BENCHMARKS.md.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, ensureNpmDependencies, build } from './setup.mjs';

if (process.argv[2] === '--rss-child') await rssChild(process.argv[3]);
ensureNpmDependencies();
build();
if (typeof global.gc !== 'function') {
  // The memory figure needs a full GC between samples.
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const require = createRequire(import.meta.url);
const { Engine } = require(join(root, 'out/server/src/engine/engine.js'));

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SECTIONS = (process.env.BENCH_SECTIONS ?? 'initial,noop,burst,drain,cluster,recovery,memory').split(',');
const want = (s) => SECTIONS.includes(s);
const MIRRORS = 3;
const THREADS = 1; // per remote: the engine runs MIRRORS × THREADS pushes at once
const P = MIRRORS * THREADS;
const ENV = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

const work = mkdtempSync(join(tmpdir(), 'gr-bench-engine-'));
const site = join(work, 'site');
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const now = () => process.hrtime.bigint();
/** CPU ms of this process and its reaped children (utime stime cutime cstime, 100 ticks/s). */
function cpuMs() {
  const f = readFileSync('/proc/self/stat', 'utf8');
  const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(x[11]) + Number(x[12]) + Number(x[13]) + Number(x[14])) * 10;
}
/** Runs fn, returns { wall, cpu } in ms. */
async function measure(fn) {
  const c0 = cpuMs();
  const s0 = process.cpuUsage();
  const t0 = now();
  await fn();
  const self = process.cpuUsage(s0);
  return { wall: ms(t0), cpu: cpuMs() - c0, self: (self.user + self.system) / 1000 };
}

function makeSources() {
  // A template repository with some history, copied per project, plus one unique commit each.
  const tpl = join(work, 'tpl');
  mkdirSync(tpl);
  git(tpl, 'init', '-q');
  for (let i = 0; i < 30; i++) {
    writeFileSync(join(tpl, `f${i % 7}.txt`), `line ${i}\n`.repeat(50 + i));
    git(tpl, 'add', '.');
    git(tpl, 'commit', '-q', '-m', `c${i}`);
    if (i % 6 === 0) git(tpl, 'branch', `b${i}`);
    if (i % 10 === 0) git(tpl, 'tag', `v${i}`);
  }
  const tplBare = join(work, 'tpl.git');
  git(work, 'clone', '-q', '--bare', tpl, tplBare);
  git(tplBare, 'gc', '-q');
  for (let p = 0; p < PROJECTS; p++) {
    const dir = join(site, 'git', `team${p % 10}`, `proj${p}.git`);
    mkdirSync(join(dir, '..'), { recursive: true });
    cpSync(tplBare, dir, { recursive: true });
    const c = execFileSync('git', ['commit-tree', 'HEAD^{tree}', '-p', 'HEAD', '-m', `unique ${p}`], { cwd: dir, env: ENV, encoding: 'utf8' }).trim();
    git(dir, 'update-ref', 'refs/heads/master', c);
  }
}

function projectNames() {
  return Array.from({ length: PROJECTS }, (_, p) => `team${p % 10}/proj${p}`);
}

let emptyTpl;
function emptyMirrors(base) {
  // Copies of one empty bare repository: much faster than 600 `git init`s.
  if (!emptyTpl) {
    emptyTpl = join(work, 'empty.git');
    mkdirSync(emptyTpl);
    git(emptyTpl, 'init', '-q', '--bare');
  }
  rmSync(base, { recursive: true, force: true });
  for (let m = 0; m < MIRRORS; m++) for (const n of projectNames()) {
    const d = join(base, `m${m}`, `${n}.git`);
    mkdirSync(join(d, '..'), { recursive: true });
    cpSync(emptyTpl, d, { recursive: true });
  }
}

function writeConfig(mirrorBase, extra = '') {
  mkdirSync(join(site, 'etc'), { recursive: true });
  let cfg = '';
  for (let m = 0; m < MIRRORS; m++)
    cfg += `[remote "m${m}"]\n  url = file://${mirrorBase}/m${m}/\${name}.git\n  push = +refs/*:refs/*\n  mirror = true\n  replicationDelay = 0\n  threads = ${THREADS}\n${extra}`;
  writeFileSync(join(site, 'etc', 'replication.config'), cfg);
  rmSync(join(site, 'data'), { recursive: true, force: true });
}

function baseline(mirrorBase) {
  const lines = [];
  for (let m = 0; m < MIRRORS; m++) for (const n of projectNames()) lines.push(`${join(site, 'git', n + '.git')} file://${mirrorBase}/m${m}/${n}.git`);
  return xargsPush(lines, P);
}

function xargsPush(lines, p) {
  return measure(() => {
    const r = spawnSync('sh', ['-c', `xargs -P${p} -n2 sh -c 'git -C "$0" push -q --mirror "$1"'`], { input: lines.join('\n') + '\n', env: ENV, stdio: ['pipe', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error('baseline push failed');
  });
}

async function engineSync(persist = true) {
  const engine = Engine.open(site, { persist });
  let ops;
  const m = await measure(async () => {
    ops = await engine.startReplicationAsync({}, { now: true });
    await engine.queue.idle();
  });
  await engine.stop();
  if (ops.length !== PROJECTS * MIRRORS) throw new Error(`expected ${PROJECTS * MIRRORS} pushes, got ${ops.length}`);
  return m;
}

function sameRefs(a, b) {
  return git(a, 'for-each-ref', '--format=%(objectname) %(refname)') === git(b, 'for-each-ref', '--format=%(objectname) %(refname)');
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Engine and baseline runs paired: medians of each, and the median and spread of the ratios. */
function pairs(es, bs) {
  const stat = (k) => {
    const r = es.map((e, i) => e[k] / bs[i][k]);
    return { e: median(es.map((x) => x[k])), b: median(bs.map((x) => x[k])), r: median(r), lo: Math.min(...r), hi: Math.max(...r) };
  };
  return { wall: stat('wall'), cpu: stat('cpu') };
}
const sec = (x) => `${(x / 1000).toFixed(2)} s`;
const ratio = (s) => `**${s.r.toFixed(2)}×** (${s.lo.toFixed(2)}–${s.hi.toFixed(2)})`;

/** Alternating runs of two measured functions; `prepare` runs before each pair. */
async function alternate(n, engineRun, baseRun, prepare = () => {}) {
  const es = [], bs = [];
  for (let i = 0; i < n; i++) {
    prepare(i);
    if (i % 2) {
      bs.push(await baseRun());
      es.push(await engineRun());
    } else {
      es.push(await engineRun());
      bs.push(await baseRun());
    }
  }
  return pairs(es, bs);
}

const rows = [];
const row = (what, engine, base, note = '') => rows.push(`| ${what} | ${engine} | ${base} | ${note} |`);
const pairRows = (what, p, note = '') => {
  row(`${what}, wall`, sec(p.wall.e), sec(p.wall.b), `${ratio(p.wall)}${note ? `; ${note}` : ''}`);
  row(`${what}, CPU`, sec(p.cpu.e), sec(p.cpu.b), ratio(p.cpu));
};

/** The memory child: a fresh process with an idle engine, then 100,000 pending tasks. */
async function rssChild(siteDir) {
  const req = createRequire(import.meta.url);
  const { Engine: E } = req(join(root, 'out/server/src/engine/engine.js'));
  const { taskKey } = req(join(root, 'out/server/src/engine/queue/taskStore.js'));
  const engine = E.open(siteDir);
  const dest = engine.destination('m');
  const base = join(siteDir, 'mirrors');
  global.gc(); global.gc();
  const m0 = process.memoryUsage();
  const t0 = performance.now();
  for (let i = 0; i < 100_000; i++) {
    const t = { project: `group${i % 100}/project${i}`, refs: ['refs/heads/master', `refs/changes/${String(i % 100).padStart(2, '0')}/${i}/1`], uri: `file://${base}/group${i % 100}/project${i}.git`, remote: 'm' };
    // As a replay does: the task is already in the store, the queue tracks its key.
    engine.queue.schedule(dest, t.project, t.uri, t.refs, { key: taskKey(t) });
  }
  const schedMs = performance.now() - t0;
  global.gc(); global.gc();
  const m1 = process.memoryUsage();
  const pending = engine.queue.snapshot().pending.length;
  process.stdout.write(JSON.stringify({ rss0: m0.rss, rss1: m1.rss, heap0: m0.heapUsed, heap1: m1.heapUsed, pending, schedMs }));
  process.exit(0);
}

try {
  console.error(`bench:engine: preparing ${PROJECTS} projects…`);
  makeSources();
  const engBase = join(work, 'mirrors-engine');
  const bBase = join(work, 'mirrors-baseline');
  // Warm the page cache for both sides.
  emptyMirrors(join(work, 'mirrors-warm'));
  await baseline(join(work, 'mirrors-warm'));
  rmSync(join(work, 'mirrors-warm'), { recursive: true, force: true });

  if (want('initial')) {
    console.error('bench:engine: initial sync…');
    const initial = await alternate(RUNS, () => engineSync(), () => baseline(bBase), () => {
      emptyMirrors(engBase);
      emptyMirrors(bBase);
      writeConfig(engBase);
    });
    pairRows(`initial sync, ${PROJECTS} projects × ${MIRRORS} mirrors (${P} pushes at once)`, initial);
  } else {
    emptyMirrors(engBase);
    emptyMirrors(bBase);
    writeConfig(engBase);
    const one = await engineSync();
    console.error(`bench:engine: one initial sync: ${sec(one.wall)} wall, ${sec(one.cpu)} CPU, of which the engine's own process ${sec(one.self)}`);
    if (want('noop') || want('drain')) await baseline(bBase);
  }
  for (const n of projectNames()) for (let m = 0; m < MIRRORS; m++)
    if (!sameRefs(join(site, 'git', n + '.git'), join(engBase, `m${m}`, n + '.git'))) throw new Error(`engine mirror differs: ${n}`);

  if (want('noop')) {
    console.error('bench:engine: no-op resync…');
    const noop = await alternate(RUNS, () => engineSync(), () => baseline(bBase));
    pairRows('no-op resync', noop);
    const bare = await alternate(RUNS, () => engineSync(false), () => baseline(bBase));
    pairRows('no-op resync without the task store', bare, 'what the durable queue costs');
  }

  if (want('burst')) {
    console.error('bench:engine: 1,000 ref updates inside replicationDelay…');
    writeFileSync(join(site, 'etc', 'replication.config'), `${[0, 1, 2].map((m) => `[remote "m${m}"]\n  url = file://${engBase}/m${m}/\${name}.git\n  replicationDelay = 2\n  threads = ${THREADS}\n`).join('')}`);
    rmSync(join(site, 'data'), { recursive: true, force: true });
    const ten = projectNames().slice(0, 10);
    for (const n of ten) {
      const dir = join(site, 'git', n + '.git');
      const head = git(dir, 'rev-parse', 'HEAD');
      const input = Array.from({ length: 100 }, (_, i) => `update refs/heads/burst/${i} ${head}\n`).join('');
      execFileSync('git', ['update-ref', '--stdin'], { cwd: dir, input, env: ENV });
    }
    const engine = Engine.open(site);
    const t0 = now();
    for (let i = 0; i < 1000; i++) engine.onRefsUpdated(ten[i % 10], [`refs/heads/burst/${Math.floor(i / 10)}`]);
    const scheduleMs = ms(t0);
    await engine.queue.idle();
    const burstMs = ms(t0);
    const perRemote = [0, 1, 2].map((m) => [...engine.queue.pushCount.entries()].filter(([u]) => u.includes(`/m${m}/`)).reduce((a, [, c]) => a + c, 0));
    await engine.stop();
    for (const n of ten) for (let m = 0; m < MIRRORS; m++) {
      const refs = git(join(engBase, `m${m}`, n + '.git'), 'for-each-ref', '--format=%(refname)', 'refs/heads/burst/');
      if (refs.split('\n').length !== 100) throw new Error(`burst refs missing on ${n} m${m}`);
    }
    row('1,000 ref updates over 10 projects within replicationDelay = 2 s', `${perRemote.join(' / ')} pushes per remote URL`, '10 expected', `scheduling 1,000 updates: ${scheduleMs.toFixed(0)} ms (incl. 3,000 task files); all pushed ${(burstMs / 1000).toFixed(2)} s after the first`);
  }

  const DRAIN_REFS = 50;
  const names = projectNames();
  const drainRefs = Array.from({ length: DRAIN_REFS }, (_, i) => `refs/heads/drain/${i}`);
  for (const n of names) {
    const dir = join(site, 'git', n + '.git');
    const head = git(dir, 'rev-parse', 'HEAD');
    execFileSync('git', ['update-ref', '--stdin'], { cwd: dir, input: drainRefs.map((r) => `update ${r} ${head}\n`).join(''), env: ENV });
  }
  // One mirror (m0, in sync but for the new refs), 3 threads: the baseline's -P3.
  writeFileSync(join(site, 'etc', 'replication.config'), `[remote "m0"]\n  url = file://${engBase}/m0/\${name}.git\n  push = +refs/*:refs/*\n  mirror = true\n  replicationDelay = 0\n  threads = ${P}\n`);
  const resetMirrors = () => {
    for (const base of [engBase, bBase]) for (const n of names) {
      const d = join(base, 'm0', n + '.git');
      execFileSync('git', ['update-ref', '--stdin'], { cwd: d, input: drainRefs.map((r) => `delete ${r}\n`).join(''), env: ENV });
    }
    rmSync(join(site, 'data'), { recursive: true, force: true });
    const writer = Engine.open(site);
    for (const n of names) for (const r of drainRefs) writer.storeTasks(n, [r]);
  };
  if (want('drain')) {
    console.error('bench:engine: draining 10,000 stored tasks…');
    let drainPushes = 0;
    const drainRun = async () => {
      const e = Engine.open(site);
      const m = await measure(async () => {
        const n = e.replay();
        if (n !== names.length * DRAIN_REFS) throw new Error(`replayed ${n} tasks`);
        await e.queue.idle();
      });
      drainPushes = [...e.queue.pushCount.values()].reduce((a, b) => a + b, 0);
      await e.stop();
      return m;
    };
    const drainBase = () => xargsPush(names.map((n) => `${join(site, 'git', n + '.git')} file://${bBase}/m0/${n}.git`), P);
    const drain = await alternate(Math.min(RUNS, 3), drainRun, drainBase, resetMirrors);
    for (const n of names) if (!sameRefs(join(site, 'git', n + '.git'), join(engBase, 'm0', n + '.git'))) throw new Error(`drain: engine mirror differs: ${n}`);
    pairRows(`drain 10,000 stored tasks (${DRAIN_REFS} new refs × ${PROJECTS} projects, 1 mirror, ${P} threads; ${drainPushes} pushes)`, drain, `${(10_000 / (drain.wall.e / 1000)).toFixed(0)} tasks/s`);
  }

  if (want('cluster')) {
    console.error('bench:engine: cluster throughput…');
    const CLI = join(root, 'dist', 'cli.js');
    const storeLeft = () => ['waiting', 'running'].reduce((a, d) => {
      const p = join(site, 'data', 'replication', 'ref-updates', d);
      return a + (existsSync(p) ? readdirSync(p).length : 0);
    }, 0);
    const pushesOf = { cluster: 0, single: 0 };
    // Real daemons: `nodes` processes on the store, from start until the store is empty and they stopped.
    const daemons = (nodes, threads, cluster) => async () => {
      writeFileSync(join(site, 'etc', 'replication.config'), `${cluster ? '[replication]\n  distributionInterval = 1\n' : ''}[remote "m0"]\n  url = file://${engBase}/m0/\${name}.git\n  push = +refs/*:refs/*\n  mirror = true\n  replicationDelay = 0\n  threads = ${threads}\n`);
      for (const n of names) execFileSync('git', ['update-ref', '--stdin'], { cwd: join(engBase, 'm0', n + '.git'), input: drainRefs.map((r) => `delete ${r}\n`).join(''), env: ENV });
      rmSync(join(site, 'data'), { recursive: true, force: true });
      const writer = Engine.open(site);
      for (const n of names) for (const r of drainRefs) writer.storeTasks(n, [r]);
      const logs = [];
      const m = await measure(async () => {
        const ds = Array.from({ length: nodes }, (_, i) => {
          const d = spawn(process.execPath, [CLI, 'daemon', '--site', site, '--poll', '100'], { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
          logs[i] = '';
          d.stderr.on('data', (b) => (logs[i] += b));
          return d;
        });
        while (storeLeft() > 0) await new Promise((r) => setTimeout(r, 50));
        await Promise.all(ds.map((d) => new Promise((r) => { d.once('exit', r); d.kill('SIGTERM'); })));
      });
      for (const n of names) if (!sameRefs(join(site, 'git', n + '.git'), join(engBase, 'm0', n + '.git'))) throw new Error(`cluster: mirror differs: ${n}`);
      pushesOf[cluster ? 'cluster' : 'single'] = logs.join('').split('\n').filter((l) => /INFO Replication to .* completed in/.test(l)).length;
      return m;
    };
    const cl = await alternate(Math.min(RUNS, 3), daemons(3, 2, true), daemons(1, P * 2, false));
    pairRows(`cluster: 10,000 stored tasks, 3 daemons × 2 threads sharing the store (engine) vs 1 daemon × 6 threads (baseline)`, cl, `pushes ${pushesOf.cluster} vs ${pushesOf.single} for ${PROJECTS} URLs; every mirror equal to its source after each run`);
  }

  if (want('recovery')) {
    console.error('bench:engine: recovery after kill -9…');
    const CLI = join(root, 'dist', 'cli.js');
    const { refsOnDisk } = require(join(root, 'out/server/src/engine/transport/refsOnDisk.js'));
    writeFileSync(join(site, 'etc', 'replication.config'), `[remote "m0"]\n  url = file://${engBase}/m0/\${name}.git\n  push = +refs/*:refs/*\n  mirror = true\n  replicationDelay = 0\n  threads = ${P}\n`);
    const mirrorOf = (n) => join(engBase, 'm0', n + '.git');
    // Equal as git would list them; read on disk (no process), git only when the reader is unsure.
    const equal = (n) => {
      const a = refsOnDisk(join(site, 'git', n + '.git'));
      const b = a && refsOnDisk(mirrorOf(n));
      if (!a || !b) return sameRefs(join(site, 'git', n + '.git'), mirrorOf(n));
      return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
    };
    /** Polls until `share` of the mirrors (all: 1) equal their sources; the ones found equal stay so. */
    const waitEqual = async (share, done = new Set()) => {
      while (done.size < Math.ceil(share * names.length)) {
        for (const n of names) if (!done.has(n) && equal(n)) done.add(n);
        if (done.size < Math.ceil(share * names.length)) await new Promise((r) => setTimeout(r, 20));
      }
      return done;
    };
    const storeTasks = () => {
      for (const n of names) execFileSync('git', ['update-ref', '--stdin'], { cwd: mirrorOf(n), input: drainRefs.map((r) => `delete ${r}\n`).join(''), env: ENV });
      rmSync(join(site, 'data'), { recursive: true, force: true });
      const writer = Engine.open(site);
      for (const n of names) for (const r of drainRefs) writer.storeTasks(n, [r]);
    };
    const daemon = () => {
      const d = spawn(process.execPath, [CLI, 'daemon', '--site', site, '--poll', '100'], { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
      d.log = '';
      d.stderr.on('data', (b) => (d.log += b));
      d.exited = new Promise((r) => d.once('exit', r));
      return d;
    };
    const storeLeft = () => ['waiting', 'running'].reduce((a, dir) => {
      const p = join(site, 'data', 'replication', 'ref-updates', dir);
      return a + (existsSync(p) ? readdirSync(p).length : 0);
    }, 0);
    /** From a daemon's start to every mirror equal to its source; CPU: that daemon and its git, until it stopped. */
    const timeDrain = async (done) => {
      const c0 = cpuMs();
      const t0 = now();
      const d = daemon();
      await waitEqual(1, done);
      const wall = ms(t0);
      while (storeLeft() > 0) await new Promise((r) => setTimeout(r, 20));
      d.kill('SIGTERM');
      await d.exited;
      return { wall, cpu: cpuMs() - c0, log: d.log };
    };
    const killedAt = [], ended = [], recovered = [];
    const recoveryRun = async () => {
      storeTasks();
      const first = daemon();
      // Mid-run: a third of the mirrors done, the rest pending or in flight. Then kill -9.
      const done = await waitEqual(1 / 3);
      first.kill('SIGKILL');
      await first.exited;
      killedAt.push(done.size);
      const r = await timeDrain(new Set([...done].filter(equal)));
      ended.push(Number(/ended (\d+) git process/.exec(r.log)?.[1] ?? 0));
      recovered.push(Number(/recovered (\d+) task\(s\) that were running/.exec(r.log)?.[1] ?? 0));
      return r;
    };
    const cleanRun = async () => {
      storeTasks();
      return timeDrain(new Set());
    };
    const rec = await alternate(RUNS, recoveryRun, cleanRun);
    for (const n of names) if (!sameRefs(join(site, 'git', n + '.git'), mirrorOf(n))) throw new Error(`recovery: mirror differs: ${n}`);
    pairRows(
      `recovery after kill -9: ${names.length * DRAIN_REFS} stored tasks (as the drain, ${P} threads), daemon killed with ${median(killedAt)} of ${names.length} mirrors caught up, restart → every mirror equal to its source (engine) vs the same drain from a clean start (baseline)`,
      rec,
      `the restart ended ${Math.min(...ended)}–${Math.max(...ended)} orphaned git process(es) and moved ${Math.min(...recovered)}–${Math.max(...recovered)} task(s) from running/ back to waiting/ first`,
    );
  }

  if (want('memory')) {
    console.error('bench:engine: 100,000 pending tasks…');
    const memSite = join(work, 'memsite');
    mkdirSync(join(memSite, 'etc'), { recursive: true });
    mkdirSync(join(memSite, 'git'), { recursive: true });
    writeFileSync(join(memSite, 'etc', 'replication.config'), `[remote "m"]\n  url = file://${memSite}/mirrors/\${name}.git\n  replicationDelay = 3600\n`);
    const child = spawnSync(process.execPath, ['--expose-gc', process.argv[1], '--rss-child', memSite], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const mem = JSON.parse(child.stdout);
    const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;
    row('100,000 pending tasks (2 refs each, one timer each, keys tracked as on replay), fresh process', `RSS ${mib(mem.rss1)}, heap ${mib(mem.heap1)}`, `idle engine: RSS ${mib(mem.rss0)}, heap ${mib(mem.heap0)}`, `${mem.pending} pending; +${mib(mem.rss1 - mem.rss0)} RSS (${((mem.rss1 - mem.rss0) / 100_000).toFixed(0)} B per task); scheduled in ${(mem.schedMs / 1000).toFixed(2)} s`);

    // The store's cost: every task is a file written, renamed, started and deleted.
    const storeEngine = Engine.open(site);
    const ts = now();
    for (let i = 0; i < 10_000; i++) storeEngine.store.create({ project: `p${i}`, refs: ['refs/heads/master'], uri: `file:///x/p${i}.git`, remote: 'm' });
    const storeMs = ms(ts);
    row('task store: 10,000 tasks persisted (building → waiting)', `${(storeMs / 1000).toFixed(2)} s (${(10_000 / (storeMs / 1000)).toFixed(0)} tasks/s)`, '—', '');
  }

  const os = await import('node:os');
  console.log(`\nRun ${new Date().toISOString().slice(0, 16)}Z, git ${git(work, 'version').replace('git version ', '')}, node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} at the end; ${RUNS} runs per figure (drain: ${Math.min(RUNS, 3)}).\n`);
  console.log('| Measure | Engine (median) | Baseline (median) | Ratio: median (spread of per-run ratios) |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(r);
} finally {
  rmSync(work, { recursive: true, force: true });
}
