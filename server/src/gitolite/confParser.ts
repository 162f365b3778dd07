// gitolite.conf lines as gitolite v3 reads them (Common.pm cleanup_conf_line, Conf/Explode.pm):
// the comment is cut at the first `#` outside a simple "..." string, the first `=` is padded
// to ` = `, whitespace collapses, and `%HOSTNAME` is expanded when the rc sets HOSTNAME.
// Every token keeps its place in the file so diagnostics point at the exact word.
//
// A site has ~100k lines and most are never looked at token by token after the compile, so a
// line keeps only its raw text and its tokens' offsets (in one array per file); the Tok objects
// are made on first use of `toks`. The compile reads tokens by index (tokText, tokIs, tokRange)
// and so never makes them for lines that produce no diagnostic.
import type { Range } from 'vscode-languageserver';

export interface Tok {
  /** The token as gitolite sees it (after %HOSTNAME expansion). */
  text: string;
  line: number;
  start: number;
  end: number;
  /** Set when a continuation-joined token ends on a later line. */
  endLine?: number;
  /** The text in the file, when it differs from `text` (expanded %HOSTNAME). */
  raw?: string;
}

const NO_BOUNDS = new Int32Array(0);

/**
 * One non-blank line after cleanup. `text` is gitolite's cleaned line: the tokens joined by one space.
 * In the master conf a line is also its own entry of the exploded sequence (an XLine), so the
 * explode step allocates nothing per line.
 */
export class ConfLine {
  /** The file it belongs to (set by includes.ts when it explodes the file). */
  file = '';
  private _toks: Tok[] | undefined;
  private _text: string | undefined;

  /**
   * `line`..`endLine`: the physical lines (they differ for continuation-joined lines).
   * The line as written is `src` from `pos`, `len` characters (len < 0: none).
   * Either `toks` is given, or the tokens are the `n` [start, end) pairs (offsets in the line) at `b[bi]`.
   */
  constructor(readonly line: number, readonly endLine: number, private readonly src: string, private readonly pos: number, private readonly len: number,
    readonly n: number, private readonly b: Int32Array, private readonly bi: number, toks?: Tok[]) {
    this._toks = toks;
  }

  /** A line made of tokens that do not come straight from one raw line (joined, renamed). */
  static of(line: number, endLine: number, toks: Tok[], raw?: string): ConfLine {
    return new ConfLine(line, endLine, raw ?? '', 0, raw === undefined ? -1 : raw.length, toks.length, NO_BOUNDS, 0, toks);
  }

  /** The line as written (lets a re-parse reuse unchanged lines). */
  get raw(): string | undefined {
    return this.len < 0 ? undefined : this.src.slice(this.pos, this.pos + this.len);
  }

  /** Whether `text` from `pos` to `end` is this line as written. */
  sameRaw(text: string, pos: number, end: number): boolean {
    if (this.len !== end - pos) return false;
    // Character by character: a slice per line would be garbage on every re-parse, and
    // `this.src === text` would compare two whole files when they differ.
    const src = this.src, d = this.pos - pos;
    for (let i = pos; i < end; i++) if (text.charCodeAt(i) !== src.charCodeAt(i + d)) return false;
    return true;
  }

  /** As an entry of the exploded master conf: the line itself. */
  get cl(): ConfLine { return this; }
  get subconf(): string { return 'master'; }

  get toks(): Tok[] {
    if (this._toks) return this._toks;
    const out: Tok[] = new Array(this.n);
    const { b, bi, src, pos, line } = this;
    for (let k = 0; k < this.n; k++) {
      const s = b[bi + 2 * k], e = b[bi + 2 * k + 1];
      out[k] = { text: src.slice(pos + s, pos + e), line, start: s, end: e };
    }
    return (this._toks = out);
  }

  get text(): string {
    if (this._text !== undefined) return this._text;
    let t: string;
    if (this._toks) t = lineText(this._toks);
    else {
      const { b, bi, src, pos, n } = this;
      // Single-spaced in the file (the usual case): one slice instead of a concatenation.
      let single = true;
      for (let k = 1; single && k < n; k++) single = b[bi + 2 * k] === b[bi + 2 * k - 1] + 1 && src.charCodeAt(pos + b[bi + 2 * k - 1]) === 32;
      if (single) t = src.slice(pos + b[bi], pos + b[bi + 2 * n - 1]);
      else {
        t = src.slice(pos + b[bi], pos + b[bi + 1]);
        for (let k = 1; k < n; k++) t += ' ' + src.slice(pos + b[bi + 2 * k], pos + b[bi + 2 * k + 1]);
      }
    }
    return (this._text = t);
  }

