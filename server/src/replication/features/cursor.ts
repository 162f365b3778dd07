// What is under the cursor: a section header, a key, or a value, and of which section.
import type { Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ConfigDocument, Entry, Section } from '../../gitconfig/parser';

export type CursorPlace =
  | { kind: 'header'; section: Section | undefined; inSubsection: boolean; linePrefix: string }
  | { kind: 'key'; section: Section | undefined; entry: Entry | undefined; word: { start: number; end: number } }
  | { kind: 'value'; section: Section | undefined; entry: Entry | undefined; keyText: string; valueStart: number }
  | { kind: 'comment' | 'none'; section: Section | undefined };

export interface Cursor {
  parsed: ConfigDocument;
  offset: number;
  place: CursorPlace;
}

/** The section whose span holds the offset (the last header at or before it). */
export function sectionAt(parsed: ConfigDocument, offset: number): Section | undefined {
  let found: Section | undefined;
  for (const s of parsed.sections) {
    if (s.header.start <= offset) found = s;
    else break;
  }
  return found;
}

export function entryAt(parsed: ConfigDocument, offset: number): Entry | undefined {
  return parsed.entries.find((e) => e.span.start <= offset && offset <= Math.max(e.span.end, e.valueSpan?.end ?? 0, e.keySpan.end));
}

/** `parsed`: the document's parse, from its analysis. */
export function cursorAt(doc: TextDocument, pos: Position, parsed: ConfigDocument): Cursor {
  const offset = doc.offsetAt(pos);
  const text = parsed.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const prefix = text.slice(lineStart, offset);
  const section = sectionAt(parsed, offset);
  const trimmed = prefix.trimStart();
  const eqAt = prefix.indexOf('=');
  // A comment line, or a ` #`/` ;` after the value (quotes are not tracked: good enough here).
  if (/^[#;]/.test(trimmed) || (eqAt >= 0 && /\s[#;]/.test(prefix.slice(eqAt + 1)))) {
    return { parsed, offset, place: { kind: 'comment', section } };
  }
  if (trimmed.startsWith('[') && !trimmed.includes(']')) {
    const quotes = (trimmed.match(/"/g) ?? []).length;
    // The header being typed belongs to no section yet: report the one before it.
    const before = section && section.header.start >= lineStart ? sectionAt(parsed, lineStart - 1) : section;
    return { parsed, offset, place: { kind: 'header', section: before, inSubsection: quotes % 2 === 1, linePrefix: trimmed } };
  }
  const eq = prefix.indexOf('=');
  const entry = entryAt(parsed, offset);
  if (eq >= 0) {
    const keyText = prefix.slice(0, eq).trim();
    return { parsed, offset, place: { kind: 'value', section, entry, keyText, valueStart: lineStart + eq + 1 } };
  }
  if (/^[A-Za-z0-9-]*$/.test(trimmed)) {
    const start = offset - trimmed.length;
    let end = offset;
    while (end < text.length && /[A-Za-z0-9-]/.test(text[end])) end++;
    return { parsed, offset, place: { kind: 'key', section, entry, word: { start, end } } };
  }
  return { parsed, offset, place: { kind: 'none', section } };
}
