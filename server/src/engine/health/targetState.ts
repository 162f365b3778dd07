// The health record of each target (remote × URL × project): the last attempt and its result,
// the last success, the last error (redacted), the refs pushed and how long the push took.
// Kept in <eventsDirectory>/target-state/, a directory of our own next to Gerrit's ref-updates/,
// so Gerrit's files stay as Gerrit writes them. One JSON file per target, written to a temporary
// file and renamed, so a reader never sees half a record. Not fsynced, like Gerrit's task files:
// two fsyncs per push were most of a no-op resync's time, and a record that a power loss left
// empty is ignored like any file that is not JSON (the next push writes it again). The directory is data anyone
// may have touched: only regular files of bounded size are read, and nothing here ever throws
// into the queue — a record that cannot be written is logged and the push result stands.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PushOp, RunResult } from '../queue/queue';
import { displayUrl, redact } from '../transport/invocation';

export const TARGET_STATE_DIR = 'target-state';
/** A record names refs, not objects: bigger files are not ours. */
export const MAX_STATE_BYTES = 4 * 1024 * 1024;
/** Refs kept in a record; a full sync of a large project lists only the first ones. */
const MAX_REFS_KEPT = 1000;
const MAX_ERROR_CHARS = 4000;

export type AttemptResult = 'ok' | 'partial' | 'retry' | 'failed';

export interface Attempt {
  /** ISO time the push started. */
  at: string;
  result: AttemptResult;
  durationMs: number;
  /** Destination refs updated or deleted by this attempt. */
  refsPushed: string[];
  /** How many refs were pushed when refsPushed is cut short. */
  refsPushedCount: number;
  /** Refs the mirror rejected (with the status), for `partial`. */
  refsRejected?: string[];
  error?: string;
  /** A full sync that deleted more refs than the ref deletion guard allows (the daemon pushes it). */
  massDeletion?: { deleted: number; mirrorRefs: number };
}

export interface TargetState {
  remote: string;
  /** The URL as shown (no user info). */
  url: string;
  project: string;
  lastAttempt?: Attempt;
  lastSuccess?: Attempt;
  lastError?: { at: string; message: string };
}

export function targetStateDir(eventsDir: string): string {
  return join(eventsDir, TARGET_STATE_DIR);
}

/** The file name: SHA-1 of `remote\nurl\nproject` (the URL as configured expands to). */
export function targetStateKey(remote: string, url: string, project: string): string {
  return createHash('sha1').update(`${remote}\n${url}\n${project}`, 'utf8').digest('hex');
}

