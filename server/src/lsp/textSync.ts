// Document sync that stays right whatever ranges the client sends. The text-document library
// splices its line table with the change's line numbers as given: a range past the last line,
// or a character past its line's end, leaves the table out of step with the text (positions come
// back with `character: null` until the document is reopened). So each change is clamped to the
// document as it stands before the library sees it, as VS Code's own model validates positions:
// a line past the end means the end of the document, a character past the line's end its end.
// Each change makes a new version (lsp/documentVersion.ts): the one before is left as it was.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextDocumentContentChangeEvent, TextDocumentsConfiguration } from 'vscode-languageserver';

import { clampPosition, int } from '../service/lineEnds';
import { DocumentVersion } from './documentVersion';

function clampRange(doc: TextDocument, r: { start?: unknown; end?: unknown }): Range {
  const a = clampPosition(doc, r.start);
  const b = clampPosition(doc, r.end);
  const aFirst = a.line < b.line || (a.line === b.line && a.character <= b.character);
  return aFirst ? { start: a, end: b } : { start: b, end: a };
}

/**
 * Apply changes one by one, each clamped to the text the ones before it left. A change with no
 * text string, or a range that is not an object, is skipped (the library would throw half-way).
 */
export function clampedUpdate(doc: TextDocument, changes: TextDocumentContentChangeEvent[], version: number, seen?: (doc: TextDocument, change: TextDocumentContentChangeEvent) => void): TextDocument {
  const v = int(version);
  let now = doc instanceof DocumentVersion ? doc : DocumentVersion.create(doc.uri, doc.languageId, doc.version, doc.getText());
  for (const raw of Array.isArray(changes) ? changes : []) {
    const c = raw as { text?: unknown; range?: unknown };
    if (typeof c?.text !== 'string') continue;
    let change: TextDocumentContentChangeEvent | undefined;
    if (c.range === undefined) change = { text: c.text };
    else if (typeof c.range === 'object' && c.range !== null) change = { range: clampRange(now, c.range), text: c.text };
    if (!change) continue;
    // Told before it is applied: the range is one of the text as it stands.
    seen?.(now, change);
    now = 'range' in change ? now.edited(change.range, change.text, v) : DocumentVersion.create(now.uri, now.languageId, v, change.text);
  }
  return now.renumbered(v);
}

/** The same configuration, telling `seen` each change as it is applied, clamped (lsp/lastAnalysed.ts). */
export function observedTextDocuments(seen: (doc: TextDocument, change: TextDocumentContentChangeEvent) => void): TextDocumentsConfiguration<TextDocument> {
  return { create: clampedTextDocuments.create, update: (doc, changes, version) => clampedUpdate(doc, changes, version, seen) };
}

/** TextDocuments' configuration: clamped updates, and a didOpen without text opens empty. */
export const clampedTextDocuments: TextDocumentsConfiguration<TextDocument> = {
  create: (uri, languageId, version, content) => DocumentVersion.create(uri, languageId, int(version), typeof content === 'string' ? content : ''),
  update: clampedUpdate,
};
