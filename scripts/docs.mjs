// `npm run docs`: regenerates the key reference and diagnostics tables (in README.md and
// docs/*.md, wherever their markers are) and the list of codes in package.json's
// severityOverrides setting, from the catalog and the rule tables
// (server/src/docs/generatedDocs.ts and manifest.ts do the work; esbuild loads them).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

const docFiles = ['README.md', ...readdirSync(join(root, 'docs')).filter((n) => n.endsWith('.md')).sort().map((n) => `docs/${n}`)];
const docs = Object.fromEntries(docFiles.map((f) => [f, readFileSync(join(root, f), 'utf8')]));
const updated = load('server/src/docs/generatedDocs.ts').updateDocs(docs);
for (const f of docFiles) {
  if (updated[f] !== docs[f]) {
    writeFileSync(join(root, f), updated[f]);
    console.log(`${f} updated`);
  }
}

for (const [file, entry, fn] of [
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