  /** Token k's text (a fresh string: use tokIs to compare). */
  tokText(k: number): string {
    if (this._toks) return this._toks[k].text;
    return this.src.slice(this.pos + this.b[this.bi + 2 * k], this.pos + this.b[this.bi + 2 * k + 1]);
  }

  /** Token k's text equals `s`. */
  tokIs(k: number, s: string): boolean {
    if (this._toks) return this._toks[k].text === s;
    const st = this.b[this.bi + 2 * k];
    return this.b[this.bi + 2 * k + 1] - st === s.length && this.src.startsWith(s, this.pos + st);
  }

  /** First character code of token k. */
  tokChar(k: number, i = 0): number {
    if (this._toks) return this._toks[k].text.charCodeAt(i);
    return this.src.charCodeAt(this.pos + this.b[this.bi + 2 * k] + i);
  }

  /** Length of token k's text. */
  tokLen(k: number): number {
    if (this._toks) return this._toks[k].text.length;
    return this.b[this.bi + 2 * k + 1] - this.b[this.bi + 2 * k];
  }

  /** Range of tokens a..z (inclusive) in the file. */
  tokRange(a: number, z = a): Range {
    if (this._toks) {
      const x = this._toks[a], y = this._toks[z];
      return { start: { line: x.line, character: x.start }, end: { line: y.endLine ?? y.line, character: y.end } };
    }
    return { start: { line: this.line, character: this.b[this.bi + 2 * a] }, end: { line: this.line, character: this.b[this.bi + 2 * z + 1] } };
  }

  /** Index of the first token covering [from, to) of the cleaned text (the last token when none does). */
  tokAtOffset(from: number, to: number): [number, number] {
    let off = 0;
    let first = -1, last = -1;
    for (let k = 0; k < this.n; k++) {
      const s = off;
      const e = off + this.tokLen(k);
      if (e > from && s < to) { if (first < 0) first = k; last = k; }
      off = e + 1;
    }
    return first < 0 ? [this.n - 1, this.n - 1] : [first, last];
  }
}

export interface ParsedConf {
  lines: ConfLine[];
  /** Physical lines in the file. */
  lineCount: number;
}

