// The engine facade used by the CLI, the daemon and the language server: a loaded site, its
// destinations, the durable queue and the dry run. No vscode, no process-wide state.
import { redactSecrets } from '../service/secrets';
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError, type CheckDiagnostic, type DeletionGuardHit, type ExactRefResult, type ExactTarget, type PlanResult, type PlanTarget } from '../protocol';
import { checkExact, pushExactTarget, type ResolvedTarget } from './transport/exactPush';
import { compilePattern } from '../replication/projectFilter';
import { ALL_REFS, Destination } from './site/destinations';
import { scanProjects, loadSite, projectDir, isBareRepository, type Site } from './site/loadSite';
import { ReplicationQueue, type Logger, type PushListener, type PushOp } from './queue/queue';
import { TaskStore, type StoredEntry, type StoredTask } from './queue/taskStore';
import { storeTasksFor } from './queue/storeTasks';
import { targetsOf, type Selection, type Target } from './site/targets';
import { displayUrl } from './transport/invocation';
import { runPush, transportFor } from './queue/runner';
import { planTarget } from './preview/plan';
import { localRefs, lsRemote } from './transport/refs';
import { DEFAULT_DELETION_GUARD, guardHits, guardOff, tripsGuard, type DeletionGuard } from './preview/deletionGuard';
import { deleteRepositoryOverSsh } from './transport/adminSsh';
import { isSshUrl, localPath } from './site/urls';
import { unsafeProjectName, unsafeUrl } from './transport/safety';
import type { Clock } from './queue/clock';
import { DELETION_STATE_FILE, type DeletionState } from './queue/deletions';
import { endThese, findOrphans, gone, markStore, urlMark, type Orphan } from './transport/gitOwner';
import { exactAttemptOf, recordingRun, TargetStateStore, type Attempt } from './health/targetState';
import type { AttemptTarget } from './health/metrics';
import { UrlLocks } from './queue/urlLock';
import { readTaskFile } from './queue/taskStore';

/** How long a push left running by a stopped daemon may take to finish before it is ended. */
const ORPHAN_PUSH_GRACE_MS = 60_000;

function shuffle<T>(xs: T[]): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
}

export class ConfigRefused extends EngineError {
  constructor(readonly diagnostics: CheckDiagnostic[]) {
    const errs = diagnostics.filter((d) => d.severity === 'error');
    super('config-refused', `the replication config has ${errs.length} error(s); nothing is replicated:\n` + errs.map((d) => `${d.file}:${d.line}:${d.column}: error: ${d.message}`).join('\n'), diagnostics);
  }
}

/** One mirror of a deleted project: deleted (or, dry run, would be), absent already, or why not. */
export interface ProjectDeletion {
  remote: string;
  url: string;
  ok: boolean;
  error?: string;
  /** The local directory removed. */
  path?: string;
  /** Nothing was there. */
  absent?: boolean;
}

export type { Selection, Target } from './site/targets';

export interface EngineOptions {
  clock?: Clock;
  timeScale?: number;
  log?: Logger;
  /** Keep the queue on disk in the site's eventsDirectory (default true). */
  persist?: boolean;
  onChange?: () => void;
  onFinished?: (op: PushOp, error: string | undefined) => void;
  /** When a full sync deletes too many mirror refs (preview/deletionGuard.ts); default 10 refs or 50%. */
  deletionGuard?: DeletionGuard;
  /** Every finished push attempt, queued or exact (the daemon's metrics). */
  onAttempt?: (t: AttemptTarget, a: Attempt) => void;
  /** Push a repository right after creating it (the editor), not after replicationRetry (the daemon, as Gerrit). */
  pushAfterCreate?: boolean;
}

