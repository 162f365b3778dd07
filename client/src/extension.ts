// Thin VS Code client: starts the language server, then wires commands, views, the status bar
// and the (lazily loaded) dry-run panel onto the server's engine requests. Activation does no
// I/O beyond a few existsSync calls and does not wait for the server; both times are logged.
import * as path from 'node:path';
import * as vscode from 'vscode';
// Types only: the client library is loaded when the server starts, after activate() returns.
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { Notifications, type LogParams, type NotificationSpec, type PlanParams, type QueueSnapshot } from '../../server/src/protocol';
import { mergeStatus } from './models/healthModel';
import { dirtyNotice, finishedTargets, isSiteConfig } from './models/viewNotice';
import { registerCommands, pushExactWithProgress, CommandHost } from './commands';
import { EngineApi, engineErrorText } from './engineApi';
import { resolveSite } from './models/site';
import { serverEnv } from './models/serverEnv';
import { registerRenamePrompt } from './renamePrompt';
import { MirrorHealthBar, QueueStatusBar } from './statusBar';
import { ItemLimitStatus } from './itemLimitStatus';
import { trusted } from './trust';
import { QueueTree } from './views/queueTree';
import { RemotesTree } from './views/remotesTree';

let client: LanguageClient | undefined;
// Set by the bundle's first line (esbuild banner): when VS Code began loading this code.
declare const __grLoadStart: number | undefined;

function settings() {
  const c = vscode.workspace.getConfiguration('gitReplication');
  return {
    site: c.get<string>('site', ''),
    gitPath: c.get<string>('gitPath', 'git'),
    severityOverrides: c.get<Record<string, string>>('severityOverrides', {}),
    engineEnabled: c.get<boolean>('engine.enabled', true),
    maxDocumentSizeMB: c.get<number>('maxDocumentSizeMB', 8),
    maxItemsComputed: c.get<number>('maxItemsComputed', 5000),
    workspaceDiagnostics: c.get<boolean>('workspaceDiagnostics', true),
    healthMinutes: c.get<number>('health.refreshMinutes', 5),
    refDeletionGuard: c.get<string>('refDeletionGuard', '10,50%'),
  };
}

