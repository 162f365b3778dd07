// The engine behind the language server's custom requests (protocol.ts): plan, start, queue,
// cancel, retry, remotes, projects, and the queueChanged/log notifications. server.ts only
// routes to this; lsp/typedConnection.ts turns the protocol's specs into typed handlers. One engine (with its in-process queue) per site; tasks it starts are kept
// in the site's task store like any other.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError, Notifications, Requests } from '../protocol';
import type {
  CancelParams, ConnectionTest, DismissParams, ExplainParams, ExplainResult, LogParams, PlanParams, PlanResult, ProjectSummary, QueueSnapshot, QueueTask, ReloadPreview, ReloadPreviewParams, RemoteSummary, RetryParams, SiteParams, StartParams, StartResult, StatusParams, StatusResult, TestConnectionParams,
} from '../protocol';
import { previewReload } from '../engine/preview/reloadPreview';
import { gitHeadWorkspace } from '../engine/preview/gitHeadWorkspace';
import { diskWorkspace, overlayWorkspace } from '../service/workspace';
import { Engine, type Selection } from '../engine/engine';
import { loadSite } from '../engine/site/loadSite';
import { keyDefault } from '../engine/site/settings';
import type { LogLevel, PushListener, PushOp, RefOutcome } from '../engine/queue/queue';
import { displayUrl } from '../engine/transport/invocation';
import { StartReport } from '../engine/queue/startReport';
import { siteStatus } from '../engine/health/status';
import { explain } from '../engine/preview/explain';
import { lsRemote } from '../engine/transport/refs';
import { transportFor } from '../engine/queue/runner';
import { redactSecrets } from '../service/secrets';
import { onTypedRequest, sendTypedNotification, type TypedConnection } from './typedConnection';
import { DEFAULT_DELETION_GUARD, deletionGuardFrom, describeGuard, parseDeletionGuard, type DeletionGuard } from '../engine/preview/deletionGuard';
import { ADMIN_CLONE_EXPLANATION, GitoliteBridge, isGitoliteAdminClone, isGitoliteHome } from './gitoliteBridge';

export interface BridgeHost {
  queueChanged(snap: QueueSnapshot): void;
  log(params: LogParams): void;
  /** The text of the documents open in the editor, by absolute path (unsaved edits included). */
  openTexts?(): Map<string, string>;
}

export interface BridgeSettings {
  site?: string;
  workspaceFolders?: string[];
  /** false: the workspace is not trusted; nothing that runs git is allowed. */
  trusted?: boolean;
  /** false: gitReplication.engine.enabled is off; only the language features run. */
  enabled?: boolean;
  /** Scales every queue delay (tests). */
  timeScale?: number;
  /** The ref deletion guard of the Replicate commands (gitReplication.refDeletionGuard). */
  deletionGuard?: DeletionGuard;
}

const FAILED_KEPT = 100;

export class EngineBridge {
  private engines = new Map<string, Engine>();
  private failed: QueueTask[] = [];
  private notifyTimer: NodeJS.Timeout | undefined;

  private readonly gitolite = new GitoliteBridge(() => this.queueChanged());

  constructor(protected readonly host: BridgeHost, private settings: BridgeSettings = {}) {}

  configure(s: Partial<BridgeSettings>): void {
    this.settings = { ...this.settings, ...s };
  }

  /** Config files changed: idle engines are dropped and reloaded on next use. */
  invalidate(): void {
    for (const [dir, e] of this.engines) if (e.queue.size === 0) this.engines.delete(dir);
  }