export class Engine {
  readonly dests: Destination[];
  readonly store: TaskStore | null;
  readonly queue: ReplicationQueue;
  /** Per-target health records (last attempt, success, error); null when not persisting. */
  readonly targetState: TargetStateStore | null;
  readonly deletionGuard: DeletionGuard;
  /** Pushes a stopped daemon left running (found at start): their URLs wait for them. */
  private orphanPushes: Orphan[] = [];
  /** Resolves once the orphaned pushes are over (finished, or ended after the grace). */
  orphansSettled: Promise<void> = Promise.resolve();
  /** Cluster mode (replication.distributionInterval > 0 and a task store): URL locks shared by the nodes. */
  readonly clusterLocks: UrlLocks | null;
  private readonly log: Logger;
  private readonly onAttempt?: (t: AttemptTarget, a: Attempt) => void;

  constructor(readonly site: Site, opts: EngineOptions = {}) {
    if (site.refused) throw new ConfigRefused(site.diagnostics);
    // Every log line through the one mask, with this site's passwords as known secrets.
    const raw = opts.log ?? (() => {});
    const secrets = site.remotes.map((r) => r.password);
    this.log = (level, m) => raw(level, redactSecrets(m, secrets));
    this.dests = site.remotes.map((r) => new Destination(r));
    for (const w of site.warnings) this.log('warning', w);
    for (const d of this.dests) for (const w of d.warnings) this.log('warning', w);
    this.store = opts.persist === false ? null : new TaskStore(site.eventsDir, { log: (level, m) => this.log(level, m) });
    if (this.store) markStore(site.eventsDir);
    this.targetState = opts.persist === false ? null : new TargetStateStore(site.eventsDir, { log: (level, m) => this.log(level, m) });
    this.deletionGuard = opts.deletionGuard ?? DEFAULT_DELETION_GUARD;
    this.onAttempt = opts.onAttempt;
    this.clusterLocks = this.store && site.distributionInterval > 0 ? new UrlLocks(site.eventsDir) : null;
    const run = (op: PushOp) => runPush(op, { repoDir: (p) => projectDir(site.basePath, p), isCanceled: (o) => o.canceled, log: this.log, deletionGuard: this.deletionGuard, pushAfterCreate: opts.pushAfterCreate });
    this.queue = new ReplicationQueue({
      run: recordingRun(this.targetState, run, (op) => transportFor(op.dest).secrets ?? [], Date.now, opts.onAttempt && ((op, a) => opts.onAttempt!({ remote: op.dest.name, url: op.display, project: op.project, fullSync: op.fullSync }, a))),
      store: this.store,
      clock: opts.clock,
      timeScale: opts.timeScale,
      log: this.log,
      onChange: opts.onChange,
      onFinished: opts.onFinished,
      cluster: this.clusterLocks ? { locks: this.clusterLocks } : undefined,
      heldByOrphan: (url) => this.heldByOrphan(url),
    });
  }

  static open(siteDir: string, opts: EngineOptions = {}): Engine {
    return new Engine(loadSite(siteDir), opts);
  }

  projects(): string[] {
    const scan = this.scan();
    for (const r of scan.refused) this.log('warning', `refused project ${r.project}: ${r.reason}`);
    return scan.projects;
  }

  /**
   * The projects under basePath, those refused for their name (with the reason) and what kept
   * the scan from being complete (unreadable directories).
   */
  scan(): { projects: string[]; refused: Array<{ project: string; reason: string }>; errors: string[]; loops: string[] } {
    const scan = scanProjects(this.site.basePath);
    const projects: string[] = [];
    const refused: Array<{ project: string; reason: string }> = [];
    for (const p of scan.projects) {
      const bad = unsafeProjectName(p);
      if (bad) refused.push({ project: p, reason: bad });
      else projects.push(p);
    }
    return { projects, refused, errors: scan.errors, loops: scan.loops };
  }

