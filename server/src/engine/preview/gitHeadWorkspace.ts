// The config as committed: a Workspace that reads every file git tracks (at HEAD or in the index)
// from HEAD, and everything git does not track (secure.config, usually ignored) from the disk,
// so a reload preview against HEAD compares what was committed, not what is untracked. A file
// added to the index but not committed does not exist at HEAD. Read-only git commands, with the
// clean environment every engine git call gets.
import { execFileSync } from 'node:child_process';
import { dirname, relative, sep } from 'node:path';
import { EngineError } from '../../protocol';
import { diskWorkspace, type Workspace } from '../../service/workspace';
import { cleanGitEnv } from '../transport/invocation';

const git = (cwd: string, args: string[]): Buffer =>
  execFileSync('git', args, { cwd, env: cleanGitEnv(), stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, timeout: 30_000 });

const names = (out: Buffer) => out.toString('utf8').split('\0').filter(Boolean);

/** A workspace of `dir`'s repository at HEAD; throws EngineError('usage') when there is none. */
export function gitHeadWorkspace(dir: string): Workspace {
  let top: string;
  let atHead: Set<string>;
  let tracked: Set<string>;
  try {
    top = git(dir, ['rev-parse', '--show-toplevel']).toString('utf8').trim();
    atHead = new Set(names(git(top, ['ls-tree', '-r', '-z', '--name-only', 'HEAD'])));
    tracked = new Set([...atHead, ...names(git(top, ['ls-files', '-z']))]);
  } catch (e) {
    const msg = (e as { stderr?: Buffer }).stderr?.toString('utf8').trim() || (e as Error).message;
    throw new EngineError('usage', `cannot read the config at git HEAD of ${dir}: ${msg}`);
  }
  const rel = (p: string) => relative(top, p).split(sep).join('/');
  const dirs = new Set<string>();
  for (const f of atHead) for (let d = dirname(f); d !== '.' && !dirs.has(d); d = dirname(d)) dirs.add(d);
  const cache = new Map<string, string | undefined>();
  const inRepo = (p: string) => !rel(p).startsWith('..');
  return {
    read(p) {
      if (!inRepo(p) || !tracked.has(rel(p))) return diskWorkspace.read(p);
      if (!atHead.has(rel(p))) return undefined;
      if (!cache.has(p)) {
        try {
          cache.set(p, git(top, ['cat-file', 'blob', `HEAD:${rel(p)}`]).toString('utf8'));
        } catch {
          cache.set(p, undefined);
        }
      }
      return cache.get(p);
    },
    list(d) {
      const r = rel(d);
      if (!inRepo(d)) return diskWorkspace.list(d);
      const prefix = r === '' ? '' : `${r}/`;
      const out = new Set<string>();
      for (const f of [...atHead, ...dirs]) if (f.startsWith(prefix) && !f.slice(prefix.length).includes('/') && f !== r) out.add(f.slice(prefix.length));
      // Untracked entries on disk (secure.config) are there at HEAD too.
      for (const n of diskWorkspace.list(d) ?? []) if (!tracked.has(`${prefix}${n}`) && !dirs.has(`${prefix}${n}`)) out.add(n);
      return out.size || dirs.has(r) || r === '' ? [...out].sort() : undefined;
    },
    stat(p) {
      const r = rel(p);
      if (!inRepo(p)) return diskWorkspace.stat(p);
      if (atHead.has(r)) return { mode: 0o100644, isFile: true, isDirectory: false };
      if (r === '' || dirs.has(r)) return { mode: 0o040755, isFile: false, isDirectory: true };
      return tracked.has(r) ? undefined : diskWorkspace.stat(p);
    },
  };
}
