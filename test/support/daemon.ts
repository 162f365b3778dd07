// A real `git-replication daemon` child for the engine's fault tests: start it, wait on its log,
// kill it with SIGKILL (the crash under test) or stop it with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from './helpers';

export interface Daemon {
  child: ChildProcess;
  log: () => string;
}

export interface DaemonOptions {
  env?: NodeJS.ProcessEnv;
  /** More daemon arguments after --site SITE --poll 50. */
  args?: string[];
  /** A command that runs the daemon (e.g. setpriv with a reduced capability set). */
  wrap?: string[];
}

export function startDaemon(site: string, opts: DaemonOptions = {}): Daemon {
  let log = '';
  const argv = [CLI, 'daemon', '--site', site, '--poll', '50', ...(opts.args ?? [])];
  const [cmd, ...pre] = opts.wrap ?? [];
  const child = cmd
    ? spawn(cmd, [...pre, process.execPath, ...argv], { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, argv, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (b) => (log += b));
  child.stderr!.on('data', (b) => (log += b));
  return { child, log: () => log };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const exited = (d: Daemon) => d.child.exitCode !== null || d.child.signalCode !== null;

/** Polls cond until it holds; on time-out the error carries the tail of `log`. */
export async function until(what: string, cond: () => boolean, log?: () => string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${log ? `\n--- daemon log ---\n${log().slice(-4000)}` : ''}`);
    await sleep(20);
  }
}

export async function kill9(d: Daemon): Promise<void> {
  if (exited(d)) return;
  const gone = new Promise((r) => d.child.once('exit', r));
  d.child.kill('SIGKILL');
  await gone;
}

/** SIGTERM, then SIGKILL after 10 s. */
export async function stopDaemon(d: Daemon | undefined): Promise<void> {
  if (!d || exited(d)) return;
  const done = new Promise((r) => d.child.once('exit', r));
  d.child.kill('SIGTERM');
  const t = setTimeout(() => d.child.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(t);
}

/**
 * A mirror's witness of concurrent pushes, as its pre-receive hook: it takes a non-blocking
 * flock on MARKS/lock (or leaves `overlap.PID` when another push holds it), records the refs
 * and the pushing daemon's owner mark (GIT_REPLICATION_OWNER) in `push.PID`, then sleeps while
 * MARKS/slow exists. `exec sleep` keeps fd 9, so the lock lasts exactly as long as the hook,
 * and the kernel drops it however the hook ends.
 */
export function overlapHook(mirror: string, marks: string, seconds: number | string): void {
  mkdirSync(marks, { recursive: true });
  const hook = join(mirror, 'hooks', 'pre-receive');
  writeFileSync(
    hook,
    `#!/bin/sh
exec 9>>"${marks}/lock"
flock -n 9 || echo "$$" > "${marks}/overlap.$$"
while read old new ref; do echo "$ref $new $GIT_REPLICATION_OWNER" >> "${marks}/push.$$"; done
[ -e "${marks}/slow" ] && exec sleep ${seconds}
exit 0
`,
  );
  chmodSync(hook, 0o755);
}

/** The marks of one kind (`push.`, `overlap.`) the witness hook left. */
export const marksOf = (marks: string, prefix: string): string[] => (existsSync(marks) ? readdirSync(marks).filter((f) => f.startsWith(prefix)) : []);