  /**
   * What the selection leaves out and why: projects refused for their name, URLs refused as
   * unsafe, and directories the scan could not read. Each line names the project and the reason.
   */
  refusals(sel: Selection = {}): string[] {
    const pats = (sel.projects ?? []).map(compilePattern);
    const scan = this.scan();
    const out: string[] = [];
    for (const e of scan.errors) out.push(`cannot read ${e}: projects below it are not replicated`);
    for (const r of scan.refused) if (!pats.length || pats.some((p) => p.test(r.project))) out.push(`refused project ${r.project}: ${r.reason}`);
    for (const project of scan.projects) {
      if (pats.length && !pats.some((p) => p.test(project))) continue;
      for (const dest of this.dests) {
        if (sel.remotes?.length && !sel.remotes.includes(dest.name)) continue;
        if (!dest.wouldPushProject(project)) continue;
        for (const { url } of dest.urls(project)) {
          const bad = unsafeUrl(url);
          if (bad) out.push(`refused ${project} → ${dest.name}: ${bad}`);
        }
      }
    }
    return out;
  }

  destination(name: string): Destination | undefined {
    return this.dests.find((d) => d.name === name);
  }

  /** Every project × destination × URL the selection covers. */
  targets(sel: Selection = {}, projects = this.projects()): Target[] {
    return targetsOf(this.dests, sel, projects, this.log);
  }

  /** `replication start`: a full sync (`..all..`) of the selection, scheduled in this process. */
  startReplication(sel: Selection, o: { now?: boolean; listener?: PushListener } = {}): PushOp[] {
    const ops = new Set<PushOp>();
    for (const t of this.targets(sel)) {
      const op = this.queue.schedule(t.dest, t.project, t.url, [ALL_REFS], o);
      if (op) ops.add(op);
    }
    return [...ops];
  }

  /**
   * As startReplication, yielding to the event loop every few targets so the first pushes start
   * while the remaining tasks are still being written to the store.
   */
  async startReplicationAsync(sel: Selection, o: { now?: boolean; listener?: PushListener; skip?: (t: Target) => boolean } = {}): Promise<PushOp[]> {
    const ops = new Set<PushOp>();
    let n = 0;
    for (const t of this.targets(sel)) {
      if (o.skip?.(t)) continue;
      const op = this.queue.schedule(t.dest, t.project, t.url, [ALL_REFS], o);
      if (op) ops.add(op);
      if (++n % 8 === 0) await new Promise((r) => setImmediate(r));
    }
    return [...ops];
  }

  /**
   * Push exactly the given ref changes (a dry run's, as confirmed) at once, outside the queue:
   * every target must be one the config yields and every change one it would push; otherwise
   * nothing is pushed. One git push per target, with leases on the shown old values.
   */
  async pushExact(req: ExactTarget[]): Promise<ExactRefResult[]> {
    const projects = new Set(this.projects());
    const resolved: ResolvedTarget[] = [];
    for (const x of req) {
      const bad = unsafeProjectName(x.project);
      if (bad) throw new EngineError('usage', `refusing to push: ${bad}`);
      if (!projects.has(x.project)) throw new EngineError('usage', `refusing to push: no project ${x.project}`);
      const t = this.targets({ remotes: [x.remote] }, [x.project]).find((y) => displayUrl(y.url) === x.url);
      if (!t) throw new EngineError('usage', `refusing to push: remote ${x.remote} has no URL ${x.url} for ${x.project}`);
      if (!Array.isArray(x.changes)) throw new EngineError('usage', 'refusing to push: changes must be a list');
      resolved.push({ project: x.project, dest: t.dest, url: t.url, repoDir: projectDir(this.site.basePath, x.project), exact: x });
    }
    checkExact(resolved);
    const out: ExactRefResult[] = [];
    for (const t of resolved) {
      // An exact push goes around the queue, so it leaves its health record here (status).
      const started = Date.now();
      const key = { remote: t.dest.name, url: t.url, project: t.project };
      const done = (a: Attempt) => {
        this.targetState?.record(key, a, transportFor(t.dest).secrets ?? []);
        this.onAttempt?.({ remote: key.remote, url: displayUrl(t.url), project: t.project, fullSync: false }, a);
      };
      let r: ExactRefResult[];
      try {
        r = await pushExactTarget(t);
      } catch (e) {
        done(exactAttemptOf([{ remoteRef: '(push)', status: 'FAILED', reason: (e as Error).message }], started, Date.now()));
        throw e;
      }
      done(exactAttemptOf(r, started, Date.now()));
      for (const x of r) this.log(x.status === 'OK' ? 'info' : 'error', `${x.project} → ${x.url} ${x.remoteRef}: ${x.status}${x.reason ? ` (${x.reason})` : ''}`);
      out.push(...r);
    }
    return out;
  }

