// include/subconf as gitolite's explode() does it (Conf/Explode.pm): globs are relative to the
// conf/ directory (never to the including file), must be quoted, a missing plain file warns,
// an empty glob is silent, a file included twice warns, and gitolite.conf counts as included
// from the start. Subconf files get their @group names prefixed with the subconf name.
import type { GitoliteCaches, RunItem } from '../caches';
import { isAbsolute, join, resolve } from 'node:path';
import type { Workspace } from '../../service/workspace';
import { isSymlink } from '../../service/confine';
import { ConfLine, parseConfSteps, ParsedConf, Tok } from './confParser';
import { drain, type Steps } from '../../service/slices';
import { GlDiag, toksRange } from '../diag';
import type { GitoliteCode } from '../gitoliteRules';

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

/** A run of lines of one file between includes (or a subconf marker), in gitolite's order. */
export interface Segment {
  file: string;
  subconf: string;
  /** Same array object across runs while the file is unchanged: the compile cache keys on it. */
  xlines: XLine[];
}

export interface ExplodeResult {
  segments: Segment[];
  /** All lines flattened (computed on first use). */
  readonly seq: XLine[];
  diags: GlDiag[];
  files: Map<string, ParsedConf>;
  includes: IncludeRef[];
  /** What the editor features derive from this result once (compile/groupRefs.ts). */
  memo?: { scopes?: Map<string, import('./groupRefs').SubconfFile>; refs?: import('./groupRefs').GroupRef[] };
}

// Per parsed file, its lines split at include/subconf lines and into blocks of at most BLOCK
// lines (master subconf only: subconf files get their groups prefixed, which depends on state,
// so they are never cached). A block whose lines are the very same objects as in the file's
// previous version keeps its array, so the compile cache reuses its result: an edit
// recompiles one block, not the whole file.
const INCSUB = /^(include|subconf) (?:(\S+) )?(\S.+)$/;

const BLOCK = 200;
/** Lines split into blocks between two yields. */
const RUN_SLICE_LINES = 8192;

function* runsOf(caches: GitoliteCaches, file: string, parsed: ParsedConf): Steps<RunItem[]> {
  const c = caches.runs.get(parsed);
  if (c && c.file === file) return c.items;
  const prev = caches.lastRuns.get(file) ?? [];
  const prevBlocks = new Map<ConfLine, XLine[]>();
  for (const it of prev) if (Array.isArray(it) && it.length) prevBlocks.set(it[0].cl, it);
  const items: RunItem[] = [];
  // The block being gathered, lines[start, start + count): while its lines are the very lines
  // of the previous version's block that starts with the same line, in order (`old`, `len`),
  // that block is kept as it is; else one exact slice of the parse's lines is taken. So an edit
  // builds the arrays of the blocks it touches, not of the whole file.
  let old: XLine[] | undefined;
  let len = 0;
  let start = 0;
  let count = 0;
  let diverged = false;
  const flush = () => {
    if (count) {
      if (!diverged && old) items.push(len === old.length ? old : (caches.counts.blocksBuilt++, old.slice(0, len)));
      else { items.push(lines.slice(start, start + count)); caches.counts.blocksBuilt++; }
    }
    old = undefined;
    len = count = 0;
    diverged = false;
  };
  const add = (cl: ConfLine, i: number) => {
    if (count === 0) { start = i; old = prevBlocks.get(cl); }
    if (!diverged) {
      if (old && len < old.length && old[len] === cl) len++;
      else diverged = true;
    }
    count++;
  };
  // Indexed loops here and below: a for-of inside a generator makes an iterator result per line.
  const lines = parsed.lines;
  for (let i = 0; i < lines.length; i++) {
    const cl = lines[i];
    if ((i + 1) % RUN_SLICE_LINES === 0) yield;
    if ((cl.tokIs(0, 'include') || cl.tokIs(0, 'subconf')) && INCSUB.test(cl.text)) {
      flush();
      items.push(cl);
    } else {
      cl.file = file;
      add(cl, i);
      if (count >= BLOCK) flush();
    }
  }
  flush();
  caches.runs.set(parsed, { file, items });
  if (caches.lastRuns.size > 5000) caches.lastRuns.clear();
  caches.lastRuns.set(file, items);
  return items;
}

