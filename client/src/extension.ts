// Thin VS Code client: starts the language server, then wires commands, views, the status bar
// and the (lazily loaded) dry-run panel onto the server's engine requests. Activation does no
// I/O beyond a few existsSync calls and does not wait for the server; both times are logged.
import * as path from 'node:path';
import * as vscode from 'vscode';
// Types only: the client library is loaded when the server starts, after activate() returns.
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { Notifications, type LogParams, type NotificationSpec, type PlanParams, type QueueSnapshot } from '../../server/src/protocol';
import { registerCommands, pushExactWithProgress, CommandHost } from './commands';
import { EngineApi, engineErrorText } from './engineApi';
import { resolveSite } from './models/site';
import { serverEnv } from './models/serverEnv';
import { QueueStatusBar } from './statusBar';
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
    workspaceDiagnostics: c.get<boolean>('workspaceDiagnostics', true),
  };
}

function currentSite(): string | undefined {
  return resolveSite(settings().site, (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
}

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
    documentSelector: [
      { scheme: 'file', language: 'gerrit-replication' },
      { scheme: 'file', language: 'gitolite' },
      { scheme: 'file', pattern: '**/gitolite.conf' },
      { scheme: 'file', pattern: '**/.gitolite.rc' },
    ],
    outputChannel: log,
    initializationOptions: {
      severityOverrides: s.severityOverrides,
      maxDocumentSizeMB: s.maxDocumentSizeMB,
      workspaceDiagnostics: s.workspaceDiagnostics,
      site: currentSite(),
      gitPath: s.gitPath,
      engine: { enabled: s.engineEnabled },
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
  const remotesTree = new RemotesTree();
  const status = new QueueStatusBar();
  context.subscriptions.push(queueTree, status);
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
  const refreshRemotes = async () => {
    if (!ready || !engineOn()) {
      // The views' welcome text explains Restricted Mode / the engine switch.
      remotesTree.set([]);
      remotesView.message = undefined;
      return;
    }
    try {
      remotesTree.set(await api.remotes(), currentSite());
      remotesView.message = undefined;
    } catch (err) {
      remotesTree.set([]);
      remotesView.message = `Remotes unavailable: ${engineErrorText(err)}`;
      log.warn(`remotes: ${engineErrorText(err)}`);
    }
  };

  const startClient = async () => {
    // Yield first: loading the client library must happen after activate() has returned.
    await new Promise((resolve) => setImmediate(resolve));
    const t = performance.now();
    client = await makeClient(context, log);
    const on = <P>(spec: NotificationSpec<P>, handler: (params: P) => void) => client!.onNotification(spec.method, handler);
    on(Notifications.queueChanged, (snap) => setQueue(snap));
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
    refreshRemotes,
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

  // Remote error counts follow the config's diagnostics; the tree follows saves.
  let remotesTimer: NodeJS.Timeout | undefined;
  const remotesSoon = () => {
    if (remotesTimer) clearTimeout(remotesTimer);
    remotesTimer = setTimeout(() => void refreshRemotes(), 500);
  };
  context.subscriptions.push(
    vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => /\.config$|\.conf$|\.gitolite\.rc$/.test(u.path))) remotesSoon();
    }),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (/\.config$|\.conf$|\.gitolite\.rc$/.test(d.fileName)) remotesSoon();
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
  );

  status.update(undefined, trusted());
  void startClient().catch((err) => log.error(`language server failed to start: ${engineErrorText(err)}`));
  const loadMs = typeof __grLoadStart === 'number' ? t0 - __grLoadStart : NaN;
  log.info(`activated in ${(performance.now() - t0).toFixed(1)} ms (code loading ${loadMs.toFixed(1)} ms before that; site: ${currentSite() ?? 'none'}, trusted: ${trusted()})`);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
