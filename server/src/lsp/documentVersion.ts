// The open documents as versions that never change: an edit makes a new version from the one
// before and leaves that one as it was, so an analysis can keep the version it read. (The
// text-document library edits its documents in place: each version would need a copy, and
// each copy would count its lines anew, a pass over the whole text per keystroke.) A version's
// line starts are the previous version's, spliced where the edit is, in an Int32Array outside
// the garbage-collected heap. Positions count lines as LSP does (\r\n, \n, lone \r) and
// match the library's answers (test/lsp/document-versions.test.ts).
import type { Position, Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';

const LF = 10;
const CR = 13;
const isEol = (c: number) => c === LF || c === CR;

/** Starts of the lines after each line break in text[from, to), offset by `base`. */
function lineStartsIn(text: string, from: number, to: number, base: number, out: number[]): void {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) {
      if (c === CR && i + 1 < to && text.charCodeAt(i + 1) === LF) i++;
      out.push(base + i + 1);
    }
  }
}

function allLineStarts(text: string): Int32Array {
  const starts = [0];
  lineStartsIn(text, 0, text.length, 0, starts);
  return Int32Array.from(starts);
}

export class DocumentVersion implements TextDocument {
  private constructor(
    readonly uri: string,
    readonly languageId: string,
    readonly version: number,
    private readonly text: string,
    private readonly starts: Int32Array,
  ) {}

  static create(uri: string, languageId: string, version: number, text: string): DocumentVersion {
    return new DocumentVersion(uri, languageId, version, text, allLineStarts(text));
  }

  /** This version with `text` in place of `range` (a range of this version, already clamped). */
  edited(range: Range, text: string, version: number): DocumentVersion {
    const s = this.offsetAt(range.start);
    const e = Math.max(s, this.offsetAt(range.end));
    const old = this.text;
    const next = old.slice(0, s) + text + old.slice(e);
    const end = s + text.length;
    // A \r\n made or broken at either edge of the edit changes line breaks outside it: count anew.
    const crlfAt = (i: number) => next.charCodeAt(i - 1) === CR && next.charCodeAt(i) === LF;
    if (crlfAt(s) || crlfAt(end) || (old.charCodeAt(s - 1) === CR && old.charCodeAt(e) === LF)) {
      return DocumentVersion.create(this.uri, this.languageId, version, next);
    }
    const startLine = this.positionAt(s).line;
    const endLine = this.positionAt(e).line;
    const added: number[] = [];
    lineStartsIn(text, 0, text.length, s, added);
    const was = this.starts;
    const starts = new Int32Array(was.length - (endLine - startLine) + added.length);
    starts.set(was.subarray(0, startLine + 1), 0);
    for (let i = 0; i < added.length; i++) starts[startLine + 1 + i] = added[i];
    const tail = startLine + 1 + added.length;
    starts.set(was.subarray(endLine + 1), tail);
    const diff = text.length - (e - s);
    if (diff !== 0) for (let i = tail; i < starts.length; i++) starts[i] += diff;
    return new DocumentVersion(this.uri, this.languageId, version, next, starts);
  }

  /** The same text under another version number. */
  renumbered(version: number): DocumentVersion {
    return version === this.version ? this : new DocumentVersion(this.uri, this.languageId, version, this.text, this.starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  getText(range?: Range): string {
    if (!range) return this.text;
    return this.text.substring(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  positionAt(offset: number): Position {
    const at = Math.max(Math.min(offset, this.text.length), 0);
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] > at) hi = mid;
      else lo = mid + 1;
    }
    const line = lo - 1;
    return { line, character: this.beforeEol(at, starts[line]) - starts[line] };
  }

  offsetAt(position: Position): number {
    const starts = this.starts;
    if (position.line >= starts.length) return this.text.length;
    if (position.line < 0) return 0;
    const start = starts[position.line];
    if (position.character <= 0) return start;
    const next = position.line + 1 < starts.length ? starts[position.line + 1] : this.text.length;
    return this.beforeEol(Math.min(start + position.character, next), start);
  }

  /** Line `line` without its line break (past the end: the last line; before the start: line 0, empty). */
  getLineRange(line: number): Range {
    const starts = this.starts;
    if (line >= starts.length) {
      const last = starts.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.text.length - starts[last] } };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const start = starts[line];
    const next = line + 1 < starts.length ? starts[line + 1] : this.text.length;
    return { start: { line, character: 0 }, end: { line, character: this.beforeEol(next, start) - start } };
  }

  getEOLCharacters(line: number): string {
    const starts = this.starts;
    if (line < 0 || line >= starts.length) return '';
    const next = line + 1 < starts.length ? starts[line + 1] : this.text.length;
    return this.text.substring(this.beforeEol(next, starts[line]), next);
  }

  /** An offset inside a line break moves to before it. */
  private beforeEol(offset: number, lineStart: number): number {
    let o = offset;
    while (o > lineStart && isEol(this.text.charCodeAt(o - 1))) o--;
    return o;
  }
}
