// `npm run bench:vscode`: the extension's activation time in a real VS Code (code-server +
// Chromium, as in the e2e tests) over a few cold starts, and the packaged .vsix size.
// Ratios are against the targets (activation ≤ 100 ms, .vsix ≤ 1.5 MB).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { root, ensureSystemPackages, ensureNpmDependencies, build } from './setup.mjs';

ensureSystemPackages();
ensureNpmDependencies();
build();
const require = createRequire(import.meta.url);
const { launchVsCode, readExtensionLog, until } = require(join(root, 'out', 'test', 'e2e', 'vscode.js'));
const { packageExtension } = await import('./package.mjs');
const { createDemoSite } = await import('./demoSite.mjs');

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const tmp = mkdtempSync(join(tmpdir(), 'gr-bench-vscode-'));
const { bytes, files } = packageExtension({ out: join(tmp, 'x.vsix') });
rmSync(tmp, { recursive: true, force: true });

const activation = [];
const loading = [];
const ready = [];
for (let i = 0; i < RUNS; i++) {
  const demo = createDemoSite({ mistake: true });
  const vs = await launchVsCode({ workspace: demo.site, trust: true, name: 'bench' });
  try {
    const log = await until('activation lines', () => {
      const t = readExtensionLog(vs.userDataDir);
      return /language server ready in \d+ ms/.test(t) ? t : false;
    }, 60000);
    activation.push(Number(/activated in ([\d.]+) ms/.exec(log)[1]));
    loading.push(Number(/code loading ([\d.]+) ms/.exec(log)[1]));
    ready.push(Number(/since activation start: (\d+) ms/.exec(log)[1]));
  } finally {
    await vs.close();
    demo.cleanup();
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const act = median(activation);
const rdy = median(ready);
console.log(`activation (activate() start → return), median of ${RUNS}: ${act.toFixed(1)} ms  [runs: ${activation.join(', ')}]  ratio vs 100 ms target: ${(act / 100).toFixed(2)}`);
const load = median(loading);
console.log(`code loading (bundle's first line → activate()), median: ${load.toFixed(1)} ms  [runs: ${loading.join(', ')}]; load + activate: ${(load + act).toFixed(1)} ms, ratio vs 100 ms target: ${((load + act) / 100).toFixed(2)}`);
console.log(`language server ready (activate() start → client started), median: ${rdy} ms  [runs: ${ready.join(', ')}]`);
console.log(`.vsix: ${bytes} bytes (${(bytes / 1024).toFixed(0)} KiB, ${files.length} files)  ratio vs 1.5 MB target: ${(bytes / (1.5 * 1024 * 1024)).toFixed(2)}`);
