// One build script for the three bundles: the VS Code client, the language server and the CLI.
// `node esbuild.mjs` builds once; `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';

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

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: `${outdir}/client.js`, external: ['vscode'], plugins: [lazyLanguageClient],
    // Marks when VS Code starts loading the bundle, so activation can report load + activate().
    banner: { js: 'var __grLoadStart = performance.now();' } },
  { ...common, entryPoints: ['client/src/languageClient.ts'], outfile: `${outdir}/languageClient.js`, external: ['vscode'] },
  { ...common, entryPoints: ['server/src/server.ts'], outfile: `${outdir}/server.js` },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: `${outdir}/cli.js`, banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
