// Command palette and tree commands. Each replication command is wrapped in requireTrust; the
// engine does the work through EngineApi, this file only asks, shows progress and reports.
import * as vscode from 'vscode';
import type { ExactTarget, PlanParams, PlanResult, ProjectSummary, QueueSnapshot, QueueTask, RemoteSummary, StartParams, StartResult } from '../../server/src/protocol';
import { guardQuestion } from './models/guardText';
import { confirmation, selectionOfPlan } from './panel/selection';
import { engineErrorCode, engineErrorText, EngineApi, settled } from './engineApi';
import { displayUrl, parseReplicateRequest, taskIdsFrom, type ReplicateTarget } from './models/args';
import { requireTrust } from './trust';
import { failureReason, progressText } from './models/queueModel';
import { urlPatternOf } from './models/urlPattern';
import { previewReload, ReloadLenses, reloadPreviewDocuments } from './reloadPreview';
import { copyUrl, dryRunParams, explainDocuments, openInConfig, replicateRow, syncNow, testConnection, whyNotReplicated } from './remoteCommands';

export interface CommandHost {
  context: vscode.ExtensionContext;
  api: EngineApi;
  log: vscode.LogOutputChannel;
  /** The latest queue snapshot and a way to wait for the next one. */
  queue(): QueueSnapshot | undefined;
  nextQueue(timeoutMs: number): Promise<QueueSnapshot | undefined>;
  refreshQueue(): Promise<void>;
  refreshRemotes(): Promise<void>;
  /** Re-check mirror health: every target, or those of some projects and remotes. */
  refreshHealth(scope?: { projects?: string[]; remotes?: string[] }): Promise<void>;
  /** The remotes the Remotes view shows. */
  remotes(): RemoteSummary[];
  restartServer(): Promise<void>;
}

function fail(host: CommandHost, what: string, err: unknown): void {
  const text = `${what}: ${engineErrorText(err)}`;
  host.log.error(text);
  // A refused config: the first line says so, the Problems panel has the details.
  const refused = engineErrorCode(err) === 'config-refused';
  const first = text.split('\n')[0];
  void vscode.window.showErrorMessage(`Git Replication: ${first}`, ...(refused ? ['Show Problems'] : []), 'Show Log').then((p) => {
    if (p === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    else if (p) host.log.show();
  });
}

interface TargetPick extends vscode.QuickPickItem {
  remote?: string;
  url?: string;
}

async function pickProject(host: CommandHost, arg: unknown): Promise<{ project: ProjectSummary; remotes: RemoteSummary[] } | undefined> {
  const [projects, remotes] = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Git Replication: reading projects' },
    () => Promise.all([host.api.projects(), host.api.remotes()]));
  const matched = projects.filter((p) => p.remotes.length > 0);
  if (typeof arg === 'string') {
    const p = matched.find((x) => x.name === arg);
    if (!p) {
      void vscode.window.showWarningMessage(`Git Replication: no remote replicates project "${arg}".`);
      return undefined;
    }
    return { project: p, remotes };
  }
  if (matched.length === 0) {
    void vscode.window.showInformationMessage('Git Replication: no remote matches any project of the site.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    matched.map((p) => ({ label: p.name, description: p.remotes.join(', '), project: p })),
    // ignoreFocusOut: a two-step pick should survive a click elsewhere (e.g. into a webview).
    { title: 'Replicate Project (1/2): project', placeHolder: 'Pick a project that a remote replicates', matchOnDescription: true, ignoreFocusOut: true },
  );
  return pick ? { project: pick.project, remotes } : undefined;
}

async function pickTargets(project: ProjectSummary, remotes: RemoteSummary[]): Promise<ReplicateTarget[] | undefined> {
  const items: TargetPick[] = [];
  for (const r of remotes.filter((x) => project.remotes.includes(x.name))) {
    items.push({ label: r.name, kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: `$(remote) ${r.name}`, description: `all ${r.urls.length} URL${r.urls.length === 1 ? '' : 's'}`, remote: r.name, picked: true });
    if (r.urls.length > 1) {
      for (const u of r.urls) items.push({ label: `$(link) ${displayUrl(u.template.replace(/\$\{name\}/g, project.name))}`, description: `only this URL of ${r.name}`, remote: r.name, url: u.template });
    }
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: `Replicate Project (2/2): where to push ${project.name}`,
    placeHolder: 'Remotes or single URLs (Space toggles, Enter starts)',
    canPickMany: true,
    ignoreFocusOut: true,
  });
  if (!picked || picked.length === 0) return undefined;
  const whole = picked.filter((p) => p.remote && !p.url).map((p) => p.remote!);
  const out: ReplicateTarget[] = [];
  if (whole.length) out.push({ projects: [project.name], remotes: whole });
  for (const p of picked.filter((x) => x.url && !whole.includes(x.remote!))) {
    out.push({ projects: [project.name], remotes: [p.remote!], urlPattern: urlPatternOf(p.url!) });
  }
  return out;
}

