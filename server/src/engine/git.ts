// Runs the git binary with a clean, explicit environment (never the caller's GIT_* variables),
// optional stdin, and an optional time limit. Every remote invocation goes through
// transport.prepareGit, which supplies the environment and the URL to use.
import { spawn } from 'node:child_process';
import { cleanGitEnv, prepareGit, redact, type GitInvocation, type TransportOptions } from './transport';
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
}

/** The environment for git commands that touch only local repositories. */
export function localGitEnv(): Record<string, string> {
  return cleanGitEnv();
}

export function runGit(args: string[], opts: RunOptions = {}): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = spawn('git', args, { cwd: opts.cwd, env: opts.env ?? localGitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs && opts.timeoutMs > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, opts.timeoutMs);
    }
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      resolve({ code: 127, stdout: '', stderr: `cannot run git: ${e.message}`, timedOut });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? 128, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
    child.stdin.on('error', () => {}); // git may exit before reading its input
    child.stdin.end(opts.input ?? '');
  });
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
      runPrepared(inv, args(inv.url), { cwd: opts.cwd, timeoutMs: opts.timeoutMs })
        .then((r) => ({ code: r.code ?? 128, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut }))
        .catch((e: Error) => ({ code: 127, stdout: '', stderr: redact(`cannot run git: ${e.message}`, secrets), timedOut: false })),
    clean: (text) => redact(text, secrets).split(inv.url).join(inv.displayUrl),
    dispose: () => inv.cleanup(),
  };
}
