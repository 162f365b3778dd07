// Small helpers to build real repositories for transport tests, with git run in a clean
// environment (no user config, fixed identity and dates).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

export const GIT_ENV: Record<string, string> = {
  PATH: process.env.PATH || '/usr/bin:/bin',
  HOME: '/nonexistent',
  LANG: 'C',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A bare repository with `branches`, each holding `commits` empty commits, and one tag. */
export function makeSourceRepo(dir: string, branches = ['master', 'stable'], commits = 2): string {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '--bare', '-b', branches[0]);
  let parent: string | undefined;
  const tree = git(dir, 'hash-object', '-t', 'tree', '-w', '--stdin');
  for (const b of branches) {
    for (let i = 0; i < commits; i++) {
      const args = ['commit-tree', tree, '-m', `${b} ${i}`];
      if (parent) args.push('-p', parent);
      parent = git(dir, ...args);
    }
    git(dir, 'update-ref', `refs/heads/${b}`, parent!);
  }
  git(dir, 'tag', 'v1', `refs/heads/${branches[0]}`);
  return dir;
}

export function makeBareRepo(dir: string): string {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '--bare');
  return dir;
}

/** `ref sha` lines of every ref, sorted (no HEAD). */
export function refsOf(gitDir: string): string {
  return git(gitDir, 'for-each-ref', '--format=%(refname) %(objectname)').split('\n').filter(Boolean).sort().join('\n');
}
