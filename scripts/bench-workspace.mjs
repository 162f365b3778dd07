// `npm run bench:workspace`: what workspace-wide diagnostics cost at start-up, on the bench
// sites (the 10,000-remote replication.config of `npm run bench` plus 20 fan-out files, and the
// gitolite site of `npm run bench:gitolite`), with the real stdio server:
//  - initialize: the handshake's wall time (what the editor's activation waits for; the scan
//    starts after `initialized`, so this must not grow);
//  - scan: from `initialized` to the server's "N of M config file(s) checked" log line;
//  - hover during the scan: a request sent right after `initialized`, answered between two files;
//  - server CPU for the whole start (getrusage of the child, via /proc/PID/stat).
// The baseline, in the same run, is the same start with workspaceDiagnostics off.
// `--runs=N` (default 5), `--no-build`.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { root, build } from './setup.mjs';
import { generateConfig, writeGitoliteBenchSite } from './benchConfig.mjs';

const require = createRequire(import.meta.url);
if (!process.argv.includes('--no-build')) build();
const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);
const { LspClient } = require(join(root, 'out/test/support/lsp-client.js'));

const ws = mkdtempSync(join(tmpdir(), 'gr-bench-ws-'));
const etc = join(ws, 'site', 'etc');
mkdirSync(join(etc, 'replication'), { recursive: true });
writeFileSync(join(etc, 'replication.config'), generateConfig(10_000));
for (let i = 0; i < 20; i++) writeFileSync(join(etc, 'replication', `fan${i}.config`), `[remote]\n  url = /srv/fan${i}/\${name}.git\n  threads = 2\n`);
writeGitoliteBenchSite(join(ws, 'gitolite'));
const hoverUri = pathToFileURL(join(etc, 'replication', 'fan0.config')).href;

const cpuMs = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
};

async function once(on) {
  const c = new LspClient({ initializationOptions: { diagnosticsDelay: 0, workspaceDiagnostics: on } });
  try {
    const t0 = performance.now();
    await c.initialize(pathToFileURL(ws).href);
    const init = performance.now() - t0;
    await c.open(hoverUri, readFileSync(join(etc, 'replication', 'fan0.config'), 'utf8'), 1);
    const h0 = performance.now();
    await c.request('textDocument/hover', { textDocument: { uri: hoverUri }, position: { line: 1, character: 3 } });
    const hover = performance.now() - h0;
    let scan = 0;
    if (on) {
      await c.waitFor('the end of the scan', () => /workspace diagnostics: \d+ of \d+/.test(c.stderr), 120_000);
      scan = Number(/checked from disk in (\d+) ms/.exec(c.stderr)[1]);
    }
    return { init, hover, scan, cpu: cpuMs(c.pid) };
  } finally {
    c.kill();
  }
}

const stats = (xs) => { const s = [...xs].sort((a, b) => a - b); return { med: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] }; };
const fmt = (xs) => { const s = stats(xs); return `${s.med.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`; };
const rows = { on: [], off: [] };
try {
  for (let r = 0; r < RUNS; r++) {
    rows.off.push(await once(false));
    rows.on.push(await once(true));
  }
  console.log(`workspace diagnostics at start-up, ${RUNS} interleaved runs, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ms, median (min–max)`);
  console.log('| measure | off (baseline) | on |');
  console.log('|---|---|---|');
  for (const k of ['init', 'hover', 'scan', 'cpu']) console.log(`| ${k} | ${fmt(rows.off.map((x) => x[k]))} | ${fmt(rows.on.map((x) => x[k]))} |`);
} finally {
  rmSync(ws, { recursive: true, force: true });
}
