// gitolite reads its files a line at a time with Perl's readline, which ends a line at \n only;
// LSP (and every editor) also ends one at a lone \r. The gitolite modules count lines as gitolite
// does, so in a file with a lone \r their positions are not the editor's. For such a file the
// server hands the modules a view of the document that counts lines at \n only, and maps every
// position between the two: the text is the same, so an offset is the same in both.
import type { Position, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { classifyFile } from '../service/fileKinds';
import { clampPosition } from './textSync';

const LONE_CR = /\r(?!\n)/;

/** Does this file's module count lines at \n only, and does its text hold a lone \r? */
export function needsLfView(path: string, text: string): boolean {
  const kind = classifyFile(path);
  return (kind === 'gitolite-conf' || kind === 'gitolite-rc') && LONE_CR.test(text);
}

/** The document with lines ended at \n only (a \r stays part of its line, as in Perl). */
export class LfView implements TextDocument {
  private readonly starts: number[] = [0];

  constructor(readonly doc: TextDocument) {
    const text = doc.getText();
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get uri() {
    return this.doc.uri;
  }
  get languageId() {
    return this.doc.languageId;
  }
  get version() {
    return this.doc.version;
  }
  get lineCount() {
    return this.starts.length;
  }

  getText(range?: Range): string {
    const text = this.doc.getText();
    return range ? text.substring(this.offsetAt(range.start), this.offsetAt(range.end)) : text;
  }

  offsetAt(p: Position): number {
    const text = this.doc.getText();
    if (p.line < 0) return 0;
    if (p.line >= this.starts.length) return text.length;
    const start = this.starts[p.line];
    const next = p.line + 1 < this.starts.length ? this.starts[p.line + 1] - 1 : text.length; // the \n
    return Math.min(Math.max(start + p.character, start), next);
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.doc.getText().length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  getLineRange(line: number): Range {
    const l = Math.max(0, Math.min(line, this.starts.length - 1));
    const start = { line: l, character: 0 };
    return line < 0 ? { start, end: start } : { start, end: this.positionAt(this.offsetAt({ line: l, character: Number.MAX_SAFE_INTEGER })) };
  }

  getEOLCharacters(line: number): string {
    return line >= 0 && line + 1 < this.starts.length ? '\n' : '';
  }

  /** A view position as the editor counts it. */
  toEditor(p: Position): Position {
    return clampPosition(this.doc, this.doc.positionAt(this.offsetAt(p)));
  }

  /** An editor position as the view counts it. */
  fromEditor(p: Position): Position {
    return this.positionAt(this.doc.offsetAt(clampPosition(this.doc, p)));
  }
}

const isPos = (p: unknown): p is Position => !!p && typeof p === 'object' && typeof (p as Position).line === 'number' && typeof (p as Position).character === 'number';

/**
 * A copy of `value` with every Range (and a FoldingRange's lines) that refers to `uri` mapped by
 * `map`. A value refers to another document under a `uri`, `targetUri` or `textDocument.uri`
 * of its own, or under a `changes` key that is a uri.
 */
export function mapRanges<T>(value: T, uri: string, map: (p: Position) => Position, lines?: (line: number, end: boolean) => number, ctx = uri): T {
  if (Array.isArray(value)) return value.map((v) => mapRanges(v, uri, map, lines, ctx)) as T;
  if (!value || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  let here = ctx;
  if (typeof o.uri === 'string') here = o.uri;
  if (typeof o.targetUri === 'string') here = o.targetUri;
  const td = o.textDocument as { uri?: unknown } | undefined;
  if (td && typeof td.uri === 'string') here = td.uri;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = mapRanges(v, uri, map, lines, /^[a-z][a-z0-9+.-]*:/i.test(k) && k.includes('/') ? k : here);
  if (here === uri) {
    if (isPos(o.start) && isPos(o.end)) {
      out.start = map(o.start);
      out.end = map(o.end);
    }
    if (lines && typeof o.startLine === 'number' && typeof o.endLine === 'number') {
      out.startLine = lines(o.startLine, false);
      out.endLine = lines(o.endLine, true);
    }
  }
  return out as T;
}
