// Read-only text documents the extension writes for the user to read (an explain answer, a
// reload preview): one content provider per URI scheme, each document shown once under a fresh
// URI so an earlier one keeps its text.
import * as vscode from 'vscode';

export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private n = 0;

  constructor(readonly scheme: string) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Opens `text` as `/<name>.txt` (characters outside `keep` become '_'), in a preview editor. */
  async show(name: string, text: string, o: { keep?: RegExp; beside?: boolean } = {}): Promise<void> {
    const uri = vscode.Uri.from({ scheme: this.scheme, path: `/${name.replace(o.keep ?? /[^\w .()-]+/g, '_')}.txt`, query: String(++this.n) });
    this.texts.set(uri.toString(), text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, o.beside ? { preview: true, viewColumn: vscode.ViewColumn.Beside } : { preview: true });
  }
}
