// Thin VS Code client: starts the language server and forwards settings.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'gerrit-replication' },
      { scheme: 'file', pattern: '**/gitolite.conf' },
      { scheme: 'file', pattern: '**/.gitolite.rc' },
    ],
    synchronize: {
      configurationSection: 'gitReplication',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{replication.config,secure.config,*.config,gitolite.conf,*.conf,.gitolite.rc}'),
    },
  };
  client = new LanguageClient('gitReplication', 'Git Replication', serverOptions, clientOptions);
  await client.start();
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
