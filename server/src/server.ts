// Thin LSP wiring: documents and settings in, the pure language service's answers out.
// Transport comes from argv (--stdio, --node-ipc, --socket=N, --pipe=NAME; lsp/transport.ts).
// Nothing is written to stdout except protocol messages: console output goes to stderr.
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, DocumentDiagnosticReportKind,
  InitializeResult, Diagnostic, ResponseError, LSPErrorCodes,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { Console } from 'node:console';
import { validate, validateSteps, moduleFor } from './formats';
import { maskSecrets } from './service/secrets';
import { diskWorkspace, overlayWorkspace } from './service/workspace';
import type { ServiceContext } from './service/types';
import { RequestRefused } from './service/errors';
import { registerEngine } from './lsp/engineBridge';
import { serverTransport } from './lsp/transport';
import { observedTextDocuments } from './lsp/textSync';
import { LastAnalysed } from './lsp/lastAnalysed';
import { DocumentLimits } from './lsp/documentLimits';
import { related, ValidationQueue } from './lsp/validationQueue';
import { clampPosition, mapRanges, moduleView, type ModuleView } from './service/lineEnds';
import type { Steps } from './service/slices';
import { runSliced } from './lsp/slicedRun';
import { WorkspaceChecks } from './lsp/workspaceChecks';
import { gitoliteHostsOf, hostsDiagnosticsFor } from './lsp/gitoliteHostsChecks';
import type { HostDir } from './gitolite/hostsCheck';
import { FIX_ALL_KIND, fixAllAction } from './service/fixAll';
import { classifyFile } from './service/fileKinds';
import { pathToFileURL } from 'node:url';
import { SiteProjects } from './lsp/siteProjects';
import { DEFAULT_MAX_ITEMS, ItemBudget, maxItemsSetting } from './service/itemBudget';
import { ItemLimitNotices } from './lsp/itemLimits';
import { HeapTrim } from './lsp/heapTrim';
import { Notifications } from './protocol';

// With --stdio, stdout is the protocol stream: every console method (log, info, debug, dir,
// table, count…) goes to stderr instead, so a stray print cannot corrupt it.
globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });

// The strict transport: a malformed frame ends the process (the client restarts it) rather than
// leaving it reading the stream out of step; requests before initialize get ServerNotInitialized.
const transport = serverTransport();
const connection = createConnection(ProposedFeatures.all, transport.reader, transport.writer);
// The replication engine behind the custom requests (protocol.ts); the wiring lives in lsp/engineBridge.
// Open documents (declared below) are read only when a request comes, after initialize.
const engine = registerEngine(connection, { openTexts: () => openTexts() });
// Change ranges are clamped to the document (lsp/textSync.ts): an out-of-range edit must not
// corrupt the line table. Each change is told to lastAnalysed, which answers a hover or a
// completion on a line an edit did not touch from the version analysed last (lsp/lastAnalysed.ts).
const lastAnalysed = new LastAnalysed<ModuleView>();
const documents = new TextDocuments(observedTextDocuments((doc, change) => lastAnalysed.changed(doc.uri, change)));
let pullDiagnostics = false;
let refreshSupport = false;
let severityOverrides: Record<string, string> = {};
let workspaceEdit: ServiceContext['workspaceEdit'];
let inlayRefreshSupport = false;
// initializationOptions.vscodeCommands: the client (our extension) runs VS Code's and its own commands.
let vscodeCommands = false;
// The site's projects for hover and inlay hints (a real project's url instead of a placeholder).
const siteProjects = new SiteProjects();
// Push mode waits this long after the last change before validating (coalescing bursts of
// keystrokes in big files); initializationOptions.diagnosticsDelay overrides it (0 = next tick).
let diagnosticsDelay = 150;
// gitReplication.maxDocumentSizeMB: a document over it is synced but not analysed.
const limits = new DocumentLimits();
// gitReplication.maxItemsComputed: at most this many outline symbols or folding ranges per
// document (service/itemBudget.ts); the client's own folding rangeLimit, when lower, wins.
let maxItems = DEFAULT_MAX_ITEMS;
let foldingRangeLimit = Infinity;
// Collects the garbage big work leaves once the heap has grown past a margin (lsp/heapTrim.ts).
const heapTrim = new HeapTrim();
const itemNotices = new ItemLimitNotices(
  (m) => connection.console.info(maskSecrets(m)),
  (p) => { if (vscodeCommands) void connection.sendNotification(Notifications.itemsLimited.method, p); },
);