  /**
   * The targets of the selection whose full sync would trip the ref deletion guard: a dry run of
   * the remotes with `mirror` (no other remote deletes a ref). Empty when the guard is off.
   */
  async deletionGuardHits(sel: Selection = {}): Promise<DeletionGuardHit[]> {
    if (guardOff(this.deletionGuard)) return [];
    const mirrors = this.dests.filter((d) => d.settings.mirror && (!sel.remotes?.length || sel.remotes.includes(d.name))).map((d) => d.name);
    if (!mirrors.length) return [];
    const plan = await this.plan({ ...sel, remotes: mirrors });
    return guardHits(plan.targets, this.deletionGuard);
  }

  /** The exact pushes (confirmed dry-run changes) that would trip the guard: one ls-remote per target that deletes. */
  async exactDeletionHits(req: ExactTarget[]): Promise<DeletionGuardHit[]> {
    if (guardOff(this.deletionGuard)) return [];
    const hits: DeletionGuardHit[] = [];
    for (const x of Array.isArray(req) ? req : []) {
      const deletes = (Array.isArray(x.changes) ? x.changes : []).filter((c) => c.kind === 'delete').map((c) => c.remoteRef);
      if (!deletes.length) continue;
      const t = this.targets({ remotes: [x.remote] }, [x.project]).find((y) => displayUrl(y.url) === x.url);
      if (!t) continue; // pushExact refuses it with the reason
      const remote = await lsRemote(t.url, transportFor(t.dest), t.dest.settings.timeout > 0 ? t.dest.settings.timeout * 1000 : undefined);
      const mirrorRefs = remote.ok ? [...remote.refs.keys()].filter((r) => r.startsWith('refs/') && t.dest.sourceOf(r) !== null).length : deletes.length;
      if (tripsGuard(this.deletionGuard, deletes.length, mirrorRefs)) hits.push({ project: x.project, remote: x.remote, url: x.url, deletes, mirrorRefs });
    }
    return hits;
  }

  /** Ref updates of a project (the post-receive hook, done in-process). */
  onRefsUpdated(project: string, refs: string[], o: { now?: boolean } = {}): PushOp[] {
    const ops: PushOp[] = [];
    for (const t of this.targets({}, [project])) {
      const wanted = refs.filter((r) => t.dest.wouldPushRef(r));
      if (wanted.length === 0) continue;
      const op = this.queue.schedule(t.dest, t.project, t.url, wanted, o);
      if (op) ops.push(op);
    }
    return ops;
  }

  /**
   * Write tasks to the store only, for a daemon to run (hook, `start` without --wait). A write
   * error stops at once and throws StoreWriteError saying how many of how many were stored.
   */
  storeTasks(project: string | Selection, refs: string[]): number {
    if (!this.store) return 0;
    return storeTasksFor(this.store, typeof project === 'string' ? this.targets({}, [project]) : this.targets(project), refs);
  }