/**
 * A start request that honours the ref deletion guard: when the server answers needsConfirmation
 * (the push would delete more refs than gitReplication.refDeletionGuard allows; it started
 * nothing), a modal lists the deletions and only its button sends the request again with
 * confirmDeletions. undefined: the user declined, nothing was pushed.
 */
export async function startGuarded(host: CommandHost, title: string, p: StartParams): Promise<StartResult | undefined> {
  const r = await host.api.start(p);
  if (!r.needsConfirmation) return r;
  const q = guardQuestion(title, r.needsConfirmation);
  host.log.warn(`${q.message}\n${q.detail}`);
  const go = await vscode.window.showWarningMessage(q.message, { modal: true, detail: q.detail }, q.action);
  if (go !== q.action) {
    host.log.info(`${title}: not pushed, the mass deletion was not confirmed`);
    return undefined;
  }
  host.log.info(`${title}: the mass deletion was confirmed`);
  return host.api.start({ ...p, confirmDeletions: true });
}

/**
 * Schedules the targets now and follows them in the queue until they leave it, with a
 * cancellable notification. Returns the task ids that failed.
 */
export async function replicateWithProgress(host: CommandHost, title: string, targets: ReplicateTarget[]): Promise<void> {
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const taskIds: string[] = [];
    let declined = 0;
    for (const t of targets) {
      const r = await startGuarded(host, title, { ...t, now: true });
      if (r) taskIds.push(...r.taskIds);
      else declined++;
    }
    host.log.info(`${title}: scheduled ${taskIds.length} task(s)`);
    if (taskIds.length === 0) {
      if (declined) void vscode.window.showWarningMessage(`${title}: nothing pushed (the mass deletion was not confirmed).`);
      else void vscode.window.showInformationMessage(`${title}: nothing to replicate.`);
      return;
    }
    let cancelled = false;
    const sub = token.onCancellationRequested(() => {
      cancelled = true;
      void host.api.cancel({ taskIds }).then((r) => host.log.info(`${title}: cancelled ${r.cancelled} task(s)`), (e) => fail(host, 'Cancel failed', e));
    });
    try {
      // A fresh snapshot: a cached one may predate the start and miss the new tasks.
      let snap = await host.api.queue();
      let shown = '';
      for (;;) {
        const s = settled(snap, taskIds);
        // One message per turn (two alternating reports made the toast flicker).
        const message = progressText(snap, taskIds, taskIds.length - s.active, Date.now());
        if (message !== shown) progress.report({ message: (shown = message) });
        if (s.done || cancelled) {
          const bad = s.failed.length + s.retrying.length;
          if (cancelled) void vscode.window.showWarningMessage(`${title}: cancelled.`);
          else if (bad) {
            const what = [s.failed.length ? `${s.failed.length} failed` : '', s.retrying.length ? `${s.retrying.length} being retried` : ''].filter(Boolean).join(', ');
            const t = snap.tasks.find((x) => x.id === (s.failed[0] ?? s.retrying[0]));
            const err = t && failureReason(t);
            host.log.warn(`${title}: ${what} of ${taskIds.length} task(s)${err ? `: ${err}` : ''}`);
            void vscode.window.showWarningMessage(`${title}: ${what} of ${taskIds.length} task(s)${err ? ` — ${err}` : ''}`, 'Show Queue').then((p) => p && vscode.commands.executeCommand('gitReplicationQueue.focus'));
          } else void vscode.window.showInformationMessage(`${title}: done (${taskIds.length} task${taskIds.length === 1 ? '' : 's'}).`);
          return;
        }
        // Wait for the server's queueChanged; poll as a fallback so progress never stalls.
        snap = (await host.nextQueue(1000)) ?? (await host.api.queue());
      }
    } finally {
      sub.dispose();
    }
  });
}

