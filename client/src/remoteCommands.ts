// Commands of the Remotes view's rows: Sync now (a target or a project), Replicate, Open in
// config, Copy URL and Test connection (a remote or one URL), and "Why is this not
// replicated?". Every push goes through confirmDestructive, as the palette's commands do; every
// action is logged to the output channel.
import * as vscode from 'vscode';
import type { ConnectionTest, ExplainResult, PlanParams } from '../../server/src/protocol';
import type { CommandHost } from './commands';
import { ReadOnlyDocuments } from './readOnlyDocuments';
import { confirmDestructive, replicateWithProgress } from './commands';
import { displayUrl, parseReplicateRequest, unsafeProjectName, type ReplicateTarget } from './models/args';
import { explainLines } from './models/explainText';
import type { RowData } from './models/remotesModel';
import { connectionText, rowSelection, urlLine } from './models/rowActions';
import { urlPatternOf } from './models/urlPattern';

/** The row a command was invoked on: a tree node ({ kind, data }) or undefined (the palette). */
function rowOf(arg: unknown): { kind: string; data: RowData } | undefined {
  const n = arg as { kind?: unknown; data?: Partial<RowData> } | undefined;
  if (!n || typeof n.kind !== 'string' || !n.data || typeof n.data.remote !== 'string') return undefined;
  return { kind: n.kind, data: n.data as RowData };
}

/** Sync now: replicate a target (project × URL) or a project on one remote, then re-check its health. */
export async function syncNow(host: CommandHost, arg: unknown): Promise<void> {
  const row = rowOf(arg);
  if (!row?.data.project) throw new Error('Sync now works on a project or target row of the Remotes view');
  const req = parseReplicateRequest({ projects: [row.data.project], remotes: [row.data.remote], urlPattern: row.data.url ? urlPatternOf(row.data.url) : undefined });
  if (typeof req === 'string') throw new Error(req);
  const where = row.data.target ?? row.data.remote;
  const title = `Sync now: ${row.data.project} → ${where}`;
  host.log.info(`${title} (from the Remotes view)`);
  const how = await confirmDestructive(host, title, req);
  if (how === 'cancelled') {
    host.log.info(`${title}: cancelled at the confirmation`);
    return;
  }
  if (how === 'queued') await replicateWithProgress(host, title, [req]);
  await host.refreshHealth({ projects: [row.data.project], remotes: [row.data.remote] });
}

/** Replicate a whole remote or one URL of it: every project it matches, after a dry-run summary. */
export async function replicateRow(host: CommandHost, arg: unknown): Promise<void> {
  const row = rowOf(arg);
  if (!row) throw new Error('Replicate works on a remote or URL row of the Remotes view');
  const sel = rowSelection(row.data);
  const title = `Replicate ${row.data.url ? `${row.data.remote} → ${row.data.url}` : `remote ${row.data.remote}`}`;
  host.log.info(`${title} (from the Remotes view)`);
  if ((await confirmDestructive(host, title, sel, true)) !== 'queued') return;
  const target: ReplicateTarget = { projects: [], remotes: sel.remotes, urlPattern: sel.urlPattern };
  await replicateWithProgress(host, title, [target]);
  await host.refreshHealth({ remotes: sel.remotes });
}

/** The dry-run selection of any row: remote, URL, project or target. */
export function dryRunParams(arg: unknown): PlanParams {
  const row = rowOf(arg);
  if (!row) return {};
  const sel: PlanParams = rowSelection(row.data);
  if (row.data.project) sel.projects = [row.data.project];
  return sel;
}

export async function openInConfig(host: CommandHost, arg: unknown): Promise<void> {
  const row = rowOf(arg);
  const r = row && host.remotes().find((x) => x.name === row.data.remote);
  if (!row || !r) throw new Error('Open in config works on a remote or URL row of the Remotes view');
  const blocks = r.blocks?.length ? r.blocks : [{ file: r.file, line: r.line, errors: 0, warnings: 0 }];
  let file = r.file;
  let line = r.line;
  if (row.data.url) {
    // The url line of the block that holds it, else the remote's header.
    for (const b of blocks) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(b.file));
      const at = urlLine(doc.getText().split(/\r?\n/), b.line, row.data.url);
      if (at) {
        file = b.file;
        line = at;
        break;
      }
    }
  }
  const l = Math.max(0, line - 1);
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(l, 0, l, 0) });
}

