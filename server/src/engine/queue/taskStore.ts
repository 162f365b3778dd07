// Gerrit's own task store (ReplicationTasksStorage): <eventsDirectory>/ref-updates/
// {building,waiting,running}/<sha1>, one JSON line per task. A task is written in building/,
// renamed into waiting/ before it is scheduled, renamed to running/ while it is pushed and
// deleted only when done; renames are atomic, so a kill -9 at any moment loses nothing.
// The store is data anyone with write access may have touched: only regular files of a bounded
// size are read (lstat, then open without following links and without blocking); anything else,
// and any task the config would not run, is moved to quarantine/ with a line saying why, and is
// never read again. Write errors (a read-only or full store) are logged, never swallowed.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, promises as fsp, readdirSync, readSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredTask {
  project: string;
  refs: string[];
  uri: string;
  remote: string;
}

/** Java's AbstractCollection.toString: `[a, b]`. */
function javaSetString(refs: string[]): string {
  return `[${refs.join(', ')}]`;
}

/** The file name: SHA-1 of `project\n[refs]\nuri\nremote`. */
export function taskKey(t: StoredTask): string {
  return createHash('sha1').update(`${t.project}\n${javaSetString(t.refs)}\n${t.uri}\n${t.remote}`, 'utf8').digest('hex');
}

/** Gson's default (HTML-safe) string escaping, so files are byte-identical to Gerrit's. */
function gsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c === 0x2028 || c === 0x2029 || ch === '<' || ch === '>' || ch === '&' || ch === '=' || ch === "'")
      out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

export function taskJson(t: StoredTask): string {
  return `{"project":${gsonString(t.project)},"refs":[${t.refs.map(gsonString).join(',')}],"uri":${gsonString(t.uri)},"remote":${gsonString(t.remote)}}\n`;
}

/** Read a stored task: legacy `"ref"` is accepted, an unknown field is an error (as in Gerrit). */
export function parseTask(json: string): StoredTask {
  const o = JSON.parse(json) as Record<string, unknown>;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new Error('a stored task is a JSON object');
  const t: StoredTask = { project: '', refs: [], uri: '', remote: '' };
  const str = (k: string, v: unknown): string => {
    if (typeof v !== 'string') throw new Error(`field ${k} of a stored task is not a string`);
    return v;
  };
  for (const [k, v] of Object.entries(o)) {
    if (k === 'project' || k === 'uri' || k === 'remote') t[k] = str(k, v);
    else if (k === 'refs' && Array.isArray(v)) {
      for (const r of v) if (!t.refs.includes(str('refs', r))) t.refs.push(str('refs', r));
    } else if (k === 'ref') {
      if (!t.refs.includes(str(k, v))) t.refs.push(str(k, v));
    } else throw new Error(`Unknown field in stored task: ${shownName(k)}`);
  }
  if (!t.project || !t.uri || !t.remote || t.refs.length === 0) throw new Error('a stored task needs project, refs, uri and remote');
  return t;
}

/** Largest task file read: a task names refs, not objects; bigger files are not tasks. */
export const MAX_TASK_BYTES = 8 * 1024 * 1024;

/** Read one task file without following a link, blocking on a FIFO or reading without bound. */
export function readTaskFile(path: string): { task: StoredTask } | { bad: string } | undefined {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { bad: `cannot be read (${errText(e)})` };
  }
  const kind = fileKind(st);
  if (kind !== 'file') return { bad: `not a regular file (${kind})` };
  if (st.size > MAX_TASK_BYTES) return { bad: `${st.size} bytes, more than a task may hold (${MAX_TASK_BYTES})` };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { bad: `cannot be opened (${errText(e)})` };
  }
  let text: string;
  try {
    // Swapped for something else since the lstat? O_NONBLOCK and the cap keep the read harmless.
    const buf = Buffer.allocUnsafe(Math.min(MAX_TASK_BYTES, st.size) + 1);
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += r;
    if (n > MAX_TASK_BYTES) return { bad: `more than a task may hold (${MAX_TASK_BYTES} bytes)` };
    if (n === buf.length) {
      // Grew since the lstat: read on, still within the cap.
      const more = Buffer.allocUnsafe(MAX_TASK_BYTES + 1 - n);
      let m = 0;
      for (let r; m < more.length && (r = readSync(fd, more, m, more.length - m, null)) > 0; ) m += r;
      if (n + m > MAX_TASK_BYTES) return { bad: `more than a task may hold (${MAX_TASK_BYTES} bytes)` };
      text = Buffer.concat([buf, more.subarray(0, m)]).toString('utf8');
    } else text = buf.subarray(0, n).toString('utf8');
  } catch (e) {
    return { bad: `cannot be read (${errText(e)})` };
  } finally {
    closeSync(fd);
  }
  try {
    return { task: parseTask(text) };
  } catch (e) {
    // V8's JSON errors quote the text: never echo a file's contents into the log.
    return { bad: `not a task: ${e instanceof SyntaxError ? 'malformed JSON' : (e as Error).message}` };
  }
}