  /** The site: a Gerrit site or a gitolite home. A gitolite-admin clone gets an explanation instead. */
  siteDir(explicit?: string): string {
    const folders = this.settings.workspaceFolders ?? [];
    const dir = explicit || this.settings.site || folders.find((f) => existsSync(join(f, 'etc', 'replication.config')) || isGitoliteHome(f));
    if (!dir) {
      const clone = folders.find(isGitoliteAdminClone);
      if (clone) throw new EngineError('no-site', ADMIN_CLONE_EXPLANATION(clone));
      throw new EngineError('no-site', 'no site: set gitReplication.site or open a folder that contains etc/replication.config (a Gerrit site) or .gitolite.rc (a gitolite home)');
    }
    if (isGitoliteHome(dir)) return dir;
    if (!existsSync(join(dir, 'etc', 'replication.config'))) {
      if (isGitoliteAdminClone(dir) || existsSync(join(dir, '.gitolite.rc'))) throw new EngineError('no-site', ADMIN_CLONE_EXPLANATION(dir));
      throw new EngineError('no-site', `${dir} is not a Gerrit site (no etc/replication.config) nor a gitolite home (no .gitolite.rc)`);
    }
    return dir;
  }

  /** The gitolite home the request is for, when it is one. */
  private gitoliteHome(explicit?: string): string | undefined {
    const dir = this.siteDir(explicit);
    return isGitoliteHome(dir) ? dir : undefined;
  }

  /** Every request that runs git (or would) passes here; clients other than ours included. */
  private requireTrust(): void {
    if (this.settings.trusted === false) throw new EngineError('untrusted', 'the workspace is not trusted: replication commands that run git are disabled');
    if (this.settings.enabled === false) throw new EngineError('engine-off', 'the replication engine is off (gitReplication.engine.enabled): only the language features run');
  }

  private log(level: LogLevel, message: string): void {
    this.host.log({ level, message });
  }

  /** The engine of a site; throws with the diagnostics when the config is refused. */
  engine(explicit?: string): Engine {
    const dir = this.siteDir(explicit);
    let e = this.engines.get(dir);
    if (!e) {
      e = new Engine(loadSite(dir), {
        timeScale: this.settings.timeScale,
        deletionGuard: this.settings.deletionGuard ?? DEFAULT_DELETION_GUARD,
        // The user waits in the editor: a mirror just created is pushed at once (docs/engine.md).
        pushAfterCreate: true,
        log: (l, m) => this.log(l, m),
        onChange: () => this.queueChanged(),
        onFinished: (op, err) => {
          if (!err || op.canceled) return; // a cancelled push is not a failure to show
          this.failed.unshift({ ...this.task(op, 'failed'), lastError: err });
          this.failed.length = Math.min(this.failed.length, FAILED_KEPT);
        },
      });
      this.engines.set(dir, e);
    }
    return e;
  }