export async function copyUrl(host: CommandHost, arg: unknown): Promise<void> {
  const row = rowOf(arg);
  const r = row && host.remotes().find((x) => x.name === row.data.remote);
  if (!row) throw new Error('Copy URL works on a remote, URL or target row of the Remotes view');
  // Display form only: the clipboard never gets a credential.
  const text = row.data.target ?? row.data.url ?? (r?.urls ?? []).map((u) => displayUrl(u.template)).join('\n');
  await vscode.env.clipboard.writeText(displayUrl(text));
  host.log.info(`Copy URL: ${displayUrl(text).replace(/\n/g, ', ')}`);
  void vscode.window.setStatusBarMessage(`Git Replication: copied ${displayUrl(text).split('\n')[0]}`, 3000);
}

/** A real `git ls-remote` of each URL of the row; the error, redacted, is shown and logged. */
export async function testConnection(host: CommandHost, arg: unknown): Promise<ConnectionTest[]> {
  const row = rowOf(arg);
  if (!row) throw new Error('Test connection works on a remote or URL row of the Remotes view');
  const title = `Test connection: ${row.data.url ?? `remote ${row.data.remote}`}`;
  const results = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${title}…` },
    () => host.api.testConnection({ remote: row.data.remote, template: row.data.url }));
  for (const r of results) {
    const t = connectionText(r);
    if (r.ok) host.log.info(t);
    else host.log.warn(t);
    if (r.ok) void vscode.window.showInformationMessage(`Git Replication: ${t}`);
    else if (r.missing) void vscode.window.showWarningMessage(`Git Replication: ${t}`, 'Show Log').then((p) => p && host.log.show());
    else void vscode.window.showErrorMessage(`Git Replication: ${t}`, 'Show Log').then((p) => p && host.log.show());
  }
  return results;
}

/** "Why is this not replicated?": explain answers as read-only documents, one per question. */
export const explainDocuments = () => new ReadOnlyDocuments('git-replication-explain');

/** Shows an explain answer, named after its project and ref. */
function showExplain(docs: ReadOnlyDocuments, e: ExplainResult): Promise<void> {
  const name = `Why ${e.project.replace(/[^\w.-]+/g, '_')}${e.ref ? `-${e.ref.replace(/[^\w.-]+/g, '_')}` : ''}`;
  return docs.show(name, explainLines(e).join('\n') + '\n', { keep: /[^\w .-]+/g });
}

export async function whyNotReplicated(host: CommandHost, docs: ReadOnlyDocuments, arg: unknown): Promise<void> {
  const row = rowOf(arg);
  let project = row?.data.project;
  let ref: string | undefined;
  const remotes = row ? [row.data.remote] : undefined;
  if (!project) {
    // Every project of the site, replicated or not (that is the question), or any typed name.
    const all = await host.api.projects();
    type Item = vscode.QuickPickItem & { name: string };
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = 'Why is this not replicated? (1/2): project';
    qp.placeholder = 'A project of the site, or type any name';
    qp.ignoreFocusOut = true;
    const base: Item[] = all.map((p) => ({ label: p.name, description: p.remotes.length ? `replicated to ${p.remotes.join(', ')}` : 'replicated nowhere', name: p.name }));
    qp.items = base;
    qp.onDidChangeValue((v) => {
      qp.items = v && !all.some((p) => p.name === v) ? [...base, { label: v, description: 'not a project of the site', name: v, alwaysShow: true }] : base;
    });
    project = await new Promise<string | undefined>((resolve) => {
      qp.onDidAccept(() => resolve(qp.selectedItems[0]?.name));
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
    qp.dispose();
    if (!project) return;
    const why = unsafeProjectName(project);
    if (why) throw new Error(why);
    const typed = await vscode.window.showInputBox({
      title: `Why is this not replicated? (2/2): a ref of ${project}`,
      prompt: 'A full ref name such as refs/heads/main, or empty for the project alone',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' || v.trim().startsWith('refs/') ? undefined : 'a full ref name starts with refs/'),
    });
    if (typed === undefined) return;
    ref = typed.trim() || undefined;
  }
  host.log.info(`Why is this not replicated? ${project}${ref ? ` ${ref}` : ''}${remotes ? ` on ${remotes.join(', ')}` : ''}`);
  const e = await host.api.explain({ project, ref, remotes });
  await showExplain(docs, e);
}
