// A language status item (the {} in the status bar) while the active file's outline or folding
// ranges are cut at gitReplication.maxItemsComputed, as VS Code's JSON support does; its
// Configure link opens the setting.
import * as vscode from 'vscode';
import type { ItemsLimitedParams } from '../../server/src/protocol';
import { ItemLimits, MAX_ITEMS_SETTING } from './models/itemLimits';

export class ItemLimitStatus implements vscode.Disposable {
  private readonly limits = new ItemLimits();
  private item: vscode.LanguageStatusItem | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly selector: vscode.DocumentSelector) {
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.show()),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.limits.forget(d.uri.toString());
        this.show();
      }),
    ];
  }

  update(p: ItemsLimitedParams): void {
    if (this.limits.update(p)) this.show();
  }

  private show(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const s = doc && this.limits.status(doc.uri.toString());
    if (!s) {
      this.item?.dispose();
      this.item = undefined;
      return;
    }
    this.item ??= vscode.languages.createLanguageStatusItem('gitReplication.itemLimit', this.selector);
    this.item.name = 'Git Replication Outline Limit';
    this.item.severity = vscode.LanguageStatusSeverity.Warning;
    this.item.text = s.text;
    this.item.detail = s.detail;
    this.item.command = { title: 'Configure', command: 'workbench.action.openSettings', arguments: [MAX_ITEMS_SETTING] };
  }

  dispose(): void {
    this.item?.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}
