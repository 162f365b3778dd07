// `npm run bench`: the replication.config language server's speed and memory.
//  (a) parse + validate a 10,000-remote replication.config (~120k lines, ~3.5 MB) through the
//      language service, against `git config --file F --list` on the same file, as a ratio, in
//      wall and CPU time. Each run is a full one: the text alternates between two versions that
//      differ in the first line, so neither the analysis cache nor the incremental path applies;
//  (b) didChange → publishDiagnostics over the real stdio server for edits in the middle of a
//      5,000-line file (debounce off via initializationOptions.diagnosticsDelay = 0), and the
//      same edits through the language service in this process, in wall and CPU time;
//  (c) the server's resident memory after it has opened and checked the big file.
//  (d) the cold command line (scripts/bench-cli.mjs, also `npm run bench:cli`).
// `npm run bench -- --record` also writes the figures into BENCHMARKS.md (all sections needed).
// BENCH_SECTIONS=a,b,b',c,d runs only those sections ((c) needs (b)'s server, so c brings b);
// BENCH_RUNS=N repeats them N times in this process and prints each figure's median and
// spread (lowest–highest run); --record then records the medians. BENCH_LOCAL_EDITS sets the
// number of (b')'s counted edits (300).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { root, ensureNpmDependencies, build, gitVersion } from './setup.mjs';
import { generateConfig } from './benchConfig.mjs';

const TARGET = { ratio: 1.0, p95: 5, rssMB: 150 };
const RUNS = 9;
const EDITS = 100;
// (b')'s counted edits (BENCH_LOCAL_EDITS: more for a profile).
const LOCAL_EDITS = Number(process.env.BENCH_LOCAL_EDITS ?? 3 * EDITS) | 0;
const ALL = ['a', 'b', "b'", 'c', 'd'];
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? ALL.join(',')).split(',').map((x) => x.trim()).filter(Boolean));
for (const x of SECTIONS) if (!ALL.includes(x)) throw new Error(`BENCH_SECTIONS: unknown section ${x} (known: ${ALL.join(', ')})`);
if (SECTIONS.has('c')) SECTIONS.add('b');
const BENCH_RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 1) | 0);
const RECORD = process.argv.includes('--record');
if (RECORD && ALL.some((x) => !SECTIONS.has(x))) throw new Error('--record needs every section (unset BENCH_SECTIONS)');

ensureNpmDependencies();
build();

const require = createRequire(import.meta.url);
const { validate } = require(join(root, 'out/server/src/formats/index.js'));
const { parseGitConfig } = require(join(root, 'out/server/src/gitconfig/parser.js'));
const { diskWorkspace } = require(join(root, 'out/server/src/service/workspace.js'));
const { TextDocument } = require('vscode-languageserver-textdocument');
const { LspClient } = require(join(root, 'out/test/support/lsp-client.js'));

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const pct = (xs, p) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const time = (fn) => {
  const t = performance.now();
  const r = fn();
  return [performance.now() - t, r];
};
const ms = (x) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const spread = (xs) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;

