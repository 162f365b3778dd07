// Push-mode validation, one document per turn of the event loop. Each change schedules its own
// document after the debounce delay and the documents that may depend on it (the same site) a
// little later; documents of other sites are left alone. Due documents run one at a time with
// a setImmediate between them, so requests that arrive meanwhile are answered between two
// validations instead of after all of them; a newer change to a waiting document replaces its
// turn, so only its latest version is validated.
import { basename, dirname, sep } from 'node:path';
import { classifyFile } from '../service/fileKinds';

/**
 * The directory that ties a file to the files its diagnostics depend on: the Gerrit site
 * (the parent of etc/) for replication files, the directory above conf/ for gitolite.conf and
 * its includes, and the rc's own directory for .gitolite.rc (it is found at or above the conf).
 */
export function siteOf(path: string): { family: 'gerrit' | 'gitolite'; root: string } | undefined {
  const kind = classifyFile(path);
  if (!kind) return undefined;
  let dir = dirname(path);
  if (kind === 'replication' || kind === 'secure' || kind === 'fanout') {
    if (kind === 'fanout') dir = dirname(dir);
    return { family: 'gerrit', root: basename(dir) === 'etc' ? dirname(dir) : dir };
  }
  if (kind === 'gitolite-conf') {
    const parts = dir.split(sep);
    const conf = parts.lastIndexOf('conf');
    if (conf > 0) dir = parts.slice(0, conf).join(sep) || sep;
  }
  return { family: 'gitolite', root: dir };
}

const within = (a: string, b: string) => a === b || b.startsWith(a.endsWith(sep) ? a : a + sep);

/** May the diagnostics of one file change when the other does? Unknown paths: assume so. */
export function related(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return true;
  const sa = siteOf(a);
  const sb = siteOf(b);
  if (!sa || !sb) return true;
  if (sa.family !== sb.family) return false;
  // gitolite's rc is found at or above the conf, so one root may hold the other.
  return sa.family === 'gerrit' ? sa.root === sb.root : within(sa.root, sb.root) || within(sb.root, sa.root);
}

export class ValidationQueue {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Due documents in the order they became due (a Set keeps insertion order). */
  private readonly due = new Set<string>();
  private pumping: ReturnType<typeof setImmediate> | undefined;

  constructor(private readonly validate: (uri: string) => void) {}

  /** Validate `uri` once `delay` ms have passed without another schedule of it. */
  schedule(uri: string, delay: number) {
    this.cancel(uri);
    if (delay <= 0) this.makeDue(uri);
    else this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      this.makeDue(uri);
    }, delay));
  }

  cancel(uri: string) {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.due.delete(uri);
  }

  /** Documents waiting for their turn (for tests). */
  get waiting(): number {
    return this.timers.size + this.due.size;
  }

  private makeDue(uri: string) {
    this.due.delete(uri);
    this.due.add(uri);
    if (!this.pumping) this.pumping = setImmediate(() => this.pump());
  }

  private pump() {
    this.pumping = undefined;
    const next = this.due.values().next();
    if (next.done) return;
    this.due.delete(next.value);
    try {
      this.validate(next.value);
    } finally {
      if (this.due.size > 0) this.pumping = setImmediate(() => this.pump());
    }
  }
}