/** A file name as it may appear in a log line: hostile names cannot forge lines. */
export function shownName(name: string): string {
  return /^[A-Za-z0-9._-]+$/.test(name) ? name : JSON.stringify(name);
}

function fileKind(st: import('node:fs').Stats): string {
  if (st.isFile()) return 'file';
  if (st.isSymbolicLink()) return 'symbolic link';
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'device';
  return 'unknown type';
}

function errText(e: unknown): string {
  const x = e as NodeJS.ErrnoException;
  return x.code ? `${x.code}: ${x.message.replace(/^[A-Z]+: /, '')}` : x.message;
}

/** A write to the store failed: how many tasks were stored before it did. */
export class StoreWriteError extends Error {
  constructor(
    readonly stored: number,
    readonly total: number,
    readonly cause: unknown,
  ) {
    super(errText(cause));
  }
}

export interface StoredEntry {
  key: string;
  task: StoredTask;
}

/**
 * The tasks of a store, read without creating or moving anything (a preview, or a store that is
 * not ours to write): waiting/ and running/, and how many files there are not tasks.
 */
export function readStoredTasks(eventsDir: string): { waiting: StoredEntry[]; running: StoredEntry[]; bad: number } {
  const out = { waiting: [] as StoredEntry[], running: [] as StoredEntry[], bad: 0 };
  for (const state of ['waiting', 'running'] as const) {
    const dir = join(eventsDir, 'ref-updates', state);
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => !n.startsWith('.'));
    } catch {
      continue;
    }
    for (const key of names.sort()) {
      const r = readTaskFile(join(dir, key));
      if (!r) continue;
      if ('bad' in r) out.bad++;
      else out[state].push({ key, task: r.task });
    }
  }
  return out;
}

export type StoreLogger = (level: 'info' | 'warning' | 'error', message: string) => void;

export class TaskStore {
  readonly root: string;
  readonly building: string;
  readonly waiting: string;
  readonly running: string;
  readonly quarantine: string;
  /** Where problems go (the daemon's log); by default they are kept in `problems`. */
  log: StoreLogger;
  /** Problems met while no logger was set. */
  readonly problems: string[] = [];
  /** Per-key chains: the queue's moves of one task file happen in the order they were asked for. */
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Tasks whose move to running/ failed on a write error: their file is still in waiting/. */
  private readonly claimFailed = new Set<string>();
  /** Finished or dropped tasks whose file could not be removed: never run again, removed later. */
  private readonly stuck = new Map<string, string>();
  /** Files that could be neither read nor moved to quarantine/: not looked at again. */
  private readonly ignored = new Set<string>();
  /** Finished or dropped tasks whose file is being removed. */
  private readonly finishing = new Map<string, number>();
  private retryAt = 0;
  private retryDelay = 1000;
  /** The last write error (for callers that must not claim success). */
  lastWriteError: string | undefined;

  constructor(
    readonly eventsDir: string,
    o: { log?: StoreLogger } = {},
  ) {
    this.root = join(eventsDir, 'ref-updates');
    this.building = join(this.root, 'building');
    this.waiting = join(this.root, 'waiting');
    this.running = join(this.root, 'running');
    this.quarantine = join(this.root, 'quarantine');
    this.log = o.log ?? ((level, m) => void this.problems.push(level === 'info' ? m : `${m}`));
    for (const d of [this.building, this.waiting, this.running]) {
      try {
        mkdirSync(d, { recursive: true });
      } catch (e) {
        // A read-only store can still be read; writes report their own errors.
        if (!existsSync(d)) throw e;
      }
    }
  }

  private writeFailed(what: string, e: unknown): void {
    this.lastWriteError = errText(e);
    this.log('error', `task store ${this.root} is not writable: cannot ${what} (${errText(e)})`);
  }

