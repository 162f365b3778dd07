// Remotes view: a TreeDataProvider over models/remotesModel. The config summaries and the mirror
// health arrive separately (health needs one ref listing per target); either re-renders. A
// project row's tooltip is completed on hover with the engine's explain answer.
import * as vscode from 'vscode';
import type { ExplainResult, RemoteSummary, StatusResult } from '../../../server/src/protocol';
import { explainLines, linesMarkdown } from '../models/explainText';
import { remoteNodes, type RowData } from '../models/remotesModel';
import type { TreeNode } from '../models/treeNode';
import { toTreeItem } from './treeAdapter';

export class RemotesTree implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: TreeNode[] = [];
  private remotes: RemoteSummary[] = [];
  private site: string | undefined;
  private status: StatusResult | undefined;

  /** explain: the engine's answer for a project on one remote (undefined: no hover text). */
  constructor(private readonly explain?: (project: string, remote: string) => Promise<ExplainResult | undefined>) {}

  // A re-render replaces every element, which closes an open hover or context menu: only
  // render when what is shown changed.
  set(remotes: RemoteSummary[], site?: string): void {
    const same = site === this.site && JSON.stringify(remotes) === JSON.stringify(this.remotes);
    this.remotes = remotes;
    this.site = site;
    if (!same) this.render();
  }

  setHealth(status: StatusResult | undefined): void {
    const same = JSON.stringify(status?.targets) === JSON.stringify(this.status?.targets);
    this.status = status;
    if (!same) this.render();
  }

  get health(): StatusResult | undefined {
    return this.status;
  }

  get summaries(): RemoteSummary[] {
    return this.remotes;
  }

  private render(): void {
    this.nodes = remoteNodes(this.remotes, this.site, this.status);
    this.changed.fire(undefined);
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    const item = toTreeItem(n);
    // VS Code asks resolveTreeItem only for a tooltip left undefined.
    if (this.explains(n)) item.tooltip = undefined;
    return item;
  }

  private explains(n: TreeNode): boolean {
    return !!this.explain && (n.kind === 'project' || n.kind === 'target') && !!(n.data as RowData | undefined)?.project;
  }

  getChildren(n?: TreeNode): TreeNode[] {
    return n ? n.children ?? [] : this.nodes;
  }

  async resolveTreeItem(item: vscode.TreeItem, n: TreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (!this.explains(n)) return item;
    const d = n.data as RowData;
    const e = await this.explain!(d.project!, d.remote).catch(() => undefined);
    if (token.isCancellationRequested) return item;
    if (!e) {
      item.tooltip = n.tooltip;
      return item;
    }
    // The health first (what the row's icon says), then why it is replicated at all.
    const tip = new vscode.MarkdownString(undefined, true);
    if (n.tooltip) tip.appendMarkdown(linesMarkdown(n.tooltip.split('\n'))).appendMarkdown('\n\n---\n\n');
    tip.appendMarkdown(explainLines(e, { markdown: true }).join('\n'));
    item.tooltip = tip;
    return item;
  }
}