const openTexts = () => {
  const m = new Map<string, string>();
  for (const d of documents.all()) {
    const p = toPath(d.uri);
    if (p) m.set(p, d.getText());
  }
  return m;
};
const ws = overlayWorkspace(diskWorkspace, openTexts);

function toPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

function context(uri: string): ServiceContext | undefined {
  const path = toPath(uri);
  return path ? { path, ws, severityOverrides, workspaceEdit, siteProjects: (etc) => siteProjects.of(etc), vscodeCommands } : undefined;
}

/** Run a feature; a bug in it returns the fallback instead of crashing the server. */
function guard<T>(what: string, fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    // A refusal is the answer, with a message for the user (LSP shows it); not a bug to log.
    if (err instanceof RequestRefused) throw new ResponseError(LSPErrorCodes.RequestFailed, err.message);
    connection.console.error(maskSecrets(`${what} failed: ${(err as Error).stack ?? err}`));
    return fallback;
  }
}

// How a module sees a document (service/lineEnds): one view per document. A document never
// changes (an open one is a new DocumentVersion per edit, lsp/documentVersion.ts; a file checked
// from disk is read into a document of its own), so a module's analysis of a version stays
// recognisable as that version's (lsp/lastAnalysed.ts).
const views = new WeakMap<TextDocument, ModuleView>();
function moduleIO(doc: TextDocument, path: string): ModuleView {
  let io = views.get(doc);
  if (!io) views.set(doc, (io = moduleView(doc, path, (p) => ws.read(p))));
  return io;
}

/** Workspace folders that are gitolite homes or gitolite-admin clones (two or more: checked as a whole). */
let gitoliteHosts: HostDir[] = [];

/** A document's diagnostics, a slice at a time (service/slices); never throws. */
function* diagnosticsSteps(doc: TextDocument): Steps<Diagnostic[]> {
  if (limits.tooLarge(doc)) return limits.diagnostic(doc, severityOverrides);
  const ctx = context(doc.uri);
  if (!ctx) return [];
  const io = moduleIO(doc, ctx.path);
  let own: Diagnostic[];
  try {
    own = io.out(yield* validateSteps(io.doc, ctx));
  } catch (err) {
    connection.console.error(maskSecrets(`validate failed: ${(err as Error).stack ?? err}`));
    return [];
  }
  if (!gitoliteHosts.length || !classifyFile(ctx.path)?.startsWith('gitolite')) return own;
  return [...own, ...guard('hosts', [], () => io.out(hostsDiagnosticsFor(ctx.path, gitoliteHosts, diskWorkspace, severityOverrides)))];
}

/**
 * An open document's diagnostics, validated in slices so that requests are answered meanwhile
 * (lsp/slicedRun.ts); undefined when the document changed or closed first, or `cancelled` says
 * so: a newer version has its own turn.
 */
async function diagnosticsSliced(doc: TextDocument, cancelled: () => boolean = () => false): Promise<Diagnostic[] | undefined> {
  const version = doc.version;
  const out = await runSliced(diagnosticsSteps(doc), () => cancelled() || doc.version !== version || documents.get(doc.uri) !== doc);
  heapTrim.afterWork();
  // Validated: this version is analysed, the one to answer from while the next is.
  const path = toPath(doc.uri);
  if (out && path && doc.version === version && documents.get(doc.uri) === doc) lastAnalysed.analysed(doc.uri, version, moduleIO(doc, path));
  return out;
}

