// Queue view: a TreeDataProvider over models/queueModel, fed live by queueChanged. While tasks
// wait for a next attempt, it re-renders every few seconds so "next in 12s" stays true.
import * as vscode from 'vscode';
import type { QueueSnapshot } from '../../../server/src/protocol';
import { queueNodes } from '../models/queueModel';
import type { TreeNode } from '../models/treeNode';
import { toTreeItem } from './treeAdapter';

export class QueueTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: TreeNode[] = [];
  private snap: QueueSnapshot | undefined;
  private timer: NodeJS.Timeout | undefined;

  set(snap: QueueSnapshot | undefined): void {
    this.snap = snap;
    this.render();
    const ticking = !!snap?.tasks.some((t) => t.nextAttemptAt !== undefined && t.state !== 'running');
    if (ticking && !this.timer) this.timer = setInterval(() => this.render(), 5000);
    if (!ticking && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  get snapshot(): QueueSnapshot | undefined {
    return this.snap;
  }

  private render(): void {
    this.nodes = queueNodes(this.snap, Date.now());
    this.changed.fire(undefined);
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    return toTreeItem(n);
  }

  getChildren(n?: TreeNode): TreeNode[] {
    return n ? n.children ?? [] : this.nodes;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
