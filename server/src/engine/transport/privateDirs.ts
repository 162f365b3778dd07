// Private temporary directories for git runs: one empty HOME per process, and one directory
// per credential helper. Each name carries its creator's pid, so a run after a kill -9 can
// remove what the dead process left (credential answers must not outlive their push).
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let sharedHome: string | undefined;
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
    if (sharedHome) rmSync(sharedHome, { recursive: true, force: true });
  });
}

const TMP_PREFIX = /^git-replication-(home|cred)-(\d+)-/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the private dirs of processes that died without cleaning up (kill -9): a credential
 * answer must not outlive the push it was written for. The dirs carry their creator's pid.
 */
function sweepStaleDirs(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = TMP_PREFIX.exec(name);
    if (!m || Number(m[2]) === process.pid || alive(Number(m[2]))) continue;
    const p = join(tmpdir(), name);
    try {
      if (uid === undefined || statSync(p).uid === uid) rmSync(p, { recursive: true, force: true });
    } catch {
      /* raced with another sweeper */
    }
  }
}

/** An empty private HOME: git finds no ~/.gitconfig, credentials store or XDG files there. */
export function controlledHome(): string {
  if (!sharedHome) {
    sweepStaleDirs();
    sharedHome = mkdtempSync(join(tmpdir(), `git-replication-home-${process.pid}-`));
    chmodSync(sharedHome, 0o700);
    installExitHook();
  }
  return sharedHome;
}

/** A new 0700 directory, removed at exit unless removePrivateDir is called first. */
export function makePrivateDir(kind: 'cred'): string {
  controlledHome(); // sweeps what crashed runs left behind, once per process
  const dir = mkdtempSync(join(tmpdir(), `git-replication-${kind}-${process.pid}-`));
  chmodSync(dir, 0o700);
  liveDirs.add(dir);
  installExitHook();
  return dir;
}

export function removePrivateDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}