/** Read one record without following a link, blocking on a FIFO or reading without bound. */
export function readTargetStateFile(path: string): { state: TargetState } | { bad: string } | undefined {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { bad: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (!st.isFile()) return { bad: 'not a regular file' };
  if (st.size > MAX_STATE_BYTES) return { bad: `${st.size} bytes, more than a record may hold` };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { bad: `cannot be opened (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let text: string;
  try {
    const buf = Buffer.allocUnsafe(MAX_STATE_BYTES + 1);
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += r;
    if (n > MAX_STATE_BYTES) return { bad: 'more than a record may hold' };
    text = buf.subarray(0, n).toString('utf8');
  } catch (e) {
    return { bad: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    closeSync(fd);
  }
  try {
    return { state: parseTargetState(text) };
  } catch (e) {
    // Never echo a file's contents: JSON errors quote the text.
    return { bad: `not a target record: ${e instanceof SyntaxError ? 'malformed JSON' : (e as Error).message}` };
  }
}

function parseAttempt(v: unknown, what: string): Attempt | undefined {
  if (v === undefined) return undefined;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${what} is not an object`);
  const o = v as Record<string, unknown>;
  if (typeof o.at !== 'string' || Number.isNaN(Date.parse(o.at))) throw new Error(`${what}.at is not a time`);
  if (!['ok', 'partial', 'retry', 'failed'].includes(o.result as string)) throw new Error(`${what}.result is not a result`);
  const refs = Array.isArray(o.refsPushed) ? o.refsPushed.filter((r): r is string => typeof r === 'string') : [];
  return {
    at: o.at,
    result: o.result as AttemptResult,
    durationMs: typeof o.durationMs === 'number' && Number.isFinite(o.durationMs) ? o.durationMs : 0,
    refsPushed: refs,
    refsPushedCount: typeof o.refsPushedCount === 'number' ? o.refsPushedCount : refs.length,
    refsRejected: Array.isArray(o.refsRejected) ? o.refsRejected.filter((r): r is string => typeof r === 'string') : undefined,
    error: typeof o.error === 'string' ? o.error : undefined,
    massDeletion: massDeletionOf(o.massDeletion),
  };
}

function massDeletionOf(v: unknown): Attempt['massDeletion'] {
  const m = v as { deleted?: unknown; mirrorRefs?: unknown } | undefined;
  return m && typeof m === 'object' && Number.isInteger(m.deleted) && Number.isInteger(m.mirrorRefs) ? { deleted: m.deleted as number, mirrorRefs: m.mirrorRefs as number } : undefined;
}

export function parseTargetState(text: string): TargetState {
  const o = JSON.parse(text) as Record<string, unknown>;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new Error('a target record is a JSON object');
  for (const k of ['remote', 'url', 'project'] as const) if (typeof o[k] !== 'string') throw new Error(`field ${k} is not a string`);
  const le = o.lastError as Record<string, unknown> | undefined;
  if (le !== undefined && (typeof le !== 'object' || le === null || typeof le.at !== 'string' || typeof le.message !== 'string')) throw new Error('lastError is not {at, message}');
  return {
    remote: o.remote as string,
    url: o.url as string,
    project: o.project as string,
    lastAttempt: parseAttempt(o.lastAttempt, 'lastAttempt'),
    lastSuccess: parseAttempt(o.lastSuccess, 'lastSuccess'),
    lastError: le ? { at: le.at as string, message: le.message as string } : undefined,
  };
}

export type StateLog = (level: 'info' | 'warning' | 'error', msg: string) => void;

export class TargetStateStore {
  readonly dir: string;
  private readonly log: StateLog;
  /** Write errors are logged once per kind, not once per push. */
  private warned = new Set<string>();

  constructor(eventsDir: string, o: { log?: StateLog } = {}) {
    this.dir = targetStateDir(eventsDir);
    this.log = o.log ?? (() => {});
  }

  pathOf(remote: string, url: string, project: string): string {
    return join(this.dir, targetStateKey(remote, url, project));
  }

  /** The record of one target; undefined when none, or when the file is not one of ours. */
  read(remote: string, url: string, project: string): TargetState | undefined {
    const r = readTargetStateFile(this.pathOf(remote, url, project));
    if (!r || 'bad' in r) return undefined;
    const s = r.state;
    // A file copied under another target's name says nothing about this one.
    if (s.remote !== remote || s.project !== project || s.url !== displayUrl(url)) return undefined;
    return s;
  }

  /** Every readable record, and a line for each file that is not one. */
  readAll(): { states: TargetState[]; bad: string[] } {
    const states: TargetState[] = [];
    const bad: string[] = [];
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return { states, bad };
    }
    for (const n of names) {
      if (!/^[0-9a-f]{40}$/.test(n)) continue;
      const r = readTargetStateFile(join(this.dir, n));
      if (!r) continue;
      if ('bad' in r) bad.push(`${n}: ${r.bad}`);
      else states.push(r.state);
    }
    return { states, bad };
  }

  /** Record one finished attempt. Never throws. */
  record(op: { remote: string; url: string; project: string }, attempt: Attempt, secrets: Array<string | undefined>): void {
    try {
      const clean: Attempt = { ...attempt, error: attempt.error === undefined ? undefined : redact(attempt.error, secrets).slice(0, MAX_ERROR_CHARS) };
      const prev = this.read(op.remote, op.url, op.project);
      const next: TargetState = {
        remote: op.remote,
        url: displayUrl(op.url),
        project: op.project,
        lastAttempt: clean,
        lastSuccess: clean.result === 'ok' ? clean : prev?.lastSuccess,
        lastError: clean.error !== undefined ? { at: clean.at, message: clean.error } : prev?.lastError,
      };
      this.writeAtomic(this.pathOf(op.remote, op.url, op.project), JSON.stringify(next) + '\n');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      if (!this.warned.has(code)) {
        this.warned.add(code);
        this.log('warning', `cannot write the target state in ${this.dir} (${code}); replication goes on, status will not show this push`);
      }
    }
  }

  private writeAtomic(path: string, text: string): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = join(this.dir, `.tmp-${randomBytes(8).toString('hex')}`);
    // O_EXCL: never write through a link someone planted under the temporary name.
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      try {
        const buf = Buffer.from(text, 'utf8');
        for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        /* already gone */
      }
      throw e;
    }
  }
}

