// gitolite.conf lines as gitolite v3 reads them (Common.pm cleanup_conf_line, Conf/Explode.pm):
// the comment is cut at the first `#` outside a simple "..." string, the first `=` is padded
// to ` = `, whitespace collapses, and `%HOSTNAME` is expanded when the rc sets HOSTNAME.
// Every token keeps its place in the file so diagnostics point at the exact word.

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

/** One non-blank line after cleanup. `text` is gitolite's cleaned line: the tokens joined by one space. */
export interface ConfLine {
  line: number;
  toks: Tok[];
  text: string;
  /** Last physical line (differs from `line` for continuation-joined lines). */
  endLine: number;
  /** The line as written (lets a re-parse reuse unchanged lines). */
  raw?: string;
  /** Its exploded form in the master conf (set by includes.ts; one per line object). */
  xl?: { file: string; cl: ConfLine; subconf: string };
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

/** Tokens of one raw line: comment cut, first `=` split off, whitespace-separated. */
function tokenize(raw: string, lineNo: number, hostname: string | undefined): Tok[] {
  let content = raw;
  if (content.indexOf('#') >= 0) {
    const m = COMMENT.exec(content);
    if (m) content = m[1];
  }
  const toks: Tok[] = [];
  const eq = content.indexOf('=');
  const push = (from: number, to: number) => {
    let i = from;
    while (i < to) {
      while (i < to && isWs(content.charCodeAt(i))) i++;
      if (i >= to) break;
      const s0 = i;
      while (i < to && !isWs(content.charCodeAt(i))) i++;
      toks.push({ text: content.slice(s0, i), line: lineNo, start: s0, end: i });
    }
  };
  if (eq < 0) push(0, content.length);
  else {
    push(0, eq);
    toks.push({ text: '=', line: lineNo, start: eq, end: eq + 1 });
    push(eq + 1, content.length);
  }
  if (hostname && content.indexOf('%HOSTNAME') >= 0)
    for (const t of toks) {
      if (t.text.indexOf('%HOSTNAME') < 0) continue;
      const x = t.text.replace(/%HOSTNAME\b/g, () => hostname);
      if (x !== t.text) { t.raw = t.text; t.text = x; }
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
  let j = 0;
  let lineNo = 0;
  let pos = 0;
  const n = text.length;
  while (pos <= n) {
    let e = text.indexOf('\n', pos);
    if (e < 0) e = n;
    const raw = text.slice(pos, e);
    if (pl) while (j < pl.length && pl[j].line < lineNo) j++;
    if (pl && j < pl.length && pl[j].line === lineNo && pl[j].raw === raw && pl[j].endLine === lineNo) lines.push(pl[j]);
    else {
      const toks = tokenize(raw, lineNo, hostname);
      if (toks.length) {
        let joined = toks[0].text;
        for (let k = 1; k < toks.length; k++) joined += ' ' + toks[k].text;
        lines.push({ line: lineNo, toks, text: joined, endLine: lineNo, raw, xl: undefined });
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
    const last = l.toks[l.toks.length - 1];
    const ends = last.text.endsWith('\\');
    let toks = l.toks;
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
      keep = { ...keep, cl: { line: prev.line, toks: merged, text: lineText(merged), endLine: l.endLine } };
    } else if (ends) keep = { ...item, cl: { ...l, toks, text: lineText(toks) } };
    if (ends) {
      glue = nextGlue;
      continue;
    }
    out.push(keep ?? item);
    keep = undefined;
    glue = false;
  }
  if (keep) out.push(keep);
  return out.filter((x) => x.cl.toks.length > 0);
}
