// Reading refs: the local repository (for-each-ref), the mirror (ls-remote through the
// transport contract), and the object checks git push makes before it updates a ref.
import { localGitEnv, remoteGit, runGit } from './git';
import type { TransportOptions } from './invocation';

export type RefMap = Map<string, string>;

export async function localRefs(repoDir: string): Promise<RefMap> {
  const r = await runGit(['for-each-ref', '--format=%(objectname) %(refname)'], { cwd: repoDir, env: { ...localGitEnv(), GIT_DIR: repoDir } });
  if (r.code !== 0) throw new Error(`cannot read refs of ${repoDir}: ${r.stderr.trim()}`);
  return parseRefLines(r.stdout);
}

/** The target of HEAD (`refs/heads/main`), or undefined when HEAD is detached or unreadable. */
export async function localHead(repoDir: string): Promise<string | undefined> {
  const r = await runGit(['symbolic-ref', '-q', 'HEAD'], { cwd: repoDir, env: { ...localGitEnv(), GIT_DIR: repoDir } });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

function parseRefLines(text: string): RefMap {
  const m: RefMap = new Map();
  for (const line of text.split('\n')) {
    const sp = line.search(/[ \t]/);
    if (sp !== 40 && sp !== 64) continue;
    const name = line.slice(sp + 1);
    if (name.endsWith('^{}')) continue; // peeled tag lines
    m.set(name, line.slice(0, sp));
  }
  return m;
}

/** git's error for a missing repository, across transports (and Gerrit's own list). */
export const MISSING_REPOSITORY = /does not appear to be a git repository|repository '[^']*' not found|no such repository|git repository not found|access denied|unavailable|not a git repository/i;

export type RemoteRefs = { ok: true; refs: RefMap } | { ok: false; missing: boolean; error: string };

export async function lsRemote(url: string, topts: TransportOptions, timeoutMs?: number): Promise<RemoteRefs> {
  let git;
  try {
    git = remoteGit(url, topts);
  } catch (e) {
    return { ok: false, missing: false, error: (e as Error).message };
  }
  try {
    const r = await git.run((u) => ['ls-remote', '--', u], { timeoutMs });
    if (r.code === 0) return { ok: true, refs: parseRefLines(r.stdout) };
    const error = git.clean(r.timedOut ? `timeout after ${timeoutMs} ms` : r.stderr.trim() || `git ls-remote exited with ${r.code}`);
    return { ok: false, missing: !r.timedOut && MISSING_REPOSITORY.test(r.stderr), error };
  } finally {
    git.dispose();
  }
}

export interface ObjectFacts {
  exists: boolean;
  /** Peels to a commit (lookup_commit_reference_gently). */
  commitish: boolean;
}

/** Existence and commit-ness of many objects with one `git cat-file --batch-check`. */
export async function objectFacts(repoDir: string, oids: string[]): Promise<Map<string, ObjectFacts>> {
  const out = new Map<string, ObjectFacts>();
  const uniq = [...new Set(oids)];
  if (uniq.length === 0) return out;
  const input = uniq.map((o) => `${o}\n${o}^{commit}\n`).join('');
  const r = await runGit(['cat-file', '--batch-check'], { cwd: repoDir, env: { ...localGitEnv(), GIT_DIR: repoDir }, input });
  const lines = r.stdout.split('\n');
  uniq.forEach((o, i) => {
    const a = lines[2 * i] ?? '';
    const b = lines[2 * i + 1] ?? '';
    out.set(o, { exists: !a.endsWith(' missing') && a !== '', commitish: b !== '' && !b.endsWith(' missing') });
  });
  return out;
}

export async function isAncestor(repoDir: string, oldId: string, newId: string): Promise<boolean> {
  const r = await runGit(['merge-base', '--is-ancestor', oldId, newId], { cwd: repoDir, env: { ...localGitEnv(), GIT_DIR: repoDir } });
  return r.code === 0;
}
