// The contract between the pure language service and its hosts (the LSP server, the CLI, tests).
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction, CompletionItem, Diagnostic, DocumentSymbol, FoldingRange, Hover, Location, Position, Range, WorkspaceEdit,
} from 'vscode-languageserver';
import type { Workspace } from './workspace';
import type { FileKindId } from './fileKinds';
import type { Steps } from './slices';

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
}

/** One file format's features. Each format (replication, gitolite) implements this. */
export interface LanguageModule {
  validate(doc: TextDocument, ctx: ServiceContext): Diagnostic[];
  /** The same diagnostics a slice at a time (./slices), for a module whose big files take long. */
  validateSteps?(doc: TextDocument, ctx: ServiceContext): Steps<Diagnostic[]>;
  complete?(doc: TextDocument, pos: Position, ctx: ServiceContext): CompletionItem[];
  hover?(doc: TextDocument, pos: Position, ctx: ServiceContext): Hover | null;
  codeActions?(doc: TextDocument, range: Range, diagnostics: Diagnostic[], ctx: ServiceContext): CodeAction[];
  documentSymbols?(doc: TextDocument, ctx: ServiceContext): DocumentSymbol[];
  foldingRanges?(doc: TextDocument, ctx: ServiceContext): FoldingRange[];
  definition?(doc: TextDocument, pos: Position, ctx: ServiceContext): Location[];
  references?(doc: TextDocument, pos: Position, ctx: ServiceContext): Location[];
  prepareRename?(doc: TextDocument, pos: Position, ctx: ServiceContext): Range | null;
  rename?(doc: TextDocument, pos: Position, newName: string, ctx: ServiceContext): WorkspaceEdit | null;
}
