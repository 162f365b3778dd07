// `npm run bench:cli`: the cost of a cold `git-replication` process, as CI, pre-commit hooks and
// git's post-receive hook pay it, against baselines measured in the same run:
//  (a) `check` on the 10,000-remote replication.config and on a one-remote file, against
//      `git config --file F --list` on the same files, in CPU time (user + sys);
//  (b) a cold `check` on the tiny file against `node -e 0`, the runtime's own floor;
//  (c) what `hook post-receive` adds to a real `git push` into a real repository (push with the
//      hook installed minus the same push without it), against `node -e 0`'s wall time.
// Times come from bash's `time` (getrusage of the child, millisecond resolution). Runs are
// interleaved (one of each command per round) so a drifting load hits every command alike.
// `--runs=N` (default 9), `--no-build` (use dist/ as it is), `--dist=DIR` (measure another
// build's bundles, e.g. an older commit's), `--record` (write BENCHMARKS.md).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { root, ensureNpmDependencies, build, gitVersion } from './setup.mjs';
import { generateConfig } from './benchConfig.mjs';

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const RUNS = Number(arg('runs') ?? 9);
const TARGET = { checkVsGit: 2, tinyVsNode: 1.2, hookVsNode: 1.5 };

if (!process.argv.includes('--no-build') && !arg('dist')) {
  ensureNpmDependencies();
  build();
}
const cli = join(arg('dist') ?? join(root, 'dist'), 'cli.js');
const ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com' };
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** One run of argv under bash's `time`: { wall, cpu } in ms. Output goes to /dev/null. */
function timed(argv, cwd = root) {
  const q = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%3R %3U %3S'; { time ${q} >/dev/null 2>&1 ; } 2>&1`], { cwd, env: ENV, encoding: 'utf8' });
  const m = /(\d+\.\d+) (\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stdout);
  if (!m) throw new Error(`no timing for ${q}: ${r.stdout}${r.stderr}`);
  return { wall: Number(m[1]) * 1000, cpu: (Number(m[2]) + Number(m[3])) * 1000 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

const work = mkdtempSync(join(tmpdir(), 'gr-bench-cli-'));
try {
  // (a), (b): the files to check.
  const big = join(work, 'big', 'etc', 'replication.config');
  const tiny = join(work, 'tiny', 'etc', 'replication.config');
  mkdirSync(join(work, 'big', 'etc'), { recursive: true });
  mkdirSync(join(work, 'tiny', 'etc'), { recursive: true });
  writeFileSync(big, generateConfig(10_000));
  writeFileSync(tiny, '[remote "mirror"]\n  url = ssh://gerrit@mirror.example.com/srv/git/${name}.git\n  push = +refs/heads/*:refs/heads/*\n');

  // (c): a site whose project has the hook, and a twin repository without it.
  const site = join(work, 'site');
  mkdirSync(join(site, 'etc'), { recursive: true });
  writeFileSync(join(site, 'etc', 'replication.config'), `[remote "m"]\n  url = ${work}/mirror/\${name}.git\n  replicationDelay = 15\n`);
  const withHook = join(site, 'git', 'team', 'app.git');
  const without = join(work, 'plain', 'team', 'app.git');
  for (const d of [withHook, without]) {
    mkdirSync(d, { recursive: true });
    git(d, 'init', '-q', '--bare');
  }
  const inst = spawnSync(process.execPath, [cli, 'hook', 'install', '--site', site], { encoding: 'utf8' });
  if (inst.status !== 0) throw new Error(`hook install failed: ${inst.stderr}`);
  const wd = join(work, 'work');
  mkdirSync(wd);
  git(wd, 'init', '-q');
  writeFileSync(join(wd, 'f'), 'x\n');
  git(wd, 'add', 'f');
  git(wd, 'commit', '-q', '-m', 'c0');
  let round = 0;
  // Each push sends a new commit on a new branch, so git runs the hook every time.
  const push = (repo) => {
    const c = git(wd, 'commit-tree', 'HEAD^{tree}', '-p', 'HEAD', '-m', `r${round++}`);
    return timed(['git', 'push', '-q', repo, `${c}:refs/heads/b${round}`], wd);
  };

  const cmds = {
    node0: () => timed([process.execPath, '-e', '0']),
    checkTiny: () => timed([process.execPath, cli, 'check', tiny]),
    checkBig: () => timed([process.execPath, cli, 'check', big]),
    gitTiny: () => timed(['git', 'config', '--file', tiny, '--list']),
    gitBig: () => timed(['git', 'config', '--file', big, '--list']),
    pushPlain: () => push(without),
    pushHook: () => push(withHook),
  };
  const samples = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
  for (const f of Object.values(cmds)) f(); // warm the page cache and git's own files
  const loadBefore = loadavg()[0];
  for (let i = 0; i < RUNS; i++) for (const [k, f] of Object.entries(cmds)) samples[k].push(f());
  const stored = readFileSync(join(withHook, 'hooks', 'post-receive'), 'utf8');
  if (!stored.includes('hook post-receive')) throw new Error('the hook was not installed');

  const cpu = (k) => samples[k].map((s) => s.cpu);
  const wall = (k) => samples[k].map((s) => s.wall);
  const m = (xs) => median(xs);
  const rows = Object.keys(cmds).map((k) => `| ${k} | ${m(cpu(k)).toFixed(0)} (${spread(cpu(k))}) | ${m(wall(k)).toFixed(0)} (${spread(wall(k))}) |`);
  const loadAfter = loadavg()[0];
  // Ratios are taken per round (same moment, same load): the median of the rounds, and the
  // lowest and highest round as the spread.
  const perRound = (f) => {
    const xs = Array.from({ length: RUNS }, (_, i) => f(i));
    return { m: median(xs), lo: Math.min(...xs), hi: Math.max(...xs) };
  };
  const s = (k, i, w = 'cpu') => samples[k][i][w];
  const checkDelta = perRound((i) => s('checkBig', i) - s('checkTiny', i)).m;
  const gitDelta = perRound((i) => s('gitBig', i) - s('gitTiny', i)).m;
  const r1 = perRound((i) => (s('checkBig', i) - s('checkTiny', i)) / Math.max(1, s('gitBig', i) - s('gitTiny', i)));
  const r2 = perRound((i) => s('checkTiny', i) / s('node0', i));
  const hookAdds = perRound((i) => s('pushHook', i, 'wall') - s('pushPlain', i, 'wall')).m;
  const r3 = perRound((i) => (s('pushHook', i, 'wall') - s('pushPlain', i, 'wall')) / s('node0', i, 'wall'));
  // The same in CPU time, which a loaded machine disturbs less than wall time.
  const hookCpu = perRound((i) => s('pushHook', i) - s('pushPlain', i)).m;
  const r4 = perRound((i) => (s('pushHook', i) - s('pushPlain', i)) / s('node0', i));
  const ratio = (r) => `${r.m.toFixed(2)} (rounds ${r.lo.toFixed(2)}–${r.hi.toFixed(2)})`;
  const verdict = (r, t) => `${ratio(r)}; target ≤ ${t}: ${r.m <= t ? 'met' : 'NOT met'}`;
  const lines = [
    `Cold CLI (${relative(root, cli) || cli}), ${RUNS} interleaved runs, ${new Date().toISOString().slice(0, 16)}Z, node ${process.version}, ${gitVersion()}, ${cpus().length} × ${cpus()[0]?.model.trim()}, 1-minute load average ${loadBefore.toFixed(2)} at the first round, ${loadAfter.toFixed(2)} at the last. Milliseconds, median (min–max).`,
    '',
    '| command | CPU ms | wall ms |',
    '|---|---|---|',
    ...rows,
    '',
    `- check big − check tiny: ${checkDelta.toFixed(0)} ms CPU; git big − git tiny: ${gitDelta.toFixed(0)} ms CPU; ratio ${verdict(r1, TARGET.checkVsGit)}`,
    `- check tiny / node -e 0, CPU: ${verdict(r2, TARGET.tinyVsNode)}`,
    `- hook post-receive adds ${hookAdds.toFixed(0)} ms wall to a push; / node -e 0 wall: ${verdict(r3, TARGET.hookVsNode)}`,
    `- (the same in CPU: the hook adds ${hookCpu.toFixed(0)} ms CPU to a push; / node -e 0 CPU: ${ratio(r4)})`,
  ];
  console.log(lines.join('\n'));
  if (process.argv.includes('--record')) {
    const path = join(root, 'BENCHMARKS.md');
    const text = readFileSync(path, 'utf8');
    const begin = '<!-- bench:cli -->';
    const end = '<!-- /bench:cli -->';
    const block = `${begin}\n${lines.join('\n')}\n${end}`;
    writeFileSync(path, text.includes(begin) ? text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block) : `${text.trimEnd()}\n\n${block}\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
