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
import type { XLine } from './explode';
import { drain, type Steps } from '../../service/slices';

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

/** What the lines of one block of a parse share (one object, not three fields per line). */
interface LineBlock { src: string; b: Int32Array; file: string }

/** What few lines need: their Tok objects, cleaned text, or a last line of their own. */
interface LineExtra { toks?: Tok[]; text?: string; endLine?: number }

/**
 * One non-blank line after cleanup. `text` is gitolite's cleaned line: the tokens joined by one space.
 * In the master conf a line is also its own entry of the exploded sequence (an XLine), so the
 * explode step allocates nothing per line. A site has ~100k of these, so the object is kept
 * small: the token count and bounds live in a shared typed array, the rest in `x` when needed.
 */
export class ConfLine {
  private x: LineExtra | undefined;

  /**
   * The line as written is the block's `src` from `pos`, `len` characters (len < 0: none). The
   * block's `b[bi]` is the token count, followed by each token's [start, end) (offsets in the
   * line), unless `x.toks` is given.
   */
  constructor(readonly line: number, private readonly ctx: LineBlock, private readonly pos: number, private readonly len: number,
    private readonly bi: number, x?: LineExtra) {
    this.x = x;
  }

  /** A line made of tokens that do not come straight from one raw line (joined, renamed). */
  static of(line: number, endLine: number, toks: Tok[], raw?: string): ConfLine {
    const ctx: LineBlock = { src: raw ?? '', b: Int32Array.of(toks.length), file: '' };
    return new ConfLine(line, ctx, 0, raw === undefined ? -1 : raw.length, 0, endLine === line ? { toks } : { toks, endLine });
  }

  /** The file it belongs to (set by includes.ts when it explodes the file; shared by its block). */
  get file(): string { return this.ctx.file; }
  set file(f: string) { this.ctx.file = f; }
  private get src(): string { return this.ctx.src; }
  private get b(): Int32Array { return this.ctx.b; }

  /** Last physical line (differs from `line` for continuation-joined lines). */
  get endLine(): number { return this.x?.endLine ?? this.line; }

  /** Number of tokens. */
  get n(): number { return this.b[this.bi]; }

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
    const x = (this.x ??= {});
    if (x.toks) return x.toks;
    const n = this.n;
    const out: Tok[] = new Array(n);
    const { b, bi, src, pos, line } = this;
    for (let k = 0; k < n; k++) {
      const s = b[bi + 1 + 2 * k], e = b[bi + 2 + 2 * k];
      out[k] = { text: src.slice(pos + s, pos + e), line, start: s, end: e };
    }
    return (x.toks = out);
  }

  get text(): string {
    const x = this.x;
    if (x?.text !== undefined) return x.text;
    const t = this.cleanText();
    (this.x ??= {}).text = t;
    return t;
  }

  /** The cleaned text, not kept on the line (for a single read of many lines). */
  cleanText(): string {
    const x = this.x;
    if (x?.text !== undefined) return x.text;
    let t: string;
    if (x?.toks) t = lineText(x.toks);
    else {
      const { b, src, pos } = this;
      const n = this.n, at = this.bi + 1; // b[at + 2k], b[at + 2k + 1]: token k
      // Single-spaced in the file (the usual case): one slice instead of a concatenation.
      let single = true;
      for (let k = 1; single && k < n; k++) single = b[at + 2 * k] === b[at + 2 * k - 1] + 1 && src.charCodeAt(pos + b[at + 2 * k - 1]) === 32;
      if (single) t = src.slice(pos + b[at], pos + b[at + 2 * n - 1]);
      else {
        t = src.slice(pos + b[at], pos + b[at + 1]);
        for (let k = 1; k < n; k++) t += ' ' + src.slice(pos + b[at + 2 * k], pos + b[at + 2 * k + 1]);
      }
    }
    return t;
  }

  /** Token k's text (a fresh string: use tokIs to compare). */
  tokText(k: number): string {
    const t = this.x?.toks;
    if (t) return t[k].text;
    return this.src.slice(this.pos + this.b[this.bi + 1 + 2 * k], this.pos + this.b[this.bi + 2 + 2 * k]);
  }

  /** Token k's text equals `s`. */
  tokIs(k: number, s: string): boolean {
    const t = this.x?.toks;
    if (t) return t[k].text === s;
    const st = this.b[this.bi + 1 + 2 * k];
    return this.b[this.bi + 2 + 2 * k] - st === s.length && this.src.startsWith(s, this.pos + st);
  }

  /** Character code `i` of token k. */
  tokChar(k: number, i = 0): number {
    const t = this.x?.toks;
    if (t) return t[k].text.charCodeAt(i);
    return this.src.charCodeAt(this.pos + this.b[this.bi + 1 + 2 * k] + i);
  }

  /** Length of token k's text. */
  tokLen(k: number): number {
    const t = this.x?.toks;
    if (t) return t[k].text.length;
    return this.b[this.bi + 2 + 2 * k] - this.b[this.bi + 1 + 2 * k];
  }

  /** Range of tokens a..z (inclusive) in the file. */
  tokRange(a: number, z = a): Range {
    const t = this.x?.toks;
    if (t) {
      const x = t[a], y = t[z];
      return { start: { line: x.line, character: x.start }, end: { line: y.endLine ?? y.line, character: y.end } };
    }
    return { start: { line: this.line, character: this.b[this.bi + 1 + 2 * a] }, end: { line: this.line, character: this.b[this.bi + 2 + 2 * z] } };
  }

  /** Index of the first token covering [from, to) of the cleaned text (the last token when none does). */
  tokAtOffset(from: number, to: number): [number, number] {
    const n = this.n;
    let off = 0;
    let first = -1, last = -1;
    for (let k = 0; k < n; k++) {
      const s = off;
      const e = off + this.tokLen(k);
      if (e > from && s < to) { if (first < 0) first = k; last = k; }
      off = e + 1;
    }
    return first < 0 ? [n - 1, n - 1] : [first, last];
  }
}

