// Gerrit's scheduling (Destination/PushOne): one pending push per URL that merges the updates
// arriving within replicationDelay; `threads` workers per remote; a push colliding with one in
// flight to the same URL is rescheduled after rescheduleDelay (not a retry); failures are retried
// after replicationRetry minutes up to replicationMaxRetries. Every task is in the store before
// it is scheduled and leaves it only when done.
import type { Destination } from '../site/destinations';
import { ALL_REFS } from '../site/destinations';
import type { TaskStore } from './taskStore';
import { systemClock, type Clock } from './clock';
import type { RefResult, RefStatus } from '../transport/push';
import { displayUrl } from '../transport/invocation';
import type { UrlLock, UrlLocks } from './urlLock';

export type LogLevel = 'info' | 'warning' | 'error';
export type Logger = (level: LogLevel, message: string) => void;

/** What running one push gave. */
export type RunResult =
  | { kind: 'ok'; results: RefResult[]; /** A full sync that tripped the ref deletion guard (logged, not refused). */ massDeletion?: { deleted: number; mirrorRefs: number } }
  | { kind: 'retry'; reason: 'transport' | 'missing' | 'lock'; error: string; results?: RefResult[]; /** missing: the repository was just created */ created?: boolean }
  | { kind: 'failed'; error: string; results?: RefResult[] };

export type RefPushResult = 'SUCCEEDED' | 'FAILED' | 'NOT_ATTEMPTED';

export interface RefOutcome {
  project: string;
  ref: string;
  url: string;
  result: RefPushResult;
  status: RefStatus | null;
}

/** Someone waiting for pushes (start --wait, the LSP start request): told once per push. */
export interface PushListener {
  onPushDone(op: PushOp, outcomes: RefOutcome[]): void;
}

let nextId = 1;

export class PushOp {
  readonly id: string;
  readonly refs = new Set<string>();
  /** Store keys of the tasks this push carries (with a count: identical tasks may be re-created). */
  readonly keys = new Set<string>();
  readonly listeners = new Set<PushListener>();
  retryCount = 0;
  lockRetries = 0;
  retrying = false;
  canceled = false;
  createdAt: number;
  nextAttemptAt = 0;
  timer: unknown;
  lastError?: string;
  /** The first failure's reason: kept when later attempts fail differently or retries run out. */
  firstError?: string;
  state: 'pending' | 'ready' | 'running' = 'pending';
  /** Cluster mode: the URL lock's descriptor while this push runs (git inherits it). */
  holdFd?: number;

  /** The URL safe to print (no user info). */
  readonly display: string;

  constructor(readonly dest: Destination, readonly project: string, readonly url: string, now: number) {
    this.id = (nextId++).toString(16).padStart(8, '0');
    this.display = displayUrl(url);
    this.createdAt = now;
  }

  get fullSync(): boolean {
    return this.refs.has(ALL_REFS);
  }

  addRefs(refs: Iterable<string>): void {
    for (const r of refs) this.refs.add(r);
  }

  /** Take over another push's refs, tasks and listeners. */
  absorb(other: PushOp): void {
    this.addRefs(other.refs);
    for (const k of other.keys) this.keys.add(k);
    for (const l of other.listeners) this.listeners.add(l);
    other.keys.clear();
    other.listeners.clear();
  }

  /** Gerrit's task line: `[(retry N) ][id] push <uri> [ref ref]`. */
  describe(maxRefs = 2): string {
    const refs = [...this.refs];
    const shown = maxRefs > 0 ? refs.slice(0, maxRefs) : refs;
    return `${this.retryCount > 0 ? `(retry ${this.retryCount}) ` : ''}[${this.id}] push ${this.display} [${shown.join(' ')}]`;
  }
}

class RemoteQueue {
  readonly pending = new Map<string, PushOp>();
  readonly inFlight = new Map<string, PushOp>();
  readonly ready: PushOp[] = [];
  active = 0;
  constructor(readonly dest: Destination) {}
  get workers(): number {
    return Math.max(1, this.dest.settings.threads); // a pool with 0 core threads still runs tasks
  }
}