function currentSite(): string | undefined {
  return resolveSite(settings().site, (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
}

/** The files the language server serves. */
const DOCUMENTS = [
  { scheme: 'file', language: 'gerrit-replication' },
  { scheme: 'file', language: 'gitolite' },
  { scheme: 'file', pattern: '**/gitolite.conf' },
  { scheme: 'file', pattern: '**/.gitolite.rc' },
];

async function makeClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<LanguageClient> {
  // require, not import(): the extension host loads CommonJS; esbuild leaves this one external.
  const { LanguageClient, TransportKind } = require('./languageClient') as typeof import('./languageClient');
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const s = settings();
  const env = serverEnv(s.gitPath, process.env, (m) => log.warn(m));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env } },
    debug: { module, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENTS,
    outputChannel: log,
    initializationOptions: {
      severityOverrides: s.severityOverrides,
      maxDocumentSizeMB: s.maxDocumentSizeMB,
      maxItemsComputed: s.maxItemsComputed,
      workspaceDiagnostics: s.workspaceDiagnostics,
      // This client runs editor.action.triggerSuggest and gitReplication.renameAt (ServiceContext.vscodeCommands).
      vscodeCommands: true,
      site: currentSite(),
      gitPath: s.gitPath,
      engine: { enabled: s.engineEnabled },
      // The Replicate commands' mass-deletion guard (changes arrive through synchronize).
      refDeletionGuard: s.refDeletionGuard,
      // The server's engine requests refuse to run git when the workspace is not trusted.
      trusted: trusted(),
      // Tests shorten Gerrit's minute-long retry delays; users never set this.
      timeScale: Number(process.env.GIT_REPLICATION_TIME_SCALE) || undefined,
    },
    synchronize: {
      configurationSection: 'gitReplication',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{replication.config,secure.config,replication/*.config,gitolite.conf,.gitolite.rc}'),
    },
  };
  return new LanguageClient('gitReplication', 'Git Replication', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('Git Replication', { log: true });
  context.subscriptions.push(log);

  const queueTree = new QueueTree();
  // The explain hover asks the engine when a project row is hovered (api is defined below).
  const remotesTree = new RemotesTree((project, remote) => api.explain({ project, remotes: [remote] }));
  const status = new QueueStatusBar();
  const healthBar = new MirrorHealthBar();
  const itemLimitStatus = new ItemLimitStatus(DOCUMENTS);
  context.subscriptions.push(queueTree, status, healthBar, itemLimitStatus);
  const queueView = vscode.window.createTreeView('gitReplicationQueue', { treeDataProvider: queueTree, canSelectMany: true, showCollapseAll: false });
  const remotesView = vscode.window.createTreeView('gitReplicationRemotes', { treeDataProvider: remotesTree, showCollapseAll: true });
  context.subscriptions.push(queueView, remotesView);

  let ready = false;
  const waiters: Array<(s: QueueSnapshot | undefined) => void> = [];
  const api = new EngineApi((spec, params, token) => {
    if (!client) return Promise.reject(new Error('the language server is not running'));
    // The spec types params and result (engineApi.ts Send); the library takes its method name.
    return client.sendRequest(spec.method, params, token as vscode.CancellationToken | undefined);
  }, currentSite);

  const engineOn = () => trusted() && settings().engineEnabled;
  const setQueue = (snap: QueueSnapshot | undefined) => {
    // Targets whose tasks left the queue were pushed (or given up): their health changed.
    const done = finishedTargets(queueTree.snapshot, snap);
    if (done.projects.length) healthSoon(done);
    queueTree.set(snap);
    status.update(snap, trusted());
    queueView.badge = snap && snap.failed ? { value: snap.failed, tooltip: `${snap.failed} failed` } : undefined;
    for (const w of waiters.splice(0)) w(snap);
  };
  const refreshQueue = async () => {
    if (!ready || !engineOn()) return setQueue(undefined);
    try {
      setQueue(await api.queue());
    } catch (err) {
      log.warn(`queue: ${engineErrorText(err)}`);
    }
  };
  // The view's message: why it is empty, or that it shows the saved files while some are dirty.
  let remotesError: string | undefined;
  const showNotice = () => {
    const site = currentSite();
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file' && isSiteConfig(d.fileName, site)).map((d) => d.fileName);
    remotesView.message = remotesError ?? dirtyNotice(dirty, site);
  };
  // Mirror health: one ref listing per target, so it follows the remotes, pushes and a timer,
  // never keystrokes. A scoped refresh (Sync now) replaces only its own targets.
  let healthRun = 0;
  const refreshHealth = async (scope: { projects?: string[]; remotes?: string[] } = {}) => {
    if (!ready || !engineOn()) {
      remotesTree.setHealth(undefined);
      healthBar.update(undefined);
      return;
    }
    const run = ++healthRun;
    try {
      const fresh = await api.status(scope);
      // A full refresh started later wins over this one.
      if (run !== healthRun && !scope.projects?.length) return;
      const merged = mergeStatus(remotesTree.health, fresh, scope);
      remotesTree.setHealth(merged);
      healthBar.update(merged);
      log.debug(`mirror health: ${merged.targets.length} target(s), ${merged.targets.filter((t) => t.health !== 'in-sync').length} not in sync`);
    } catch (err) {
      log.warn(`mirror health: ${engineErrorText(err)}`);
    }
  };
  let healthTimer: NodeJS.Timeout | undefined;
  const pendingScope = { projects: new Set<string>(), remotes: new Set<string>() };
  const healthSoon = (s: { projects: string[]; remotes: string[] }) => {
    for (const p of s.projects) pendingScope.projects.add(p);
    for (const r of s.remotes) pendingScope.remotes.add(r);
    if (healthTimer) clearTimeout(healthTimer);
    healthTimer = setTimeout(() => {
      const scope = { projects: [...pendingScope.projects], remotes: [...pendingScope.remotes] };
      pendingScope.projects.clear();
      pendingScope.remotes.clear();
      void refreshHealth(scope);
    }, 1000);
  };
  // health: false when only the diagnostics changed (error counts): no ls-remote per keystroke pause.
  const refreshRemotes = async (o: { health?: boolean } = {}) => {
    if (!ready || !engineOn()) {
      // The views' welcome text explains Restricted Mode / the engine switch.
      remotesTree.set([]);
      remotesError = undefined;
      showNotice();
      if (o.health !== false) await refreshHealth();
      return;
    }
    try {
      remotesTree.set(await api.remotes(), currentSite());
      remotesError = undefined;
    } catch (err) {
      remotesTree.set([]);
      remotesError = `Remotes unavailable: ${engineErrorText(err)}`;
      log.warn(`remotes: ${engineErrorText(err)}`);
    }
    showNotice();
    if (o.health !== false) await refreshHealth();
  };

  const startClient = async () => {
    // Yield first: loading the client library must happen after activate() has returned.
    await new Promise((resolve) => setImmediate(resolve));
    const t = performance.now();
    client = await makeClient(context, log);
    const on = <P>(spec: NotificationSpec<P>, handler: (params: P) => void) => client!.onNotification(spec.method, handler);
    on(Notifications.queueChanged, (snap) => setQueue(snap));
    on(Notifications.itemsLimited, (p) => itemLimitStatus.update(p));
    on(Notifications.log, (p: Partial<LogParams>) => {
      const m = String(p?.message ?? '');
      if (p?.level === 'error') log.error(m);
      else if (p?.level === 'warning') log.warn(m);
      else if (p?.level === 'debug') log.debug(m);
      else log.info(m);
    });
    await client.start();
    ready = true;
    log.info(`language server ready in ${(performance.now() - t).toFixed(0)} ms (since activation start: ${(performance.now() - t0).toFixed(0)} ms)`);
    await Promise.all([refreshQueue(), refreshRemotes()]);
  };
  const restartServer = async () => {
    ready = false;
    const old = client;
    client = undefined;
    await old?.stop().catch(() => undefined);
    await startClient();
  };

  const host: CommandHost = {
    context,
    api,
    log,
    queue: () => queueTree.snapshot,
    nextQueue: (ms) => new Promise((resolve) => {
      const timer = setTimeout(() => {
        const i = waiters.indexOf(done);
        if (i >= 0) waiters.splice(i, 1);
        resolve(undefined);
      }, ms);
      const done = (s: QueueSnapshot | undefined) => {
        clearTimeout(timer);
        resolve(s);
      };
      waiters.push(done);
    }),
    refreshQueue,
    refreshRemotes: () => refreshRemotes(),
    refreshHealth,
    remotes: () => remotesTree.summaries,
    restartServer,
  };
  const openDryRun = async (params: PlanParams) => {
    // Loaded on first use, so activation does not pay for the panel.
    const { DryRunPanel } = await import('./panel/dryRunPanel');
    DryRunPanel.show(context, {
      api,
      log,
      replicateExact: (targets) => pushExactWithProgress(host, 'Replicating the dry run', targets),
    }, params);
  };
  context.subscriptions.push(...registerCommands(host, openDryRun));
  // Not a palette command: the duplicate-remote quick fix runs it (language features, any trust).
  context.subscriptions.push(registerRenamePrompt());

  // Remote error counts follow the config's diagnostics; the tree follows saves.
  let remotesTimer: NodeJS.Timeout | undefined;
  const dirtySeen = new Map<string, boolean>();
  let remotesHealth = false;
  const remotesSoon = (health: boolean) => {
    if (remotesTimer) clearTimeout(remotesTimer);
    remotesHealth ||= health;
    remotesTimer = setTimeout(() => {
      const h = remotesHealth;
      remotesHealth = false;
      void refreshRemotes({ health: h });
    }, 500);
  };
  context.subscriptions.push(
    vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => /\.config$|\.conf$|\.gitolite\.rc$/.test(u.path))) remotesSoon(false);
    }),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (/\.config$|\.conf$|\.gitolite\.rc$/.test(d.fileName)) remotesSoon(true);
      showNotice();
    }),
    // Only a change of a document's dirty state changes the notice.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (dirtySeen.get(e.document.uri.toString()) !== e.document.isDirty) {
        dirtySeen.set(e.document.uri.toString(), e.document.isDirty);
        showNotice();
      }
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      dirtySeen.delete(d.uri.toString());
      showNotice();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.info('workspace trusted: restarting the language server with the engine enabled');
      void restartServer();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('gitReplication.site') || e.affectsConfiguration('gitReplication.gitPath') || e.affectsConfiguration('gitReplication.engine.enabled')) {
        log.info('settings changed: restarting the language server');
        void restartServer();
      }
    }),
    { dispose: () => remotesTimer && clearTimeout(remotesTimer) },
    { dispose: () => healthTimer && clearTimeout(healthTimer) },
  );
  // The periodic check: a mirror that goes stale with nobody pushing from here shows up too.
  const minutes = settings().healthMinutes;
  if (minutes > 0) {
    const periodic = setInterval(() => void refreshHealth(), minutes * 60000);
    context.subscriptions.push({ dispose: () => clearInterval(periodic) });
  }

  status.update(undefined, trusted());
  void startClient().catch((err) => log.error(`language server failed to start: ${engineErrorText(err)}`));
  const loadMs = typeof __grLoadStart === 'number' ? t0 - __grLoadStart : NaN;
  log.info(`activated in ${(performance.now() - t0).toFixed(1)} ms (code loading ${loadMs.toFixed(1)} ms before that; site: ${currentSite() ?? 'none'}, trusted: ${trusted()})`);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
