// Status bar item: queue depth and failures; a click opens the Queue view.
import * as vscode from 'vscode';
import type { QueueSnapshot } from '../../server/src/protocol';
import { statusText } from './models/queueModel';

export class QueueStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gitReplication.queue', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Git Replication Queue';
    this.item.command = 'gitReplication.showQueue';
  }

  update(snap: QueueSnapshot | undefined, isTrusted: boolean): void {
    const s = statusText(snap, isTrusted);
    this.item.text = s.text;
    this.item.tooltip = s.tooltip;
    this.item.backgroundColor = s.alert ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.accessibilityInformation = { label: s.tooltip };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
