// The engine facade used by the CLI, the daemon and the language server: a loaded site, its
// destinations, the durable queue and the dry run. No vscode, no process-wide state.
import { existsSync, rmSync } from 'node:fs';
import type { CheckDiagnostic, PlanResult, PlanTarget } from '../protocol';
import { compilePattern } from '../replication/projectFilter';
import { ALL_REFS, Destination } from './destinations';
import { listProjects, loadSite, projectDir, isBareRepository, type Site } from './site';
import { ReplicationQueue, type Logger, type PushListener, type PushOp } from './queue';
import { TaskStore } from './taskStore';
import { runPush, transportFor } from './runner';
import { planTarget } from './plan';
import { localRefs } from './refs';
import { deleteRepositoryOverSsh } from './adminSsh';
import { isSshUrl, localPath } from './urls';
import { unsafeProjectName, unsafeUrl } from './safety';
import type { Clock } from './clock';

export class ConfigRefused extends Error {
  constructor(readonly diagnostics: CheckDiagnostic[]) {
    const errs = diagnostics.filter((d) => d.severity === 'error');
    super(`the replication config has ${errs.length} error(s); nothing is replicated:\n` + errs.map((d) => `${d.file}:${d.line}:${d.column}: error: ${d.message}`).join('\n'));
  }
}

export interface Selection {
  /** Project patterns (Gerrit's: `^regex`, `prefix*`, exact). Empty: every project. */
  projects?: string[];
  /** Exact remote names. Empty: every remote. */
  remotes?: string[];
  /** Substring of the URL template or the expanded URL; '' or '*' = all. */
  urlPattern?: string;
}

export interface Target {
  project: string;
  dest: Destination;
  template: string;
  url: string;
}

export interface EngineOptions {
  clock?: Clock;
  timeScale?: number;
  log?: Logger;
  /** Keep the queue on disk in the site's eventsDirectory (default true). */
  persist?: boolean;
  onChange?: () => void;
  onFinished?: (op: PushOp, error: string | undefined) => void;
}

export class Engine {
  readonly dests: Destination[];
  readonly store: TaskStore | null;
  readonly queue: ReplicationQueue;
  private readonly log: Logger;

  constructor(readonly site: Site, opts: EngineOptions = {}) {
    if (site.refused) throw new ConfigRefused(site.diagnostics);
    this.log = opts.log ?? (() => {});
    this.dests = site.remotes.map((r) => new Destination(r));
    for (const w of site.warnings) this.log('warning', w);
    for (const d of this.dests) for (const w of d.warnings) this.log('warning', w);
    this.store = opts.persist === false ? null : new TaskStore(site.eventsDir);
    this.queue = new ReplicationQueue({
      run: (op) => runPush(op, { repoDir: (p) => projectDir(site.basePath, p), isCanceled: (o) => o.canceled }),
      store: this.store,
      clock: opts.clock,
      timeScale: opts.timeScale,
      log: this.log,
      onChange: opts.onChange,
      onFinished: opts.onFinished,
    });
  }

  static open(siteDir: string, opts: EngineOptions = {}): Engine {
    return new Engine(loadSite(siteDir), opts);
  }

  projects(): string[] {
    const out: string[] = [];
    for (const p of listProjects(this.site.basePath)) {
      const bad = unsafeProjectName(p);
      if (bad) this.log('warning', `skipping project: ${bad}`);
      else out.push(p);
    }
    return out;
  }

  destination(name: string): Destination | undefined {
    return this.dests.find((d) => d.name === name);
  }

