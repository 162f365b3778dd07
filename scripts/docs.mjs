// `npm run docs`: regenerates the README's key reference and diagnostics tables and the list of
// codes in package.json's severityOverrides setting, from the catalog and the rule tables
// (server/src/docs/readme.ts and manifest.ts do the work; esbuild loads them).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function load(entry) {
  const built = buildSync({ entryPoints: [join(root, entry)], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'error' });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', built.outputFiles[0].text)(mod, mod.exports, createRequire(join(root, 'package.json')));
  return mod.exports;
}

for (const [file, entry, fn] of [
  ['README.md', 'server/src/docs/readme.ts', 'updateReadme'],
  ['package.json', 'server/src/docs/manifest.ts', 'updateManifest'],
]) {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = load(entry)[fn](before);
  if (after !== before) {
    writeFileSync(path, after);
    console.log(`${file} updated`);
  } else console.log(`${file} is up to date`);
}
