// The contract between the pure language service and its hosts (the LSP server, the CLI, tests).
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction, CompletionItem, Diagnostic, DocumentSymbol, FoldingRange, Hover, InlayHint, Location, Position, Range, WorkspaceEdit,
} from 'vscode-languageserver';
import type { Workspace } from './workspace';
import type { FileKindId } from './fileKinds';
import type { Steps } from './slices';
import type { ItemBudget } from './itemBudget';

export interface ServiceContext {
  /** File-system path of the document (not a URI). */
  path: string;
  ws: Workspace;
  /** Severity overrides by diagnostic code: 'error' | 'warning' | 'info' | 'hint' | 'off'. */
  severityOverrides?: Record<string, string>;
  /** The .gitolite.rc to pair gitolite.conf files with (CLI `check --rc FILE`); else the nearest one above. */
  gitoliteRc?: string;
  /** The gitolite.conf that `gitoliteRc` governs, when the rc is not beside it (CLI `check --rc FILE`). */
  gitoliteConf?: string;
  /** The file's kind when its name does not tell (CLI `check --kind`); else it comes from `path`. */
  kind?: FileKindId;
  /** What the client can apply (LSP WorkspaceEditClientCapabilities); absent = plain `changes` only. */
  workspaceEdit?: { documentChanges?: boolean; resourceOperations?: string[] };
  /**
   * The projects of the Gerrit site whose etc directory is `etcDir` (its bare repositories under
   * gerrit.basePath, in basePath order), when the host can list them; hover and inlay hints
   * expand urls with a real one. Absent or undefined: unknown (the CLI, tests without a site).
   */
  siteProjects?(etcDir: string): readonly string[] | undefined;
  /**
   * How many items an outline or a list of folding ranges may hold (./itemBudget): the module
   * builds no more and marks the budget exceeded when it left some out. Absent: no limit.
   */
  itemBudget?: ItemBudget;
  /**
   * The client is the VS Code extension: it runs VS Code's `editor.action.triggerSuggest` from a
   * completion item (a key opens its value list) and the extension's `gitReplication.renameAt`
   * from a quick fix (a placeholder name is offered for renaming).
   */
  vscodeCommands?: boolean;
}

/** One file format's features. Each format (replication, gitolite) implements this. */
export interface LanguageModule {
  validate(doc: TextDocument, ctx: ServiceContext): Diagnostic[];
  /** The same diagnostics a slice at a time (./slices), for a module whose big files take long. */
  validateSteps?(doc: TextDocument, ctx: ServiceContext): Steps<Diagnostic[]>;
  /**
   * Whether this version of the document is analysed already (cached), so a request on it costs
   * no parse: a host may then answer from an older version while a newer one is being analysed.
   */
  analysed?(doc: TextDocument, ctx: ServiceContext): boolean;
  complete?(doc: TextDocument, pos: Position, ctx: ServiceContext): CompletionItem[];
  hover?(doc: TextDocument, pos: Position, ctx: ServiceContext): Hover | null;
  /** Hints shown inline within `range`: the value in effect where it differs from what was written. */
  inlayHints?(doc: TextDocument, range: Range, ctx: ServiceContext): InlayHint[];
  codeActions?(doc: TextDocument, range: Range, diagnostics: Diagnostic[], ctx: ServiceContext): CodeAction[];
  documentSymbols?(doc: TextDocument, ctx: ServiceContext): DocumentSymbol[];
  foldingRanges?(doc: TextDocument, ctx: ServiceContext): FoldingRange[];
  definition?(doc: TextDocument, pos: Position, ctx: ServiceContext): Location[];
  references?(doc: TextDocument, pos: Position, ctx: ServiceContext): Location[];
  prepareRename?(doc: TextDocument, pos: Position, ctx: ServiceContext): Range | null;
  rename?(doc: TextDocument, pos: Position, newName: string, ctx: ServiceContext): WorkspaceEdit | null;
}
