// The LSP constants and literal builders the pure layers use, defined here so that those layers
// import `vscode-languageserver` for types only and the CLI bundle does not carry the LSP
// runtime. The values are fixed by the LSP 3.17 specification; each name is both a value and
// the matching type, as in vscode-languageserver-types, so call sites read the same.
import type * as lsp from 'vscode-languageserver';

export const DiagnosticSeverity = { Error: 1, Warning: 2, Information: 3, Hint: 4 } as const;
export type DiagnosticSeverity = lsp.DiagnosticSeverity;

export const CompletionItemKind = {
  Text: 1, Method: 2, Function: 3, Constructor: 4, Field: 5, Variable: 6, Class: 7, Interface: 8, Module: 9,
  Property: 10, Unit: 11, Value: 12, Enum: 13, Keyword: 14, Snippet: 15, Color: 16, File: 17, Reference: 18,
  Folder: 19, EnumMember: 20, Constant: 21, Struct: 22, Event: 23, Operator: 24, TypeParameter: 25,
} as const;
export type CompletionItemKind = lsp.CompletionItemKind;

export const CompletionItemTag = { Deprecated: 1 } as const;
export type CompletionItemTag = lsp.CompletionItemTag;

export const InsertTextFormat = { PlainText: 1, Snippet: 2 } as const;
export type InsertTextFormat = lsp.InsertTextFormat;

export const SymbolKind = {
  File: 1, Module: 2, Namespace: 3, Package: 4, Class: 5, Method: 6, Property: 7, Field: 8, Constructor: 9,
  Enum: 10, Interface: 11, Function: 12, Variable: 13, Constant: 14, String: 15, Number: 16, Boolean: 17,
  Array: 18, Object: 19, Key: 20, Null: 21, EnumMember: 22, Struct: 23, Event: 24, Operator: 25, TypeParameter: 26,
} as const;
export type SymbolKind = lsp.SymbolKind;

export const MarkupKind = { PlainText: 'plaintext', Markdown: 'markdown' } as const;
export type MarkupKind = lsp.MarkupKind;

export const FoldingRangeKind = { Comment: 'comment', Imports: 'imports', Region: 'region' } as const;
export type FoldingRangeKind = lsp.FoldingRangeKind;

export const CodeActionKind = { QuickFix: 'quickfix', Refactor: 'refactor', Source: 'source' } as const;
export type CodeActionKind = lsp.CodeActionKind;

export const TextEdit = {
  replace: (range: lsp.Range, newText: string): lsp.TextEdit => ({ range, newText }),
};
export type TextEdit = lsp.TextEdit;

export const Location = {
  create: (uri: string, range: lsp.Range): lsp.Location => ({ uri, range }),
};
export type Location = lsp.Location;

export const CreateFile = {
  create: (uri: string): lsp.CreateFile => ({ kind: 'create', uri }),
};
export type CreateFile = lsp.CreateFile;

export const TextDocumentEdit = {
  create: (textDocument: lsp.OptionalVersionedTextDocumentIdentifier, edits: Array<lsp.TextEdit | lsp.AnnotatedTextEdit>): lsp.TextDocumentEdit => ({ textDocument, edits }),
};
export type TextDocumentEdit = lsp.TextDocumentEdit;