  /**
   * Start-up, before replay: the git processes that a dead owner (a daemon or `start --wait`
   * killed with kill -9) left running for this store never race the recovered tasks. Pushes keep
   * their URLs (heldByOrphan) until they finish or are ended after ORPHAN_PUSH_GRACE_MS (in the
   * background); other processes are ended at once. Returns how many were ended at once.
   */
  async endOrphanedPushes(): Promise<number> {
    if (!this.store) return 0;
    const found = findOrphans(this.site.eventsDir);
    if (found.length === 0) return 0;
    const list = (os: Orphan[]) => os.map((o) => `${o.name}[${o.pid}] of pid ${o.owner}`).join(', ');
    const report = ({ ended, left }: { ended: Orphan[]; left: Orphan[] }) => {
      if (ended.length) this.log('info', `ended ${ended.length} git process(es) left running by a stopped owner: ${list(ended)}`);
      if (left.length) this.log('error', `cannot end ${left.length} git process(es) left running by a stopped owner: ${list(left)}; their pushes may still race`);
      return ended.length;
    };
    // A push names its URL (urlMark): its URL is not pushed again until it is over, and it may
    // finish, so that its server side (an ssh or http receive-pack, beyond our reach) is done
    // too. Past the grace it is ended. Anything else (ls-remote, an older version's push) ends now.
    const pushes = found.filter((o) => o.url !== undefined);
    const others = found.filter((o) => !pushes.includes(o));
    const n = others.length ? report(await endThese(others)) : 0;
    if (pushes.length === 0) return n;
    this.orphanPushes = pushes;
    const graceMs = ORPHAN_PUSH_GRACE_MS * this.queue.timeScale;
    this.log('info', `waiting up to ${Math.round(graceMs / 1000)} s for ${pushes.length} git process(es) of push(es) left running by a stopped owner to finish before their URL(s) are pushed again: ${list(pushes)}`);
    this.orphansSettled = (async () => {
      const end = Date.now() + graceMs;
      while (Date.now() < end && pushes.some((o) => !gone(o.pid))) await new Promise((r) => setTimeout(r, 50));
      const still = pushes.filter((o) => !gone(o.pid));
      if (still.length) report(await endThese(still));
      else this.log('info', `the push(es) left running by a stopped owner finished: ${list(pushes)}`);
      this.orphanPushes = pushes.filter((o) => !gone(o.pid));
    })();
    return n;
  }

  /** A live push left by a stopped daemon to this URL, described; undefined when there is none. */
  private heldByOrphan(url: string): string | undefined {
    if (this.orphanPushes.length === 0) return undefined;
    const mark = urlMark(displayUrl(url));
    const live = this.orphanPushes.find((o) => o.url === mark && !gone(o.pid));
    return live && `the push left running by the stopped owner pid ${live.owner} (${live.name}[${live.pid}])`;
  }

  /**
   * Start-up: running → waiting, then every waiting task is scheduled again. In cluster mode the
   * other nodes' running tasks are theirs: only those of stopped nodes come back, and that is
   * recoverStopped's job (called before this).
   */
  replay(): number {
    if (!this.store) return 0;
    if (!this.clusterLocks) {
      const recovered = this.store.recoverAll();
      if (recovered) this.log('info', `recovered ${recovered} task(s) that were running`);
    }
    return this.pickUp();
  }

  /**
   * Cluster mode: tasks in running/ that no live node pushes go back to waiting/, for any node to
   * take. A node claims tasks only while it holds their URL's lock and lets it go only once they
   * are finished or back in waiting/, so a running task whose URL lock is free belongs to a node
   * that stopped (a kill -9; its git, if still running, holds the lock until it ends).
   */
  async recoverStopped(): Promise<number> {
    if (!this.store || !this.clusterLocks) return 0;
    let n = 0;
    for (const key of this.store.runningKeys()) {
      if (this.queue.isKnown(key) || this.store.moving(key)) continue; // ours
      const path = join(this.store.running, key);
      const r = readTaskFile(path);
      if (!r) continue;
      if ('bad' in r) {
        // Not a task: back to waiting/, where pickUp quarantines it with the reason.
        if (this.store.reset(key)) n++;
        continue;
      }
      const attempt = await this.clusterLocks.tryLock(r.task.uri);
      if ('busy' in attempt) continue; // a live push (a node, or a stopped node's git) has it
      if ('error' in attempt) {
        this.log('error', `cannot check task ${key} in running/: ${attempt.error}`);
        continue;
      }
      try {
        if (!this.queue.isKnown(key) && existsSync(path) && this.store.reset(key)) n++;
      } finally {
        attempt.held.release();
      }
    }
    if (n) this.log('info', `recovered ${n} task(s) left running by a stopped node`);
    return n;
  }