  /** Persist a new task (building → waiting). Returns its key; an identical waiting task is reused. */
  create(t: StoredTask): string {
    const key = taskKey(t);
    const waiting = join(this.waiting, key);
    if (existsSync(waiting)) return key;
    const tmp = join(this.building, `${key}${randomBytes(6).toString('hex')}.tmp`);
    try {
      writeFileSync(tmp, taskJson(t));
      renameSync(tmp, waiting);
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        /* never created */
      }
      this.lastWriteError = errText(e);
      throw e;
    }
    return key;
  }

  /** waiting → running; false when the file was not waiting (taken by another node or finished). */
  start(key: string): boolean {
    return this.move(join(this.waiting, key), join(this.running, key), `move task ${key} to running/`);
  }

  /** running → waiting (retry, or recovery at start-up). */
  reset(key: string): boolean {
    return this.move(join(this.running, key), join(this.waiting, key), `move task ${key} back to waiting/`);
  }

  finish(key: string): void {
    this.remove(join(this.running, key), key, 'finished');
  }

  /** Delete a waiting task that will never run (cancelled). */
  drop(key: string): void {
    this.remove(join(this.waiting, key), key, 'cancelled');
  }

  isWaiting(key: string): boolean {
    return existsSync(join(this.waiting, key));
  }

  /** A finished task whose file is being, or could not be, removed: it must not be run again. */
  isStuck(key: string): boolean {
    return this.stuck.has(key) || this.finishing.has(key);
  }

  private remove(path: string, key: string, what: string): void {
    try {
      unlinkSync(path);
      this.stuck.delete(key);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // finished by another node
      this.stuck.set(key, path);
      this.writeFailed(`remove ${what} task ${key}; it is not run again by this daemon`, e);
    }
  }

  // Asynchronous moves for the queue, so file-system latency overlaps with running pushes.
  // A task file is always in waiting/ or running/ until it is deleted, so a crash between
  // any two steps loses nothing.

  private chain<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return next;
  }

  startLater(key: string): Promise<boolean> {
    return this.chain(key, () =>
      // fs.promises loads on first use: the post-receive hook, which only creates tasks, never pays for it.
      fsp.rename(join(this.waiting, key), join(this.running, key)).then(
        () => true,
        (e) => {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
            this.claimFailed.add(key);
            this.writeFailed(`move task ${key} to running/`, e);
          }
          return false;
        },
      ),
    );
  }

  resetLater(key: string): Promise<boolean> {
    return this.chain(key, async () => {
      if (this.claimFailed.delete(key)) return true; // never left waiting/
      try {
        await fsp.rename(join(this.running, key), join(this.waiting, key));
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.writeFailed(`move task ${key} back to waiting/`, e);
        return false;
      }
    });
  }

  finishLater(key: string): Promise<void> {
    this.finishing.set(key, (this.finishing.get(key) ?? 0) + 1);
    return this.chain(key, async () => {
      const path = this.claimFailed.delete(key) ? join(this.waiting, key) : join(this.running, key);
      await this.removeLater(path, key, 'finished');
    });
  }

  dropLater(key: string): Promise<void> {
    this.finishing.set(key, (this.finishing.get(key) ?? 0) + 1);
    return this.chain(key, () => this.removeLater(join(this.waiting, key), key, 'cancelled'));
  }

  private async removeLater(path: string, key: string, what: string): Promise<void> {
    try {
      await fsp.unlink(path);
      this.stuck.delete(key);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.stuck.set(key, path);
        this.writeFailed(`remove ${what} task ${key}; it is not run again by this daemon`, e);
      }
    } finally {
      const n = (this.finishing.get(key) ?? 1) - 1;
      if (n > 0) this.finishing.set(key, n);
      else this.finishing.delete(key);
    }
  }

  /**
   * Try again, backing off (1 s doubling to 60 s) while the store stays unwritable. A finished
   * task left in running/ is removed. One left in waiting/ (its move to running/ had failed) is
   * run once more instead: a hook may have stored the same update under the same name meanwhile,
   * and pushing twice is better than losing it. Returns how many stay blocked.
   */
  retryStuck(now = Date.now()): number {
    if (this.stuck.size === 0 || now < this.retryAt) return this.stuck.size;
    let writable = false;
    const probe = join(this.building, `.probe-${process.pid}`);
    try {
      writeFileSync(probe, '');
      unlinkSync(probe);
      writable = true;
    } catch (e) {
      this.lastWriteError = errText(e);
    }
    if (writable)
      for (const [key, path] of [...this.stuck]) {
        if (path.startsWith(this.waiting)) {
          this.stuck.delete(key);
          continue;
        }
        try {
          unlinkSync(path);
          this.stuck.delete(key);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') this.stuck.delete(key);
          else this.lastWriteError = errText(e);
        }
      }
    if (this.stuck.size) {
      this.log('error', `task store ${this.root} is still not writable (${this.lastWriteError}): ${this.stuck.size} finished task(s) stay in it; next try in ${this.retryDelay / 1000}s`);
      this.retryAt = now + this.retryDelay;
      this.retryDelay = Math.min(60_000, this.retryDelay * 2);
    } else {
      this.log('info', `task store ${this.root} is writable again; finished tasks still in waiting/ run once more`);
      this.retryDelay = 1000;
      this.retryAt = 0;
      this.lastWriteError = undefined;
    }
    return this.stuck.size;
  }

  /** Resolves when the queued moves of these tasks have been done. */
  async settled(keys: Iterable<string>): Promise<void> {
    for (const k of keys) while (this.chains.has(k)) await this.chains.get(k);
  }

  /** Is a move of this task still under way (its file may be between directories)? */
  moving(key: string): boolean {
    return this.chains.has(key);
  }

  /** Resolves when every queued move has been done. */
  async flush(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }

  /** The names in running/ (cluster mode looks for tasks of stopped nodes among them). */
  runningKeys(): string[] {
    return this.names(this.running);
  }

  /** Start-up: every running task goes back to waiting. */
  recoverAll(): number {
    let n = 0;
    for (const key of this.names(this.running)) if (this.reset(key)) n++;
    return n;
  }

  /** The readable tasks of waiting/ (hostile or malformed files are left out, and not moved). */
  listWaiting(): StoredEntry[] {
    return this.inspect(this.waiting).tasks;
  }

  listRunning(): StoredEntry[] {
    return this.inspect(this.running).tasks;
  }

  /** Read a directory without changing it: its tasks and the files that are not tasks. */
  inspect(dir: string): { tasks: StoredEntry[]; bad: Array<{ key: string; reason: string }> } {
    const tasks: StoredEntry[] = [];
    const bad: Array<{ key: string; reason: string }> = [];
    for (const key of this.names(dir)) {
      const r = readTaskFile(join(dir, key));
      if (!r) continue;
      if ('bad' in r) bad.push({ key, reason: r.bad });
      else tasks.push({ key, task: r.task });
    }
    return { tasks, bad };
  }

  /** How many files quarantine/ holds (without their `.why` notes). */
  quarantinedCount(): number {
    return this.names(this.quarantine).filter((n) => !n.endsWith('.why')).length;
  }

  waitingKeys(): string[] {
    return this.names(this.waiting).filter((k) => !this.ignored.has(k));
  }

  /** A waiting task, or undefined (gone, or not a task: then it was moved to quarantine/). */
  readWaiting(key: string): StoredTask | undefined {
    const r = readTaskFile(join(this.waiting, key));
    if (!r) return undefined;
    if ('bad' in r) {
      this.quarantineWaiting(key, r.bad);
      return undefined;
    }
    return r.task;
  }

  /**
   * Move a waiting file the engine will not run to quarantine/, with a `.why` note beside it; it
   * is kept for whoever looks, never deleted and never read again.
   */
  quarantineWaiting(key: string, reason: string): void {
    const from = join(this.waiting, key);
    let to = join(this.quarantine, key);
    try {
      mkdirSync(this.quarantine, { recursive: true });
      for (let i = 1; existsSync(to) || existsSync(`${to}.why`); i++) to = join(this.quarantine, `${key}.${i}`);
      renameSync(from, to);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(from)) return;
      this.ignored.add(key);
      this.log('error', `task store: ${shownName(key)} in waiting/ is ${reason}; it cannot be moved to quarantine/ (${errText(e)}), so it is ignored until the daemon restarts`);
      return;
    }
    try {
      writeFileSync(`${to}.why`, `${new Date().toISOString()} ${reason}\n`);
    } catch {
      /* the log line below says it */
    }
    this.log('error', `task store: quarantined ${shownName(key)}: ${reason} (kept in ${shownName(to)})`);
  }

  private names(dir: string): string[] {
    try {
      return readdirSync(dir).filter((n) => !n.startsWith('.'));
    } catch {
      return [];
    }
  }

  private move(from: string, to: string, what: string): boolean {
    try {
      renameSync(from, to);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.writeFailed(what, e);
      return false;
    }
  }
}
