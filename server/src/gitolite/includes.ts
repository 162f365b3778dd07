// include/subconf as gitolite's explode() does it (Conf/Explode.pm): globs are relative to the
// conf/ directory (never to the including file), must be quoted, a missing plain file warns,
// an empty glob is silent, a file included twice warns, and gitolite.conf counts as included
// from the start. Subconf files get their @group names prefixed with the subconf name.
import { isAbsolute, join, resolve } from 'node:path';
import type { Workspace } from '../service/workspace';
import { ConfLine, lineText, parseConf, ParsedConf, Tok } from './confParser';
import { GlDiag, toksRange } from './diag';

/** One line of the exploded conf, in gitolite's order. */
export interface XLine {
  file: string;
  cl: ConfLine;
  subconf: string;
  /** A `subconf NAME` marker gitolite inserts around a subconf file (no source line of its own). */
  marker?: string;
}

export interface IncludeRef {
  file: string;
  kind: 'include' | 'subconf';
  cl: ConfLine;
  /** Tokens of the file/glob argument. */
  globToks: Tok[];
  glob: string;
  /** Absolute paths of the files it names (existing ones). */
  targets: string[];
}

export interface ExplodeResult {
  seq: XLine[];
  diags: GlDiag[];
  files: Map<string, ParsedConf>;
  includes: IncludeRef[];
}

const INCSUB = /^(include|subconf) (?:(\S+) )?(\S.+)$/d;

/** Tokens covering [from, to) of a line's cleaned text. */
export function toksIn(cl: ConfLine, from: number, to: number): Tok[] {
  const out: Tok[] = [];
  let off = 0;
  for (const t of cl.toks) {
    const s = off;
    const e = off + t.text.length;
    if (e > from && s < to) out.push(t);
    off = e + 1;
  }
  return out.length ? out : [cl.toks[cl.toks.length - 1]];
}

