// Push-mode validation, one document at a time. Each change schedules its own document after
// the debounce delay and the documents that may depend on it (the same site) a little later;
// documents of other sites are left alone. Due documents run one at a time; a validation may
// take many turns of the event loop (it runs in slices, lsp/slicedRun.ts), and the next starts
// only when it has finished, so requests are answered between slices. A newer change to a
// waiting document replaces its turn, so only its latest version is validated (the running one
// notices that its document changed and stops).
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
  /** A validation under way (it may span many event-loop turns). */
  private running = false;

  /** `validate` may return a promise: the next document waits for it. */
  constructor(private readonly validate: (uri: string) => void | Promise<void>) {}

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

  /** Documents waiting for their turn or being validated (for tests). */
  get waiting(): number {
    return this.timers.size + this.due.size + (this.running ? 1 : 0);
  }

  private makeDue(uri: string) {
    this.due.delete(uri);
    this.due.add(uri);
    this.kick();
  }

  private kick() {
    if (!this.pumping && !this.running && this.due.size > 0) this.pumping = setImmediate(() => this.pump());
  }

  private pump() {
    this.pumping = undefined;
    const next = this.due.values().next();
    if (next.done || this.running) return;
    this.due.delete(next.value);
    this.running = true;
    const finished = () => {
      this.running = false;
      this.kick();
    };
    let job: void | Promise<void>;
    try {
      job = this.validate(next.value);
    } catch (err) {
      finished();
      throw err;
    }
    if (!job) finished();
    // A failed validation is logged by the host's unhandledRejection handler; the queue goes on.
    else job.then(finished, (err: unknown) => {
      finished();
      throw err;
    });
  }
}
