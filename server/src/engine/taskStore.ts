// Gerrit's own task store (ReplicationTasksStorage): <eventsDirectory>/ref-updates/
// {building,waiting,running}/<sha1>, one JSON line per task. A task is written in building/,
// renamed into waiting/ before it is scheduled, renamed to running/ while it is pushed and
// deleted only when done; renames are atomic, so a kill -9 at any moment loses nothing.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
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
  const t: StoredTask = { project: '', refs: [], uri: '', remote: '' };
  for (const [k, v] of Object.entries(o)) {
    if (k === 'project' || k === 'uri' || k === 'remote') t[k] = String(v);
    else if (k === 'refs' && Array.isArray(v)) {
      for (const r of v) if (!t.refs.includes(String(r))) t.refs.push(String(r));
    } else if (k === 'ref') {
      if (!t.refs.includes(String(v))) t.refs.push(String(v));
    } else throw new Error(`Unknown field in stored task: ${k}`);
  }
  return t;
}

export interface StoredEntry {
  key: string;
  task: StoredTask;
}

export class TaskStore {
  readonly building: string;
  readonly waiting: string;
  readonly running: string;
  /** Problems met while reading (unreadable or malformed files), for the log. */
  readonly problems: string[] = [];
  /** Per-key chains: the queue's moves of one task file happen in the order they were asked for. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(readonly eventsDir: string) {
    const root = join(eventsDir, 'ref-updates');
    this.building = join(root, 'building');
    this.waiting = join(root, 'waiting');
    this.running = join(root, 'running');
    for (const d of [this.building, this.waiting, this.running]) mkdirSync(d, { recursive: true });
  }

  /** Persist a new task (building → waiting). Returns its key; an identical waiting task is reused. */
  create(t: StoredTask): string {
    const key = taskKey(t);
    const waiting = join(this.waiting, key);
    if (existsSync(waiting)) return key;
    const tmp = join(this.building, `${key}${randomBytes(6).toString('hex')}.tmp`);
    writeFileSync(tmp, taskJson(t));
    renameSync(tmp, waiting);
    return key;
  }

  /** waiting → running; false when the file was not waiting (taken by another node or finished). */
  start(key: string): boolean {
    return this.move(join(this.waiting, key), join(this.running, key));
  }

  /** running → waiting (retry, or recovery at start-up). */
  reset(key: string): boolean {
    return this.move(join(this.running, key), join(this.waiting, key));
  }

  finish(key: string): void {
    try {
      unlinkSync(join(this.running, key));
    } catch {
      // already gone (finished by another node): nothing to do
    }
  }

  /** Delete a waiting task that will never run (cancelled). */
  drop(key: string): void {
    try {
      unlinkSync(join(this.waiting, key));
    } catch {
      /* not waiting */
    }
  }

  isWaiting(key: string): boolean {
    return existsSync(join(this.waiting, key));
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
    return this.chain(key, () => rename(join(this.waiting, key), join(this.running, key)).then(() => true, () => false));
  }

  resetLater(key: string): Promise<boolean> {
    return this.chain(key, () => rename(join(this.running, key), join(this.waiting, key)).then(() => true, () => false));
  }

  finishLater(key: string): Promise<void> {
    return this.chain(key, () => unlink(join(this.running, key)).catch(() => undefined));
  }

  dropLater(key: string): Promise<void> {
    return this.chain(key, () => unlink(join(this.waiting, key)).catch(() => undefined));
  }

  /** Resolves when every queued move has been done. */
  async flush(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }

  /** Start-up: every running task goes back to waiting. */
  recoverAll(): number {
    let n = 0;
    for (const key of this.names(this.running)) if (this.reset(key)) n++;
    return n;
  }

  listWaiting(): StoredEntry[] {
    return this.read(this.waiting);
  }

  listRunning(): StoredEntry[] {
    return this.read(this.running);
  }

  waitingKeys(): string[] {
    return this.names(this.waiting);
  }

  readWaiting(key: string): StoredTask | undefined {
    try {
      return parseTask(readFileSync(join(this.waiting, key), 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.problems.push(`Error while reading task ${key}: ${(e as Error).message}`);
      return undefined;
    }
  }

  private names(dir: string): string[] {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  }

  private read(dir: string): StoredEntry[] {
    const out: StoredEntry[] = [];
    for (const key of this.names(dir)) {
      try {
        out.push({ key, task: parseTask(readFileSync(join(dir, key), 'utf8')) });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.problems.push(`Error while reading task ${key}: ${(e as Error).message}`);
      }
    }
    return out;
  }

  private move(from: string, to: string): boolean {
    try {
      renameSync(from, to);
      return true;
    } catch {
      return false;
    }
  }
}
