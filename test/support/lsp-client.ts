// A minimal LSP client over the real server process (stdio or node IPC), built on
// vscode-jsonrpc. Used by the LSP tests and by `npm run bench`.
import { ChildProcess, fork, spawn } from 'node:child_process';
import {
  createMessageConnection, IPCMessageReader, IPCMessageWriter, MessageConnection, StreamMessageReader, StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeResult } from 'vscode-languageserver-protocol';
import { SERVER } from './helpers';
import { Waiters } from './waiters';

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export interface LspClientOptions {
  transport?: 'stdio' | 'ipc';
  /** Advertise pull diagnostics (textDocument.diagnostic) and diagnostics refresh. */
  pull?: boolean;
  initializationOptions?: unknown;
  serverPath?: string;
  /** workspace.workspaceEdit capability to advertise (documentChanges, resourceOperations). */
  workspaceEdit?: { documentChanges?: boolean; resourceOperations?: string[] };
}

export class LspClient {
  readonly child: ChildProcess;
  readonly conn: MessageConnection;
  readonly published: PublishedDiagnostics[] = [];
  /** The server's stderr and its window/logMessage notifications. */
  stderr = '';
  /** With the IPC transport: whatever the server wrote to stdout (must stay empty). */
  stdout = '';
  readonly protocolErrors: string[] = [];
  readonly refreshRequests: number[] = [];
  readonly configurationRequests: unknown[] = [];
  private readonly waiters = new Waiters();
  private exited: Promise<number | null>;

  constructor(readonly opts: LspClientOptions = {}) {
    const server = opts.serverPath ?? SERVER;
    if (opts.transport === 'ipc') {
      this.child = fork(server, ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
      this.conn = createMessageConnection(new IPCMessageReader(this.child), new IPCMessageWriter(this.child));
      // Over IPC stdout is not the protocol: anything there is a stray write.
      this.child.stdout!.on('data', (d) => (this.stdout += d));
    } else {
      this.child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
      this.conn = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    }
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    this.conn.onError(([err]) => this.protocolErrors.push(String(err)));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      this.published.push(p);
      this.wake();
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.stderr += `[log] ${p.message}\n`;
      this.wake();
    });
    this.conn.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshRequests.push(Date.now());
      this.wake();
      return null;
    });
    // We advertise workspace.configuration, so answer it: no settings beyond the defaults.
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => {
      this.configurationRequests.push(p);
      return p.items.map(() => null);
    });
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.listen();
  }

  get pid(): number {
    return this.child.pid!;
  }

  private wake() {
    this.waiters.wake();
  }

  /** Resolve when `pred` holds (checked on every published diagnostics message), or reject after `ms`. */
  waitFor<T>(what: string, pred: () => T | undefined | false, ms = 10_000): Promise<T> {
    return this.waiters.waitFor(what, pred, ms, () => `; stderr:\n${this.stderr}`);
  }

  /** The diagnostics published for `uri` at `version` (or any version), waiting for them. */
  diagnosticsFor(uri: string, version?: number, ms?: number): Promise<PublishedDiagnostics> {
    return this.waitFor(`diagnostics for ${uri} v${version ?? '*'}`, () =>
      [...this.published].reverse().find((p) => p.uri === uri && (version === undefined || p.version === version)),
    ms);
  }

  /** `folders`: workspace folder URIs (a multi-root workspace); rootUri alone otherwise. */
  async initialize(rootUri: string | null = null, folders?: string[]): Promise<InitializeResult> {
    const textDocument: Record<string, unknown> = {
      synchronization: { dynamicRegistration: false, didSave: true },
      publishDiagnostics: { relatedInformation: true, versionSupport: true },
      completion: { completionItem: { snippetSupport: true } },
      hover: { contentFormat: ['markdown', 'plaintext'] },
      documentSymbol: { hierarchicalDocumentSymbolSupport: true },
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
    };
    const workspace: Record<string, unknown> = { configuration: true, workspaceFolders: false };
    if (this.opts.workspaceEdit) workspace.workspaceEdit = this.opts.workspaceEdit;
    if (this.opts.pull) {
      textDocument.diagnostic = { dynamicRegistration: false, relatedDocumentSupport: false };
      workspace.diagnostics = { refreshSupport: true };
    }
    const result = await this.untilExit('initialize', () => this.conn.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri,
      ...(folders ? { workspaceFolders: folders.map((uri) => ({ uri, name: uri.split('/').pop() })) } : {}),
      capabilities: { textDocument, workspace },
      initializationOptions: this.opts.initializationOptions,
    }));
    await this.untilExit('initialized', () => this.conn.sendNotification('initialized', {}));
    return result;
  }

  open(uri: string, text: string, version = 1) {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'gerrit-replication', version, text } });
  }

  changeAll(uri: string, version: number, text: string) {
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.untilExit(method, () => this.conn.sendRequest<R>(method, params));
  }

  /**
   * What `send` returns, or a rejection naming the server's exit and its stderr if the server
   * exits first: a request to a dead server is never answered, and the test would wait for
   * ever. Nothing is sent to a server that has already exited.
   */
  private untilExit<T>(what: string, send: () => Promise<T>): Promise<T> {
    const died = this.exited.then((code) => Promise.reject(new Error(`${what}: the server exited (code ${code}) before answering; stderr:\n${this.stderr}`)));
    died.catch(() => undefined); // a server that exits after answering is not this call's failure
    if (this.child.exitCode !== null || this.child.signalCode !== null) return died;
    return Promise.race([send(), died]);
  }

  /** shutdown + exit; resolves with the exit code. */
  async shutdown(ms = 10_000): Promise<number | null> {
    await this.conn.sendRequest('shutdown');
    await this.conn.sendNotification('exit');
    return withTimeout(this.exited, ms, 'server exit after shutdown/exit');
  }

  /** Kill by pid if still running (for `after` hooks). */
  kill() {
    this.conn.dispose();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      try {
        process.kill(this.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms))),
  ]);
}
