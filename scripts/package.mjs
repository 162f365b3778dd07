// `npm run package`: a production build packaged as a .vsix with @vscode/vsce@3.
// The build is staged in a temporary folder (never dist/, which tests read while this runs),
// and .vscodeignore (an allowlist) decides what ships: bundles, grammars, schemas, media, docs.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from './setup.mjs';

const SHIPPED = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'syntaxes', 'schemas', 'media'];

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * The README as the extension's details page shows it: docs/ and the repository's images are
 * not in the package and the package names no repository to resolve them against, so a relative
 * image becomes its caption and a relative link its text (vsce refuses relative images).
 */
export function packagedReadme(text) {
  return text
    .replace(/!\[([^\]]*)\]\((?![a-z]+:)[^)]*\)/gi, '*$1*')
    .replace(/\[([^\]]*)\]\((?![a-z]+:|#)[^)]*\)/gi, '$1');
}

/** Builds and packages the extension; returns { vsix, bytes, files }. */
export function packageExtension({ out } = {}) {
  const pkg = JSON.parse(run(process.execPath, ['-e', 'process.stdout.write(require("fs").readFileSync("package.json","utf8"))'], root));
  const vsix = resolve(out ?? join(root, `${pkg.name}-${pkg.version}.vsix`));
  const stage = mkdtempSync(join(tmpdir(), 'gr-package-'));
  try {
    for (const f of SHIPPED) if (existsSync(join(root, f))) cpSync(join(root, f), join(stage, f), { recursive: true });
    writeFileSync(join(stage, 'README.md'), packagedReadme(readFileSync(join(root, 'README.md'), 'utf8')));
    run(process.execPath, [join(root, 'esbuild.mjs'), '--production', `--outdir=${join(stage, 'dist')}`], root);
    mkdirSync(join(vsix, '..'), { recursive: true });
    const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    const listing = run(process.execPath, [vsce, 'ls', '--no-dependencies'], stage);
    run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], stage);
    return { vsix, bytes: statSync(vsix).size, files: listing.trim().split('\n').filter(Boolean) };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outArg = process.argv.find((a) => a.startsWith('--out='));
  const r = packageExtension({ out: outArg?.slice('--out='.length) });
  console.log(`${r.vsix}: ${(r.bytes / 1024).toFixed(1)} KiB, ${r.files.length} files`);
  for (const f of r.files) console.log(`  ${f}`);
}