// Every config file of the workspace, open or not (lsp/workspaceChecks.ts); open documents keep
// their own diagnostics, from the editor's text.
const openPaths = () => new Set(documents.all().map((d) => toPath(d.uri)).filter((p): p is string => !!p));
const checks = new WorkspaceChecks({
  isOpen: (path) => openPaths().has(path),
  check: (path, text) => {
    const kind = classifyFile(path);
    const doc = TextDocument.create(pathToFileURL(path).href, kind?.startsWith('gitolite') ? 'gitolite' : 'gerrit-replication', 0, text);
    return runSliced(diagnosticsSteps(doc), () => openPaths().has(path));
  },
  publish: (path, diagnostics) => connection.sendDiagnostics({ uri: pathToFileURL(path).href, diagnostics: diagnostics as Diagnostic[] }),
}, (m) => connection.console.info(m), () => limits.limitMB * 1024 * 1024);
let workspaceDiagnostics = true;

connection.onInitialize((params): InitializeResult => {
  engine.initialize(params);
  const folders = (params.workspaceFolders ?? []).map((f) => toPath(f.uri)).filter((p): p is string => !!p);
  if (folders.length === 0 && params.rootUri) { const r = toPath(params.rootUri); if (r) folders.push(r); }
  checks.setFolders(folders);
  gitoliteHosts = gitoliteHostsOf(folders, diskWorkspace);
  pullDiagnostics = !!params.capabilities.textDocument?.diagnostic;
  refreshSupport = !!params.capabilities.workspace?.diagnostics?.refreshSupport;
  inlayRefreshSupport = !!params.capabilities.workspace?.inlayHint?.refreshSupport;
  const we = params.capabilities.workspace?.workspaceEdit;
  workspaceEdit = { documentChanges: !!we?.documentChanges, resourceOperations: we?.resourceOperations ?? [] };
  const opts = (params.initializationOptions ?? {}) as { severityOverrides?: unknown; diagnosticsDelay?: unknown; maxDocumentSizeMB?: unknown; maxItemsComputed?: unknown; workspaceDiagnostics?: unknown; vscodeCommands?: unknown };
  maxItems = maxItemsSetting(opts.maxItemsComputed) ?? DEFAULT_MAX_ITEMS;
  foldingRangeLimit = maxItemsSetting(params.capabilities.textDocument?.foldingRange?.rangeLimit) ?? Infinity;
  if (opts.workspaceDiagnostics === false) workspaceDiagnostics = false;
  vscodeCommands = opts.vscodeCommands === true;
  limits.set(opts.maxDocumentSizeMB);
  if (opts.severityOverrides && typeof opts.severityOverrides === 'object') severityOverrides = opts.severityOverrides as Record<string, string>;
  if (typeof opts.diagnosticsDelay === 'number' && opts.diagnosticsDelay >= 0) diagnosticsDelay = Math.min(opts.diagnosticsDelay, 5000);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      diagnosticProvider: pullDiagnostics ? { interFileDependencies: true, workspaceDiagnostics: false } : undefined,
      completionProvider: { triggerCharacters: ['[', '.', '$', '{', '@', ' ', '='] },
      hoverProvider: true,
      inlayHintProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND] },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
    },
    serverInfo: { name: 'git-replication', version: '0.1.0' },
  };
});

// After the handshake, so the client's activation never waits for the scan.
connection.onInitialized(() => {
  if (workspaceDiagnostics) checks.run();
});

connection.onDidChangeConfiguration((change) => {
  engine.settingsChanged(change.settings);
  const s = (change.settings as { gitReplication?: { severityOverrides?: Record<string, string>; maxDocumentSizeMB?: unknown; maxItemsComputed?: unknown } } | undefined)?.gitReplication;
  if (s?.severityOverrides) severityOverrides = s.severityOverrides;
  if (s && 'maxItemsComputed' in s) maxItems = maxItemsSetting(s.maxItemsComputed) ?? DEFAULT_MAX_ITEMS;
  if (s && 'maxDocumentSizeMB' in s) limits.set(s.maxDocumentSizeMB);
  refreshAll();
  if (workspaceDiagnostics) checks.schedule();
});

function refreshAll() {
  if (pullDiagnostics) refreshPulled();
  else for (const d of documents.all()) schedulePublish(d.uri);
}

