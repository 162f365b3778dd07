// Runs git for one prepared invocation: with its clean environment, its -c settings, a
// deadline that kills the whole process group (git and its ssh/http helpers), and output
// that has every secret redacted before anyone sees it.
import { spawn } from 'node:child_process';
import type { SimpleGit, SimpleGitOptions } from 'simple-git';
// Required on first use: the post-receive hook and `list` never run git through it.
const simpleGit = (o: Partial<SimpleGitOptions>): SimpleGit => (require('simple-git') as typeof import('simple-git')).simpleGit(o);
import { GitInvocation, redact } from './invocation';

export interface GitRunResult {
  /** Exit code, or null when killed. */
  code: number | null;
  stdout: string;
  /** stderr with secrets redacted. */
  stderr: string;
  timedOut: boolean;
}

export interface GitRunOptions {
  cwd?: string;
  /** Kill git (and its children) after this many milliseconds. */
  timeoutMs?: number;
  /** Called with the pid once git has started (tests watch its children). */
  onSpawn?: (pid: number) => void;
  /** Text for git's standard input (otherwise stdin is closed). */
  input?: string;
  /**
   * An open file descriptor git and its children inherit as fd 3: a push holds its URL's lock
   * (urlLock.ts) this way, so the lock lasts while any process of the push still runs.
   */
  holdFd?: number;
}

/** What running git needs from an invocation; local-only commands pass just a clean env. */
export type GitRunTarget = Pick<GitInvocation, 'env' | 'configArgs' | 'secrets'>;

export function runGit(inv: GitRunTarget, args: string[], opts: GitRunOptions = {}): Promise<GitRunResult> {
  return new Promise((resolve, reject) => {
    // A process group of its own, so a timeout also ends ssh / git-remote-http.
    const child = spawn('git', [...inv.configArgs, ...args], {
      cwd: opts.cwd,
      env: inv.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe', ...(opts.holdFd === undefined ? [] : [opts.holdFd])],
      detached: true,
    });
    if (opts.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {}); // git may exit before reading its input
      child.stdin.end(opts.input);
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    if (opts.timeoutMs && opts.timeoutMs > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, opts.timeoutMs);
    }
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({
        code,
        stdout: redact(Buffer.concat(out).toString('utf8'), inv.secrets),
        stderr: redact(Buffer.concat(err).toString('utf8'), inv.secrets),
        timedOut,
      });
    });
  });
}

/**
 * A simple-git client bound to one invocation: its environment replaces process.env and its
 * -c settings prefix every command. Error messages still need redact(…, inv.secrets).
 */
export function gitClient(inv: GitInvocation, baseDir: string, timeoutMs?: number): SimpleGit {
  return simpleGit({
    baseDir,
    config: inv.config,
    unsafe: inv.unsafe,
    ...(timeoutMs ? { timeout: { block: timeoutMs } } : {}),
  }).env(inv.env);
}
