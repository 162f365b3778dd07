// Real git repositories for engine tests: a Gerrit site with bare projects and file mirrors.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1' };

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export function bare(path: string, head = 'refs/heads/master'): string {
  mkdirSync(path, { recursive: true });
  git(path, 'init', '-q', '--bare');
  git(path, 'symbolic-ref', 'HEAD', head);
  return path;
}

/** A work repository whose commits are pushed around to set up scenarios. */
export function workRepo(path: string): { dir: string; commit: (msg: string, parent?: string) => string } {
  mkdirSync(path, { recursive: true });
  git(path, 'init', '-q');
  let n = 0;
  return {
    dir: path,
    commit(msg: string, parent?: string) {
      writeFileSync(join(path, 'f.txt'), `${msg} ${n++}\n`);
      git(path, 'add', 'f.txt');
      const tree = git(path, 'write-tree');
      const args = ['commit-tree', tree, '-m', msg];
      if (parent) args.push('-p', parent);
      return git(path, ...args);
    },
  };
}

export function refsOf(repo: string): Map<string, string> {
  const m = new Map<string, string>();
  const out = git(repo, 'for-each-ref', '--format=%(objectname) %(refname)');
  for (const l of out.split('\n')) if (l) m.set(l.slice(41), l.slice(0, 40));
  return m;
}

export function writeSite(dir: string, replicationConfig: string, extra: Record<string, string> = {}): void {
  mkdirSync(join(dir, 'etc'), { recursive: true });
  mkdirSync(join(dir, 'git'), { recursive: true });
  writeFileSync(join(dir, 'etc', 'replication.config'), replicationConfig);
  for (const [p, text] of Object.entries(extra)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
}
