// `npm run bench:bounded`: the language server's bounded work (issue 10, D12), over the real
// stdio server with five ~4 MB replication.config files open, each in its own site:
//  - resident memory after all five are checked (VmRSS) and its peak (VmHWM), from /proc;
//  - a warm hover on one of them (median of 20);
//  - request after edit: a one-character edit to one file, then at once a hover on another
//    file; the time until the hover is answered (what a user feels while a big file re-checks);
//  - requests during a validation (issue 10, item 3): a one-character edit to one file, and at
//    once a hover, a completion or an outline (documentSymbol) on another 4 MB file, or a hover
//    on the edited file itself (which needs the new version's parse); the time until each is
//    answered, and whether it came before the edited file's diagnostics;
//  - the server's CPU time (utime + stime) for the whole run;
//  - a baseline in the same run: the idle server's RSS before any document is open (peak / idle),
//    the worst and the p95 wait of a request during a validation, and each run's load average.
// `--baseline=DIR` runs a second build (DIR/dist/server.js, e.g. a worktree of main) in the same
// runs, alternating, and prints the ratios. Targets (issue 10): RSS ≤ 300 MB, request ≤ 1 s.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { root, ensureNpmDependencies, build } from './setup.mjs';
import { generateConfig } from './benchConfig.mjs';

const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);
const baseline = process.argv.find((a) => a.startsWith('--baseline='))?.slice(11);
const DOCS = 5;
const REMOTES = 11_500; // ≈ 4.2 MB each

ensureNpmDependencies();
build();
const require = createRequire(import.meta.url);
const { LspClient } = require(join(root, 'out/test/support/lsp-client.js'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs, d = 0) => `${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)}`;
function proc(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)[1]);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]); // utime, stime (fields 14, 15)
  return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024, cpuMs: (ticks * 1000) / 100 };
}

