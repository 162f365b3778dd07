// `npm run bench:jgit`: what the JGit oracle of the tests costs.
//  (a) start of the probe (JVM + single-file compile of test/infra/JGitProbe.java) until it answers;
//  (b) configs per second through the probe (FileBasedConfig.load, RemoteConfig, typed reads),
//      against our language service's validate on the same files, as a ratio;
//  (c) jgitRead (our model of JGit's reader, run on every validation) against parseGitConfig on
//      a 10,000-remote replication.config, as a ratio.
// Medians and spreads (min–max) over RUNS runs, CPU and wall.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { root, ensureNpmDependencies, build } from './setup.mjs';

const RUNS = 5;
const FILES = 500;

ensureNpmDependencies();
build();

const require = createRequire(import.meta.url);
const { JGitProbe, JGIT_VERSION } = require(join(root, 'out/test/infra/jgit.js'));
const { generateConfigs } = require(join(root, 'out/test/support/gitconfig-generator.js'));
const { validate } = require(join(root, 'out/server/src/service/languageService.js'));
const { diskWorkspace } = require(join(root, 'out/server/src/service/workspace.js'));
const { parseGitConfig } = require(join(root, 'out/server/src/gitconfig/parser.js'));
const { jgitRead } = require(join(root, 'out/server/src/gitconfig/jgitRead.js'));
const { TextDocument } = require('vscode-languageserver-textdocument');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const dir = mkdtempSync(join(tmpdir(), 'gr-bench-jgit-'));
try {
  const texts = generateConfigs(7, FILES);
  const paths = texts.map((t, i) => {
    const etc = join(dir, `s${i}`, 'etc');
    mkdirSync(etc, { recursive: true });
    writeFileSync(join(etc, 'replication.config'), t);
    return join(etc, 'replication.config');
  });
  JGitProbe.start().then((p) => p.stop()); // warm the Maven cache and the OS file cache
  await new Promise((r) => setTimeout(r, 3000));

  const start = [];
  const probeRate = [];
  const oursRate = [];
  for (let run = 0; run < RUNS; run++) {
    let t0 = performance.now();
    const probe = await JGitProbe.start();
    start.push(performance.now() - t0);
    t0 = performance.now();
    for (const p of paths) await probe.ask('file', p, [{ type: 'int', section: 'remote', subsection: '*', name: 'threads' }, { type: 'bool', section: 'remote', subsection: '*', name: 'mirror' }]);
    probeRate.push(FILES / ((performance.now() - t0) / 1000));
    probe.stop();
    t0 = performance.now();
    for (let i = 0; i < paths.length; i++) validate(TextDocument.create('file://' + paths[i], 'gerrit-replication', 1, texts[i]), { path: paths[i], ws: diskWorkspace });
    oursRate.push(FILES / ((performance.now() - t0) / 1000));
  }

  // (c) a big file: 10,000 remotes.
  let big = '[gerrit]\n  autoReload = true\n';
  for (let i = 0; i < 10_000; i++) big += `[remote "m${i}"]\n  url = ssh://git@mirror${i % 7}.example.com/\${name}.git\n  push = +refs/heads/*:refs/heads/*\n  threads = ${1 + (i % 4)}\n  mirror = ${i % 2 === 0}\n  projects = ^team${i % 13}/.*\n`;
  const parseMs = [];
  const readMs = [];
  const parseCpu = [];
  const readCpu = [];
  for (let run = 0; run < RUNS + 2; run++) {
    let c0 = cpuMs();
    let t0 = performance.now();
    parseGitConfig(big);
    parseMs.push(performance.now() - t0);
    parseCpu.push(cpuMs() - c0);
    c0 = cpuMs();
    t0 = performance.now();
    jgitRead(big);
    readMs.push(performance.now() - t0);
    readCpu.push(cpuMs() - c0);
  }
  const ratios = readMs.map((r, i) => r / parseMs[i]);
  console.log(`JGit ${JGIT_VERSION}; ${cpus().length} CPUs, load ${loadavg()[0].toFixed(2)}; ${RUNS} runs, median (min–max)`);
  console.log(`(a) probe start until it answers: ${median(start).toFixed(0)} ms (${spread(start)})`);
  console.log(`(b) configs/s through the probe: ${median(probeRate).toFixed(0)} (${spread(probeRate)}); through validate: ${median(oursRate).toFixed(0)} (${spread(oursRate)}); ratio probe/ours ${(median(probeRate) / median(oursRate)).toFixed(2)}`);
  console.log(`(c) 10,000 remotes, ${(big.length / 1e6).toFixed(1)} MB: parseGitConfig ${median(parseMs).toFixed(1)} ms wall / ${median(parseCpu).toFixed(1)} ms CPU; jgitRead ${median(readMs).toFixed(1)} ms wall / ${median(readCpu).toFixed(1)} ms CPU; ratio jgitRead/parse ${median(ratios).toFixed(2)} (${spread(ratios)})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
