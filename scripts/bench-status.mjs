// `npm run bench:status`: `git-replication status` on 200 projects × 3 local mirrors against
// `git-replication plan` of the same site, measured in the same run. Both read one ref listing
// per target; status adds the target records and the age of differing refs. Runs interleave
// (one status, one plan per round) so drifting load hits both alike. Times from bash's `time`
// (getrusage of the child and its git processes). `--runs=N` (default 7), `--no-build`,
// `--record` (append the figures to BENCHMARKS.md).
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { root, ensureNpmDependencies, build, gitVersion } from './setup.mjs';

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const RUNS = Number(arg('runs') ?? 7);
const PROJECTS = 200;
if (!process.argv.includes('--no-build')) {
  ensureNpmDependencies();
  build();
}
const cli = join(root, 'dist', 'cli.js');
const ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com' };
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function timed(argv) {
  const q = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%3R %3U %3S'; { time ${q} >/dev/null 2>&1 ; } 2>&1`], { env: ENV, encoding: 'utf8' });
  const m = /(\d+\.\d+) (\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stdout);
  if (!m) throw new Error(`no timing for ${q}: ${r.stdout}${r.stderr}`);
  return { wall: Number(m[1]) * 1000, cpu: (Number(m[2]) + Number(m[3])) * 1000 };
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

const work = mkdtempSync(join(tmpdir(), 'gr-bench-status-'));
try {
  const site = join(work, 'site');
  mkdirSync(join(site, 'etc'), { recursive: true });
  let cfg = '';
  for (const m of ['a', 'b', 'c']) cfg += `[remote "${m}"]\n  url = ${work}/mirror-${m}/\${name}.git\n  mirror = true\n  threads = 2\n`;
  writeFileSync(join(site, 'etc', 'replication.config'), cfg);
  const w = join(work, 'work');
  mkdirSync(w);
  git(w, 'init', '-q');
  git(w, 'commit', '-q', '--allow-empty', '-m', 'one');
  const one = git(w, 'rev-parse', 'HEAD');
  git(w, 'commit', '-q', '--allow-empty', '-m', 'two');
  const two = git(w, 'rev-parse', 'HEAD');
  for (let i = 0; i < PROJECTS; i++) {
    const p = `team${i % 10}/p${i}`;
    const src = join(site, 'git', `${p}.git`);
    mkdirSync(src, { recursive: true });
    git(src, 'init', '-q', '--bare');
    git(w, 'push', '-q', src, `${two}:refs/heads/master`, `${one}:refs/heads/stable`, `${two}:refs/tags/v1`);
    for (const m of ['a', 'b', 'c']) {
      const dst = join(work, `mirror-${m}`, `${p}.git`);
      mkdirSync(dst, { recursive: true });
      git(dst, 'init', '-q', '--bare');
      // Every tenth mirror is behind: status has refs to report.
      git(w, 'push', '-q', dst, `${i % 10 === 0 ? one : two}:refs/heads/master`, `${one}:refs/heads/stable`, `${two}:refs/tags/v1`);
    }
  }
  const status = ['node', cli, 'status', '--site', site, '--json'];
  const plan = ['node', cli, 'plan', '--site', site, '--json'];
  timed(status);
  timed(plan); // warm the page cache
  const rs = { status: [], plan: [] };
  for (let i = 0; i < RUNS; i++) {
    rs.status.push(timed(status));
    rs.plan.push(timed(plan));
  }
  const row = (name) => {
    const wall = rs[name].map((x) => x.wall);
    const cpu = rs[name].map((x) => x.cpu);
    return { name, wall: median(wall), cpu: median(cpu), wallSpread: spread(wall), cpuSpread: spread(cpu) };
  };
  const s = row('status');
  const p = row('plan');
  const ratios = rs.status.map((x, i) => x.wall / rs.plan[i].wall);
  const cpuRatios = rs.status.map((x, i) => x.cpu / rs.plan[i].cpu);
  const lines = [
    '',
    `## status vs plan: ${PROJECTS} projects × 3 local mirrors (\`npm run bench:status\`)`,
    '',
    `${new Date().toISOString().slice(0, 10)}, ${RUNS} interleaved runs, ${cpus().length} cores (load ${loadavg()[0].toFixed(1)}), ${gitVersion()}, node ${process.version}.`,
    `${PROJECTS * 3} targets, ${PROJECTS * 3 / 10} of them behind; each command reads one ref listing per target. CPU = user + sys of the CLI and its git children.`,
    '',
    '| command | wall median (ms) | wall spread | CPU median (ms) | CPU spread |',
    '|---|---:|---|---:|---|',
    ...[s, p].map((r) => `| ${r.name} | ${r.wall.toFixed(0)} | ${r.wallSpread} | ${r.cpu.toFixed(0)} | ${r.cpuSpread} |`),
    '',
    `status / plan: wall ${median(ratios).toFixed(2)}× (spread ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}), CPU ${median(cpuRatios).toFixed(2)}× (spread ${Math.min(...cpuRatios).toFixed(2)}–${Math.max(...cpuRatios).toFixed(2)}).`,
  ];
  console.log(lines.join('\n'));
  if (process.argv.includes('--record')) appendFileSync(join(root, 'BENCHMARKS.md'), lines.join('\n') + '\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
