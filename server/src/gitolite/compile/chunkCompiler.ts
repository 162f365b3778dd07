// Compiles one chunk: walks its lines in gitolite's order and hands each to the handler of its
// kind (lines/). The compiler holds what gitolite's parse carries from line to line (the repo
// list in force, the subconf, whether a block is skipped, the sequence counter) and records
// every group it reads, so the chunk can later be reused while those groups are unchanged.
import type { GitoliteCaches } from '../caches';
import type { ConfLine } from './confParser';
import type { GlDiag } from '../diag';
import type { XLine } from './explode';
import type { GitoliteRc } from '../rcReader';
import type { Chunk, ChunkState, Groups, Item, RcView } from './chunk';
import { groupSig } from './chunkCache';
import { anchored } from './patterns';
import { configLine } from './lines/configLine';
import { groupLine } from './lines/groupLine';
import { repoLine } from './lines/repoLine';
import { ruleLine } from './lines/ruleLine';
import { otherLine } from './lines/otherLine';

export class ChunkCompiler {
  readonly res: Chunk;
  subconf: string;
  repolist: string[];
  skipping: boolean;
  seq = 0;
  storedRules = 0;
  // Most words cannot be a role (READERS, WRITERS…): their first character says so without hashing them.
  private readonly roleFirst: Set<number>;

  constructor(inState: ChunkState, readonly groups: Groups, readonly owned: Set<Map<string, string>>, readonly rc: GitoliteRc,
    readonly view: RcView, readonly invalidate: (n: string) => void, readonly caches: GitoliteCaches) {
    this.res = {
      rcKey: view.key, inState, outState: inState, deps: new Map(), mutations: [], diags: [], groupDefs: [], groupUses: [], repoNames: [], repoAt: [], rules: [], configs: [],
      lines: [], skipped: [], seqCount: 0, storedRules: 0, ignored: new Map(), box: { base: 0 },
    };
    ({ subconf: this.subconf, repolist: this.repolist, skipping: this.skipping } = inState);
    this.roleFirst = new Set([...rc.roles].map((r) => r.charCodeAt(0)));
  }

  /** Whether a word starting with character c can be a role (most cannot: no string needed to tell). */
  mayBeRole(c: number): boolean {
    return this.roleFirst.has(c);
  }

  hasRole(t: string): boolean {
    return this.roleFirst.has(t.charCodeAt(0)) && this.rc.roles.has(t);
  }

  diag(file: string, range: GlDiag['range'], code: GlDiag['code'], message: string, data?: Record<string, unknown>): void {
    this.res.diags.push(data ? { file, range, code, message, data } : { file, range, code, message });
  }

  /** Whether group n exists now, recorded as a dependency of the chunk. */
  has(n: string): boolean {
    const res = this.res;
    const d = res.deps.get(n);
    if (d === undefined) {
      const h = this.groups.has(n);
      res.deps.set(n, h);
      return h;
    }
    // Groups are never removed, and none was added yet when this chunk defined none: the
    // recorded answer still holds (one lookup instead of three for @admins on every repo).
    if (d === true || (d === false && res.mutations.length === 0)) return d;
    return this.groups.has(n);
  }

  /** Group n's members now, its content recorded as a dependency of the chunk. */
  get(n: string): Map<string, string> | undefined {
    const deps = this.res.deps;
    if (typeof (deps.get(n) ?? true) === 'boolean') deps.set(n, { sig: groupSig(this.groups.get(n)) });
    return this.groups.get(n);
  }

  /** `undefined group` for @x (not @all) in a group RHS or a ref list; returns the expansion. */
  expand(file: string, cl: ConfLine, items: Item[]): Item[] {
    const out: Item[] = [];
    for (const it of items) {
      if (it.text.charCodeAt(0) === 64 /* @ */ && it.text !== '@all') {
        const g = this.get(it.text);
        if (!g) { this.diag(file, cl.tokRange(it.k), 'gl-undefined-group', `undefined group '${it.text}'`); continue; }
        for (const m of [...g.keys()].sort()) out.push({ text: m, k: it.k });
      } else out.push(it);
    }
    return out;
  }

