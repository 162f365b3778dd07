// Runs the git binary with a clean, explicit environment (never the caller's GIT_* variables),
// optional stdin, and an optional time limit. Every remote invocation goes through
// transport.prepareGit, which supplies the environment and the URL to use.
import { cleanGitEnv, prepareGit, redact, type GitInvocation, type TransportOptions } from './invocation';
import { runGit as runPrepared } from './gitRun';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
  /** Kill git after this many milliseconds (0 or undefined: no limit). */
  timeoutMs?: number;
  /** A descriptor git inherits as fd 3 (a URL lock held for the push's lifetime). */
  holdFd?: number;
}

/** The environment for git commands that touch only local repositories. */
export function localGitEnv(): Record<string, string> {
  return cleanGitEnv();
}

/** Run git on local repositories only, with a clean environment (or `opts.env`). */
export function runGit(args: string[], opts: RunOptions = {}): Promise<GitResult> {
  const target = { env: opts.env ?? localGitEnv(), configArgs: [], secrets: [] };
  return runPrepared(target, args, { cwd: opts.cwd, timeoutMs: opts.timeoutMs, input: opts.input ?? '' })
    .then((r) => ({ code: r.code ?? 128, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut }))
    .catch((e: Error) => ({ code: 127, stdout: '', stderr: `cannot run git: ${e.message}`, timedOut: false }));
}

/** A git invocation against a remote URL: env, -c options and credentials from the transport. */
export interface RemoteGit {
  inv: GitInvocation;
  run(args: (url: string) => string[], opts?: Omit<RunOptions, 'env'>): Promise<GitResult>;
  /** Remove secrets from git's output. */
  clean(text: string): string;
  dispose(): void;
}

/** Throws (UnsafeInputError) for a URL the transport refuses. */
export function remoteGit(url: string, topts: TransportOptions = {}): RemoteGit {
  const inv = prepareGit(url, topts);
  const secrets = [...inv.secrets, topts.credentials?.password];
  return {
    inv,
    run: (args, opts = {}) =>
      runPrepared(inv, args(inv.url), { cwd: opts.cwd, timeoutMs: opts.timeoutMs, holdFd: opts.holdFd })
        .then((r) => ({ code: r.code ?? 128, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut }))
        .catch((e: Error) => ({ code: 127, stdout: '', stderr: redact(`cannot run git: ${e.message}`, secrets), timedOut: false })),
    clean: (text) => redact(text, secrets).split(inv.url).join(inv.displayUrl),
    dispose: () => inv.cleanup(),
  };
}