  /**
   * Cluster mode's distributor, every distributionInterval: tasks of stopped nodes back to
   * waiting/, waiting tasks other nodes persisted scheduled here too, and pending pushes whose
   * tasks another node took or finished pruned.
   */
  async distribute(): Promise<void> {
    if (!this.store || !this.clusterLocks) return;
    await this.recoverStopped();
    this.pickUp();
    const store = this.store;
    this.queue.pruneTakenElsewhere((k) => store.moving(k) || store.isWaiting(k));
  }

  /**
   * Why a stored task will not be run, or undefined: only URLs the config produces for that
   * project are ever pushed to, since a stored task is data anyone may have written.
   */
  taskRefusal(task: StoredTask): string | undefined {
    const what = `task push ${JSON.stringify(displayUrl(task.uri))} of ${JSON.stringify(task.project)} for remote ${JSON.stringify(task.remote)}`;
    const badProject = unsafeProjectName(task.project);
    if (badProject) return `${what}: ${badProject}`;
    const badUrl = unsafeUrl(task.uri);
    if (badUrl) return `${what}: ${badUrl}`;
    const dest = this.destination(task.remote);
    if (!dest) return `${what}: no remote of that name in the config`;
    if (!dest.wouldPushProject(task.project)) return `${what}: the remote does not replicate that project`;
    if (!dest.urls(task.project).some((u) => u.url === task.uri)) return `${what}: the config does not produce that URL for that project`;
    return undefined;
  }

  /** Schedule waiting tasks this queue does not know yet (written by a hook or `start`). */
  pickUp(): number {
    if (!this.store) return 0;
    this.store.retryStuck();
    let n = 0;
    const keys = this.store.waitingKeys();
    // Cluster nodes list the same directory in the same order: each takes it in an order of its
    // own, so they start on different URLs instead of colliding on the same first ones.
    if (this.clusterLocks) shuffle(keys);
    for (const key of keys) {
      if (this.queue.isKnown(key) || this.store.isStuck(key)) continue;
      const task = this.store.readWaiting(key);
      if (!task) continue;
      const refused = this.taskRefusal(task);
      if (refused) {
        this.store.quarantineWaiting(key, refused);
        continue;
      }
      if (this.queue.schedule(this.destination(task.remote)!, task.project, task.uri, task.refs, { key })) n++;
    }
    for (const p of this.store.problems.splice(0)) this.log('warning', p);
    return n;
  }

  /** What `list` shows: the tasks that would run, and how many files are or will be quarantined. */
  storedTasks(): { running: StoredEntry[]; waiting: StoredEntry[]; quarantined: number } {
    if (!this.store) return { running: [], waiting: [], quarantined: 0 };
    let quarantined = this.store.quarantinedCount();
    const keep = (r: { tasks: StoredEntry[]; bad: unknown[] }) => {
      quarantined += r.bad.length;
      const ok = r.tasks.filter((e) => !this.taskRefusal(e.task));
      quarantined += r.tasks.length - ok.length;
      return ok;
    };
    return { running: keep(this.store.inspect(this.store.running)), waiting: keep(this.store.inspect(this.store.waiting)), quarantined };
  }