export interface QueueOptions {
  run: (op: PushOp) => Promise<RunResult>;
  store?: TaskStore | null;
  clock?: Clock;
  /** Multiplies every delay (tests, benchmarks). */
  timeScale?: number;
  log?: Logger;
  onChange?: () => void;
  /** A push left the queue: done (error undefined) or failed for good. */
  onFinished?: (op: PushOp, error: string | undefined) => void;
  /**
   * Cluster mode (replication.distributionInterval): other nodes share the store. A push first
   * takes its URL's lock (busy: rescheduled like a collision), then claims its tasks; when every
   * task was taken or finished by another node, it is not pushed.
   */
  cluster?: { locks: UrlLocks };
  /**
   * A push to this URL left running by a stopped daemon, still alive here (its description), or
   * undefined: such a URL is not pushed until that push is over, like a collision.
   */
  heldByOrphan?: (url: string) => string | undefined;
}

/** How a clustered runway ended before the push: URL locked elsewhere, or nothing left to claim. */
type Unclaimed = { unclaimed: 'busy' | 'taken' };

export class ReplicationQueue {
  private readonly queues = new Map<string, RemoteQueue>();
  private readonly known = new Map<string, number>();
  private readonly clock: Clock;
  private readonly scale: number;
  private readonly log: Logger;
  private stopped = false;
  /** Pushes finished (for tests and benchmarks): count per URL. */
  readonly pushCount = new Map<string, number>();
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly opts: QueueOptions) {
    this.clock = opts.clock ?? systemClock;
    this.scale = opts.timeScale ?? 1;
    this.log = opts.log ?? (() => {});
  }

  get timeScale(): number {
    return this.scale;
  }

  get store(): TaskStore | null {
    return this.opts.store ?? null;
  }

  private queueFor(dest: Destination): RemoteQueue {
    let q = this.queues.get(dest.name);
    if (!q || q.dest !== dest) {
      const old = q;
      q = new RemoteQueue(dest);
      if (old) {
        for (const [k, v] of old.pending) q.pending.set(k, v);
        for (const [k, v] of old.inFlight) q.inFlight.set(k, v);
        q.ready.push(...old.ready);
        q.active = old.active;
      }
      this.queues.set(dest.name, q);
    }
    return q;
  }

  /** Is this store key tracked by a push in this queue? */
  isKnown(key: string): boolean {
    return (this.known.get(key) ?? 0) > 0;
  }

  private track(key: string, delta: number): void {
    const n = (this.known.get(key) ?? 0) + delta;
    if (n > 0) this.known.set(key, n);
    else this.known.delete(key);
  }

  /**
   * Schedule refs of a project to one URL. The task is persisted first (unless `key` says it is
   * already in the store's waiting directory), then merged into the URL's pending push.
   */
  schedule(dest: Destination, project: string, url: string, refs: string[], o: { now?: boolean; key?: string; listener?: PushListener } = {}): PushOp | undefined {
    if (this.stopped) return undefined;
    let key = o.key;
    if (!key && this.store) {
      try {
        key = this.store.create({ project, refs, uri: url, remote: dest.name });
      } catch (e) {
        // A full or read-only store: pushing from memory is better than not pushing, but say so.
        this.log('error', `task store not writable (${(e as Error).message}): ${project}:${refs.join(',')} => ${displayUrl(url)} is kept in memory only and is lost if this process stops first`);
      }
    }
    const q = this.queueFor(dest);
    let op = q.pending.get(url);
    if (op && !op.canceled && op.state !== 'running') {
      op.addRefs(refs);
      if (key && !op.keys.has(key)) {
        op.keys.add(key);
        this.track(key, 1);
      }
      if (o.listener) op.listeners.add(o.listener);
      if (o.now && !op.retrying) this.arm(q, op, 0);
      this.log('info', `consolidated ${project}:${refs.join(',')} => ${op.display} with an existing pending push`);
      this.changed();
      return op;
    }
    op = new PushOp(dest, project, url, this.clock.now());
    op.addRefs(refs);
    if (key) {
      op.keys.add(key);
      this.track(key, 1);
    }
    if (o.listener) op.listeners.add(o.listener);
    q.pending.set(url, op);
    const delay = o.now ? 0 : dest.settings.replicationDelay;
    this.arm(q, op, delay * 1000);
    this.log('info', `scheduled ${project}:${refs.join(',')} => ${op.display} to run after ${delay}s`);
    this.changed();
    return op;
  }

  private arm(q: RemoteQueue, op: PushOp, ms: number): void {
    if (op.timer !== undefined) this.clock.clearTimeout(op.timer);
    op.state = 'pending';
    const scaled = Math.round(ms * this.scale);
    op.nextAttemptAt = this.clock.now() + scaled;
    op.timer = this.clock.setTimeout(() => {
      op.timer = undefined;
      if (op.canceled || this.stopped) return;
      op.state = 'ready';
      q.ready.push(op);
      this.pump(q);
    }, scaled);
  }

  private pump(q: RemoteQueue): void {
    while (!this.stopped && q.active < q.workers && q.ready.length) {
      const op = q.ready.shift()!;
      if (op.canceled || op.state !== 'ready') continue;
      this.runway(q, op);
    }
    this.checkIdle();
  }

  private runway(q: RemoteQueue, op: PushOp): void {
    const orphan = this.opts.heldByOrphan?.(op.url);
    if (orphan) {
      this.log('info', `Rescheduling replication to ${op.display} to avoid collision with ${orphan}.`);
      this.reschedule(q, op, 'collision');
      return;
    }
    const flying = q.inFlight.get(op.url);
    if (flying) {
      this.log('info', `Rescheduling replication to ${op.display} to avoid collision with the in-flight push [${flying.id}].`);
      this.reschedule(q, op, 'collision');
      return;
    }
    if (q.pending.get(op.url) === op) q.pending.delete(op.url);
    q.inFlight.set(op.url, op);
    op.state = 'running';
    q.active++;
    this.changed();
    const started = this.clock.now();
    const run = () => this.opts.run(op).catch((e): RunResult => ({ kind: 'retry', reason: 'transport', error: (e as Error).message }));
    let lock: UrlLock | undefined;
    let work: Promise<RunResult | Unclaimed>;
    if (this.opts.cluster && this.store) {
      work = this.claimInCluster(op, this.opts.cluster.locks, this.store).then((r) => {
        if ('unclaimed' in r) return r;
        if ('error' in r) return { kind: 'retry', reason: 'transport', error: r.error } as RunResult;
        lock = r.lock;
        op.holdFd = lock.fd;
        return run();
      });
    } else {
      const moved = this.store ? Promise.all([...op.keys].map((k) => this.store!.startLater(k))) : Promise.resolve();
      work = Promise.all([moved, run()]).then(([, res]) => res);
    }
    void work.then((res) => {
      q.active--;
      q.inFlight.delete(op.url);
      op.holdFd = undefined;
      if ('unclaimed' in res) {
        if (res.unclaimed === 'busy') {
          this.log('info', `Rescheduling replication to ${op.display} to avoid collision with a push from another node.`);
          this.reschedule(q, op, 'collision');
        } else this.takenElsewhere(op);
        this.pump(q);
        return;
      }
      const keys = [...op.keys];
      this.pushCount.set(op.url, (this.pushCount.get(op.url) ?? 0) + 1);
      this.finishRun(q, op, res, started);
      // The lock is let go only once the task files are finished or back in waiting/: a task in
      // running/ whose URL is unlocked belongs to a stopped node (recoverStopped).
      if (lock) {
        const held = lock;
        void this.store!.settled(keys).then(() => held.release());
      }
      this.pump(q);
    });
  }

  /** Cluster mode: the URL's lock, then the tasks (waiting → running) that are still there. */
  private async claimInCluster(op: PushOp, locks: UrlLocks, store: TaskStore): Promise<{ lock: UrlLock } | { error: string } | Unclaimed> {
    const attempt = await locks.tryLock(op.url);
    if ('busy' in attempt) return { unclaimed: 'busy' };
    if ('error' in attempt) return { error: attempt.error };
    const keys = [...op.keys];
    const claimed = await Promise.all(keys.map((k) => store.startLater(k)));
    const lost = keys.filter((_, i) => !claimed[i]);
    if (keys.length > 0 && lost.length === keys.length) {
      await store.settled(keys);
      attempt.held.release();
      return { unclaimed: 'taken' };
    }
    // Tasks another node took or finished meanwhile are its business now.
    for (const k of lost) {
      op.keys.delete(k);
      this.track(k, -1);
    }
    return { lock: attempt.held };
  }

  /** Every task of the push was taken or finished by another node: nothing to push here. */
  private takenElsewhere(op: PushOp): void {
    this.log('info', `[${op.id}] push ${op.display}: its task(s) were taken or finished by another node; not pushed here`);
    this.untrack(op);
    this.notify(op, [], undefined, false);
    this.changed();
  }

  /**
   * Cluster mode, Gerrit's prune: pending pushes none of whose tasks is still waiting (another
   * node took or finished them) are dropped without touching the store. Returns how many.
   */
  pruneTakenElsewhere(isWaiting: (key: string) => boolean): number {
    let n = 0;
    for (const q of this.queues.values()) {
      for (const op of [...q.pending.values()]) {
        if (op.state === 'running' || op.keys.size === 0 || [...op.keys].some(isWaiting)) continue;
        op.canceled = true;
        if (op.timer !== undefined) this.clock.clearTimeout(op.timer);
        q.pending.delete(op.url);
        this.log('info', `Pruning externally completed task: [${op.id}] push ${op.display}`);
        this.untrack(op);
        this.notify(op, [], undefined, false);
        n++;
      }
    }
    if (n) this.changed();
    return n;
  }

  private finishRun(q: RemoteQueue, op: PushOp, res: RunResult, started: number): void {
    const s = op.dest.settings;
    if (res.kind === 'ok') {
      this.log('info', `Replication to ${op.display} completed in ${this.clock.now() - started}ms, ${started - op.createdAt}ms delay, ${op.retryCount} retries`);
      for (const r of res.results) if (r.flag === '!' && r.status !== 'NON_EXISTING') this.log('error', `Failed replicate of ${r.dst} to ${op.display}: status ${r.status}${r.status === 'REJECTED_NONFASTFORWARD' ? ' (check receive.denyNonFastForwards on the mirror)' : ''}`);
      this.complete(op, res.results, undefined);
      return;
    }
    op.lastError = res.error;
    op.firstError ??= res.error;
    if (op.canceled) {
      // Cancelled while in flight: not retried.
      this.log('info', `Push to ${op.display} cancelled while in flight: ${res.error}`);
      this.complete(op, res.results ?? [], `cancelled: ${res.error}`);
      return;
    }
    if (res.kind === 'failed') {
      this.log('error', res.error);
      this.complete(op, res.results ?? [], res.error);
      return;
    }
    if (res.reason === 'lock') {
      // Deviation from Gerrit, which drops the task after updateRefErrorMaxRetries: a lock is
      // held by someone else's update (a push left by a killed daemon, a stale lock file), and
      // dropping the task would lose ours. Past the limit it is said loudly and still retried.
      op.lockRetries++;
      if (op.lockRetries > s.updateRefErrorMaxRetries)
        this.log('error', `'${res.error}' ${op.lockRetries} time(s) during replication to ${op.display} (updateRefErrorMaxRetries = ${s.updateRefErrorMaxRetries}): the task is kept and retried, since dropping it would lose the update`);
    }
    this.log('warning', res.reason === 'missing' ? `Missing repository created; retry replication to ${op.display}` : `Cannot replicate to ${op.display}: ${res.error}`);
    // A created repository is pushed on the retry: whoever waits keeps waiting for that.
    if (res.reason !== 'missing') this.notify(op, res.results ?? [], res.error, true);
    this.reschedule(q, op, 'retry');
  }

  /** Destination.reschedule. */
  private reschedule(q: RemoteQueue, op: PushOp, reason: 'collision' | 'retry'): void {
    if (reason === 'retry' && this.store) for (const k of op.keys) void this.store.resetLater(k);
    const pendingOp = q.pending.get(op.url);
    if (pendingOp && pendingOp !== op && !pendingOp.canceled) {
      if (pendingOp.retrying) {
        this.merge(pendingOp, op); // keeps its own retry count and timer
        op.canceled = true;
        this.changed();
        return;
      }
      // The pending one has not started: cancel it and carry its refs in this push.
      pendingOp.canceled = true;
      if (pendingOp.timer !== undefined) this.clock.clearTimeout(pendingOp.timer);
      q.pending.delete(op.url);
      this.merge(op, pendingOp);
    }
    q.pending.set(op.url, op);
    if (reason === 'collision') {
      this.arm(q, op, op.dest.settings.rescheduleDelay * 1000);
    } else if (this.setToRetry(op)) {
      this.arm(q, op, op.dest.settings.replicationRetry * 60_000);
    } else {
      q.pending.delete(op.url);
      const msg = `Push to ${op.display} cancelled after maximum number of retries`;
      this.log('error', msg);
      // The reason stays what failed (first and, when it differs, last), not the give-up notice.
      const first = op.firstError ?? op.lastError;
      const cause = first ? `${first}${op.lastError && op.lastError !== first ? ` (last: ${op.lastError})` : ''}` : '';
      const err = cause ? `${msg}: ${cause}` : msg;
      this.opts.onFinished?.(op, err);
      // The store reset above moved the tasks back to waiting: drop them, they are done with.
      this.notify(op, [], err, false);
      this.dropTasks(op);
    }
    this.changed();
  }

  /** Move refs, tasks and listeners; a task both carry is tracked once afterwards. */
  private merge(into: PushOp, from: PushOp): void {
    for (const k of from.keys) if (into.keys.has(k)) this.track(k, -1);
    into.absorb(from);
  }

  /** PushOne.setToRetry: max 0 = forever; a negative max never retries. */
  private setToRetry(op: PushOp): boolean {
    op.retrying = true;
    op.retryCount++;
    const max = op.dest.settings.replicationMaxRetries;
    return max === 0 || op.retryCount <= max;
  }

  private complete(op: PushOp, results: RefResult[], error: string | undefined): void {
    const rejected = results.find((r) => r.flag === '!' && r.status !== 'NON_EXISTING');
    this.opts.onFinished?.(op, error ?? (rejected ? `${rejected.dst}: ${rejected.summary}${rejected.reason ? ` (${rejected.reason})` : ''}` : undefined));
    if (this.store) for (const k of op.keys) void this.store.finishLater(k);
    this.untrack(op);
    this.notify(op, results, error, false);
    this.changed();
  }

  /** Delete the op's waiting task files; they stay "known" until gone, so nobody picks them up again. */
  private dropTasks(op: PushOp): void {
    for (const k of op.keys) {
      if (this.store) void this.store.dropLater(k).finally(() => this.track(k, -1));
      else this.track(k, -1);
    }
    op.keys.clear();
  }

  private untrack(op: PushOp): void {
    for (const k of op.keys) this.track(k, -1);
    op.keys.clear();
  }

  /** Tell listeners how each ref went. A retried push reports FAILED and lets them go. */
  private notify(op: PushOp, results: RefResult[], error: string | undefined, retrying: boolean): void {
    if (op.listeners.size === 0) return;
    const outcomes: RefOutcome[] = [];
    const byRef = new Map(results.map((r) => [r.src || r.dst, r]));
    const refs = op.fullSync ? results.filter((r) => r.status !== 'UP_TO_DATE').map((r) => r.src || r.dst) : [...op.refs];
    if (refs.length === 0) refs.push(ALL_REFS);
    for (const ref of refs) {
      const r = byRef.get(ref);
      let result: RefPushResult;
      let status: RefStatus | null = r?.status ?? null;
      if (error && !r) {
        result = 'FAILED';
        status = retrying || /repository/.test(error) ? 'REJECTED_OTHER_REASON' : status;
      } else if (!r) result = op.fullSync ? 'SUCCEEDED' : 'NOT_ATTEMPTED';
      else if (r.status === 'OK' || r.status === 'UP_TO_DATE') result = 'SUCCEEDED';
      else if (r.status === 'NON_EXISTING') result = 'NOT_ATTEMPTED';
      else result = 'FAILED';
      outcomes.push({ project: op.project, ref, url: op.url, result, status });
    }
    const ls = [...op.listeners];
    op.listeners.clear();
    for (const l of ls) l.onPushDone(op, outcomes);
  }

  /** Cancel pending pushes (all, or those with the given ids); their stored tasks are dropped. */
  cancel(ids?: string[]): number {
    let n = 0;
    for (const q of this.queues.values()) {
      for (const op of [...q.pending.values()]) {
        if (ids && !ids.includes(op.id)) continue;
        op.canceled = true;
        if (op.timer !== undefined) this.clock.clearTimeout(op.timer);
        q.pending.delete(op.url);
        this.notify(op, [], 'cancelled', false);
        this.dropTasks(op);
        n++;
      }
    }
    this.changed();
    return n;
  }

  /**
   * Cancel pushes in flight (all, or the given ids): git is not interrupted, but no further batch
   * starts and a failure is not retried. Returns how many were marked.
   */
  cancelInFlight(ids?: string[]): number {
    let n = 0;
    for (const q of this.queues.values()) {
      for (const op of q.inFlight.values()) {
        if (op.canceled || (ids && !ids.includes(op.id))) continue;
        op.canceled = true;
        n++;
      }
    }
    if (n) this.changed();
    return n;
  }

  /** Run pending pushes now (all, or the given ids; `retryingOnly` for failed ones). */
  runNow(ids?: string[], retryingOnly = false): number {
    let n = 0;
    for (const q of this.queues.values()) {
      for (const op of q.pending.values()) {
        if (ids && !ids.includes(op.id)) continue;
        if (retryingOnly && !op.retrying) continue;
        if (op.state !== 'pending') continue;
        this.arm(q, op, 0);
        n++;
      }
    }
    this.changed();
    return n;
  }

  snapshot(): { pending: PushOp[]; inFlight: PushOp[] } {
    const pending: PushOp[] = [];
    const inFlight: PushOp[] = [];
    for (const q of this.queues.values()) {
      pending.push(...q.pending.values());
      inFlight.push(...q.inFlight.values());
    }
    return { pending, inFlight };
  }

  forRemote(name: string): { pending: PushOp[]; inFlight: PushOp[] } {
    const q = this.queues.get(name);
    return { pending: q ? [...q.pending.values()] : [], inFlight: q ? [...q.inFlight.values()] : [] };
  }

  get size(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.pending.size + q.inFlight.size;
    return n;
  }

  /** Resolves when nothing is pending or in flight and the task store is up to date. */
  async idle(): Promise<void> {
    if (this.size !== 0) await new Promise<void>((r) => this.idleWaiters.push(r));
    await this.store?.flush();
  }

  private checkIdle(): void {
    if (this.size !== 0 || this.idleWaiters.length === 0) return;
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const r of w) r();
  }

  private changed(): void {
    this.opts.onChange?.();
    this.checkIdle();
  }

  /**
   * Stop: with drainQueueAttempts, wait up to N × replicationDelay for the remote's queue to
   * drain first; then cancel timers. Stored tasks stay and are replayed on the next start.
   */
  async stop(): Promise<void> {
    for (const q of this.queues.values()) {
      const s = q.dest.settings;
      for (let i = 0; i < s.drainQueueAttempts && q.pending.size + q.inFlight.size > 0; i++) {
        this.log('info', `Draining replication events, postpone shutdown by ${s.replicationDelay} seconds (pending=${q.pending.size}, inFlight=${q.inFlight.size})`);
        await new Promise((r) => this.clock.setTimeout(() => r(undefined), Math.max(1, s.replicationDelay * 1000 * this.scale)));
      }
    }
    this.stopped = true;
    for (const q of this.queues.values()) {
      if (q.pending.size || q.inFlight.size)
        this.log('info', `Cancelling replication events (pending=${q.pending.size}, inFlight=${q.inFlight.size}) for destination ${q.dest.name}`);
      for (const op of q.pending.values()) if (op.timer !== undefined) this.clock.clearTimeout(op.timer);
    }
  }
}
