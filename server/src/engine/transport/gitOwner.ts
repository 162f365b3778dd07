// Which process owns a git child. Pushes run in process groups of their own (so a timeout can
// end ssh and the http helpers too), which also means they outlive a daemon killed with
// kill -9. Every git child therefore carries GIT_REPLICATION_OWNER: host, owner pid, the
// owner's kernel start time (a reused pid is not the owner) and the task stores it works for.
// A daemon starting on a store ends the marked processes of dead owners before it replays the
// store, so a push of the dead daemon can no longer race the recovered task.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { hostname } from 'node:os';

export const OWNER_VAR = 'GIT_REPLICATION_OWNER';
/**
 * A push's git processes also carry a hash of the URL they push (its printable form, without
 * user info, so no password can be guessed from it): a restarted daemon then knows which URLs
 * an orphaned push still holds, and pushes none of them until it is over.
 */
export const URL_VAR = 'GIT_REPLICATION_URL';

export function urlMark(displayUrl: string): string {
  return createHash('sha256').update(displayUrl).digest('hex').slice(0, 16);
}

const stores = new Set<string>();

/** A short id of a task store directory (its real path, hashed). */
export function storeId(eventsDir: string): string {
  let p = eventsDir;
  try {
    p = realpathSync(eventsDir);
  } catch {
    /* not created yet: the path as given */
  }
  return createHash('sha256').update(p).digest('hex').slice(0, 16);
}

/** Git children started from now on are marked as working for this store too. */
export function markStore(eventsDir: string): void {
  stores.add(storeId(eventsDir));
}

interface ProcStat {
  state: string;
  startTime: string;
}

function procStat(pid: number | 'self'): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0], startTime: rest[19] };
  } catch {
    return undefined;
  }
}

let self: string | undefined;

/** The mark for git children of this process, or undefined when it works for no store. */
export function ownerMark(): string | undefined {
  if (stores.size === 0) return undefined;
  self ??= `${hostname()}:${process.pid}:${procStat('self')?.startTime ?? '0'}`;
  return `${self}:${[...stores].join(',')}`;
}

interface Mark {
  host: string;
  pid: number;
  startTime: string;
  stores: string[];
}

export function parseMark(value: string): Mark | undefined {
  const m = /^(.*):(\d+):(\d+):([0-9a-f,]+)$/.exec(value);
  if (!m) return undefined;
  return { host: m[1], pid: Number(m[2]), startTime: m[3], stores: m[4].split(',') };
}

/** Is the marked owner gone: no such pid, a zombie, or a pid that now belongs to another process? */
function ownerDead(mark: Mark): boolean {
  if (mark.pid === process.pid) return false;
  const st = procStat(mark.pid);
  return !st || st.state === 'Z' || st.state === 'X' || st.startTime !== mark.startTime;
}

function marksOf(pid: number): { owner?: string; url?: string } {
  let env: string;
  try {
    env = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return {}; // gone, or not ours to read
  }
  const out: { owner?: string; url?: string } = {};
  for (const kv of env.split('\0')) {
    if (kv.startsWith(`${OWNER_VAR}=`)) out.owner = kv.slice(OWNER_VAR.length + 1);
    else if (kv.startsWith(`${URL_VAR}=`)) out.url = kv.slice(URL_VAR.length + 1);
  }
  return out;
}

export interface Orphan {
  pid: number;
  /** The process name (/proc/PID/comm: never its arguments). */
  name: string;
  owner: number;
  /** urlMark of the URL it pushes (a push's processes only). */
  url?: string;
}

/** Marked processes on this host working for this store whose owner is dead. */
export function findOrphans(eventsDir: string): Orphan[] {
  const id = storeId(eventsDir);
  const host = hostname();
  const out: Orphan[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return out; // no /proc: nothing can be found (and nothing is ended)
  }
  for (const p of pids) {
    const pid = Number(p);
    if (pid === process.pid) continue;
    const marks = marksOf(pid);
    const mark = marks.owner === undefined ? undefined : parseMark(marks.owner);
    if (!mark || mark.host !== host || !mark.stores.includes(id) || !ownerDead(mark)) continue;
    const st = procStat(pid);
    if (!st || st.state === 'Z' || st.state === 'X') continue;
    let name = '?';
    try {
      name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      /* gone meanwhile */
    }
    out.push({ pid, name, owner: mark.pid, ...(marks.url ? { url: marks.url } : {}) });
  }
  return out;
}

export function gone(pid: number): boolean {
  const st = procStat(pid);
  return !st || st.state === 'Z' || st.state === 'X';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Ends the orphans of this store: SIGTERM first, so git removes its lock files as it does on
 * a signal, then SIGKILL after `graceMs`. Resolves with what was found and what still runs.
 */
export async function endOrphans(eventsDir: string, graceMs = 3000): Promise<{ ended: Orphan[]; left: Orphan[] }> {
  return endThese(findOrphans(eventsDir), graceMs);
}

/** endOrphans for a list already found; those gone meanwhile are simply not signalled. */
export async function endThese(orphans: Orphan[], graceMs = 3000): Promise<{ ended: Orphan[]; left: Orphan[] }> {
  const found = orphans.filter((o) => !gone(o.pid));
  if (found.length === 0) return { ended: [], left: [] };
  const signal = (sig: NodeJS.Signals) => {
    for (const o of found) {
      try {
        process.kill(o.pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  signal('SIGTERM');
  const waitGone = async (ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end && found.some((o) => !gone(o.pid))) await sleep(20);
  };
  await waitGone(graceMs);
  if (found.some((o) => !gone(o.pid))) {
    signal('SIGKILL');
    await waitGone(2000);
  }
  return { ended: found.filter((o) => gone(o.pid)), left: found.filter((o) => !gone(o.pid)) };
}
