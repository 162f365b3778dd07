// Shared test helpers: paths, running the built CLI, scratch directories.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root (tests run from out/test/...). */
export const ROOT = process.env.GIT_REPLICATION_ROOT ?? join(__dirname, '..', '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const SERVER = join(ROOT, 'dist', 'server.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: opts.cwd, env: opts.env ?? process.env, input: opts.input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A scratch directory removed when the returned function is called. */
export function scratch(prefix = 'gr-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