const refStatus = (ref: string, status: string, reason?: string) => `${ref} ${status}${reason ? ` (${reason})` : ''}`;
const listed = (what: string, refs: string[]) => `${refs.length} ref(s) ${what}: ${refs.slice(0, 5).join('; ')}${refs.length > 5 ? '; …' : ''}`;

/** One attempt's record from the refs it moved and those it did not. */
function attempt(startedAt: number, finishedAt: number, result: AttemptResult, pushed: string[], rejected: string[], error?: string): Attempt {
  return {
    at: new Date(startedAt).toISOString(),
    result,
    durationMs: Math.max(0, finishedAt - startedAt),
    refsPushed: pushed.slice(0, MAX_REFS_KEPT),
    refsPushedCount: pushed.length,
    refsRejected: rejected.length ? rejected.slice(0, MAX_REFS_KEPT) : undefined,
    error,
  };
}

/** The attempt a RunResult describes. */
export function attemptOf(res: RunResult, startedAt: number, finishedAt: number): Attempt {
  const results = res.results ?? [];
  const pushed = results.filter((r) => r.flag !== '!' && r.flag !== '=').map((r) => r.dst);
  const rejected = results.filter((r) => r.flag === '!' && r.status !== 'NON_EXISTING').map((r) => refStatus(r.dst, r.status, r.reason));
  const a = res.kind === 'ok' && rejected.length
    ? attempt(startedAt, finishedAt, 'partial', pushed, rejected, listed('rejected', rejected))
    : attempt(startedAt, finishedAt, res.kind, pushed, rejected, res.kind === 'ok' ? undefined : res.error);
  if (res.kind === 'ok' && res.massDeletion) a.massDeletion = res.massDeletion;
  return a;
}

/** The attempt of an exact push (the dry-run panel's confirmed changes): per-ref statuses. */
export function exactAttemptOf(results: Array<{ remoteRef: string; status: string; reason?: string }>, startedAt: number, finishedAt: number): Attempt {
  const pushed = results.filter((r) => r.status === 'OK').map((r) => r.remoteRef);
  const rejected = results.filter((r) => r.status !== 'OK').map((r) => refStatus(r.remoteRef, r.status, r.reason));
  const result: AttemptResult = rejected.length === 0 ? 'ok' : pushed.length ? 'partial' : 'failed';
  return attempt(startedAt, finishedAt, result, pushed, rejected, rejected.length ? listed('not pushed', rejected) : undefined);
}

/**
 * Wrap the queue's run function so every attempt, whichever path started it (daemon,
 * `start --wait`, the editor), leaves its record. A failure to record never changes the result.
 */
export function recordingRun(
  store: TargetStateStore | null,
  run: (op: PushOp) => Promise<RunResult>,
  secretsOf: (op: PushOp) => Array<string | undefined>,
  now: () => number = Date.now,
  onAttempt?: (op: PushOp, a: Attempt) => void,
): (op: PushOp) => Promise<RunResult> {
  if (!store && !onAttempt) return run;
  const done = (op: PushOp, a: Attempt) => {
    store?.record({ remote: op.dest.name, url: op.url, project: op.project }, a, secretsOf(op));
    try {
      onAttempt?.(op, a);
    } catch {
      /* an observer (metrics) never changes a push's result */
    }
  };
  return async (op) => {
    const started = now();
    let res: RunResult;
    try {
      res = await run(op);
    } catch (e) {
      done(op, attemptOf({ kind: 'retry', reason: 'transport', error: (e as Error).message }, started, now()));
      throw e;
    }
    done(op, attemptOf(res, started, now()));
    return res;
  };
}
