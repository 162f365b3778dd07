// gitReplication.renameAt: the server's quick fix for a duplicate remote block renames it to a
// placeholder ("x-2") and names this command; it puts the cursor on the new name and opens VS
// Code's rename box there, so the user types the real name (and the rename provider updates
// secure.config with it). Arguments arrive as JSON: a URI string and an LSP position.
import * as vscode from 'vscode';

export function registerRenamePrompt(): vscode.Disposable {
  return vscode.commands.registerCommand('gitReplication.renameAt', async (uri: unknown, pos: unknown) => {
    const p = pos as { line?: unknown; character?: unknown } | undefined;
    if (typeof uri !== 'string' || typeof p?.line !== 'number' || typeof p.character !== 'number') return;
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(uri), { preserveFocus: false });
    const at = new vscode.Position(p.line, p.character);
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('editor.action.rename');
  });
}
