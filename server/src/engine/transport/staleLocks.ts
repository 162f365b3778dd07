// Lock files that make a push fail with "failed to update ref": `refs/heads/X.lock` and
// `packed-refs.lock` (a deletion) left by a receive-pack that was killed. git never removes
// them itself; it tells a person to remove the file "if no other git process is running in
// this repository". For a mirror on this machine the engine does what that advice says, but
// only when it can tell: the lock is older than STALE_LOCK_AGE_MS and no process has the
// repository open (no cwd and no open file below it in /proc/*/cwd and /proc/*/fd). Anything
// less certain (a younger lock, a process inside the repository, a process we may not inspect)
// leaves the lock alone and says why. Over ssh and http the lock is only named.
import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, unlinkSync } from 'node:fs';
import { join, normalize, relative, isAbsolute, sep } from 'node:path';

/** A lock younger than this may belong to a push that is still running (a slow client). */
export const STALE_LOCK_AGE_MS = 10 * 60_000;

export interface LockFinding {
  /** The ref whose update failed (or '' when only the lock file is known). */
  ref: string;
  /** Absolute path of the lock file. */
  lock: string;
  removed: boolean;
  /** Why it was removed or left alone. */
  why: string;
}

/** The lock files git names in its (remote) stderr: "Unable to create '…/X.lock': File exists". */
export function locksInStderr(stderr: string): string[] {
  const out = new Set<string>();
  for (const m of stderr.matchAll(/Unable to create '([^'\n]+\.lock)'/g)) out.add(normalize(m[1]));
  return [...out];
}

interface Holder {
  pid: number;
  name: string;
}

/**
 * Processes with their cwd or an open file inside `dir`. `uninspectable` counts processes
 * whose cwd or fds could not be read (another user's, without the privilege to look).
 */
export function processesUsing(dir: string): { holders: Holder[]; uninspectable: number } {
  const holders: Holder[] = [];
  let uninspectable = 0;
  const inside = (p: string) => p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep);
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return { holders, uninspectable: 1 }; // no /proc: nothing can be known
  }
  // Our own ancestors (init, the shell or service manager that started us) wait for us and
  // are not a push into the mirror; in a container pid 1 often cannot be inspected at all.
  const skip = ancestors();
  for (const p of pids) {
    const pid = Number(p);
    if (skip.has(pid)) continue;
    let uses = false;
    let denied = false;
    const look = (link: string) => {
      try {
        if (inside(readlinkSync(link))) uses = true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EACCES' || (e as NodeJS.ErrnoException).code === 'EPERM') denied = true;
      }
    };
    look(`/proc/${p}/cwd`);
    try {
      for (const fd of readdirSync(`/proc/${p}/fd`)) {
        look(`/proc/${p}/fd/${fd}`);
        if (uses) break;
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EACCES' || (e as NodeJS.ErrnoException).code === 'EPERM') denied = true;
    }
    if (uses) {
      let name = '?';
      try {
        name = readFileSync(`/proc/${p}/comm`, 'utf8').trim();
      } catch {
        /* gone meanwhile */
      }
      holders.push({ pid, name });
    } else if (denied) uninspectable++;
  }
  return { holders, uninspectable };
}

/** This process and its ancestors, from /proc/PID/stat. */
function ancestors(): Set<number> {
  const out = new Set<number>([process.pid]);
  let pid = process.pid;
  for (let i = 0; i < 64 && pid > 1; i++) {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
    out.add(pid);
  }
  return out;
}

function age(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 120 ? `${Math.round(s / 60)} min` : `${s} s`;
}

/**
 * Looks at the lock files that can block `refs` in the local repository `repo` (each ref's
 * `.lock`, `packed-refs.lock`, and any lock git named in `stderr`) and removes those that are
 * certainly stale. Returns one finding per lock file that exists.
 */
export function clearStaleLocks(repo: string, refs: string[], stderr = '', now = Date.now()): LockFinding[] {
  let root: string;
  try {
    root = realpathSync(repo);
  } catch {
    return [];
  }
  const candidates = new Map<string, string>();
  for (const ref of refs) if (ref.startsWith('refs/')) candidates.set(join(root, `${ref}.lock`), ref);
  candidates.set(join(root, 'packed-refs.lock'), refs.join(' '));
  for (const l of locksInStderr(stderr)) {
    let p = l;
    try {
      p = join(realpathSync(join(l, '..')), l.slice(l.lastIndexOf('/') + 1));
    } catch {
      /* its directory is gone: keep the name as given */
    }
    const rel = relative(root, p);
    if (!rel.startsWith('..') && !isAbsolute(rel) && !candidates.has(p)) {
      const ref = rel.endsWith('.lock') && rel.startsWith('refs/') ? rel.slice(0, -5) : refs.join(' ');
      candidates.set(p, ref);
    }
  }
  const found: Array<{ lock: string; ref: string; mtimeMs: number }> = [];
  for (const [lock, ref] of candidates) {
    try {
      const st = lstatSync(lock);
      if (st.isFile()) found.push({ lock, ref, mtimeMs: st.mtimeMs });
    } catch {
      /* no such lock */
    }
  }
  if (found.length === 0) return [];
  let users: ReturnType<typeof processesUsing> | undefined;
  const out: LockFinding[] = [];
  for (const f of found) {
    const old = now - f.mtimeMs;
    if (old < STALE_LOCK_AGE_MS) {
      out.push({ ref: f.ref, lock: f.lock, removed: false, why: `it is ${age(old)} old, younger than ${age(STALE_LOCK_AGE_MS)}: a push may still hold it` });
      continue;
    }
    users ??= processesUsing(root);
    if (users.holders.length) {
      out.push({ ref: f.ref, lock: f.lock, removed: false, why: `${users.holders.map((h) => `${h.name}[${h.pid}]`).join(', ')} has the repository open` });
      continue;
    }
    if (users.uninspectable) {
      out.push({ ref: f.ref, lock: f.lock, removed: false, why: `${users.uninspectable} process(es) could not be inspected, so it cannot be told that none uses the repository` });
      continue;
    }
    try {
      unlinkSync(f.lock);
      out.push({ ref: f.ref, lock: f.lock, removed: true, why: `it was ${age(old)} old and no process had the repository open` });
    } catch (e) {
      out.push({ ref: f.ref, lock: f.lock, removed: false, why: `cannot remove it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    }
  }
  return out;
}