export interface ParsedConf {
  lines: ConfLine[];
  /** Physical lines in the file. */
  lineCount: number;
}

const COMMENT = /^((?:".*?"|[^#"])*)#.*/;

const isWs = (c: number) => c === 32 || (c >= 9 && c <= 13); // Perl's \s on bytes

/**
 * Token bounds of one raw line (comment cut, first `=` split off, whitespace-separated),
 * text[pos, end), written to `b` from `at0`: the count, then each token's [start, end) as
 * offsets in the line; returns the count. Two numbers per token, and a token with its separator
 * takes at least two characters, so end - pos + 3 slots always suffice.
 */
function tokenize(text: string, pos: number, end: number, b: Int32Array, at0: number): number {
  let at = at0 + 1; // b[at0] gets the count
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
  b[at0] = n;
  return n;
}

function hasHostname(text: string, pos: number, end: number): boolean {
  for (let i = pos; i + 9 <= end; i++) if (text.charCodeAt(i) === 37 /* % */ && text.startsWith('%HOSTNAME', i)) return true;
  return false;
}

// Token bounds live in shared blocks (one typed array for many lines); a line points at its block.
const BLOCK_INTS = 8192;
const REPARSE_BLOCK_INTS = 256;

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
export function parseConf(text: string, hostname?: string, prev?: ParsedConf, prevText?: string): ParsedConf {
  return drain(parseConfSteps(text, hostname, prev, prevText));
}

/** Lines tokenized between two yields of a sliced parse (about a millisecond of work). */
const PARSE_SLICE_LINES = 4096;

/** The same parse a slice at a time (service/slices), for a host that answers requests meanwhile. */
export function* parseConfSteps(text: string, hostname?: string, prev?: ParsedConf, prevText?: string): Steps<ParsedConf> {
  if (prev) return yield* reparseSteps(text, hostname, prev, prevText);
  // Sized by the line count (one native scan), not grown by doubling: 86,000 lines on a cold run.
  let physical = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) physical++;
  const lines: ConfLine[] = new Array(physical);
  let count = 0;
  let nextHost = hostname ? text.indexOf('%HOSTNAME') : -1;
  let block: LineBlock = { src: text, b: new Int32Array(0), file: '' };
  let used = 0;
  let lineNo = 0;
  let pos = 0;
  const n = text.length;
  while (pos <= n) {
    let e = text.indexOf('\n', pos);
    if (e < 0) e = n;
    if (e > pos) {
      // Tokenize straight into the block when the worst case fits.
      if (used + e - pos + 3 > block.b.length) { block = { src: text, b: new Int32Array(Math.max(BLOCK_INTS, e - pos + 3)), file: '' }; used = 0; }
      // The next %HOSTNAME of the text, found by one native search per occurrence, not by a scan of every line.
      if (nextHost >= 0 && nextHost < pos) nextHost = text.indexOf('%HOSTNAME', pos);
      const cl = lineAt(block, pos, e, lineNo, used, hostname, nextHost >= 0 && nextHost < e);
      if (cl) { lines[count++] = cl; used += 2 * cl.n + 1; }
    }
    lineNo++;
    pos = e + 1;
    if (e === n) break;
    if (lineNo % PARSE_SLICE_LINES === 0) yield;
  }
  lines.length = count;
  return { lines, lineCount: lineNo };
}

/**
 * Line `lineNo` (block.src[pos, e)) tokenized into block.b at `used`; undefined when it has no
 * token. Its token count is cl.n (a %HOSTNAME line keeps its own Tok objects, in nothing of b).
 * `host`: the line names %HOSTNAME.
 */
function lineAt(block: LineBlock, pos: number, e: number, lineNo: number, used: number, hostname: string | undefined, host: boolean): ConfLine | undefined {
  const src = block.src;
  const k = tokenize(src, pos, e, block.b, used);
  if (!k) return undefined;
  if (hostname && host) {
    const raw = src.slice(pos, e);
    const cl = ConfLine.of(lineNo, lineNo, hostnameToks(raw, block.b, used + 1, k, lineNo, hostname), raw);
    return cl;
  }
  return new ConfLine(lineNo, block, pos, e - pos, used);
}

/** Length of the longest common prefix of a and b (binary search over native comparisons). */
function commonPrefix(a: string, b: string): number {
  let lo = 0, hi = Math.min(a.length, b.length);
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (a.startsWith(b.slice(lo, mid), lo)) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/** Length of the longest common suffix of a and b, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let lo = 0, hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (a.endsWith(b.slice(b.length - mid, b.length - lo), a.length - lo)) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/** Line ends in s[from, to). */
function countLines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** A copy of `s` that does not keep the string it was cut from alive (a slice of 13+ characters does). */
function detached(s: string): string {
  return (' ' + s).slice(1);
}

/**
 * A re-parse: lines that did not change and did not move are the previous parse's objects;
 * the others are tokenized after one pass over the text. When they are few (an edit), each run
 * of them keeps a copy of its own text, not the whole new text: a line lives until it is edited
 * again, and would otherwise keep the file of its version alive, one whole file per edit.
 */
function* reparseSteps(text: string, hostname: string | undefined, prev: ParsedConf, prevText: string | undefined): Steps<ParsedConf> {
  const pl = prev.lines;
  // With the text `prev` was parsed from: the lines before the first difference (line end
  // included), and those after the last one when as many lines end between the two, are the
  // previous lines as they are (found by native comparisons, not character by character per
  // line). A line must start after the common tail's first character: the line end before it
  // must be common too.
  let same = 0, tailFrom = text.length + 1;
  if (prevText !== undefined) {
    same = commonPrefix(prevText, text);
    const tail = commonSuffix(prevText, text, Math.min(prevText.length, text.length) - same);
    if (countLines(prevText, same, prevText.length - tail) === countLines(text, same, text.length - tail)) tailFrom = text.length - tail;
  }
  // About as many lines as the last parse: one array of that size, trimmed at the end.
  const lines: Array<ConfLine | undefined> = new Array(pl.length + 16);
  let count = 0;
  // Lines to tokenize: (index in lines, start, end, line number), four numbers each.
  const pend: number[] = [];
  let pendChars = 0;
  let j = 0;
  let lineNo = 0;
  let pos = 0;
  const n = text.length;
  while (pos <= n) {
    let e = text.indexOf('\n', pos);
    if (e < 0) e = n;
    while (j < pl.length && pl[j].line < lineNo) j++;
    const p = j < pl.length && pl[j].line === lineNo ? pl[j] : undefined;
    if (p && p.endLine === lineNo && (e < same || pos > tailFrom || p.sameRaw(text, pos, e))) lines[count++] = p;
    else if (e > pos) { pend.push(count, pos, e, lineNo); lines[count++] = undefined; pendChars += e - pos; }
    lineNo++;
    pos = e + 1;
    if (e === n) break;
    if (lineNo % PARSE_SLICE_LINES === 0) yield;
  }
  if (pend.length) {
    let ints = 0;
    for (let q = 0; q < pend.length; q += 4) ints += pend[q + 2] - pend[q + 1] + 3;
    const b = new Int32Array(ints);
    const copies = pendChars * 8 <= n;
    let used = 0;
    let block: LineBlock = { src: text, b, file: '' };
    let base = 0; // where block.src starts in text
    for (let q = 0; q < pend.length; q += 4) {
      const start = pend[q + 1], e = pend[q + 2];
      if (copies && (q === 0 || pend[q + 3] !== pend[q - 1] + 1)) {
        // A new run of consecutive lines: its own copy of their text.
        let z = q;
        while (z + 4 < pend.length && pend[z + 7] === pend[z + 3] + 1) z += 4;
        block = { src: detached(text.slice(start, pend[z + 2])), b, file: '' };
        base = start;
      }
      const cl = lineAt(block, start - base, e - base, pend[q + 3], used, hostname, !!hostname && hasHostname(text, start, e));
      if (cl) { lines[pend[q]] = cl; used += 2 * cl.n + 1; }
    }
  }
  // Lines with no token (a comment only) leave a hole: close it.
  let w = 0;
  for (let r = 0; r < count; r++) { const l = lines[r]; if (l) lines[w++] = l; }
  lines.length = w;
  return { lines: lines as ConfLine[], lineCount: lineNo };
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
export function joinContinuations(seq: XLine[]): XLine[] {
  const out: XLine[] = [];
  let keep: XLine | undefined;
  // A plain entry (never a spread: a ConfLine standing for itself keeps file and subconf in getters).
  const entry = (x: XLine, cl: ConfLine): XLine => (x.marker === undefined ? { file: x.file, cl, subconf: x.subconf } : { file: x.file, cl, subconf: x.subconf, marker: x.marker });
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
      keep = entry(keep, ConfLine.of(prev.line, l.endLine, merged));
    } else if (ends) keep = entry(item, ConfLine.of(l.line, l.endLine, toks, l.raw));
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
