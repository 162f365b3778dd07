// Remotes view: a TreeDataProvider over models/remotesModel.
import * as vscode from 'vscode';
import type { RemoteSummary } from '../../../server/src/protocol';
import { remoteNodes } from '../models/remotesModel';
import type { TreeNode } from '../models/treeNode';
import { toTreeItem } from './treeAdapter';

export class RemotesTree implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: TreeNode[] = [];

  set(remotes: RemoteSummary[], site?: string): void {
    this.nodes = remoteNodes(remotes, site);
    this.changed.fire(undefined);
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    return toTreeItem(n);
  }

  getChildren(n?: TreeNode): TreeNode[] {
    return n ? n.children ?? [] : this.nodes;
  }
}
