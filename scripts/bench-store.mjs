// `npm run bench:store`: the cost of reading the task store safely (lstat, O_NOFOLLOW|O_NONBLOCK
// open, size cap) against the previous plain readFileSync, over 10,000 task files as a daemon
// replays them. Runs alternate; medians and spreads of wall and CPU time. Needs `npm run compile`.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { readTaskFile, parseTask, taskJson, taskKey } = require(join(root, 'out/server/src/engine/queue/taskStore.js'));

const N = Number(process.env.BENCH_TASKS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const dir = mkdtempSync(join(tmpdir(), 'gr-bench-store-'));
const waiting = join(dir, 'waiting');
mkdirSync(waiting);
for (let i = 0; i < N; i++) {
  const t = { project: `group/p${i % 200}`, refs: [`refs/heads/b${i}`], uri: `/srv/mirror/group/p${i % 200}.git`, remote: 'm' };
  writeFileSync(join(waiting, taskKey(t)), taskJson(t));
}

const plain = () => {
  let n = 0;
  for (const k of readdirSync(waiting)) if (parseTask(readFileSync(join(waiting, k), 'utf8'))) n++;
  return n;
};
const safe = () => {
  let n = 0;
  for (const k of readdirSync(waiting)) if (readTaskFile(join(waiting, k))?.task) n++;
  return n;
};

function measure(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const n = fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  if (n !== N) throw new Error(`read ${n} of ${N}`);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

const res = { plain: [], safe: [] };
measure(plain);
measure(safe); // warm the page cache and the JIT
for (let r = 0; r < RUNS; r++) {
  res.plain.push(measure(plain));
  res.safe.push(measure(safe));
}
rmSync(dir, { recursive: true, force: true });
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
for (const k of ['wall', 'cpu']) {
  const p = res.plain.map((x) => x[k]);
  const s = res.safe.map((x) => x[k]);
  const ratios = s.map((v, i) => v / p[i]);
  console.log(`${k.padEnd(4)} ${N} tasks: readFileSync ${med(p).toFixed(1)} ms (${spread(p)}), safe read ${med(s).toFixed(1)} ms (${spread(s)}), ratio ${med(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) over ${RUNS} runs`);
}