const work = mkdtempSync(join(tmpdir(), 'gr-bench-bounded-'));
const texts = Array.from({ length: DOCS }, (_, i) => generateConfig(REMOTES, i + 1));
const uris = texts.map((t, i) => {
  const etc = join(work, `site${i}`, 'etc');
  mkdirSync(etc, { recursive: true });
  const p = join(etc, 'replication.config');
  writeFileSync(p, t);
  return pathToFileURL(p).toString();
});
console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}; ${DOCS} documents of ${(texts[0].length / 1048576).toFixed(2)} MB, ${RUNS} runs`);

async function once(serverPath) {
  const c = new LspClient({ serverPath, initializationOptions: { diagnosticsDelay: 0 } });
  try {
    await c.initialize();
    // The baseline measured in the same run: the idle server, before any document is open.
    const idleMB = proc(c.pid).rssMB;
    const load = loadavg()[0];
    const t0 = performance.now();
    for (let i = 0; i < DOCS; i++) await c.open(uris[i], texts[i], 1);
    for (const u of uris) await c.diagnosticsFor(u, 1, 600_000);
    const openMs = performance.now() - t0;
    const mem = proc(c.pid);
    const at = { textDocument: { uri: uris[0] }, position: { line: 2000, character: 4 } };
    const hovers = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await c.request('textDocument/hover', at);
      hovers.push(performance.now() - t);
    }
    const afterEdit = [];
    for (let v = 2; v < 7; v++) {
      const t = performance.now();
      await c.conn.sendNotification('textDocument/didChange', {
        textDocument: { uri: uris[0], version: v },
        contentChanges: [{ range: { start: { line: 3, character: 2 }, end: { line: 3, character: 3 } }, text: v % 2 ? 'a' : 'b' }],
      });
      await c.request('textDocument/hover', { textDocument: { uri: uris[1] }, position: { line: 2000, character: 4 } });
      afterEdit.push(performance.now() - t);
      await c.diagnosticsFor(uris[0], v, 600_000);
      // Let any re-validation of the other documents finish before the next edit.
      await new Promise((r) => setTimeout(r, 300));
      await c.request('textDocument/hover', at);
    }
    // Requests during a validation: the edit starts a 4 MB validation at once (delay 0).
    const during = Object.fromEntries(DURING.map(([name]) => [name, []]));
    let before = 0;
    let asked = 0;
    let v = 7;
    for (let round = 0; round < DURING_ROUNDS; round++) {
      for (const [name, method, params] of DURING) {
        await c.conn.sendNotification('textDocument/didChange', {
          textDocument: { uri: uris[0], version: v },
          contentChanges: [{ range: { start: { line: 3, character: 2 }, end: { line: 3, character: 3 } }, text: v % 2 ? 'a' : 'b' }],
        });
        const t = performance.now();
        await c.request(method, params);
        during[name].push(performance.now() - t);
        asked++;
        if (!c.published.some((p) => p.uri === uris[0] && p.version === v)) before++;
        await c.diagnosticsFor(uris[0], v, 600_000);
        v++;
      }
    }
    const end = proc(c.pid);
    await c.shutdown(60_000);
    const all = Object.values(during).flat();
    const byName = Object.fromEntries(DURING.flatMap(([name]) => [[`${name}Ms`, median(during[name])], [`${name}Max`, Math.max(...during[name])]]));
    return {
      openMs, rssMB: mem.rssMB, peakMB: end.peakMB, hoverMs: median(hovers), afterEditMs: median(afterEdit), afterEditMax: Math.max(...afterEdit), cpuMs: end.cpuMs,
      ...byName, duringMax: Math.max(...all), duringP95: [...all].sort((a, b) => a - b)[Math.min(all.length - 1, Math.floor(all.length * 0.95))],
      idleMB, peakOverIdle: end.peakMB / idleMB, load, beforeDiagnostics: (100 * before) / asked,
    };
  } finally {
    c.kill();
  }
}

// What is asked while uris[0] is being validated: on another 4 MB document, and on uris[0] itself.
const DURING_ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 3);
const DURING = [
  ['otherHover', 'textDocument/hover', { textDocument: { uri: uris[1] }, position: { line: 2000, character: 4 } }],
  ['otherCompletion', 'textDocument/completion', { textDocument: { uri: uris[1] }, position: { line: 2001, character: 2 } }],
  ['otherSymbols', 'textDocument/documentSymbol', { textDocument: { uri: uris[1] } }],
  ['sameHover', 'textDocument/hover', { textDocument: { uri: uris[0] }, position: { line: 2000, character: 4 } }],
];

const servers = { ours: join(root, 'dist', 'server.js'), ...(baseline ? { baseline: join(baseline, 'dist', 'server.js') } : {}) };
const results = Object.fromEntries(Object.keys(servers).map((k) => [k, []]));
try {
  for (let r = 0; r < RUNS; r++) {
    for (const [name, path] of Object.entries(servers)) {
      const x = await once(path);
      results[name].push(x);
      console.log(`run ${r + 1} ${name} (load ${x.load.toFixed(2)}): idle RSS ${x.idleMB.toFixed(0)} MB, open ${x.openMs.toFixed(0)} ms, RSS ${x.rssMB.toFixed(0)} MB (peak ${x.peakMB.toFixed(0)}), hover ${x.hoverMs.toFixed(1)} ms, request after edit ${x.afterEditMs.toFixed(0)} ms (max ${x.afterEditMax.toFixed(0)}), during a validation: ${DURING.map(([n]) => `${n} ${x[`${n}Ms`].toFixed(0)} (max ${x[`${n}Max`].toFixed(0)})`).join(', ')}, ${x.beforeDiagnostics.toFixed(0)}% before the diagnostics, CPU ${x.cpuMs.toFixed(0)} ms`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const col = (name, key) => results[name].map((x) => x[key]);
const rows = [
  ['open and check five documents (ms)', 'openMs'],
  ['RSS after checking them (MB)', 'rssMB'],
  ['idle server RSS, before any document (MB)', 'idleMB'],
  ['peak RSS (MB)', 'peakMB'],
  ['peak RSS / idle RSS', 'peakOverIdle'],
  ['warm hover (ms)', 'hoverMs'],
  ['request after an edit (ms)', 'afterEditMs'],
  ['worst request after an edit (ms)', 'afterEditMax'],
  ['during a validation: hover on another document (ms)', 'otherHoverMs'],
  ['  worst (ms)', 'otherHoverMax'],
  ['during a validation: completion on another document (ms)', 'otherCompletionMs'],
  ['  worst (ms)', 'otherCompletionMax'],
  ['during a validation: outline of another 4 MB document (ms)', 'otherSymbolsMs'],
  ['  worst (ms)', 'otherSymbolsMax'],
  ['during a validation: hover on the edited document (ms)', 'sameHoverMs'],
  ['  worst (ms)', 'sameHoverMax'],
  ['worst request during a validation (ms)', 'duringMax'],
  ['p95 request during a validation (ms)', 'duringP95'],
  ['1-minute load average at the start of the run', 'load'],
  ['requests answered before the diagnostics (%)', 'beforeDiagnostics'],
  ['server CPU, whole run (ms)', 'cpuMs'],
];
console.log(`\n| measure | ${Object.keys(servers).map((n) => `${n}: median (min–max)`).join(' | ')} |${baseline ? ' ours / baseline |' : ''}`);
console.log(`|---|${Object.keys(servers).map(() => '---|').join('')}${baseline ? '---|' : ''}`);
for (const [label, key] of rows) {
  const d = key === 'hoverMs' || key === 'load' || key === 'peakOverIdle' ? 2 : 0;
  const cells = Object.keys(servers).map((n) => `${median(col(n, key)).toFixed(d)} (${spread(col(n, key), d)})`);
  const ratio = baseline ? ` ${(median(col('ours', key)) / median(col('baseline', key))).toFixed(2)} |` : '';
  console.log(`| ${label} | ${cells.join(' | ')} |${ratio}`);
}
const ours = results.ours;
const ok = median(ours.map((x) => x.peakMB)) <= 300 && median(ours.map((x) => x.afterEditMs)) <= 1000;
console.log(`\ntargets: peak RSS ≤ 300 MB, request after an edit ≤ 1000 ms: ${ok ? 'met' : 'NOT met'}`);
const worst = Math.max(...ours.map((x) => x.duringMax));
console.log(`target: every request during a validation ≤ 1000 ms, worst of all runs: ${worst.toFixed(0)} ms: ${worst <= 1000 ? 'met' : 'NOT met'}`);
