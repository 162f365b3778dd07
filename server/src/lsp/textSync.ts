// Document sync that stays right whatever ranges the client sends. The text-document library
// splices its line table with the change's line numbers as given: a range past the last line,
// or a character past its line's end, leaves the table out of step with the text (positions come
// back with `character: null` until the document is reopened). So each change is clamped to the
// document as it stands before the library sees it, as VS Code's own model validates positions:
// a line past the end means the end of the document, a character past the line's end its end.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range, TextDocumentContentChangeEvent, TextDocumentsConfiguration } from 'vscode-languageserver';

const int = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : 0);

/** Offset where line `line` ends, before its line break (\r\n, \n or a lone \r, as LSP counts). */
function lineEnd(text: string, doc: TextDocument, line: number): number {
  const start = doc.offsetAt({ line, character: 0 });
  let end = line + 1 < doc.lineCount ? doc.offsetAt({ line: line + 1, character: 0 }) : text.length;
  if (end > start && text.charCodeAt(end - 1) === 10) end--;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return end;
}

/** The nearest position inside the document. */
export function clampPosition(doc: TextDocument, p: unknown): Position {
  const pos = (typeof p === 'object' && p !== null ? p : {}) as Partial<Position>;
  const text = doc.getText();
  const last = doc.lineCount - 1;
  const line = int(pos.line);
  if (line < 0) return { line: 0, character: 0 };
  if (line > last) return { line: last, character: lineEnd(text, doc, last) - doc.offsetAt({ line: last, character: 0 }) };
  const start = doc.offsetAt({ line, character: 0 });
  return { line, character: Math.min(Math.max(int(pos.character), 0), lineEnd(text, doc, line) - start) };
}

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
export function clampedUpdate(doc: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument {
  for (const raw of Array.isArray(changes) ? changes : []) {
    const c = raw as { text?: unknown; range?: unknown };
    if (typeof c?.text !== 'string') continue;
    if (c.range === undefined) TextDocument.update(doc, [{ text: c.text }], version);
    else if (typeof c.range === 'object' && c.range !== null) TextDocument.update(doc, [{ range: clampRange(doc, c.range), text: c.text }], version);
  }
  return TextDocument.update(doc, [], int(version));
}

/** TextDocuments' configuration: clamped updates, and a didOpen without text opens empty. */
export const clampedTextDocuments: TextDocumentsConfiguration<TextDocument> = {
  create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, int(version), typeof content === 'string' ? content : ''),
  update: clampedUpdate,
};
