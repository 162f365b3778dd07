// Maps the pure TreeNode models onto VS Code TreeItems.
import * as vscode from 'vscode';
import type { TreeNode } from '../models/treeNode';

export function toTreeItem(n: TreeNode): vscode.TreeItem {
  const state = n.children?.length
    ? n.expanded === false ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded
    : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(n.label, state);
  item.id = n.id;
  item.description = n.description;
  item.tooltip = n.tooltip;
  item.contextValue = n.contextValue;
  if (n.icon) item.iconPath = new vscode.ThemeIcon(n.icon, n.iconColor ? new vscode.ThemeColor(n.iconColor) : undefined);
  if (n.open) {
    const uri = vscode.Uri.file(n.open.file);
    const line = Math.max(0, n.open.line - 1);
    item.command = { title: 'Open', command: 'vscode.open', arguments: [uri, { selection: new vscode.Range(line, 0, line, 0) }] };
  }
  item.accessibilityInformation = { label: [n.label, n.description].filter(Boolean).join(', ') };
  return item;
}