/** A master-conf block's segment: one object per block array, kept while the block is (no new one per run). */
function segmentOf(caches: GitoliteCaches, file: string, xlines: XLine[]): Segment {
  let sg = caches.segments.get(xlines);
  if (!sg || sg.file !== file) caches.segments.set(xlines, (sg = { file, subconf: 'master', xlines }));
  return sg;
}

/** resolve(dir, f), kept per absolute dir and f: every run resolves the same include targets again. */
function resolvedIn(caches: GitoliteCaches, dir: string, f: string): string {
  if (!isAbsolute(dir)) return resolve(dir, f); // would depend on the working directory
  let inDir = caches.resolved.get(dir);
  if (!inDir) {
    if (caches.resolved.size > 64) caches.resolved.clear();
    caches.resolved.set(dir, (inDir = new Map()));
  }
  let abs = inDir.get(f);
  if (abs === undefined) {
    if (inDir.size > 5000) inDir.clear();
    inDir.set(f, (abs = resolve(dir, f)));
  }
  return abs;
}

/** Tokens covering [from, to) of a line's cleaned text. */
export function toksIn(cl: ConfLine, from: number, to: number): Tok[] {
  const [a, z] = cl.tokAtOffset(from, to);
  return cl.toks.slice(a, z + 1);
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
  /** What the service instance remembers across runs (parses, blocks of lines). */
  caches: GitoliteCaches;
}

export function explode(opts: ExplodeOptions): ExplodeResult {
  return drain(explodeSteps(opts));
}

/** Lines of a subconf file prefixed between two yields. */
const SUBCONF_SLICE_LINES = 2048;