/** Pushes exactly the given (confirmed) ref changes; every per-ref result goes to the log. */
export async function pushExactWithProgress(host: CommandHost, title: string, targets: ExactTarget[]): Promise<void> {
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => startGuarded(host, title, { changes: targets }));
  if (!r) {
    void vscode.window.showWarningMessage(`${title}: nothing pushed (the mass deletion was not confirmed).`);
    return;
  }
  for (const line of r.output ?? []) host.log.info(`${title}: ${line}`);
  const refs = r.refs ?? [];
  const bad = refs.filter((x) => x.status !== 'OK' && x.status !== 'UP_TO_DATE');
  if (bad.length === 0) {
    void vscode.window.showInformationMessage(`${title}: pushed ${refs.length} ref change${refs.length === 1 ? '' : 's'}.`);
  } else {
    const stale = bad.filter((x) => x.status === 'REJECTED_REMOTE_CHANGED').length;
    const first = bad[0];
    const why = `${first.remoteRef} → ${first.url}: ${first.status}${first.reason ? ` (${first.reason})` : ''}`;
    void vscode.window.showWarningMessage(`${title}: ${refs.length - bad.length} of ${refs.length} pushed; ${bad.length} not${stale ? ` (${stale} moved on the mirror since the dry run and were left alone)` : ''} — ${why}`, 'Show Log')
      .then((p) => p && host.log.show());
  }
  await host.refreshQueue();
}

/**
 * Before a full sync: a dry run of the selection. When it would delete or force-update refs, a
 * modal lists them (deletions first) and, once confirmed, exactly the planned changes are pushed,
 * so a change made after the confirmation is not pushed unseen. Returns 'queued' when the full
 * sync may go ahead as usual, 'done' when handled here, 'cancelled' when the user declined.
 */
