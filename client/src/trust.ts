// Workspace Trust: language features work everywhere; replication (which runs git against
// remote hosts) needs a trusted workspace. Menus hide the commands via `isWorkspaceTrusted`;
// this guard explains when one is invoked anyway (keybinding, another extension, a link).
import * as vscode from 'vscode';

export const RESTRICTED_TEXT = 'Git Replication: replication is disabled in Restricted Mode, because it runs git against remote hosts. Trust this workspace to enable it.';

export function trusted(): boolean {
  return vscode.workspace.isTrusted;
}

export function requireTrust<A extends unknown[]>(fn: (...args: A) => unknown): (...args: A) => unknown {
  return (...args: A) => {
    if (!trusted()) {
      void vscode.window.showWarningMessage(RESTRICTED_TEXT, 'Manage Workspace Trust').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return undefined;
    }
    return fn(...args);
  };
}