/** Ask a pull client to re-pull, if it can be asked (the request is optional in LSP). */
function refreshPulled() {
  if (refreshSupport) connection.languages.diagnostics.refresh();
}

// Push mode validates through a queue, one document per event-loop turn (lsp/validationQueue.ts).
// A validation runs in slices; one that its document outdates is dropped (the change that
// outdated it has scheduled the new version).
const queue = new ValidationQueue(async (uri) => {
  const doc = documents.get(uri);
  if (!doc) return;
  const version = doc.version;
  const diagnostics = await diagnosticsSliced(doc);
  if (diagnostics) connection.sendDiagnostics({ uri, version, diagnostics });
});
function schedulePublish(uri: string, delay = diagnosticsDelay) {
  queue.schedule(uri, delay);
}

// Pull mode: the same sliced validation, of the version current when it ends (an edit meanwhile
// restarts it on the new text); a request the client cancels is answered as cancelled.
connection.languages.diagnostics.on(async (params, token) => {
  for (;;) {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const items = await diagnosticsSliced(doc, () => token.isCancellationRequested);
    if (items) return { kind: DocumentDiagnosticReportKind.Full, items };
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'the document changed', { retriggerRequest: true });
  }
});

// Push mode: other files' diagnostics can depend on this one (secure.config ↔ replication.config,
// gitolite.conf ↔ .gitolite.rc), so a change re-validates the open documents of the same site.
documents.onDidChangeContent((e) => {
  if (pullDiagnostics) refreshPulled();
  else {
    // The edited file first; the files that may depend on it a little later, so a big
    // neighbour does not delay the diagnostics of the file being typed in.
    schedulePublish(e.document.uri);
    const path = toPath(e.document.uri);
    for (const d of documents.all()) {
      if (d.uri !== e.document.uri && related(path, toPath(d.uri))) schedulePublish(d.uri, Math.max(diagnosticsDelay, 200));
    }
  }
});
documents.onDidOpen((e) => {
  // Pull mode: the client pulls the open document's diagnostics; the disk ones must not stay beside them.
  const path = toPath(e.document.uri);
  if (path) checks.forget(path, pullDiagnostics);
});
documents.onDidClose((e) => {
  queue.cancel(e.document.uri);
  lastAnalysed.forget(e.document.uri);
  itemNotices.forget(e.document.uri);
  if (!pullDiagnostics) connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  // Closed without saving: what is on disk counts again.
  const path = toPath(e.document.uri);
  if (path && workspaceDiagnostics) checks.recheck(path);
});
connection.onDidChangeWatchedFiles(() => {
  refreshAll();
  siteProjects.invalidate();
  if (inlayRefreshSupport) void connection.languages.inlayHint.refresh();
  engine.invalidate();
  if (workspaceDiagnostics) checks.schedule();
});

type Feature = 'complete' | 'hover' | 'inlayHints' | 'codeActions' | 'documentSymbols' | 'foldingRanges' | 'definition' | 'references' | 'prepareRename' | 'rename';

/**
 * Run a feature on a document. `line`: the request is about that line only (hover, completion),
 * so while this version is not analysed yet it may be answered from the version analysed last
 * when no edit since touched the line or moved lines (lsp/lastAnalysed.ts); every range of
 * such an answer is clamped to the document as it is now.
 */
function withModule<T>(uri: string, feature: Feature, fallback: T, fn: (doc: TextDocument, ctx: ServiceContext, mod: NonNullable<ReturnType<typeof moduleFor>>, io: ModuleView) => T | undefined, line?: number): T {
  const doc = documents.get(uri);
  const ctx = context(uri);
  if (!doc || !ctx) return fallback;
  const mod = moduleFor(ctx.path);
  if (!mod || !mod[feature] || limits.tooLarge(doc)) return fallback;
  const current = moduleIO(doc, ctx.path);
  const older = line === undefined ? undefined : lastAnalysed.olderFor(uri, doc.version, line);
  const io = older && guard('analysed', false, () => !mod.analysed?.(current.doc, ctx) && !!mod.analysed?.(older.doc, ctx)) ? older : current;
  const out = guard(feature, fallback, () => io.out(fn(io.doc, ctx, mod, io) ?? fallback));
  if (io === current) {
    // Answered on this version: it is analysed now.
    lastAnalysed.analysed(uri, doc.version, current);
    return out;
  }
  return mapRanges(out, (u) => (u === uri ? { pos: (p) => clampPosition(doc, p) } : undefined), uri);
}

