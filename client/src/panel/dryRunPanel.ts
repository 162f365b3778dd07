// The dry-run preview panel (a webview). Loaded lazily on first use. The HTML comes from
// ./html.ts; this file only wires the panel: plan requests, messages, config-change refresh.
import { isAbsolute, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { PlanParams, PlanResult } from '../../../server/src/protocol';
import { engineErrorText, EngineApi } from '../engineApi';
import type { ExactTarget } from '../../../server/src/protocol';
import { escapeHtml, nonce, pageHtml, planFragment } from './html';
import { confirmation, selectionFromShown } from './selection';
import { driftItems } from './drift';

export interface PanelHost {
  api: EngineApi;
  log: vscode.LogOutputChannel;
  /** Pushes exactly the confirmed changes of "Replicate these" (trust is checked by the host). */
  replicateExact(targets: ExactTarget[]): Promise<void>;
}

const CONFIG_GLOB = '**/{replication.config,secure.config,replication/*.config,conf/*.conf,conf/**/*.conf,.gitolite.rc}';

export class DryRunPanel implements vscode.Disposable {
  static current: DryRunPanel | undefined;

  static show(context: vscode.ExtensionContext, host: PanelHost, params: PlanParams = {}): DryRunPanel {
    if (DryRunPanel.current) {
      DryRunPanel.current.params = params;
      DryRunPanel.current.panel.reveal();
      void DryRunPanel.current.refresh();
      return DryRunPanel.current;
    }
    const media = vscode.Uri.joinPath(context.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel('gitReplication.dryRun', 'Dry-Run Replication', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
      retainContextWhenHidden: false,
    });
    DryRunPanel.current = new DryRunPanel(panel, media, host, params);
    return DryRunPanel.current;
  }

  private readonly disposables: vscode.Disposable[] = [];
  private version = 0;
  private debounce: NodeJS.Timeout | undefined;
  last: PlanResult | undefined;
  /** Which plan the webview shows; a "Replicate these" of an older one is refused. */
  private shownVersion = 0;

  private constructor(private readonly panel: vscode.WebviewPanel, private readonly media: vscode.Uri, private readonly host: PanelHost, private params: PlanParams) {
    this.setPage(undefined, 'Computing the dry run…');
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage((m) => this.onMessage(m), null, this.disposables);
    panel.onDidChangeViewState(() => {
      if (panel.visible) void this.refresh();
    }, null, this.disposables);
    // Refresh when the config changes: on save in the editor and on changes from outside.
    const watcher = vscode.workspace.createFileSystemWatcher(CONFIG_GLOB);
    this.disposables.push(watcher,
      watcher.onDidChange(() => this.soon()), watcher.onDidCreate(() => this.soon()), watcher.onDidDelete(() => this.soon()),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (/(replication|secure)\.config$|[/\\]replication[/\\][^/\\]+\.config$|[/\\]conf[/\\].*\.conf$|\.gitolite\.rc$/.test(d.fileName)) this.soon();
      }));
    void this.refresh();
  }

  private setPage(plan: PlanResult | undefined, message?: string): void {
    const w = this.panel.webview;
    w.html = pageHtml({
      cspSource: w.cspSource,
      nonce: nonce(),
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(this.media, 'dryRun.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(this.media, 'dryRun.css')).toString(),
      plan,
      message,
    });
  }

  private soon(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.refresh(), 300);
  }

  async refresh(): Promise<void> {
    const v = ++this.version;
    void this.panel.webview.postMessage({ type: 'busy', busy: true });
    try {
      const plan = await this.host.api.plan(this.params);
      if (v !== this.version) return; // a newer refresh is under way
      this.last = plan;
      this.shownVersion = v;
      void this.panel.webview.postMessage({ type: 'render', html: planFragment(plan), version: v });
    } catch (err) {
      if (v !== this.version) return;
      const text = `The dry run failed: ${engineErrorText(err)}`;
      this.host.log.error(text);
      void this.panel.webview.postMessage({ type: 'render', html: `<p id="summary" role="status" class="error">${escapeHtml(text)}</p>` });
    } finally {
      if (v === this.version) void this.panel.webview.postMessage({ type: 'busy', busy: false });
    }
  }

  private async onMessage(m: unknown): Promise<void> {
    const msg = m as { type?: string; file?: unknown; line?: unknown };
    switch (msg?.type) {
      case 'ready':
        if (this.last) void this.panel.webview.postMessage({ type: 'render', html: planFragment(this.last), version: this.shownVersion });
        return;
      case 'refresh':
        return this.refresh();
      case 'drift': {
        // The mirrors' current state for the plan shown (the status check of the same selection).
        const plan = this.last;
        const version = this.shownVersion;
        if (!plan || (m as { version?: unknown }).version !== version || plan.refused || plan.siteKind === 'gitolite') return;
        try {
          const status = await this.host.api.status({ projects: this.params.projects, remotes: this.params.remotes });
          if (version !== this.shownVersion) return;
          void this.panel.webview.postMessage({ type: 'drift', version, items: driftItems(plan, status, Date.now()) });
        } catch (err) {
          this.host.log.error(`Drift: ${engineErrorText(err)}`);
        }
        return;
      }
      case 'replicate': {
        const sel = selectionFromShown(this.last, this.shownVersion, m);
        if (typeof sel === 'string') {
          void vscode.window.showWarningMessage(`Git Replication: cannot replicate: ${sel}`);
          return;
        }
        const c = confirmation(sel);
        if (c.pushes === 0) {
          void vscode.window.showInformationMessage(`Git Replication: ${c.message}`, { detail: c.detail });
          return;
        }
        // Always asked, as terraform apply does: the summary counts every outcome, deletions first.
        const go = await vscode.window.showWarningMessage(c.message, { modal: true, detail: c.detail }, c.action);
        if (go !== c.action) return;
        await this.host.replicateExact(sel.targets);
        return this.refresh();
      }
      case 'open': {
        // Only files the plan itself reported can be opened from the page.
        const file = typeof msg.file === 'string' ? msg.file : '';
        if (!this.last?.diagnostics.some((d) => d.file === file)) return;
        const line = Math.max(0, (typeof msg.line === 'number' ? msg.line : 1) - 1);
        // The engine reports paths relative to the site.
        const abs = isAbsolute(file) ? file : resolve(this.last.site, file);
        await vscode.window.showTextDocument(vscode.Uri.file(abs), { selection: new vscode.Range(line, 0, line, 0) });
        return;
      }
    }
  }

  dispose(): void {
    if (DryRunPanel.current === this) DryRunPanel.current = undefined;
    if (this.debounce) clearTimeout(this.debounce);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
