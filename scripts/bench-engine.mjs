// `npm run bench:engine`: the replication engine against the best hand-written baseline,
// measured in the same run.
//  1. 200 projects × 3 file:// mirrors: initial sync and no-op resync, engine (threads per
//     remote, Gerrit full sync) vs `xargs -P<same total> git push --mirror`.
//  2. 1,000 ref updates over 10 projects inside replicationDelay → pushes per URL.
//  3. Queue memory with 100,000 pending tasks (and the task store's write rate).
// Prints a Markdown table for BENCHMARKS.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, ensureNpmDependencies, build } from './setup.mjs';

ensureNpmDependencies();
build();
if (typeof global.gc !== 'function') {
  // The memory figure needs a full GC between samples.
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const require = createRequire(import.meta.url);
const { Engine } = require(join(root, 'out/server/src/engine/engine.js'));

const PROJECTS = 200;
const MIRRORS = 3;
const THREADS = 1; // per remote: the engine runs MIRRORS × THREADS pushes at once
const P = MIRRORS * THREADS;
const ENV = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

const work = mkdtempSync(join(tmpdir(), 'gr-bench-engine-'));
const site = join(work, 'site');
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const now = () => process.hrtime.bigint();

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
  const t0 = now();
  const r = spawnSync('sh', ['-c', `xargs -P${P} -n2 sh -c 'git -C "$0" push -q --mirror "$1"'`], { input: lines.join('\n') + '\n', env: ENV, stdio: ['pipe', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('baseline push failed');
  return ms(t0);
}

async function engineSync(persist = true) {
  const engine = Engine.open(site, { persist });
  const t0 = now();
  const ops = await engine.startReplicationAsync({}, { now: true });
  await engine.queue.idle();
  const t = ms(t0);
  await engine.stop();
  if (ops.length !== PROJECTS * MIRRORS) throw new Error(`expected ${PROJECTS * MIRRORS} pushes, got ${ops.length}`);
  return t;
}

function sameRefs(a, b) {
  return git(a, 'for-each-ref', '--format=%(objectname) %(refname)') === git(b, 'for-each-ref', '--format=%(objectname) %(refname)');
}

function mean(xs) {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const rows = [];
const row = (what, engine, base, note = '') => rows.push(`| ${what} | ${engine} | ${base} | ${note} |`);
try {
  console.error('bench:engine: preparing 200 projects…');
  makeSources();
  const engBase = join(work, 'mirrors-engine');
  const bBase = join(work, 'mirrors-baseline');
  // Warm the page cache for both sides.
  emptyMirrors(join(work, 'mirrors-warm'));
  baseline(join(work, 'mirrors-warm'));
  rmSync(join(work, 'mirrors-warm'), { recursive: true, force: true });

  // The machine may be shared: every figure is a median of 3, engine and baseline alternating.
  console.error('bench:engine: initial sync…');
  const ib = [], ie = [];
  for (let i = 0; i < 2; i++) {
    emptyMirrors(engBase);
    emptyMirrors(bBase);
    writeConfig(engBase);
    if (i % 2) {
      ib.push(baseline(bBase));
      ie.push(await engineSync());
    } else {
      ie.push(await engineSync());
      ib.push(baseline(bBase));
    }
  }
  for (const n of projectNames()) for (let m = 0; m < MIRRORS; m++)
    if (!sameRefs(join(site, 'git', n + '.git'), join(engBase, `m${m}`, n + '.git'))) throw new Error(`engine mirror differs: ${n}`);
  row(`initial sync, ${PROJECTS} projects × ${MIRRORS} mirrors (${P} pushes at once; mean of 2, one in each order)`, `${(mean(ie) / 1000).toFixed(2)} s`, `${(mean(ib) / 1000).toFixed(2)} s`, `**${(mean(ie) / mean(ib)).toFixed(2)}×**`);

  console.error('bench:engine: no-op resync…');
  const nb = [], ne = [], nn = [];
  for (let i = 0; i < 3; i++) {
    if (i % 2) {
      nb.push(baseline(bBase));
      ne.push(await engineSync());
    } else {
      ne.push(await engineSync());
      nb.push(baseline(bBase));
    }
    nn.push(await engineSync(false));
  }
  row('no-op resync (median of 3)', `${(median(ne) / 1000).toFixed(2)} s`, `${(median(nb) / 1000).toFixed(2)} s`, `**${(median(ne) / median(nb)).toFixed(2)}×**`);
  row('no-op resync without the task store (median of 3)', `${(median(nn) / 1000).toFixed(2)} s`, `${(median(nb) / 1000).toFixed(2)} s`, `${(median(nn) / median(nb)).toFixed(2)}× (what the durable queue costs)`);

  console.error('bench:engine: 1,000 ref updates inside replicationDelay…');
  writeConfig(engBase, '');
  writeFileSync(join(site, 'etc', 'replication.config'), `${[0, 1, 2].map((m) => `[remote "m${m}"]\n  url = file://${engBase}/m${m}/\${name}.git\n  replicationDelay = 2\n  threads = ${THREADS}\n`).join('')}`);
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

  console.error('bench:engine: queue memory with 100,000 pending tasks…');
  writeFileSync(join(site, 'etc', 'replication.config'), `[remote "m"]\n  url = file://${engBase}/big/\${name}.git\n  replicationDelay = 3600\n`);
  const big = Engine.open(site, { persist: false });
  const dest = big.destination('m');
  global.gc(); global.gc();
  const before = process.memoryUsage().heapUsed;
  const tq = now();
  for (let i = 0; i < 100_000; i++) big.queue.schedule(dest, `group${i % 100}/project${i}`, `file://${engBase}/big/group${i % 100}/project${i}.git`, ['refs/heads/master', `refs/changes/${String(i % 100).padStart(2, '0')}/${i}/1`]);
  const schedMs = ms(tq);
  global.gc(); global.gc();
  const after = process.memoryUsage().heapUsed;
  const pending = big.queue.snapshot().pending.length;
  big.queue.cancel();
  await big.stop();
  row('queue memory, 100,000 pending pushes (2 refs each, one timer each)', `${((after - before) / 1048576).toFixed(1)} MiB heap (${((after - before) / 100_000).toFixed(0)} B per task)`, '—', `${pending} pending; scheduled in ${(schedMs / 1000).toFixed(2)} s`);

  // The store's cost: every task is a file written, renamed, started and deleted.
  const storeEngine = Engine.open(site);
  const ts = now();
  for (let i = 0; i < 10_000; i++) storeEngine.store.create({ project: `p${i}`, refs: ['refs/heads/master'], uri: `file:///x/p${i}.git`, remote: 'm' });
  const storeMs = ms(ts);
  row('task store: 10,000 tasks persisted (building → waiting)', `${(storeMs / 1000).toFixed(2)} s (${(10_000 / (storeMs / 1000)).toFixed(0)} tasks/s)`, '—', '');

  console.log(`\nRun ${new Date().toISOString().slice(0, 16)}Z, git ${git(work, 'version').replace('git version ', '')}, node ${process.version}, ${(await import('node:os')).cpus().length} cores.\n`);
  console.log('| Measure | Engine | Baseline | Ratio / note |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(r);
} finally {
  rmSync(work, { recursive: true, force: true });
}