const work = mkdtempSync(join(tmpdir(), 'gr-bench-'));
const runs = [];
const meta = {};
try {
  mkdirSync(join(work, 'big', 'etc'), { recursive: true });
  mkdirSync(join(work, 'mid', 'etc'), { recursive: true });
  const bigPath = join(work, 'big', 'etc', 'replication.config');
  meta.load = loadavg()[0].toFixed(1);
  console.log(`${gitVersion()}, node ${process.version}, ${cpus().length} CPUs, load average ${meta.load}`);
  // Only (a) and (c) read the big file: (b') alone leaves its 3.8 MB out of the process's heap.
  const bigText = SECTIONS.has('a') || SECTIONS.has('c') ? generateConfig(10_000) : '';
  if (bigText) {
    writeFileSync(bigPath, bigText);
    const bigLines = bigText.split('\n').length;
    meta.bigLines = bigLines.toLocaleString('en');
    meta.bigMB = (Buffer.byteLength(bigText) / 1e6).toFixed(2);
    console.log(`big file: ${bigLines} lines, ${meta.bigMB} MB, 10000 remotes`);
  }
  const midPath = join(work, 'mid', 'etc', 'replication.config');
  const midText = generateConfig(10_000, 2).split('\n').slice(0, 5000).join('\n') + '\n';
  writeFileSync(midPath, midText);
  const midUri = pathToFileURL(midPath).toString();
  // The edited line: the threads value of the first remote past the middle.
  const lines = midText.split('\n');
  let line = 2500;
  while (!/^\s+threads = /.test(lines[line])) line++;
  const col = lines[line].indexOf('=') + 2;
  for (let run = 0; run < BENCH_RUNS; run++) {
    if (BENCH_RUNS > 1) console.log(`-- run ${run + 1} of ${BENCH_RUNS}, load average ${loadavg()[0].toFixed(1)}`);
    const results = { load: Number(loadavg()[0].toFixed(1)) };
    if (SECTIONS.has('a')) measureFull(results, bigPath, `${pathToFileURL(bigPath)}#full${run}`, bigText);
    if (SECTIONS.has('b')) await measureServer(results, midPath, midUri, midText, line, col, bigPath, bigText);
    if (SECTIONS.has("b'")) measureLocal(results, midPath, `${midUri}#local${run}`, midText, line, col);
    runs.push(results);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// (a) ours vs git on the same file, interleaved so both see the same machine state.
function measureFull(results, bigPath, bigUri, bigText) {
  // Each run its own URI: the analysis cache would otherwise hand run n+1's first text the
  // analysis run n made of the same text.
  const ctx = { path: bigPath, ws: diskWorkspace };
  const git = [];
  const gitCpu = [];
  const ours = [];
  const parseOnly = [];
  const oursCpu = [];
  const texts = [bigText, bigText.replace(/^#/, ';')];
  let diagCount = 0;
  for (let i = 0; i < RUNS; i++) {
    const [g, r] = time(() => spawnSync('bash', ['-c', `TIMEFORMAT='%3U %3S'; { time git config --file "$0" --list >/dev/null ; } 2>&1`, bigPath], { encoding: 'utf8', env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', HOME: work } }));
    if (r.status !== 0) throw new Error(`git config failed: ${r.stderr}`);
    const [u, sy] = r.stdout.trim().split(/\s+/).map(Number);
    git.push(g);
    gitCpu.push((u + sy) * 1000);
    const text = texts[i % 2];
    const [p] = time(() => parseGitConfig(text));
    parseOnly.push(p);
    const c1 = process.cpuUsage();
    const [v, diags] = time(() => validate(TextDocument.create(bigUri, 'gerrit-replication', i + 1, text), ctx));
    const cpu = process.cpuUsage(c1);
    oursCpu.push((cpu.user + cpu.system) / 1000);
    ours.push(v);
    diagCount = diags.length;
  }
  results.gitCpu = median(gitCpu);
  results.ratioCpu = median(oursCpu.map((x, i) => x / gitCpu[i]));
  results.ratioSpread = spread(ours.map((x, i) => x / git[i]));
  results.ratioCpuSpread = spread(oursCpu.map((x, i) => x / gitCpu[i]));
  results.git = median(git);
  results.ours = median(ours);
  results.parse = median(parseOnly);
  // The machine is shared: CPU time of this process (all threads, GC included) beside the wall time.
  results.oursCpu = median(oursCpu);
  results.oursFirst = ours[0];
  results.ratio = median(ours.map((x, i) => x / git[i]));
  results.diagCount = diagCount;
  console.log(`(a) parse + validate: ${ms(results.ours)} wall, ${ms(results.oursCpu)} CPU, first run ${ms(results.oursFirst)} (parse alone ${ms(results.parse)}, ${diagCount} diagnostics); git config --list: ${ms(results.git)} wall, ${ms(results.gitCpu)} CPU; ratio wall ${results.ratio.toFixed(2)} (runs ${results.ratioSpread}), CPU ${results.ratioCpu.toFixed(2)} (runs ${results.ratioCpuSpread}) (target ≤ ${TARGET.ratio})`);
}

// (b) edits in the middle of a 5,000-line file over the real stdio server, then (c).
async function measureServer(results, midPath, midUri, midText, line, col, bigPath, bigText) {
  const client = new LspClient({ initializationOptions: { diagnosticsDelay: 0 } });
  try {
    await client.initialize(pathToFileURL(join(work, 'mid')).toString());
    await client.open(midUri, midText, 1);
    await client.diagnosticsFor(midUri, 1, 60_000);
    const latencies = [];
    for (let v = 2; v < 2 + EDITS; v++) {
      const digit = String(1 + (v % 8));
      const t0 = performance.now();
      await client.conn.sendNotification('textDocument/didChange', {
        textDocument: { uri: midUri, version: v },
        contentChanges: [{ range: { start: { line, character: col }, end: { line, character: col + 1 } }, text: digit }],
      });
      await client.diagnosticsFor(midUri, v, 30_000);
      latencies.push(performance.now() - t0);
    }
    results.p50 = pct(latencies, 50);
    results.p95 = pct(latencies, 95);
    console.log(`(b) didChange → diagnostics, 5000-line file, ${EDITS} edits: p50 ${ms(results.p50)}, p95 ${ms(results.p95)} (target p95 ≤ ${TARGET.p95} ms)`);

    if (!SECTIONS.has('c')) return;
    // (c) memory after the big file is open and checked.
    const bigUri = pathToFileURL(bigPath).toString();
    const t0 = performance.now();
    await client.open(bigUri, bigText, 1);
    await client.diagnosticsFor(bigUri, 1, 120_000);
    results.bigOpen = performance.now() - t0;
    const status = readFileSync(`/proc/${client.pid}/status`, 'utf8');
    results.rssMB = Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
    results.hwmMB = Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
    console.log(`(c) server RSS after opening the big file: ${results.rssMB.toFixed(0)} MB (peak ${results.hwmMB.toFixed(0)} MB; open → diagnostics ${ms(results.bigOpen)}) (target ≤ ${TARGET.rssMB} MB)`);
  } finally {
    await client.shutdown().catch(() => {});
    client.kill();
  }
}

function measureLocal(results, midPath, midUri, midText, line, col) {
  // (b') the same edits through the language service in this process: what the server
  // computes per edit, without the transport, in wall and CPU time. The document is updated
  // as the server's text sync does (TextDocument.update keeps its line index); 20 edits warm
  // the code first and are not counted.
  const ctxMid = { path: midPath, ws: diskWorkspace };
  let doc = TextDocument.create(midUri, 'gerrit-replication', 1000, midText);
  validate(doc, ctxMid);
  const local = [];
  const localCpu = [];
  for (let k = 0; k < 20 + LOCAL_EDITS; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    doc = TextDocument.update(doc, [{ range: { start: { line, character: col }, end: { line, character: col + 1 } }, text: String(1 + (k % 8)) }], doc.version + 1);
    validate(doc, ctxMid);
    const c = process.cpuUsage(c0);
    if (k < 20) continue;
    local.push(performance.now() - t0);
    localCpu.push((c.user + c.system) / 1000);
  }
  results.localP50 = pct(local, 50);
  results.localP95 = pct(local, 95);
  results.localCpuP50 = pct(localCpu, 50);
  results.localCpuP95 = pct(localCpu, 95);
  console.log(`(b') the same edit in-process (language service only), ${LOCAL_EDITS} edits: wall p50 ${ms(results.localP50)}, p95 ${ms(results.localP95)}; CPU p50 ${ms(results.localCpuP50)}, p95 ${ms(results.localCpuP95)}`);
}

// One run's figures as they are; several runs' as the median of each numeric figure, with
// its spread over the runs beside it.
const results = { ...meta, ...runs[runs.length - 1] };
if (runs.length > 1) {
  console.log(`medians over ${runs.length} runs (lowest–highest run):`);
  for (const key of Object.keys(runs[0])) {
    const xs = runs.map((r) => r[key]).filter((x) => typeof x === 'number');
    if (xs.length !== runs.length) continue;
    results[key] = median(xs);
    console.log(`  ${key}: ${results[key].toFixed(2)} (${spread(xs)})`);
  }
}

const verdict = (ok) => (ok ? 'met' : 'MISSED');
if (SECTIONS.has('a') && SECTIONS.has('b') && SECTIONS.has('c')) {
  const met = { ratio: results.ratio <= TARGET.ratio, p95: results.p95 <= TARGET.p95, rss: results.rssMB <= TARGET.rssMB };
  console.log(`targets: ratio ${verdict(met.ratio)}, p95 ${verdict(met.p95)}, RSS ${verdict(met.rss)}`);

  if (RECORD) {
    const file = join(root, 'BENCHMARKS.md');
    const md = readFileSync(file, 'utf8');
    const head = '## Language server: replication.config (`npm run bench`)';
    const start = md.indexOf(head);
    const next = md.indexOf('\n## ', start + head.length);
    const body = [
      head,
      '',
      `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with ${gitVersion()}, node ${process.version}, ${cpus().length} CPUs (1-minute load average ${meta.load} when the run began, ${loadavg()[0].toFixed(1)} at its end); medians of ${RUNS} runs.`,
      `The big file is a generated replication.config with 10,000 remotes (${results.bigLines} lines, ${results.bigMB} MB).`,
      '',
      '| Figure | Value | Target | |',
      '|---|---|---|---|',
      `| (a) parse + validate, language service (a full run each time) | ${ms(results.ours)} (CPU ${ms(results.oursCpu)}; first run ${ms(results.oursFirst)}; parse alone ${ms(results.parse)}) | | |`,
      `| (a) baseline: \`git config --file F --list\`, same file, same run | ${ms(results.git)} (CPU ${ms(results.gitCpu)}) | | |`,
      `| (a) ratio ours / git, per run: wall | ${results.ratio.toFixed(2)} (runs ${results.ratioSpread}) | ≤ ${TARGET.ratio} | ${verdict(met.ratio)} |`,
      `| (a) the same in CPU time | ${results.ratioCpu.toFixed(2)} (runs ${results.ratioCpuSpread}) | ≤ ${TARGET.ratio} | ${verdict(results.ratioCpu <= TARGET.ratio)} |`,
      `| (b) didChange → diagnostics, edit mid 5,000-line file, p50 | ${ms(results.p50)} | | |`,
      `| (b) same, p95 over ${EDITS} edits (debounce off) | ${ms(results.p95)} | ≤ ${TARGET.p95} ms | ${verdict(met.p95)} |`,
      `| (b') the same edit through the language service in-process, p50 / p95 over ${LOCAL_EDITS} edits | wall ${ms(results.localP50)} / ${ms(results.localP95)}, CPU ${ms(results.localCpuP50)} / ${ms(results.localCpuP95)} | ≤ ${TARGET.p95} ms | ${verdict(results.localP95 <= TARGET.p95 && results.localCpuP95 <= TARGET.p95)} |`,
      `| (c) server VmRSS after opening the big file | ${results.rssMB.toFixed(0)} MB (peak ${results.hwmMB.toFixed(0)} MB) | ≤ ${TARGET.rssMB} MB | ${verdict(met.rss)} |`,
      '',
      '',
    ].join('\n');
    // Hand-written analysis below the marker survives re-recording.
    const section = md.slice(start, next < 0 ? md.length : next);
    const marker = section.indexOf('<!-- notes -->');
    const notes = marker < 0 ? '' : section.slice(marker).replace(/\n+$/, '\n');
    writeFileSync(file, md.slice(0, start) + body + notes + (next < 0 ? '' : md.slice(next).replace(/^\n+/, '\n')));
    console.log('recorded in BENCHMARKS.md');
  }
}

// (d) the cold command line: `check` and the post-receive hook as fresh processes
// (scripts/bench-cli.mjs, also `npm run bench:cli`), on the build made above.
if (SECTIONS.has('d')) {
  const cliBench = spawnSync(process.execPath, [join(root, 'scripts', 'bench-cli.mjs'), '--no-build', ...process.argv.filter((a) => a === '--record')], { stdio: 'inherit' });
  if (cliBench.status !== 0) process.exitCode = cliBench.status ?? 1;
}
