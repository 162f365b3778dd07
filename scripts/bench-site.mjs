// `npm run bench:site [-- --baseline DIR] [--runs N] [--remotes N]`: the engine loading a
// Gerrit site (loadSite: read, check and resolve every file) whose replication.config holds
// N remotes (default 10,000), each run in a fresh node process, wall and CPU time of the load alone.
// With --baseline DIR (another checkout, built), its out/ is measured in the same run,
// interleaved with this one, and the ratios are printed.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateConfig } from './benchConfig.mjs';

const root = resolve(fileURLToPath(import.meta.url), '..', '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const baseline = opt('--baseline', undefined);
const runs = Number(opt('--runs', '5'));
const remotes = Number(opt('--remotes', '10000'));

const work = mkdtempSync(join(tmpdir(), 'gr-bench-site-'));
try {
  mkdirSync(join(work, 'site', 'etc'), { recursive: true });
  writeFileSync(join(work, 'site', 'etc', 'replication.config'), generateConfig(remotes));
  const probe = (tree) => `
    const { loadSite } = require(${JSON.stringify(join(tree, 'out', 'server', 'src', 'engine', 'site', 'loadSite.js'))});
    const c0 = process.cpuUsage(); const t0 = performance.now();
    const site = loadSite(${JSON.stringify(join(work, 'site'))});
    const wall = performance.now() - t0; const c = process.cpuUsage(c0);
    console.log(JSON.stringify({ wall, cpu: (c.user + c.system) / 1000, remotes: site.remotes.length, diagnostics: site.diagnostics.length }));`;
  const measure = (tree) => JSON.parse(execFileSync(process.execPath, ['-e', probe(tree)], { encoding: 'utf8' }));
  const trees = baseline ? [['this', root], ['baseline', resolve(baseline)]] : [['this', root]];
  const got = Object.fromEntries(trees.map(([n]) => [n, []]));
  for (let i = 0; i < runs; i++) for (const [n, t] of i % 2 ? [...trees].reverse() : trees) got[n].push(measure(t));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const spread = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
  console.log(`loadSite, ${remotes.toLocaleString('en')} remotes, ${runs} runs each${baseline ? ', interleaved' : ''}`);
  console.log('| tree | wall median (ms) | wall spread | CPU median (ms) | CPU spread | remotes | diagnostics |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [n] of trees) {
    const r = got[n];
    console.log(`| ${n} | ${median(r.map((x) => x.wall)).toFixed(0)} | ${spread(r.map((x) => x.wall))} | ${median(r.map((x) => x.cpu)).toFixed(0)} | ${spread(r.map((x) => x.cpu))} | ${r[0].remotes} | ${r[0].diagnostics} |`);
  }
  if (baseline) {
    // Ratios run by run (the pairs ran back to back), then their median and spread.
    const ratio = (k) => got.this.map((x, i) => x[k] / got.baseline[i][k]);
    const fmt = (xs) => `${median(xs).toFixed(2)}× (spread ${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
    console.log(`this / baseline: wall ${fmt(ratio('wall'))}, CPU ${fmt(ratio('cpu'))}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
