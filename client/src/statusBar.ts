// Status bar items: queue depth and failures (a click opens the Queue view), and the mirror
// health summary while something is behind (a click opens the Remotes view).
import * as vscode from 'vscode';
import type { QueueSnapshot, StatusResult } from '../../server/src/protocol';
import { healthBar } from './models/healthModel';
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

/** "Mirror health": shown only while some target is not in sync; a click opens the Remotes view. */
export class MirrorHealthBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gitReplication.health', vscode.StatusBarAlignment.Left, 9);

  constructor() {
    this.item.name = 'Git Replication Mirror Health';
    this.item.command = 'gitReplicationRemotes.focus';
  }

  update(status: StatusResult | undefined): void {
    const s = healthBar(status, Date.now());
    if (!s) {
      this.item.hide();
      return;
    }
    this.item.text = s.text;
    this.item.tooltip = s.tooltip;
    this.item.backgroundColor = s.alert ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: s.text.replace(/\$\([^)]*\)\s*/g, '') };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