export async function confirmDestructive(host: CommandHost, title: string, params: PlanParams, always = false): Promise<'queued' | 'done' | 'cancelled'> {
  const plan: PlanResult = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${title}: dry run` }, () => host.api.plan(params));
  if (plan.refused) throw new Error('the replication config has errors; nothing is replicated (see Problems)');
  const c = confirmation(selectionOfPlan(plan));
  if (!c.destructive) {
    if (!always) return 'queued';
    const go = await vscode.window.showWarningMessage(`${title}? ${c.message}`, { modal: true, detail: c.detail }, title);
    return go === title ? 'queued' : 'cancelled';
  }
  const go = await vscode.window.showWarningMessage(`${title}: ${c.message}`, { modal: true, detail: c.detail }, c.action);
  if (go !== c.action) return 'cancelled';
  await pushExactWithProgress(host, title, selectionOfPlan(plan).targets);
  return 'done';
}

function tasksFrom(host: CommandHost, arg: unknown, selection: unknown): string[] {
  return taskIdsFrom(arg, Array.isArray(selection) ? selection : undefined);
}

const TITLES: Record<string, string> = {
  'gitReplication.replicateProject': 'Replicate Project',
  'gitReplication.dryRun': 'Dry run',
  'gitReplication.replicateAll': 'Replicate All',
  'gitReplication.retryFailed': 'Retry Failed',
  'gitReplication.cancel': 'Cancel',
  'gitReplication.queue.retry': 'Retry',
  'gitReplication.queue.cancel': 'Cancel',
  'gitReplication.queue.replicateNow': 'Replicate Now',
  'gitReplication.queue.dismiss': 'Dismiss',
  'gitReplication.dismissFailed': 'Dismiss Failed',
  'gitReplication.refreshRemotes': 'Remotes',
  'gitReplication.refreshQueue': 'Queue',
  'gitReplication.syncNow': 'Sync now',
  'gitReplication.remotes.replicate': 'Replicate',
  'gitReplication.remotes.openConfig': 'Open in config',
  'gitReplication.remotes.copyUrl': 'Copy URL',
  'gitReplication.remotes.testConnection': 'Test connection',
  'gitReplication.explain': 'Why is this not replicated?',
  'gitReplication.previewReload': 'Preview reload',
};

export function registerCommands(host: CommandHost, openDryRun: (params: PlanParams) => Promise<void>): vscode.Disposable[] {
  const explainDocs = explainDocuments();
  const reloadDocs = reloadPreviewDocuments();
  const reg = (id: string, fn: (...a: any[]) => unknown, needsTrust = true) => {
    const run = async (...a: any[]) => {
      try {
        await fn(...a);
      } catch (err) {
        fail(host, TITLES[id] ?? id, err);
      }
    };
    return vscode.commands.registerCommand(id, needsTrust ? requireTrust(run) : run);
  };

  return [
    reg('gitReplication.replicateProject', async (arg?: unknown) => {
      const chosen = await pickProject(host, typeof arg === 'string' ? arg : undefined);
      if (!chosen) return;
      const targets = await pickTargets(chosen.project, chosen.remotes);
      if (!targets) return;
      const title = `Replicating ${chosen.project.name}`;
      host.log.info(`Replicate Project: ${chosen.project.name} → ${targets.map((t) => `${(t.remotes ?? []).join(', ')}${t.urlPattern ? ` (${displayUrl(t.urlPattern)}…)` : ''}`).join('; ')}`);
      const queued: ReplicateTarget[] = [];
      for (const t of targets) {
        const how = await confirmDestructive(host, title, t);
        if (how === 'cancelled') {
          host.log.info(`${title}: cancelled at the confirmation, nothing pushed`);
          return;
        }
        if (how === 'queued') queued.push(t);
      }
      if (queued.length) await replicateWithProgress(host, title, queued);
    }),
    reg('gitReplication.dryRun', async (arg?: unknown) => {
      // A row of the Remotes view narrows it: its remote, URL and project.
      await openDryRun(dryRunParams(arg));
    }),
    reg('gitReplication.replicateAll', async () => {
      if ((await confirmDestructive(host, 'Replicate All', {}, true)) !== 'queued') return;
      const r = await startGuarded(host, 'Replicate All', { all: true, now: true });
      if (!r) {
        void vscode.window.showWarningMessage('Replicate All: nothing pushed (the mass deletion was not confirmed).');
        return;
      }
      host.log.info(`Replicate All: scheduled ${r.scheduled} task(s)`);
      void vscode.window.showInformationMessage(`Git Replication: scheduled ${r.scheduled} task(s).`);
      await host.refreshQueue();
    }),
    reg('gitReplication.retryFailed', async () => {
      const r = await host.api.retry({ failed: true });
      host.log.info(`Retry Failed: retrying ${r.retried} task(s)`);
      void vscode.window.showInformationMessage(`Git Replication: retrying ${r.retried} task(s).`);
      await host.refreshQueue();
    }),
    reg('gitReplication.cancel', async () => {
      // A fresh snapshot: the cached one may predate tasks the Queue view already shows.
      const snap = await host.api.queue();
      const active = snap.tasks.filter((t) => t.state !== 'failed');
      const failed = snap.tasks.filter((t) => t.state === 'failed');
      if (snap.tasks.length === 0) {
        void vscode.window.showInformationMessage('Git Replication: the queue is empty.');
        return;
      }
      // Every task the Queue shows: active ones are cancelled, failed ones dismissed.
      type Item = vscode.QuickPickItem & { task?: QueueTask; all?: 'active' | 'failed' };
      const items: Item[] = [
        ...(active.length ? [{ label: '$(close-all) Cancel all', description: `${active.length} active task(s)`, all: 'active' as const }] : []),
        ...active.map((t) => ({ label: t.project, description: `→ ${displayUrl(t.url)} · ${t.state}`, task: t })),
        ...(failed.length ? [{ label: 'Failed', kind: vscode.QuickPickItemKind.Separator }, { label: '$(clear-all) Dismiss all failed', description: `${failed.length} task(s)`, all: 'failed' as const }] : []),
        ...failed.map((t) => ({ label: t.project, description: `→ ${displayUrl(t.url)} · failed (dismiss)`, detail: failureReason(t), task: t })),
      ];
      const picked = await vscode.window.showQuickPick(items, { title: 'Cancel Replication', canPickMany: true, placeHolder: 'Tasks to cancel or dismiss' });
      if (!picked?.length) return;
      const allActive = picked.some((p) => p.all === 'active');
      const allFailed = picked.some((p) => p.all === 'failed');
      const ids = picked.filter((p) => p.task).map((p) => p.task!);
      const c = allActive ? await host.api.cancel({ all: true }) : ids.some((t) => t.state !== 'failed') ? await host.api.cancel({ taskIds: ids.filter((t) => t.state !== 'failed').map((t) => t.id) }) : { cancelled: 0 };
      const d = allFailed ? await host.api.dismiss({ all: true }) : ids.some((t) => t.state === 'failed') ? await host.api.dismiss({ taskIds: ids.filter((t) => t.state === 'failed').map((t) => t.id) }) : { dismissed: 0 };
      host.log.info(`Cancel Replication: cancelled ${c.cancelled}, dismissed ${d.dismissed} task(s)`);
      void vscode.window.showInformationMessage(`Git Replication: cancelled ${c.cancelled} task(s)${d.dismissed ? `, dismissed ${d.dismissed}` : ''}.`);
      await host.refreshQueue();
    }),
    reg('gitReplication.dismissFailed', async () => {
      const r = await host.api.dismiss({ all: true });
      host.log.info(`Dismiss Failed: dismissed ${r.dismissed} task(s)`);
      await host.refreshQueue();
    }),
    reg('gitReplication.queue.dismiss', async (arg: unknown, sel: unknown) => {
      const ids = tasksFrom(host, arg, sel);
      if (!ids.length) return;
      const r = await host.api.dismiss({ taskIds: ids });
      host.log.info(`Dismiss: dismissed ${r.dismissed} task(s)`);
      await host.refreshQueue();
    }),
    reg('gitReplication.queue.retry', async (arg: unknown, sel: unknown) => {
      const ids = tasksFrom(host, arg, sel);
      if (!ids.length) return;
      const r = await host.api.retry({ taskIds: ids });
      host.log.info(`Retry: retrying ${r.retried} of ${ids.length} task(s)`);
      await host.refreshQueue();
    }),
    reg('gitReplication.queue.cancel', async (arg: unknown, sel: unknown) => {
      const ids = tasksFrom(host, arg, sel);
      if (!ids.length) return;
      const r = await host.api.cancel({ taskIds: ids });
      host.log.info(`Cancel: cancelled ${r.cancelled} of ${ids.length} task(s)`);
      await host.refreshQueue();
    }),
    reg('gitReplication.queue.replicateNow', async (arg: unknown) => {
      const t = (arg as { data?: QueueTask })?.data;
      const req = parseReplicateRequest(t ? { projects: [t.project], remotes: [t.remote], urlPattern: t.url } : undefined);
      if (typeof req === 'string') throw new Error(req);
      const title = `Replicating ${t!.project}`;
      host.log.info(`Replicate Now: ${t!.project} → ${displayUrl(t!.url)} (from the Queue view)`);
      if ((await confirmDestructive(host, title, req)) === 'queued') await replicateWithProgress(host, title, [req]);
    }),
    reg('gitReplication.showLog', () => host.log.show(), false),
    reg('gitReplication.showQueue', () => vscode.commands.executeCommand('gitReplicationQueue.focus'), false),
    reg('gitReplication.restartServer', () => host.restartServer(), false),
    reg('gitReplication.refreshRemotes', () => host.refreshRemotes()),
    reg('gitReplication.syncNow', (arg: unknown) => syncNow(host, arg)),
    reg('gitReplication.remotes.replicate', (arg: unknown) => replicateRow(host, arg)),
    reg('gitReplication.remotes.openConfig', (arg: unknown) => openInConfig(host, arg), false),
    reg('gitReplication.remotes.copyUrl', (arg: unknown) => copyUrl(host, arg), false),
    reg('gitReplication.remotes.testConnection', (arg: unknown) => testConnection(host, arg)),
    reg('gitReplication.explain', (arg: unknown) => whyNotReplicated(host, explainDocs, arg)),
    vscode.workspace.registerTextDocumentContentProvider(explainDocs.scheme, explainDocs),
    reg('gitReplication.previewReload', (arg: unknown) => previewReload(host, reloadDocs, arg)),
    vscode.workspace.registerTextDocumentContentProvider(reloadDocs.scheme, reloadDocs),
    vscode.languages.registerCodeLensProvider({ scheme: 'file', language: 'gerrit-replication' }, new ReloadLenses()),
    reg('gitReplication.refreshQueue', () => host.refreshQueue()),
  ];
}