function hasMagic(p: string): boolean {
  return /[*?[]/.test(p);
}

function braceExpand(p: string): string[] {
  const m = /\{([^{}]*)\}/.exec(p);
  if (!m || !m[1].includes(',')) return [p];
  return m[1].split(',').flatMap((alt) => braceExpand(p.slice(0, m.index) + alt + p.slice(m.index + m[0].length)));
}

function segmentRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = seg.slice(i + 1, close);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

/**
 * Perl's glob() as gitolite calls it (bsd_glob with GLOB_NOMAGIC | GLOB_BRACE | GLOB_ALPHASORT):
 * a pattern without * ? [ comes back as is, whether or not it exists; a magic one gives the
 * matching paths, sorted, written relative the way the pattern was.
 */
export function perlGlob(pattern: string, cwd: string, ws: Workspace): string[] {
  const out: string[] = [];
  for (const p of braceExpand(pattern)) {
    if (!hasMagic(p)) { out.push(p); continue; }
    const segs = p.split('/');
    let partial: string[] = [isAbsolute(p) ? '/' : ''];
    for (let si = 0; si < segs.length; si++) {
      const seg = segs[si];
      if (seg === '' && si === 0) continue;
      const next: string[] = [];
      for (const base of partial) {
        if (!hasMagic(seg)) { next.push(base === '' ? seg : base === '/' ? '/' + seg : base + '/' + seg); continue; }
        const dir = base === '' ? cwd : isAbsolute(base) ? base : join(cwd, base);
        const names = ws.list(dir);
        if (!names) continue;
        const re = segmentRegex(seg);
        for (const nm of names) if ((seg.startsWith('.') || !nm.startsWith('.')) && re.test(nm)) next.push(base === '' ? nm : base === '/' ? '/' + nm : base + '/' + nm);
      }
      partial = next;
    }
    const found = partial.filter((x) => ws.stat(isAbsolute(x) ? x : join(cwd, x)) !== undefined);
    found.sort((a, b) => { const x = a.toLowerCase(), y = b.toLowerCase(); return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0; });
    out.push(...found);
  }
  return out;
}

export interface ExplodeOptions {
  confDir: string;
  rootFile: string;
  ws: Workspace;
  hostname?: string;
  /** Per-file parse cache (path → text + hostname + result), kept by the caller across runs. */
  cache?: Map<string, { text: string; hostname?: string; parsed: ParsedConf }>;
}

export function explode(opts: ExplodeOptions): ExplodeResult {
  const res: ExplodeResult = { seq: [], diags: [], files: new Map(), includes: [] };
  const included = new Set<string>([resolve(join(opts.confDir, 'gitolite.conf')), resolve(opts.rootFile)]);
  const prefixed = new Map<string, Map<string, string>>();
  let fatal = false;

  const load = (path: string): ParsedConf | undefined => {
    const text = opts.ws.read(path);
    if (text === undefined) return undefined;
    const c = opts.cache?.get(path);
    if (c && c.text === text && c.hostname === opts.hostname) { res.files.set(path, c.parsed); return c.parsed; }
    const parsed = parseConf(text, opts.hostname);
    opts.cache?.set(path, { text, hostname: opts.hostname, parsed });
    res.files.set(path, parsed);
    return parsed;
  };

  const prefixGroups = (cl: ConfLine, subconf: string): ConfLine => {
    let map = prefixed.get(subconf);
    if (!map) prefixed.set(subconf, (map = new Map()));
    const lhs = cl.toks.length > 2 && cl.toks[0].text.startsWith('@') && cl.toks[1].text === '=' ? cl.toks[0].text.slice(1) : '';
    if (!lhs && !cl.toks.some((t) => t.text.startsWith('@'))) return cl;
    const toks = cl.toks.map((t) => {
      const p = t.text.startsWith('@') ? map!.get(t.text) : undefined;
      return p ? { ...t, text: p, raw: t.raw ?? t.text } : t;
    });
    if (lhs) {
      const name = `@${subconf}.${lhs}`;
      toks[0] = { ...cl.toks[0], text: name, raw: cl.toks[0].raw ?? cl.toks[0].text };
      map.set('@' + lhs, name);
    }
    return { ...cl, toks, text: lineText(toks) };
  };

  const walk = (path: string, subconf: string) => {
    const parsed = load(path);
    if (!parsed) return;
    for (let cl of parsed.lines) {
      if (subconf !== 'master') cl = prefixGroups(cl, subconf);
      const m = cl.toks[0].text === 'include' || cl.toks[0].text === 'subconf' ? INCSUB.exec(cl.text) : null;
      if (!m) { res.seq.push({ file: path, cl, subconf }); continue; }
      const isSub = m[1] === 'subconf';
      const globIdx = m.indices![3];
      const globToks = toksIn(cl, globIdx[0], globIdx[1]);
      const at = toksRange(globToks[0], globToks[globToks.length - 1]);
      const ref: IncludeRef = { file: path, kind: isSub ? 'subconf' : 'include', cl, globToks, glob: m[3], targets: [] };
      res.includes.push(ref);
      const die = (code: string, message: string, range = at) => { res.diags.push({ file: path, range, code, message }); fatal = true; };
      if (isSub && subconf !== 'master') { die('gl-subconf-nested', `subconf '${subconf}' attempting to run 'subconf'`, toksRange(cl.toks[0], cl.toks[cl.toks.length - 1])); continue; }
      const q = /^"(.+)"$/.exec(m[3]) ?? /^'(.+)'$/.exec(m[3]);
      if (!q) { die('gl-include-unquoted', `invalid include/subconf file/glob '${m[3]}'`); continue; }
      for (const f of perlGlob(q[1], opts.confDir, opts.ws)) {
        const abs = resolve(opts.confDir, f);
        const st = opts.ws.stat(abs);
        if (!st || !st.isFile) { res.diags.push({ file: path, range: at, code: 'gl-include-not-found', message: `included file not found: '${f}'` }); continue; }
        const bn = /([^/]+).conf$/.exec(f);
        if (!bn) { die('gl-include-bad-name', `invalid include/subconf filename '${f}'`); continue; }
        ref.targets.push(abs);
        if (included.has(abs)) { res.diags.push({ file: path, range: at, code: 'gl-include-repeated', message: `${f} already included` }); continue; }
        included.add(abs);
        if (isSub) {
          const name = m[2] || bn[1];
          res.seq.push({ file: path, cl, subconf, marker: name });
          walk(abs, name);
          res.seq.push({ file: path, cl, subconf, marker: subconf });
        } else walk(abs, subconf);
      }
    }
  };
  walk(opts.rootFile, 'master');
  void fatal;
  return res;
}
