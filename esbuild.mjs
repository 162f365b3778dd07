// One build script for the three bundles: the VS Code client, the language server and the CLI.
// `node esbuild.mjs` builds once; `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';
import { makeCodeCache } from './scripts/codeCache.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// --outdir=DIR builds elsewhere (packaging stages a production build without touching dist/).
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
};

// The client bundle requires ./languageClient.js at run time instead of inlining it.
const lazyLanguageClient = {
  name: 'lazy-language-client',
  setup(build) {
    build.onResolve({ filter: /^\.\/languageClient$/ }, () => ({ path: './languageClient.js', external: true }));
  },
};

// The CLI is a small dispatcher (cli.js) that requires one bundle per command group when it runs,
// so a cold `check` or post-receive hook loads only its own code. cli/args (UsageError, which the
// dispatcher tests with instanceof) is one shared bundle.
const CLI_CHUNKS = { './cli/check': 'cli-check', './cli/hook': 'cli-hook', './cli/engineCommands': 'cli-engine' };
const cliChunks = {
  name: 'cli-chunks',
  setup(build) {
    build.onResolve({ filter: /^\.\/cli\/(check|hook|engineCommands)$/ }, (a) =>
      a.importer.endsWith('/server/src/cli.ts') ? { path: `./${CLI_CHUNKS[a.path]}.js`, external: true } : undefined);
    build.onResolve({ filter: /^\.\/(cli\/)?args$/ }, (a) =>
      /\/server\/src(\/cli)?$/.test(a.resolveDir) && !a.importer.endsWith('/cli/args.ts') ? { path: './cli-args.js', external: true } : undefined);
  },
};
const cliBuild = (entry, name, extra = {}) => ({ ...common, entryPoints: [entry], outfile: `${outdir}/${name}.js`, plugins: [cliChunks], ...extra });

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: `${outdir}/client.js`, external: ['vscode'], plugins: [lazyLanguageClient],
    // Marks when VS Code starts loading the bundle, so activation can report load + activate().
    banner: { js: 'var __grLoadStart = performance.now();' } },
  { ...common, entryPoints: ['client/src/languageClient.ts'], outfile: `${outdir}/languageClient.js`, external: ['vscode'] },
  { ...common, entryPoints: ['server/src/server.ts'], outfile: `${outdir}/server.js` },
  cliBuild('server/src/cli.ts', 'cli', { banner: { js: '#!/usr/bin/env node' } }),
  cliBuild('server/src/cli/args.ts', 'cli-args'),
  ...Object.entries(CLI_CHUNKS).map(([path, name]) => cliBuild(`server/src/${path.slice(2)}.ts`, name)),
];

// A code cache belongs to the bundle it was made from: drop the old ones before building.
for (const name of ['cli-args', ...Object.values(CLI_CHUNKS)]) rmSync(`${outdir}/${name}.js.cache`, { force: true });
if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // V8's code cache for the CLI bundles (server/src/cli/codeCache.ts).
  makeCodeCache(outdir);
}