connection.onCompletion((p) => withModule(p.textDocument.uri, 'complete', [], (d, c, m, io) => m.complete!(d, io.in(p.position), c), p.position.line));
connection.onHover((p) => withModule(p.textDocument.uri, 'hover', null, (d, c, m, io) => m.hover!(d, io.in(p.position), c), p.position.line));
connection.languages.inlayHint.on((p) => withModule(p.textDocument.uri, 'inlayHints', [], (d, c, m, io) => m.inlayHints!(d, io.in(p.range), c)));
connection.onCodeAction((p) => withModule(p.textDocument.uri, 'codeActions', [], (d, c, m, io) => {
  const only = p.context.only;
  const wantsFixAll = !!only?.some((k) => FIX_ALL_KIND === k || FIX_ALL_KIND.startsWith(k + '.'));
  const wantsQuick = !only || only.some((k) => k === 'quickfix' || k.startsWith('quickfix.'));
  const out = wantsQuick ? m.codeActions!(d, io.in(p.range), io.in(p.context.diagnostics), c) : [];
  if (!wantsFixAll) return out;
  // Every diagnostic of the document, not just those under the cursor.
  const all = guard('validate', [], () => validate(d, c));
  const whole = { start: { line: 0, character: 0 }, end: d.positionAt(d.getText().length) };
  const fix = fixAllAction(d.uri, m.codeActions!(d, whole, all, c));
  return fix ? [...out, fix] : out;
}));
// Whole-document lists, built within a budget of items; the user is told when it cut them.
connection.onDocumentSymbol((p) => {
  const budget = new ItemBudget(maxItems);
  const out = withModule(p.textDocument.uri, 'documentSymbols', [], (d, c, m) => m.documentSymbols!(d, { ...c, itemBudget: budget }));
  itemNotices.answered(p.textDocument.uri, toPath(p.textDocument.uri) ?? p.textDocument.uri, 'outline', budget);
  heapTrim.afterWork();
  return out;
});
connection.onFoldingRanges((p) => {
  const budget = new ItemBudget(Math.min(maxItems, foldingRangeLimit));
  const out = withModule(p.textDocument.uri, 'foldingRanges', [], (d, c, m) => m.foldingRanges!(d, { ...c, itemBudget: budget }));
  // Cut at the client's own rangeLimit: the client knows, and our setting is not the cause.
  if (maxItems <= foldingRangeLimit) itemNotices.answered(p.textDocument.uri, toPath(p.textDocument.uri) ?? p.textDocument.uri, 'folding', budget);
  heapTrim.afterWork();
  return out;
});
connection.onDefinition((p) => withModule(p.textDocument.uri, 'definition', [], (d, c, m, io) => m.definition!(d, io.in(p.position), c)));
connection.onReferences((p) => withModule(p.textDocument.uri, 'references', [], (d, c, m, io) => m.references!(d, io.in(p.position), c)));
connection.onPrepareRename((p) => withModule(p.textDocument.uri, 'prepareRename', null, (d, c, m, io) => m.prepareRename!(d, io.in(p.position), c)));
connection.onRenameRequest((p) => withModule(p.textDocument.uri, 'rename', null, (d, c, m, io) => m.rename!(d, io.in(p.position), p.newName, c)));

process.on('uncaughtException', (err) => connection.console.error(maskSecrets(`uncaught: ${err.stack ?? err}`)));
process.on('unhandledRejection', (err) => connection.console.error(maskSecrets(`unhandled rejection: ${err}`)));

documents.listen(connection);
connection.onShutdown(() => {
  checks.dispose();
  engine.dispose();
});
connection.listen();