  /** The dry run of the selection. */
  async plan(sel: Selection = {}, onProgress?: (done: number, total: number) => void): Promise<PlanResult> {
    const result: PlanResult = { site: this.site.dir, targets: [], diagnostics: this.site.diagnostics, refused: false };
    const locals = new Map<string, Awaited<ReturnType<typeof localRefs>>>();
    const targets = this.targets(sel);
    const run = async (t: Target): Promise<PlanTarget> => {
      const repoDir = projectDir(this.site.basePath, t.project);
      let local = locals.get(t.project);
      if (!local) locals.set(t.project, (local = await localRefs(repoDir)));
      return planTarget({ project: t.project, repoDir, dest: t.dest, url: t.url, transport: transportFor(t.dest), local });
    };
    // A few at a time: each target runs one ls-remote.
    const out: PlanTarget[] = new Array(targets.length);
    let next = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: Math.min(4, targets.length) }, async () => {
        while (next < targets.length) {
          const i = next++;
          out[i] = await run(targets[i]);
          onProgress?.(++done, targets.length);
        }
      }),
    );
    result.targets = out;
    return result;
  }

  /**
   * replicateProjectDeletions: delete the project on every destination that asks for it. Refused
   * while the project exists at the source. With `dryRun`, only says what would be deleted.
   */
  async deleteProject(project: string, o: { dryRun?: boolean } = {}): Promise<ProjectDeletion[]> {
    const bad = unsafeProjectName(project);
    if (bad) throw new Error(`refused project ${project}: ${bad}`);
    // An unreadable basePath would make every project look deleted.
    try {
      readdirSync(this.site.basePath);
    } catch (e) {
      throw new Error(`basePath ${this.site.basePath} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}), so ${project} cannot be confirmed gone; nothing is deleted`);
    }
    if (existsSync(projectDir(this.site.basePath, project))) throw new Error(`project ${project} still exists at the source (${projectDir(this.site.basePath, project)}); nothing is deleted`);
    const out: ProjectDeletion[] = [];
    for (const dest of this.dests) {
      if (!dest.settings.replicateProjectDeletions) continue;
      if (!dest.wouldPushProject(project)) continue;
      for (const { url } of dest.urls(project)) {
        const unsafe = unsafeUrl(url);
        if (unsafe) {
          out.push({ remote: dest.name, url, ok: false, error: unsafe });
          continue;
        }
        const path = localPath(url);
        if (path !== undefined) {
          if (!existsSync(path)) out.push({ remote: dest.name, url, ok: true, absent: true });
          else if (!isBareRepository(path)) out.push({ remote: dest.name, url, ok: false, error: `${path} is not a bare repository; left alone` });
          else {
            if (!o.dryRun) rmSync(path, { recursive: true, force: true });
            out.push({ remote: dest.name, url, ok: true, path });
          }
        } else if (isSshUrl(url)) {
          if (o.dryRun) {
            out.push({ remote: dest.name, url, ok: true });
            continue;
          }
          const r = await deleteRepositoryOverSsh(url, transportFor(dest));
          out.push({ remote: dest.name, url, ok: r.ok, error: r.error });
        } else out.push({ remote: dest.name, url, ok: false, error: `Cannot delete project ${project} on remote site ${url}.` });
      }
    }
    return out;
  }

  /**
   * The deletions the daemon's scans have pending (its `project-deletions.json`), as the dry run
   * shows them: each mirror that would be deleted, and why nothing is deleted when a scan was
   * refused. Projects that exist at the source again are left out.
   */
  async pendingDeletions(): Promise<{ refused?: string; deletions: Array<{ project: string; since: string; due: string | null; remote: string; url: string }> }> {
    const path = join(this.site.eventsDir, DELETION_STATE_FILE);
    let state: DeletionState;
    try {
      const st = lstatSync(path);
      if (!st.isFile() || st.size > 1 << 20) return { deletions: [] };
      state = JSON.parse(readFileSync(path, 'utf8')) as DeletionState;
    } catch {
      return { deletions: [] };
    }
    const deletions: Array<{ project: string; since: string; due: string | null; remote: string; url: string }> = [];
    for (const p of Array.isArray(state.pending) ? state.pending : []) {
      if (typeof p?.project !== 'string') continue;
      let rs: ProjectDeletion[];
      try {
        rs = await this.deleteProject(p.project, { dryRun: true });
      } catch {
        continue; // back at the source, or a refused name
      }
      for (const r of rs) if (r.ok && !r.absent) deletions.push({ project: p.project, since: String(p.since), due: p.due === null ? null : String(p.due), remote: r.remote, url: displayUrl(r.url) });
    }
    return { refused: typeof state.refused === 'string' ? state.refused : undefined, deletions };
  }

  async stop(): Promise<void> {
    await this.queue.stop();
  }
}
