// gitolite reads its files a line at a time with Perl's readline, which ends a line at \n only;
// LSP (and every editor) also ends one at a lone \r. The gitolite modules count lines as gitolite
// does, so in a file with a lone \r their positions are not the editor's. For such a file the
// hosts (the LSP server, `check`) hand the modules a view of the document that counts lines at
// \n only, and map every position between the two: the text is the same, so an offset is the
// same in both. `clampPosition` keeps a position inside its line as the editor counts.
import type { Position, Range } from 'vscode-languageserver';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { classifyFile } from './fileKinds';

const LONE_CR = /\r(?!\n)/;

/** A finite number, floored; anything else 0. */
export const int = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : 0);

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

/** How positions of one document cross over (a FoldingRange's lines too). */
export interface PositionMap {
  pos(p: Position): Position;
  lines?(line: number, end: boolean): number;
}

/**
 * A copy of `value` with every Range (and a FoldingRange's lines) mapped by the map `mapFor`
 * gives for the document it refers to (none: left as it is). A value refers to another
 * document under a `uri`, `targetUri` or `textDocument.uri` of its own, or under a `changes`
 * key that is a uri; else to `ctx`.
 */
export function mapRanges<T>(value: T, mapFor: (uri: string) => PositionMap | undefined, ctx: string): T {
  if (Array.isArray(value)) return value.map((v) => mapRanges(v, mapFor, ctx)) as T;
  if (!value || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  let here = ctx;
  if (typeof o.uri === 'string') here = o.uri;
  if (typeof o.targetUri === 'string') here = o.targetUri;
  const td = o.textDocument as { uri?: unknown } | undefined;
  if (td && typeof td.uri === 'string') here = td.uri;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = mapRanges(v, mapFor, /^[a-z][a-z0-9+.-]*:/i.test(k) && k.includes('/') ? k : here);
  const m = mapFor(here);
  if (m) {
    if (isPos(o.start) && isPos(o.end)) {
      out.start = m.pos(o.start);
      out.end = m.pos(o.end);
    }
    if (m.lines && typeof o.startLine === 'number' && typeof o.endLine === 'number') {
      out.startLine = m.lines(o.startLine, false);
      out.endLine = m.lines(o.endLine, true);
    }
  }
  return out as T;
}

/**
 * How a module sees a document, and how positions cross over: a gitolite file with a lone \r is
 * handed to its module as an LfView; any other document as it is. A gitolite module's answer
 * also points into other gitolite files (an include line, a group defined elsewhere, the rc):
 * their ranges count lines as gitolite does too, so each is mapped by its own file's text.
 */
export interface ModuleView {
  doc: TextDocument;
  /** An editor position or value with ranges, as the module counts. */
  in<V>(v: V): V;
  /** A module's answer, as the editor counts. */
  out<V>(v: V): V;
}

const isPosition = (p: unknown): p is Position => !!p && typeof p === 'object' && 'line' in p && 'character' in p;
const countsAtLf = (path: string) => {
  const kind = classifyFile(path);
  return kind === 'gitolite-conf' || kind === 'gitolite-rc';
};

/** Editor positions from an LfView's. */
function toEditorMap(view: LfView): PositionMap {
  return { pos: (p) => view.toEditor(p), lines: (line, end) => view.toEditor({ line, character: end ? Number.MAX_SAFE_INTEGER : 0 }).line };
}

function pathOfUri(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The view of `doc` (at `path`) its module gets. `textOf` reads the other files an answer may
 * point into, as the module read them (the same workspace).
 */
export function moduleView(doc: TextDocument, path: string, textOf?: (path: string) => string | undefined): ModuleView {
  if (!countsAtLf(path)) return { doc, in: (v) => v, out: (v) => v };
  const view = needsLfView(path, doc.getText()) ? new LfView(doc) : undefined;
  const own = view && toEditorMap(view);
  // Per answer: the other files may have changed since the last one.
  const mapper = () => {
    const others = new Map<string, PositionMap | undefined>();
    return (uri: string): PositionMap | undefined => {
      if (uri === doc.uri) return own;
      if (!others.has(uri)) {
        const p = pathOfUri(uri);
        const text = p && p !== path && countsAtLf(p) ? textOf?.(p) : undefined;
        others.set(uri, text !== undefined && needsLfView(p!, text) ? toEditorMap(new LfView(TextDocument.create(uri, 'gitolite', 0, text))) : p === path ? own : undefined);
      }
      return others.get(uri);
    };
  };
  return {
    doc: view ?? doc,
    in: (v) => (!view ? v : isPosition(v) ? view.fromEditor(v) as typeof v : mapRanges(v, (u) => (u === doc.uri ? { pos: (p) => view.fromEditor(p) } : undefined), doc.uri)),
    out: (v) => mapRanges(v, mapper(), doc.uri),
  };
}
