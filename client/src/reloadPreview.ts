// "Preview Reload": what a reload of the edited config would change (remotes, urls, projects,
// stored tasks a reload drops), against the saved files or git HEAD, from the server's
// gitReplication/reloadPreview (the same comparison as `git-replication plan --against`). A code
// lens on each [remote "…"] header runs it for that remote; the answer is a read-only document.
import * as vscode from 'vscode';
import type { CommandHost } from './commands';
import { ReadOnlyDocuments } from './readOnlyDocuments';
import { reloadPreviewText, remoteHeaders } from './models/reloadText';

/** The reload previews' read-only documents. */
export const reloadPreviewDocuments = () => new ReadOnlyDocuments('git-replication-reload');

/** A lens above every [remote] header of a replication file; only for the site's config files. */
export class ReloadLenses implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!/(^|[/\\])(replication\.config|replication[/\\][^/\\]+\.config)$/.test(doc.fileName)) return [];
    return remoteHeaders(doc.getText()).map(({ line, remote }) =>
      new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: 'Preview reload', tooltip: `What a reload of this config changes for remote ${remote} (against the saved file or git HEAD)`, command: 'gitReplication.previewReload', arguments: [{ remote }] }));
  }
}

export async function previewReload(host: CommandHost, docs: ReadOnlyDocuments, arg: unknown): Promise<void> {
  const remote = typeof (arg as { remote?: unknown })?.remote === 'string' ? (arg as { remote: string }).remote : undefined;
  type Item = vscode.QuickPickItem & { against: 'saved' | 'head' };
  const dirty = vscode.workspace.textDocuments.some((d) => d.isDirty && /replication\.config$|[/\\]replication[/\\][^/\\]+\.config$/.test(d.fileName));
  const pick = await vscode.window.showQuickPick<Item>([
    { label: 'Against the saved file', description: dirty ? 'the editor has unsaved changes: they are what is previewed' : 'no unsaved changes: the preview is empty unless other files differ', against: 'saved' },
    { label: 'Against git HEAD', description: 'the config files as last committed', against: 'head' },
  ], { title: `Preview Reload${remote ? ` (remote ${remote})` : ''}`, placeHolder: 'Compare the config as edited with…', ignoreFocusOut: true });
  if (!pick) return;
  host.log.info(`Preview reload against ${pick.against}${remote ? ` (remote ${remote})` : ''}`);
  const p = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Git Replication: reload preview' }, () => host.api.reloadPreview({ against: pick.against }));
  await docs.show(`Reload preview against ${pick.against}${remote ? ` (${remote})` : ''}`, reloadPreviewText(p, remote), { beside: true });
}