  /** Every project × destination × URL the selection covers. */
  targets(sel: Selection = {}, projects = this.projects()): Target[] {
    const pats = (sel.projects ?? []).map(compilePattern);
    const urlPat = sel.urlPattern && sel.urlPattern !== '*' ? sel.urlPattern : '';
    const out: Target[] = [];
    for (const project of projects) {
      if (pats.length && !pats.some((p) => p.test(project))) continue;
      for (const dest of this.dests) {
        if (sel.remotes?.length && !sel.remotes.includes(dest.name)) continue;
        if (!dest.wouldPushProject(project)) continue;
        for (const { template, url } of dest.urls(project)) {
          if (urlPat && !template.includes(urlPat) && !url.includes(urlPat)) continue;
          const bad = unsafeUrl(url);
          if (bad) {
            this.log('error', `skipping ${project} → ${dest.name}: ${bad}`);
            continue;
          }
          out.push({ project, dest, template, url });
        }
      }
    }
    return out;
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
  async startReplicationAsync(sel: Selection, o: { now?: boolean; listener?: PushListener } = {}): Promise<PushOp[]> {
    const ops = new Set<PushOp>();
    let n = 0;
    for (const t of this.targets(sel)) {
      const op = this.queue.schedule(t.dest, t.project, t.url, [ALL_REFS], o);
      if (op) ops.add(op);
      if (++n % 8 === 0) await new Promise((r) => setImmediate(r));
    }
    return [...ops];
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

  /** Write tasks to the store only, for a daemon to run (hook, `start` without --wait). */
  storeTasks(project: string | Selection, refs: string[]): number {
    if (!this.store) return 0;
    const targets = typeof project === 'string' ? this.targets({}, [project]) : this.targets(project);
    let n = 0;
    for (const t of targets) {
      const wanted = refs.filter((r) => t.dest.wouldPushRef(r));
      if (wanted.length === 0) continue;
      this.store.create({ project: t.project, refs: wanted, uri: t.url, remote: t.dest.name });
      n++;
    }
    return n;
  }

  /** Start-up: running → waiting, then every waiting task is scheduled again. */
  replay(): number {
    if (!this.store) return 0;
    const recovered = this.store.recoverAll();
    if (recovered) this.log('info', `recovered ${recovered} task(s) that were running`);
    return this.pickUp();
  }

  /** Schedule waiting tasks this queue does not know yet (written by a hook or `start`). */
  pickUp(): number {
    if (!this.store) return 0;
    let n = 0;
    for (const key of this.store.waitingKeys()) {
      if (this.queue.isKnown(key)) continue;
      const task = this.store.readWaiting(key);
      if (!task) continue;
      const dest = this.destination(task.remote);
      // Only URLs the config produces for that project are ever pushed to: a stored task is data.
      if (!dest || !dest.wouldPushProject(task.project) || unsafeProjectName(task.project) || !dest.urls(task.project).some((u) => u.url === task.uri)) continue;
      if (this.queue.schedule(dest, task.project, task.uri, task.refs, { key })) n++;
    }
    for (const p of this.store.problems.splice(0)) this.log('warning', p);
    return n;
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

  /** replicateProjectDeletions: delete the project on every destination that asks for it. */
  async deleteProject(project: string): Promise<Array<{ remote: string; url: string; ok: boolean; error?: string }>> {
    const out: Array<{ remote: string; url: string; ok: boolean; error?: string }> = [];
    if (unsafeProjectName(project)) return out;
    for (const dest of this.dests) {
      if (!dest.settings.replicateProjectDeletions) continue;
      for (const { url } of dest.urls(project)) {
        if (unsafeUrl(url)) continue;
        const path = localPath(url);
        if (path !== undefined) {
          if (existsSync(path) && isBareRepository(path)) rmSync(path, { recursive: true, force: true });
          out.push({ remote: dest.name, url, ok: true });
        } else if (isSshUrl(url)) {
          const r = await deleteRepositoryOverSsh(url, transportFor(dest));
          out.push({ remote: dest.name, url, ok: r.ok, error: r.error });
        } else out.push({ remote: dest.name, url, ok: false, error: `Cannot delete project ${project} on remote site ${url}.` });
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    await this.queue.stop();
  }
}