  /**
   * The same expansion for a group line's members: token texts in (`texts[j]` is token
   * `from + j`), names out, without an Item per member (a group block has thousands).
   */
  expandTexts(file: string, cl: ConfLine, from: number, texts: string[]): string[] {
    let out: string[] | undefined;
    for (let j = 0; j < texts.length; j++) {
      const t = texts[j];
      if (t.charCodeAt(0) === 64 /* @ */ && t !== '@all') {
        out ??= texts.slice(0, j);
        const g = this.get(t);
        if (!g) { this.diag(file, cl.tokRange(from + j), 'gl-undefined-group', `undefined group '${t}'`); continue; }
        for (const m of [...g.keys()].sort()) out.push(m);
      } else if (out) out.push(t);
    }
    return out ?? texts;
  }

  /** Whether subconf sub may not set access for repo (gitolite's subconf delegation). */
  disallowed(sub: string, repo: string): boolean {
    if (sub === 'master' || sub === repo || '@' + sub === repo) return false;
    const g = this.get('@' + sub);
    if (g) for (const [m, origin] of [...g.entries()].sort()) if (origin === 'master' && anchored(m)?.test(repo)) return false;
    return true;
  }
}

// The words most lines start with, by first character: a line that starts with one gets the
// shared string, not a copy of its own (86,000 lines on a cold run). Constant after load.
const COMMON_FIRST: ReadonlyMap<number, readonly string[]> = byFirstChar(['repo', 'R', 'RW', 'RW+', 'RWC', 'RW+C', 'RWD', 'RW+D', 'RWCD', 'RW+CD', '-', 'C', 'option', 'config', 'desc', 'owner', 'category', 'include', 'subconf']);

function byFirstChar(words: string[]): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const w of words) {
    const l = m.get(w.charCodeAt(0));
    if (l) l.push(w);
    else m.set(w.charCodeAt(0), [w]);
  }
  return m;
}

/** Token 0's text: the shared string of a common word, else its own. */
function firstWord(cl: ConfLine, c0: number): string {
  const ws = COMMON_FIRST.get(c0);
  if (ws) {
    const len = cl.tokLen(0);
    for (let i = 0; i < ws.length; i++) if (ws[i].length === len && cl.tokIs(0, ws[i])) return ws[i];
  }
  return cl.tokText(0);
}

export function compileChunk(seq1: XLine[], inState: ChunkState, groups: Groups, owned: Set<Map<string, string>>, rc: GitoliteRc, view: RcView, invalidate: (n: string) => void, caches: GitoliteCaches): Chunk {
  const cc = new ChunkCompiler(inState, groups, owned, rc, view, invalidate, caches);
  const res = cc.res;
  // The lines gitolite parses: the block itself (no copy) until a line is skipped or is a marker.
  let lines: XLine[] | undefined;
  for (let xi = 0; xi < seq1.length; xi++) {
    const x = seq1[xi];
    const { cl, file } = x;
    const c0 = cl.tokChar(0);
    if ((cc.skipping || c0 === 61 || x.marker !== undefined) && !lines) lines = seq1.slice(0, xi);
    if (cc.skipping) {
      res.skipped.push(x);
      if (c0 === 61 /* = */ && /^= *end$/.test(cl.cleanText())) cc.skipping = false;
      continue;
    }
    if (c0 === 61 && /^= *begin (testconf|template-data)$/.test(cl.cleanText())) { cc.skipping = true; res.skipped.push(x); continue; }
    if (x.marker !== undefined) {
      cc.subconf = x.marker;
      if (!/^[-\w.]+$/.test(cc.subconf)) cc.diag(file, cl.tokRange(0, cl.n - 1), 'gl-subconf-bad-name', `bad subconf '${cc.subconf}'`);
      continue;
    }
    if (lines) lines.push(x);
    // The first word, as a string only when its first character says it may be a keyword or a
    // permission (most lines: `repo`, `R`, `RW+`, `option`), else checked in place.
    const first = c0 === 64 /* @ */ ? '' : firstWord(cl, c0);
    if (configLine(cc, x, first) || groupLine(cc, x, c0) || repoLine(cc, x, first) || ruleLine(cc, x, first)) continue;
    otherLine(cc, x);
  }
  res.lines = lines ?? seq1;
  res.outState = { repolist: cc.repolist, subconf: cc.subconf, skipping: cc.skipping };
  res.seqCount = cc.seq;
  res.storedRules = cc.storedRules;
  return res;
}