const COMMENT = /^((?:".*?"|[^#"])*)#.*/;

export function clearLineCache(): void {
  // Kept for callers; tokenizing no longer caches per line (reuse is per file, by raw text).
}

const isWs = (c: number) => c === 32 || (c >= 9 && c <= 13); // Perl's \s on bytes

/**
 * Token bounds of one raw line (comment cut, first `=` split off, whitespace-separated),
 * text[pos, end), written to `b` from `at` as offsets in the line; returns the number of tokens.
 * Two numbers per token, and a token with its separator takes at least two characters, so
 * end - pos + 2 slots always suffice.
 */
function tokenize(text: string, pos: number, end: number, b: Int32Array, at: number): number {
  // One scan for the first `#` and the first `=` (indexOf could run on past the line).
  let hash = -1, eq = -1;
  for (let i = pos; i < end && (hash < 0 || eq < 0); i++) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) { if (hash < 0) hash = i; }
    else if (c === 61 /* = */ && eq < 0) eq = i;
  }
  let to = end;
  if (hash >= 0) {
    const m = COMMENT.exec(text.slice(pos, end));
    if (m) to = pos + m[1].length;
  }
  if (eq >= to) eq = -1;
  let n = 0;
  let i = pos;
  while (i < to) {
    if (isWs(text.charCodeAt(i))) { i++; continue; }
    const s0 = i;
    if (i === eq) i++;
    else while (i < to && i !== eq && !isWs(text.charCodeAt(i))) i++;
    b[at++] = s0 - pos;
    b[at++] = i - pos;
    n++;
  }
  return n;
}

function hasHostname(text: string, pos: number, end: number): boolean {
  for (let i = pos; i + 9 <= end; i++) if (text.charCodeAt(i) === 37 /* % */ && text.startsWith('%HOSTNAME', i)) return true;
  return false;
}

// Token bounds live in shared blocks (one typed array for many lines); a line points at its block.
const BLOCK_INTS = 8192;

/** Tokens of one raw line with %HOSTNAME expanded (the rare lines that name it). */
function hostnameToks(raw: string, b: Int32Array, at: number, n: number, lineNo: number, hostname: string): Tok[] {
  const toks: Tok[] = [];
  for (let k = 0; k < n; k++) {
    const s = b[at + 2 * k], e = b[at + 2 * k + 1];
    const t: Tok = { text: raw.slice(s, e), line: lineNo, start: s, end: e };
    if (t.text.indexOf('%HOSTNAME') >= 0) {
      const x = t.text.replace(/%HOSTNAME\b/g, () => hostname);
      if (x !== t.text) { t.raw = t.text; t.text = x; }
    }
    toks.push(t);
  }
  return toks;
}

/**
 * Tokenize one file. `hostname` is the rc's HOSTNAME (unset: `%HOSTNAME` stays as written).
 * `prev` (the same file's previous parse, same hostname) lends its line objects to lines that
 * did not change and did not move, so later stages can recognise them by identity.
 */
export function parseConf(text: string, hostname?: string, prev?: ParsedConf): ParsedConf {
  const lines: ConfLine[] = [];
  const pl = prev?.lines;
  let block = NO_BOUNDS;
  let used = 0;
  let j = 0;
  let lineNo = 0;
  let pos = 0;
  const n = text.length;
  while (pos <= n) {
    let e = text.indexOf('\n', pos);
    if (e < 0) e = n;
    if (pl) while (j < pl.length && pl[j].line < lineNo) j++;
    const p = pl && j < pl.length && pl[j].line === lineNo ? pl[j] : undefined;
    if (p && p.endLine === lineNo && p.sameRaw(text, pos, e)) lines.push(p);
    else if (e > pos) {
      // Tokenize straight into the block when the worst case fits.
      if (used + e - pos + 2 > block.length) { block = new Int32Array(Math.max(BLOCK_INTS, e - pos + 2)); used = 0; }
      const k = tokenize(text, pos, e, block, used);
      if (k) {
        if (hostname && hasHostname(text, pos, e)) {
          const raw = text.slice(pos, e);
          lines.push(ConfLine.of(lineNo, lineNo, hostnameToks(raw, block, used, k, lineNo, hostname), raw));
        } else {
          lines.push(new ConfLine(lineNo, lineNo, text, pos, e - pos, k, block, used));
          used += 2 * k;
        }
      }
    }
    lineNo++;
    pos = e + 1;
    if (e === n) break;
  }
  return { lines, lineCount: lineNo };
}

/** Re-join tokens into gitolite's cleaned text (after tokens were renamed or merged). */
export function lineText(toks: Tok[]): string {
  return toks.map((t) => t.text).join(' ');
}

/**
 * The continuation-lines sugar (syntactic-sugar/continuation-lines): a cleaned line ending in
 * `\` is joined with the next one. It runs after includes are expanded, so it joins across the
 * exploded sequence. Whitespace before the `\` survives, so `u1 \` + `u2` gives two users while
 * `u1\` + `u2` gives `u1u2`; we merge tokens the same way.
 */
export function joinContinuations<T extends { cl: ConfLine }>(seq: T[]): T[] {
  const out: T[] = [];
  let keep: T | undefined;
  let glue = false;
  for (const item of seq) {
    const l = item.cl;
    // Checked by offset: most lines never need their Tok objects.
    const ends = l.n > 0 && l.tokChar(l.n - 1, l.tokLen(l.n - 1) - 1) === 92; /* \ */
    if (!ends && !keep) { out.push(item); glue = false; continue; }
    let toks = l.toks;
    const last = toks[toks.length - 1];
    let nextGlue = false;
    if (ends) {
      toks = l.toks.slice();
      if (last.text === '\\') toks.pop();
      else {
        toks[toks.length - 1] = { ...last, text: last.text.slice(0, -1), end: last.end - 1 };
        nextGlue = true;
      }
    }
    if (keep) {
      const prev = keep.cl;
      let merged: Tok[];
      if (glue && prev.toks.length && toks.length && prev.toks[prev.toks.length - 1].text !== '=' && toks[0].text !== '=') {
        const a = prev.toks[prev.toks.length - 1];
        const b = toks[0];
        merged = [...prev.toks.slice(0, -1), { text: a.text + b.text, line: a.line, start: a.start, end: b.end, endLine: b.line }, ...toks.slice(1)];
      } else merged = [...prev.toks, ...toks];
      keep = { ...keep, cl: ConfLine.of(prev.line, l.endLine, merged) };
    } else if (ends) keep = { ...item, cl: ConfLine.of(l.line, l.endLine, toks, l.raw) };
    if (ends) {
      glue = nextGlue;
      continue;
    }
    out.push(keep ?? item);
    keep = undefined;
    glue = false;
  }
  if (keep) out.push(keep);
  return out.filter((x) => x.cl.n > 0);
}