/** The same, a slice at a time (service/slices): it yields within each file's parse and between its blocks. */
export function* explodeSteps(opts: ExplodeOptions): Steps<ExplodeResult> {
  let flat: XLine[] | undefined;
  const res: ExplodeResult = {
    segments: [],
    get seq() { return (flat ??= this.segments.flatMap((sg) => sg.xlines)); },
    diags: [],
    files: new Map(),
    includes: [],
  };
  const included = new Set<string>([resolve(join(opts.confDir, 'gitolite.conf')), resolve(opts.rootFile)]);
  const prefixed = new Map<string, Map<string, string>>();

  const load = function* (path: string): Steps<ParsedConf | undefined> {
    const text = opts.ws.read(path);
    if (text === undefined) return undefined;
    const c = opts.caches.parses.get(path);
    if (c && c.text === text && c.hostname === opts.hostname) { res.files.set(path, c.parsed); return c.parsed; }
    const reuse = c && c.hostname === opts.hostname;
    const parsed = yield* parseConfSteps(text, opts.hostname, reuse ? c.parsed : undefined, reuse ? c.text : undefined);
    opts.caches.parses.set(path, { text, hostname: opts.hostname, parsed });
    res.files.set(path, parsed);
    return parsed;
  };

  const prefixGroups = (cl: ConfLine, subconf: string): ConfLine => {
    let map = prefixed.get(subconf);
    if (!map) prefixed.set(subconf, (map = new Map()));
    const lhs = cl.n > 2 && cl.tokChar(0) === 64 /* @ */ && cl.tokIs(1, '=') ? cl.tokText(0).slice(1) : '';
    if (!lhs) {
      let any = false;
      for (let k = 0; k < cl.n && !any; k++) any = cl.tokChar(k) === 64;
      if (!any) return cl;
    }
    const toks = cl.toks.map((t) => {
      const p = t.text.startsWith('@') ? map!.get(t.text) : undefined;
      return p ? { ...t, text: p, raw: t.raw ?? t.text } : t;
    });
    if (lhs) {
      const name = `@${subconf}.${lhs}`;
      toks[0] = { ...cl.toks[0], text: name, raw: cl.toks[0].raw ?? cl.toks[0].text };
      map.set('@' + lhs, name);
    }
    return ConfLine.of(cl.line, cl.endLine, toks, cl.raw);
  };

  const include = function* (path: string, cl: ConfLine, subconf: string): Steps<void> {
    const m = INCSUB.exec(cl.text)!;
    const isSub = m[1] === 'subconf';
    // The glob is the tail of the cleaned line: find its tokens by offset.
    const globStart = cl.text.length - m[3].length;
    const globToks = toksIn(cl, globStart, cl.text.length);
    const at = toksRange(globToks[0], globToks[globToks.length - 1]);
    const ref: IncludeRef = { file: path, kind: isSub ? 'subconf' : 'include', cl, globToks, glob: m[3], targets: [] };
    res.includes.push(ref);
    const die = (code: GitoliteCode, message: string, range = at) => res.diags.push({ file: path, range, code, message });
    if (isSub && subconf !== 'master') { die('gl-subconf-nested', `subconf '${subconf}' attempting to run 'subconf'`, toksRange(cl.toks[0], cl.toks[cl.toks.length - 1])); return; }
    const q = /^"(.+)"$/.exec(m[3]) ?? /^'(.+)'$/.exec(m[3]);
    if (!q) { die('gl-include-unquoted', `invalid include/subconf file/glob '${m[3]}'`); return; }
    // A glob whose fixed leading directories lead outside conf/: gitolite would list and read
    // there; a confined workspace lists nothing, so say so instead of an empty match.
    if (opts.ws.refusal) {
      for (const p of braceExpand(q[1])) {
        if (!hasMagic(p)) continue;
        const segs = p.split('/');
        const fixed = segs.slice(0, segs.findIndex(hasMagic)).join('/');
        const dir = fixed === '' && isAbsolute(p) ? '/' : resolve(opts.confDir, fixed);
        if (opts.ws.refusal(dir) === 'outside') die('gl-include-outside', `'${p}' looks in ${isSymlink(dir) ? 'a symlink that leads' : 'a directory'} outside the conf directory: gitolite would read what it matches there, but check does not read files outside the site, so what it adds is not checked`);
      }
    }
    for (const f of perlGlob(q[1], opts.confDir, opts.ws)) {
      const abs = resolvedIn(opts.caches, opts.confDir, f);
      // Confined (check, the language server): a file outside the conf directory, or one that
      // is not a regular file, is named but never read, so none of its text can be printed.
      const refused = opts.ws.refusal?.(abs);
      if (refused) {
        if (refused === 'outside') die('gl-include-outside', `'${f}' ${isSymlink(abs) ? 'is a symlink that leads' : 'is'} outside the conf directory: gitolite would read it, but check does not read files outside the site, so what it adds is not checked`);
        else die('gl-include-not-regular', `'${f}' is not a regular file (a FIFO, a device or a socket): gitolite reports it as not found; check does not read it`);
        continue;
      }
      const st = opts.ws.stat(abs);
      if (!st || !st.isFile) { res.diags.push({ file: path, range: at, code: 'gl-include-not-found', message: `included file not found: '${f}'` }); continue; }
      const bn = /([^/]+).conf$/.exec(f);
      if (!bn) { die('gl-include-bad-name', `invalid include/subconf filename '${f}'`); continue; }
      ref.targets.push(abs);
      if (included.has(abs)) { res.diags.push({ file: path, range: at, code: 'gl-include-repeated', message: `${f} already included` }); continue; }
      included.add(abs);
      if (isSub) {
        const name = m[2] || bn[1];
        res.segments.push({ file: path, subconf, xlines: [{ file: path, cl, subconf, marker: name }] });
        yield* walk(abs, name);
        res.segments.push({ file: path, subconf, xlines: [{ file: path, cl, subconf, marker: subconf }] });
      } else yield* walk(abs, subconf);
    }
  };

  const walk = function* (path: string, subconf: string): Steps<void> {
    const parsed = yield* load(path);
    if (!parsed) return;
    if (subconf === 'master') {
      const items = yield* runsOf(opts.caches, path, parsed);
      for (let k = 0; k < items.length; k++) {
        const item = items[k];
        if (Array.isArray(item)) res.segments.push(segmentOf(opts.caches, path, item));
        else yield* include(path, item, subconf);
      }
      return;
    }
    let cur: XLine[] = [];
    let i = 0;
    for (let cl of parsed.lines) {
      if (++i % SUBCONF_SLICE_LINES === 0) yield;
      cl = prefixGroups(cl, subconf);
      if ((cl.tokIs(0, 'include') || cl.tokIs(0, 'subconf')) && INCSUB.test(cl.text)) {
        if (cur.length) res.segments.push({ file: path, subconf, xlines: cur });
        cur = [];
        yield* include(path, cl, subconf);
      } else cur.push({ file: path, cl, subconf });
    }
    if (cur.length) res.segments.push({ file: path, subconf, xlines: cur });
  };
  yield* walk(opts.rootFile, 'master');
  return res;
}
