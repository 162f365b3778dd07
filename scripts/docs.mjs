// `npm run docs`: regenerates the README's key reference and diagnostics table from the
// catalog and the rule table (server/src/docs/readme.ts does the work; esbuild loads it).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = buildSync({
  entryPoints: [join(root, 'server/src/docs/readme.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  write: false,
  logLevel: 'error',
});
const mod = { exports: {} };
new Function('module', 'exports', 'require', built.outputFiles[0].text)(mod, mod.exports, createRequire(join(root, 'package.json')));
const readmePath = join(root, 'README.md');
const before = readFileSync(readmePath, 'utf8');
const after = mod.exports.updateReadme(before);
if (after !== before) {
  writeFileSync(readmePath, after);
  console.log('README.md updated');
} else console.log('README.md is up to date');