  private queueChanged(): void {
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.host.queueChanged(this.queue({}));
    }, 50);
  }

  private selection(p: PlanParams): Selection {
    return { projects: p.projects ?? [], remotes: p.remotes ?? [], urlPattern: p.urlPattern };
  }

  async plan(p: PlanParams): Promise<PlanResult> {
    this.requireTrust();
    const gl = this.gitoliteHome(p.site);
    if (gl) return this.gitolite.plan(gl, p);
    const dir = this.siteDir(p.site);
    const site = loadSite(dir);
    if (site.refused) return { site: dir, targets: [], diagnostics: site.diagnostics, refused: true };
    return this.engine(p.site).plan(this.selection(p));
  }

  async start(p: StartParams): Promise<StartResult> {
    this.requireTrust();
    if (p.all && p.projects?.length) throw new EngineError('usage', 'error: cannot combine --all and PROJECT');
    const gl = this.gitoliteHome(p.site);
    if (gl) return this.gitolite.start(gl, p);
    const engine = this.engine(p.site);
    if (p.changes !== undefined) {
      if (!Array.isArray(p.changes)) throw new EngineError('usage', 'changes must be a list of targets');
      if (p.all || p.projects?.length || p.remotes?.length || p.urlPattern) throw new EngineError('usage', 'changes cannot be combined with all, projects, remotes or urlPattern');
      // A mass deletion is confirmed by the user first (the client asks and sends confirmDeletions).
      if (!p.confirmDeletions) {
        const hits = await engine.exactDeletionHits(p.changes);
        if (hits.length) return { scheduled: 0, taskIds: [], needsConfirmation: { guard: describeGuard(engine.deletionGuard), targets: hits } };
      }
      const refs = await engine.pushExact(p.changes);
      const output = refs.map((r) => `${r.project} → ${r.url} ${r.remoteRef}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
      return { scheduled: p.changes.length, taskIds: [], output, refs };
    }
    if (!p.confirmDeletions) {
      const hits = await engine.deletionGuardHits(this.selection(p));
      if (hits.length) return { scheduled: 0, taskIds: [], needsConfirmation: { guard: describeGuard(engine.deletionGuard), targets: hits } };
    }
    const output: string[] = [];
    // Without wait (the editor follows the queue instead), each ref's result goes to the log.
    const report: PushListener = p.wait ? new StartReport((l) => output.push(l)) : { onPushDone: (op, outcomes) => this.logOutcomes(op, outcomes, engine.site.remotes.map((r) => r.password)) };
    const ops = await engine.startReplicationAsync(this.selection(p), { now: !!p.now, listener: report });
    if (ops.length === 0) return { scheduled: 0, taskIds: [], output: ['Nothing to replicate'] };
    if (report instanceof StartReport) {
      report.expect(ops.length);
      await report.finished;
    }
    return { scheduled: ops.length, taskIds: ops.map((o) => o.id), output: p.wait ? output : undefined };
  }

  /** One log line per ref of a push the editor started; a failure names git's reason. */
  private logOutcomes(op: PushOp, outcomes: RefOutcome[], secrets: Array<string | undefined>): void {
    const why = op.lastError ? `: ${redactSecrets(op.lastError, secrets).split('\n').map((l) => l.trim()).filter(Boolean).join(' ')}` : '';
    for (const o of outcomes) {
      const ref = o.ref === '..all..' ? 'all refs' : o.ref;
      const failed = o.result === 'FAILED';
      this.log(failed ? 'warning' : 'info', `${o.project} ${ref} → ${displayUrl(o.url)}: ${o.result}${o.status ? ` (${o.status})` : ''}${failed ? why : ''}`);
    }
  }

  private task(op: PushOp, state: QueueTask['state']): QueueTask {
    return {
      id: op.id,
      project: op.project,
      remote: op.dest.name,
      url: displayUrl(op.url),
      refs: [...op.refs],
      state,
      retries: op.retryCount,
      nextAttemptAt: state === 'waiting' || state === 'retrying' ? op.nextAttemptAt : undefined,
      lastError: op.lastError,
      firstError: op.firstError && op.firstError !== op.lastError ? op.firstError : undefined,
    };
  }

  queue(p: SiteParams): QueueSnapshot {
    let gl: string | undefined;
    try {
      gl = this.gitoliteHome(p.site);
    } catch {
      gl = undefined;
    }
    if (gl) return this.gitolite.queue(gl);
    const tasks: QueueTask[] = [];
    let pending = 0;
    let inFlight = 0;
    for (const e of this.engines.values()) {
      if (p.site && e.site.dir !== p.site) continue;
      const snap = e.queue.snapshot();
      for (const op of snap.inFlight) tasks.push(this.task(op, 'running'));
      for (const op of snap.pending) tasks.push(this.task(op, op.retrying ? 'retrying' : 'waiting'));
      pending += snap.pending.length;
      inFlight += snap.inFlight.length;
    }
    tasks.push(...this.failed);
    return { pending, inFlight, failed: this.failed.length, tasks };
  }

  cancel(p: CancelParams): { cancelled: number } {
    let n = 0;
    const ids = p.all ? undefined : p.taskIds ?? [];
    for (const e of this.engines.values()) n += e.queue.cancel(ids) + e.queue.cancelInFlight(ids);
    return { cancelled: n };
  }

  /** Failed tasks leave the list: the given ones, or all. Nothing is pushed or deleted. */
  dismiss(p: DismissParams): { dismissed: number } {
    const gl = this.gitoliteHome(p.site);
    if (gl) return this.gitolite.dismiss(gl, p);
    const before = this.failed.length;
    const ids = p.taskIds ?? [];
    this.failed = p.all ? [] : this.failed.filter((t) => !ids.includes(t.id));
    const n = before - this.failed.length;
    if (n) this.queueChanged();
    return { dismissed: n };
  }

  async retry(p: RetryParams): Promise<{ retried: number }> {
    this.requireTrust();
    const gl = this.gitoliteHome(p.site);
    if (gl) return this.gitolite.retry(gl, p);
    let n = 0;
    for (const e of this.engines.values()) n += e.queue.runNow(p.taskIds?.length ? p.taskIds : undefined, !!p.failed);
    // Failed pushes left the queue: run them again as new pushes of the same refs.
    const again = this.failed.filter((t) => (p.taskIds?.length ? p.taskIds.includes(t.id) : p.failed));
    for (const t of again) {
      const e = this.engine(p.site);
      const dest = e.destination(t.remote);
      const target = dest && e.targets({ projects: [t.project], remotes: [t.remote] }).find((x) => displayUrl(x.url) === t.url);
      if (!dest || !target) continue;
      if (e.queue.schedule(dest, t.project, target.url, t.refs, { now: true })) n++;
      this.failed = this.failed.filter((f) => f !== t);
    }
    return { retried: n };
  }

  remotes(p: SiteParams): RemoteSummary[] {
    const gl = this.gitoliteHome(p.site);
    if (gl) return this.gitolite.remotes(gl);
    const dir = this.siteDir(p.site);
    const site = loadSite(dir);
    let engine: Engine | undefined;
    try {
      engine = site.refused ? undefined : this.engine(p.site);
    } catch {
      engine = undefined;
    }
    const projects = engine ? engine.projects() : [];
    // Diagnostics are attributed per [remote] block: from its header to the next section header
    // of its file, so a second block of a remote is not blamed on the remote written before it.
    return site.remotes.map((r) => {
      const blocks = r.blocks.map((b) => {
        const diags = site.diagnostics.filter((d) => d.file === b.file && d.line >= b.line && d.line <= b.endLine);
        return { file: join(dir, b.file), line: b.line, errors: diags.filter((d) => d.severity === 'error').length, warnings: diags.filter((d) => d.severity === 'warning').length };
      });
      const dest = engine?.destination(r.name);
      const matching = dest ? projects.filter((x) => dest.wouldPushProject(x)) : [];
      return {
        name: r.name,
        file: join(dir, r.file),
        line: r.line,
        urls: r.urls.map((t) => {
          const ex = dest && matching.length ? dest.urls(matching[0]).find((u) => u.template === t) : undefined;
          return { template: displayUrl(t), example: ex ? displayUrl(ex.url) : undefined };
        }),
        nonDefaults: r.written.filter((w) => {
          const d = keyDefault('remote', w.key).default;
          return d === undefined || String(d) !== w.value.trim();
        }),
        projectCount: matching.length,
        projects: matching,
        errors: blocks.reduce((n, b) => n + b.errors, 0),
        warnings: blocks.reduce((n, b) => n + b.warnings, 0),
        blocks,
        ...(site.refused ? { refused: true } : {}),
      };
    });
  }

  /** Mirror health: one ref listing per target, so it runs git and needs trust. */
  async status(p: StatusParams): Promise<StatusResult> {
    this.requireTrust();
    const engine = this.engine(p.site);
    for (const r of p.remotes ?? []) if (!engine.destination(r)) throw new EngineError('usage', `no remote named ${JSON.stringify(r)} in the config`);
    return siteStatus(engine, { projects: p.projects ?? [], remotes: p.remotes ?? [] });
  }

  /** The rules that decide, per remote and URL. Reads the config only: no git runs. */
  explain(p: ExplainParams): ExplainResult {
    if (typeof p.project !== 'string' || !p.project) throw new EngineError('usage', 'explain needs a project');
    if (p.ref !== undefined && !p.ref.startsWith('refs/')) throw new EngineError('usage', `a ref is a full name (refs/…), not ${JSON.stringify(p.ref)}`);
    const engine = this.engine(p.site);
    const dests = p.remotes?.length ? engine.dests.filter((d) => p.remotes!.includes(d.name)) : engine.dests;
    const all = engine.scan().projects;
    return { ...explain(dests, p.project, p.ref, all), existsAtSource: all.includes(p.project) };
  }

  /** A real `git ls-remote` per URL of a remote (or of one template), through the push transport. */
  async testConnection(p: TestConnectionParams): Promise<ConnectionTest[]> {
    this.requireTrust();
    const engine = this.engine(p.site);
    const dest = engine.destination(p.remote);
    if (!dest) throw new EngineError('usage', `no remote named ${JSON.stringify(p.remote)} in the config`);
    const projects = engine.projects();
    const project = p.project ?? projects.find((x) => dest.wouldPushProject(x));
    const secrets = engine.site.remotes.map((r) => r.password);
    const templates = dest.settings.urls.filter((t) => p.template === undefined || displayUrl(t) === p.template);
    if (!templates.length) throw new EngineError('usage', `remote ${p.remote} has no url ${JSON.stringify(p.template)}`);
    const expanded = project ? dest.urls(project) : [];
    const transport = transportFor(dest);
    const timeoutMs = dest.settings.timeout > 0 ? dest.settings.timeout * 1000 : 30000;
    return Promise.all(templates.map(async (template): Promise<ConnectionTest> => {
      const base = { remote: dest.name, template: displayUrl(template), project };
      const url = expanded.find((u) => u.template === template)?.url;
      if (!url) return { ...base, ok: false, error: project ? `the url cannot be expanded for ${project}` : 'no project of the site is replicated to this remote, so there is no URL to list', durationMs: 0 };
      const started = Date.now();
      const r = await lsRemote(url, transport, timeoutMs);
      const durationMs = Date.now() - started;
      const shown = { ...base, url: displayUrl(url), durationMs };
      // One log line per URL: git's multi-line error flattened.
      this.log(r.ok ? 'info' : 'warning', `Test connection ${dest.name} → ${displayUrl(url)}: ${r.ok ? `${r.refs.size} ref(s) in ${durationMs} ms` : redactSecrets(r.error, secrets).replace(/\s*\n\s*/g, ' ')}`);
      return r.ok ? { ...shown, ok: true, refs: r.refs.size } : { ...shown, ok: false, missing: r.missing, error: redactSecrets(r.error, secrets) };
    }));
  }

  /**
   * The reload preview of the config as edited (open documents over the disk) against the saved
   * files, git HEAD or a directory. Runs git for HEAD, so it needs a trusted workspace.
   */
  async reloadPreview(p: ReloadPreviewParams): Promise<ReloadPreview> {
    this.requireTrust();
    const dir = this.siteDir(p.site);
    const unsaved = new Map([...(this.host.openTexts?.() ?? new Map<string, string>()), ...Object.entries(p.unsaved ?? {})]);
    const edited = loadSite(dir, overlayWorkspace(diskWorkspace, () => unsaved));
    const a = p.against;
    let old;
    if (a === 'saved') old = loadSite(dir);
    else if (a === 'head') old = loadSite(dir, gitHeadWorkspace(dir));
    else if (a && typeof a === 'object' && typeof a.dir === 'string' && a.dir) {
      if (!existsSync(join(a.dir, 'etc'))) throw new EngineError('usage', `${a.dir} is not a Gerrit site (no etc/)`);
      old = loadSite(a.dir);
    } else throw new EngineError('usage', "against is 'saved', 'head' or { dir }");
    return previewReload(old, edited, typeof a === 'string' ? a : a.dir);
  }

  projects(p: SiteParams): ProjectSummary[] {
    const gl = this.gitoliteHome(p.site);
    if (gl) return this.gitolite.projects(gl);
    const e = this.engine(p.site);
    return e.projects().map((name) => ({ name, remotes: e.dests.filter((d) => d.wouldPushProject(name)).map((d) => d.name) }));
  }

  async dispose(): Promise<void> {
    for (const e of this.engines.values()) await e.stop();
    this.engines.clear();
  }
}

function fileUrlToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? decodeURIComponent(new URL(uri).pathname) : undefined;
  } catch {
    return undefined;
  }
}

export interface InitializeLike {
  initializationOptions?: unknown;
  workspaceFolders?: Array<{ uri: string }> | null;
  rootUri?: string | null;
}

/** The bridge plus what the server hands it: initialize params and changed settings. */
export class LspEngine extends EngineBridge {
  /** initializationOptions.site / trusted, and the workspace folders to look for a site in. */
  initialize(p: InitializeLike): void {
    const o = (p.initializationOptions ?? {}) as { site?: unknown; trusted?: unknown; timeScale?: unknown; engine?: { enabled?: unknown }; refDeletionGuard?: unknown };
    const folders = (p.workspaceFolders ?? []).map((f) => fileUrlToPath(f.uri)).filter((x): x is string => !!x);
    if (p.rootUri && folders.length === 0) {
      const r = fileUrlToPath(p.rootUri);
      if (r) folders.push(r);
    }
    this.configure({
      site: typeof o.site === 'string' && o.site ? o.site : undefined,
      trusted: typeof o.trusted === 'boolean' ? o.trusted : undefined,
      enabled: typeof o.engine?.enabled === 'boolean' ? o.engine.enabled : undefined,
      timeScale: typeof o.timeScale === 'number' && o.timeScale > 0 ? o.timeScale : undefined,
      workspaceFolders: folders,
      deletionGuard: this.guardSetting(o.refDeletionGuard),
    });
  }

  /** gitReplication.refDeletionGuard, else $GIT_REPLICATION_REF_DELETION_GUARD, else the default. */
  private guardSetting(v: unknown): DeletionGuard {
    try {
      return typeof v === 'string' && v.trim() ? parseDeletionGuard(v) : deletionGuardFrom(undefined);
    } catch (e) {
      this.host.log({ level: 'warning', message: `gitReplication.refDeletionGuard: ${(e as Error).message}; using ${describeGuard(DEFAULT_DELETION_GUARD)}` });
      return DEFAULT_DELETION_GUARD;
    }
  }

  /** The gitReplication.site and gitReplication.engine.enabled settings. */
  settingsChanged(settings: unknown): void {
    const g = (settings as { gitReplication?: { site?: unknown; engine?: { enabled?: unknown }; refDeletionGuard?: unknown } } | undefined)?.gitReplication;
    if (g && typeof g.site === 'string') this.configure({ site: g.site || undefined });
    if (g && 'refDeletionGuard' in g) {
      // Engines are made with their guard: idle ones are made again with the new one.
      this.configure({ deletionGuard: this.guardSetting(g.refDeletionGuard) });
      this.invalidate();
    }
    if (g && typeof g.engine?.enabled === 'boolean') this.configure({ enabled: g.engine.enabled });
  }
}

/** Route the protocol's engine requests (protocol.ts Requests) to a new LspEngine. */
export function registerEngine(conn: TypedConnection, o: { openTexts?: () => Map<string, string> } = {}): LspEngine {
  const e = new LspEngine({
    queueChanged: (snap) => sendTypedNotification(conn, Notifications.queueChanged, snap),
    log: (p) => sendTypedNotification(conn, Notifications.log, p),
    openTexts: o.openTexts,
  });
  onTypedRequest(conn, Requests.plan, (p) => e.plan(p ?? {}));
  onTypedRequest(conn, Requests.start, (p) => e.start(p ?? {}));
  onTypedRequest(conn, Requests.queue, (p) => e.queue(p ?? {}));
  onTypedRequest(conn, Requests.cancel, (p) => e.cancel(p ?? {}));
  onTypedRequest(conn, Requests.retry, (p) => e.retry(p ?? {}));
  onTypedRequest(conn, Requests.dismiss, (p) => e.dismiss(p ?? {}));
  onTypedRequest(conn, Requests.remotes, (p) => e.remotes(p ?? {}));
  onTypedRequest(conn, Requests.projects, (p) => e.projects(p ?? {}));
  onTypedRequest(conn, Requests.status, (p) => e.status(p ?? {}));
  onTypedRequest(conn, Requests.explain, (p) => e.explain(p ?? { project: '' }));
  onTypedRequest(conn, Requests.testConnection, (p) => e.testConnection(p ?? { remote: '' }));
  onTypedRequest(conn, Requests.reloadPreview, (p) => e.reloadPreview(p ?? { against: 'saved' }));
  return e;
}
