// `npm test`: installs what is missing, builds, then runs every test with node's test runner.
// `npm test -- WORD...` runs only the test files whose path contains one of the words.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { root, ensureSystemPackages, ensureNpmDependencies, build } from './setup.mjs';

ensureSystemPackages();
ensureNpmDependencies();
build();

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = walk(join(root, 'out', 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// A test that hangs fails after 10 minutes, named, instead of holding the run (the longest take ~1).
const r = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=600000', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, GIT_REPLICATION_ROOT: root },
});
process.exit(r.status ?? 1);
