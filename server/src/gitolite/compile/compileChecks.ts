// What `gitolite compile` checks, line by line, in gitolite's order (Conf/Sugar.pm, Conf.pm
// parse, Conf/Store.pm). Every FATAL becomes an error and every WARNING a warning with
// gitolite's message. gitolite stops at the first FATAL; we go on, so one run shows them all.
// The same pass records groups, repo lines and config/option entries for the model and features.
import type { Range } from 'vscode-languageserver';
import type { ConfLine, Tok } from './confParser';
import { joinContinuations } from './confParser';
import type { GlDiag } from '../diag';
import type { Segment, XLine } from './explode';
import { REPONAME_PATT, REPOPATT_PATT, USERNAME_PATT, anchored } from './patterns';
import type { GitoliteRc } from '../rcReader';

export interface ConfigEntry {
  /** gitolite's sequence number: later entries win. */
  readonly seq: number;
  /** Sequence number within its chunk (stable while the chunk is reused). */
  rel: number;
  key: string;
  value: string;
  /** The repo list in force (names, @groups, @all, patterns), as gitolite stores it. */
  repos: string[];
  file: string;
  cl: ConfLine;
  readonly keyToks: Tok[];
  readonly valueToks: Tok[];
  readonly keyRange: Range;
  readonly valueRange: Range;
  via: 'config' | 'option' | 'desc' | 'owner' | 'category';
  /** Per-entry results of later stages (the entry object lives as long as its line is unchanged). */
  memo?: EntryMemo;
}

/** What the mirror stages remember on an entry: its key's dialect, the hosts it names, and the repo's derived settings. */
export interface EntryMemo {
  kind?: 'v2' | 'v3' | '';
  hosts?: string[];
  repo?: unknown;
}

export interface GroupDef { name: string; file: string; tok: Tok; members: Tok[]; cl: ConfLine }
export interface GroupUse { name: string; file: string; tok: Tok; where: 'repo' | 'user' | 'ref' | 'member' }
export interface RepoItem { name: string; file: string; tok: Tok; cl: ConfLine }
export interface RuleEntry { perm: string; file: string; cl: ConfLine; permTok: Tok; repos: string[] }

export interface CompileResult {
  diags: GlDiag[];
  /** Group → members (expanded) → the subconf that first added them, in gitolite's final state. */
  groups: Map<string, Map<string, string>>;
  readonly groupDefs: GroupDef[];
  readonly configs: ConfigEntry[];
  /** The rest is assembled from the chunks on first use. */
  readonly groupUses: GroupUse[];
  readonly repoItems: RepoItem[];
  readonly rules: RuleEntry[];
  /** Lines gitolite parses (after skipped blocks and continuation), for features. */
  readonly lines: XLine[];
  readonly skipped: XLine[];
  /**
   * Per chunk with mirror entries, a part whose sig() changes whenever a mirror entry (key,
   * value, repos, place, order) does; unchanged chunks give the very same part objects. Also the
   * groups those entries name and whether @all or a pattern carries one.
   */
  mirrorSignature(): { parts: MirrorPart[]; groups: Set<string>; wide: boolean };
  /** A string that changes whenever the set of repo names does. */
  repoSignature(): string;
}

const PERM_RE = /^(-|C|R|RW\+?(?:C?D?|D?C?)M?)$/;
const RULE_RE = /^(-|C|R|RW\+?(?:C?D?|D?C?)M?) (.* )?= (.+)/;
// A group line is `^(@\S+) = (.*)` on the cleaned text; the compile checks it by tokens.
const CONFIG_RE = /^config (.+) = ?(.*)/;
const OPTION_RE = /^option (\S+) = (\S.*)/;
const GITWEB_RE = /^(desc|owner|category) = (\S.*)/;

export interface CompileOptions {
  rc: GitoliteRc;
  continuation: boolean;
  /** The root conf, where whole-conf findings go. */
  rootFile?: string;
}

type Groups = Map<string, Map<string, string>>;
/**
 * A group line's effect: [group, members it added, subconf, and — when the group did not exist
 * before — the resulting member map, shared by every run that replays the line unchanged].
 */
type Mutation = [string, string[], string, Map<string, string>?];
// Member maps are shared between runs (see Mutation), so a run changes in place only the maps
// it copied itself (its `owned` set) and copies any other before adding to it.
/** What a chunk saw of a group it did not define first: existence, or its full content. */
type Dep = boolean | { sig: string | null };

interface ChunkState { repolist: string[]; subconf: string; skipping: boolean }

/** The result of compiling one segment, reusable while its input state and group deps hold. */
interface Chunk {
  rcKey: string;
  inState: ChunkState;
  outState: ChunkState;
  deps: Map<string, Dep>;
  /** `deps` flattened for the hot re-check (no entry tuples per check): sig undefined = existence only. */
  depList?: { names: string[]; has: boolean[]; sigs: Array<string | null | undefined> };
  mutations: Mutation[];
  diags: GlDiag[];
  groupDefs: GroupDef[];
  groupUses: GroupUse[];
  /** Repo names of repo lines, in order, and where each was written: (file, line, token) triples. */
  repoNames: string[];
  repoAt: Array<string | ConfLine | number>;
  rules: RuleEntry[];
  configs: ConfigEntry[];
  lines: XLine[];
  skipped: XLine[];
  seqCount: number;
  storedRules: number;
  ignored: Map<string, { names: Set<string>; at: GlDiag['range']; file: string }>;
  /** Where the chunk sits in the current run: its entries' seq = base + rel. */
  box: { base: number };
  mirrorSig?: { any: boolean; part: MirrorPart; groups: string[]; wide: boolean };
  repoSig?: string;
}

/** One class (not a literal with its own getter closure): one shape, one getter for all entries. */
class Entry implements ConfigEntry {
  memo: EntryMemo | undefined = undefined;
  constructor(private readonly box: { base: number }, public rel: number, public key: string, public value: string, public repos: string[],
    public file: string, public cl: ConfLine, private readonly ka: number, private readonly kz: number,
    private readonly va: number, private readonly vz: number, public via: ConfigEntry['via']) {}
  get seq(): number { return this.box.base + this.rel; }
  // Tok objects only when a diagnostic, hover or signature asks (most entries never do).
  get keyToks(): Tok[] { return this.cl.toks.slice(this.ka, this.kz + 1); }
  get valueToks(): Tok[] { return this.cl.toks.slice(this.va, this.vz + 1); }
  get keyRange(): Range { return this.cl.tokRange(this.ka, this.kz); }
  get valueRange(): Range { return this.cl.tokRange(this.va, this.vz); }
}

const MIRROR_KEY = /^(gitolite-options|gitolite)\.mirror\./i;

/**
 * A chunk's mirror entries as a comparable part of the mirror signature. The string is built
 * only when two different chunks must be compared (never on a cold run); an unchanged chunk
 * gives the very same part object, so comparing is one identity check.
 */
export interface MirrorPart {
  sig(): string;
  /** The chunk's entries with a mirror key (gitolite.mirror.* or gitolite-options.mirror.*), in order. */
  readonly entries: ConfigEntry[];
  /** Whatever the mirror checks derive from `entries` (lives as long as the chunk). */
  memo?: unknown;
}

function chunkMirrorSig(c: Chunk): NonNullable<Chunk['mirrorSig']> {
  if (c.mirrorSig === undefined) {
    const groups = new Set<string>();
    let wide = false;
    let any = false;
    const entries: ConfigEntry[] = [];
    for (const e of c.configs) {
      if (!MIRROR_KEY.test(e.key)) continue;
      any = true;
      entries.push(e);
      for (const r of e.repos) {
        if (r === '@all') wide = true;
        else if (r.charCodeAt(0) === 64 /* @ */) groups.add(r);
        else if (!REPONAME_PATT.test(r)) wide = true;
      }
    }
    let s: string | undefined;
    const part: MirrorPart = {
      entries,
      memo: undefined,
      sig: () => {
        if (s === undefined) {
          s = '';
          for (const e of c.configs) {
            if (!MIRROR_KEY.test(e.key)) continue;
            s += `${e.rel}|${e.key}|${e.value}|${e.via}|${e.file}|${e.cl.line}|${e.cl.text}|${e.valueToks.map((t) => `${t.line}:${t.start}`).join(',')}|${e.repos.join(' ')}\n`;
          }
        }
        return s;
      },
    };
    c.mirrorSig = { any, part, groups: [...groups], wide };
  }
  return c.mirrorSig;
}

const chunkCache = new WeakMap<XLine[], Chunk>();
/** The chunks of the last run per conf, in order. */
const prevOrder = new Map<string, Chunk[]>();

export function clearCompileCache(): void {
  prevOrder.clear();
}

function sameMutations(a: Chunk['mutations'], b: Chunk['mutations']): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const [l1, m1, s1] = a[i];
    const [l2, m2, s2] = b[i];
    if (l1 !== l2 || s1 !== s2 || m1.length !== m2.length || m1.some((x, k) => x !== m2[k])) return false;
  }
  return true;
}

function groupSig(g: Map<string, string> | undefined): string | null {
  if (!g) return null;
  let s = '';
  for (const [k, v] of g) s += k + '\u0001' + v + '\u0000';
  return s;
}

const sameState = (a: ChunkState, b: ChunkState) =>
  a.subconf === b.subconf && a.skipping === b.skipping && a.repolist.length === b.repolist.length && a.repolist.every((x, i) => x === b.repolist[i]);

interface RcView {
  key: string;
  validKeys: RegExp[];
  v2: boolean;
  safeConfig: Array<[string, string]>;
}

function rcView(rc: GitoliteRc): RcView {
  const v2 = rc.dialect === 'v2';
  const validKeys: RegExp[] = [];
  for (const k of (rc.gitConfigKeys?.value ?? '').split(/\s+/).filter(Boolean)) {
    const re = anchored(k, v2 ? '' : 'i');
    if (re) validKeys.push(re);
  }
  validKeys.push(/^gitolite-options\..*$/i);
  const key = JSON.stringify([rc.dialect, rc.gitConfigKeys?.value, String(rc.unsafePatt), rc.safeConfig, [...rc.roles], rc.grouplistPgm]);
  return { key, validKeys, v2, safeConfig: Object.entries(rc.safeConfig) };
}

/**
 * Compile every segment in order. A segment whose lines, rc view, entry state and group
 * dependencies are unchanged since the last run reuses its result: an edit re-checks only
 * the file it touches (plus whatever depends on a group it changed).
 */
export function compile(segments: Segment[], opts: CompileOptions): CompileResult {
  const groups: Groups = new Map();
  const owned = new Set<Map<string, string>>();
  const view = rcView(opts.rc);
  const chunks: Chunk[] = [];
  let state: ChunkState = { repolist: [], subconf: 'master', skipping: false };
  const sigMemo = new Map<string, string | null>();
  const sigOf = (n: string) => {
    let v = sigMemo.get(n);
    if (v === undefined && !sigMemo.has(n)) sigMemo.set(n, (v = groupSig(groups.get(n))));
    return v ?? null;
  };
  const depsHold = (c: Chunk) => {
    let l = c.depList;
    if (!l) {
      l = c.depList = { names: [], has: [], sigs: [] };
      for (const [n, d] of c.deps) {
        l.names.push(n);
        l.has.push(typeof d === 'boolean' ? d : false);
        l.sigs.push(typeof d === 'boolean' ? undefined : d.sig);
      }
    }
    const { names, has, sigs } = l;
    for (let k = 0; k < names.length; k++) {
      const sig = sigs[k];
      if (sig === undefined) { if (groups.has(names[k]) !== has[k]) return false; }
      else if (sigOf(names[k]) !== sig) return false;
    }
    return true;
  };
  const replay = (c: Chunk) => {
    for (const mu of c.mutations) {
      const [lhs, members, sub] = mu;
      let g = groups.get(lhs);
      if (!g) {
        // The group starts here: its map is the one this line made last time (no copy, no garbage).
        if (!mu[3]) { const m = new Map<string, string>(); for (const x of members) m.set(x, sub); mu[3] = m; }
        groups.set(lhs, mu[3]);
      } else if (members.length) {
        if (!owned.has(g)) { groups.set(lhs, (g = new Map(g))); owned.add(g); }
        for (const m of members) if (!g.has(m)) g.set(m, sub);
      }
      sigMemo.delete(lhs);
    }
  };
  const work: XLine[][] = opts.continuation ? [joinContinuations(segments.flatMap((s) => s.xlines))] : segments.map((s) => s.xlines);
  const prevKey = `${opts.rootFile ?? ''}\0${view.key}`;
  const prev = prevOrder.get(prevKey) ?? [];
  // Groups whose state may differ from the previous run's at the same chunk index: the groups
  // named by the mutations of every index where the two runs' chunks changed groups differently
  // (all other groups saw the very same mutations in the same order). null: too many to track.
  // A chunk that ran at this index last time still holds while none of its deps is dirty.
  let dirty: Set<string> | null = new Set();
  const clean = (c: Chunk) => {
    if (dirty === null || dirty.size > c.deps.size) return false; // depsHold is cheaper then
    for (const n of dirty) if (c.deps.has(n)) return false;
    return true;
  };
  for (let i = 0; i < work.length; i++) {
    const xlines = work[i];
    const hit = opts.continuation ? undefined : chunkCache.get(xlines);
    let c: Chunk;
    if (hit && hit.rcKey === view.key && sameState(hit.inState, state) && ((prev[i] === hit && clean(hit)) || depsHold(hit))) {
      replay(hit);
      c = hit;
    } else {
      c = compileChunk(xlines, state, groups, owned, opts.rc, view, (n) => sigMemo.delete(n));
      if (!opts.continuation) chunkCache.set(xlines, c);
    }
    const p = prev[i];
    if (dirty !== null && p !== c && !(p && sameMutations(p.mutations, c.mutations))) {
      if (!p) dirty = null;
      else {
        const pm = p.mutations, cm = c.mutations;
        if (pm.length !== cm.length) { for (const [n] of pm) dirty.add(n); for (const [n] of cm) dirty.add(n); }
        else for (let k = 0; k < pm.length; k++) if (!sameMutations([pm[k]], [cm[k]])) { dirty.add(pm[k][0]); dirty.add(cm[k][0]); }
        if (dirty.size > 256) dirty = null;
      }
    }
    chunks.push(c);
    state = c.outState;
  }
  if (prevOrder.size > 32) prevOrder.clear();
  prevOrder.set(prevKey, chunks);
  // Assemble: diagnostics in order, configs with absolute sequence numbers.
  const diags: GlDiag[] = [];
  const ignored = new Map<string, { names: Set<string>; at: GlDiag['range']; file: string }>();
  let base = 0;
  let storedRules = 0;
  for (const c of chunks) {
    for (const d of c.diags) diags.push(d);
    if (c.configs.length) c.box.base = base;
    for (const [sub, ig] of c.ignored) {
      const cur = ignored.get(sub);
      if (!cur) ignored.set(sub, { names: new Set(ig.names), at: ig.at, file: ig.file });
      else for (const n of ig.names) cur.names.add(n);
    }
    base += c.seqCount;
    storedRules += c.storedRules;
  }
  for (const sub of [...ignored.keys()].sort()) {
    const ig = ignored.get(sub)!;
    diags.push({ file: ig.file, range: ig.at, code: 'gl-subconf-access', message: `subconf '${sub}' attempting to set access for ${[...ig.names].sort().join(', ')}` });
  }
  // Store.pm opens conf/rule_info on the first stored rule and closes it unconditionally, so a
  // conf without a single access rule makes `gitolite compile` die (3.6.12 through 3.6.14).
  if (storedRules === 0 && opts.rootFile)
    diags.push({ file: opts.rootFile, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, code: 'gl-no-rules',
      message: 'close rule_info file failed: Bad file descriptor\ngitolite dies like this when the conf has no access rule at all; add at least one (e.g. for gitolite-admin)' });
  const lazy = <T>(pick: (c: Chunk) => T[]) => { let v: T[] | undefined; return () => (v ??= chunks.flatMap(pick)); };
  const cfgs = lazy((c) => c.configs), defs = lazy((c) => c.groupDefs);
  const items = lazy((c) => c.repoNames.map((name, i) => new RepoRef(name, c.repoAt[3 * i] as string, c.repoAt[3 * i + 1] as ConfLine, c.repoAt[3 * i + 2] as number))), lns = lazy((c) => c.lines), skp = lazy((c) => c.skipped);
  // Uses and rules are not needed for diagnostics: derived from the lines on demand.
  const uses = lazy((c) => c.lines.flatMap((x) => x.cl.toks.filter((t) => t.text.startsWith('@')).map((t) => ({ name: t.text, file: x.file, tok: t, where: 'user' as const }))));
  const rls = lazy((c) => c.lines.filter((x) => RULE_RE.test(x.cl.text)).map((x) => ({ perm: x.cl.toks[0].text, file: x.file, cl: x.cl, permTok: x.cl.toks[0], repos: [] as string[] })));
  return {
    diags, groups,
    // Built on first use: an edit that changes no mirror setting never needs them.
    get groupDefs() { return defs(); },
    get configs() { return cfgs(); },
    get groupUses() { return uses(); },
    get repoItems() { return items(); },
    get rules() { return rls(); },
    get lines() { return lns(); },
    get skipped() { return skp(); },
    mirrorSignature: () => {
      const parts: MirrorPart[] = [];
      const groups = new Set<string>();
      let wide = false;
      for (const c of chunks) {
        const m = chunkMirrorSig(c);
        if (!m.any) continue;
        parts.push(m.part);
        for (const g of m.groups) groups.add(g);
        wide ||= m.wide;
      }
      return { parts, groups, wide };
    },
    repoSignature: () => chunks.map((c) => (c.repoSig ??= c.repoNames.join(' '))).join('\u0002'),
  };
}

/** The cleaned text with gitolite's mirror.slaves → mirror.copies sugar (only lines that need text ask). */
function ptextOf(t: string): string {
  return t.indexOf('option mirror.slaves') >= 0 ? t.replace('option mirror.slaves', 'option mirror.copies') : t;
}

/** A rule's token with the name_vref sugar: `NAME/x` → `VREF/NAME/x` (when `vref`). */
function fixRef(cl: ConfLine, k: number, vref: boolean): string {
  const t = cl.tokText(k);
  return vref && t.startsWith('NAME/') ? 'VREF/' + t : t;
}

/** REPOPATT_PATT's characters: what may follow 'refs/heads/' in a valid ref. */
const REF_TAIL = /^[-0-9a-zA-Z._@/+\\^$|()[\]*?{},]*$/;

const interned = new Map<string, string>();
function intern(s: string): string {
  const v = interned.get(s);
  if (v !== undefined) return v;
  if (interned.size > 20000) interned.clear();
  interned.set(s, s);
  return s;
}

/** A token of a line by index; its Tok object is made only when a diagnostic or feature asks. */
interface Item { text: string; k: number }

class RepoRef implements RepoItem {
  constructor(public name: string, public file: string, public cl: ConfLine, private readonly k: number) {}
  get tok(): Tok { return this.cl.toks[this.k]; }
}

class GroupDefRef implements GroupDef {
  constructor(public name: string, public file: string, public cl: ConfLine) {}
  get tok(): Tok { return this.cl.toks[0]; }
  get members(): Tok[] { return this.cl.toks.slice(2); }
}

function compileChunk(seq1: XLine[], inState: ChunkState, groups: Groups, owned: Set<Map<string, string>>, rc: GitoliteRc, view: RcView, invalidate: (n: string) => void): Chunk {
  const res: Chunk = {
    rcKey: view.key, inState, outState: inState, deps: new Map(), mutations: [], diags: [], groupDefs: [], groupUses: [], repoNames: [], repoAt: [], rules: [], configs: [],
    lines: [], skipped: [], seqCount: 0, storedRules: 0, ignored: new Map(), box: { base: 0 },
  };
  const box = res.box;
  const { validKeys, v2, safeConfig } = view;
  const ignored = res.ignored;
  const roles = rc.roles;
  // Most words cannot be a role (READERS, WRITERS…): their first character says so without hashing them.
  const roleFirst = new Set([...roles].map((r) => r.charCodeAt(0)));
  const hasRole = (t: string) => roleFirst.has(t.charCodeAt(0)) && roles.has(t);
  let { subconf, repolist, skipping } = inState;
  let seq = 0;
  let storedRules = 0;
  const diag = (file: string, range: GlDiag['range'], code: GlDiag['code'], message: string, data?: Record<string, unknown>) =>
    res.diags.push(data ? { file, range, code, message, data } : { file, range, code, message });
  const has = (n: string) => {
    const d = res.deps.get(n);
    if (d === undefined) {
      const h = groups.has(n);
      res.deps.set(n, h);
      return h;
    }
    // Groups are never removed, and none was added yet when this chunk defined none: the
    // recorded answer still holds (one lookup instead of three for @admins on every repo).
    if (d === true || (d === false && res.mutations.length === 0)) return d;
    return groups.has(n);
  };
  const get = (n: string) => {
    if (typeof (res.deps.get(n) ?? true) === 'boolean') res.deps.set(n, { sig: groupSig(groups.get(n)) });
    return groups.get(n);
  };
  // `undefined group` for @x (not @all) in a group RHS or a ref list; returns the expansion.
  const expand = (file: string, cl: ConfLine, items: Item[]): Item[] => {
    const out: Item[] = [];
    for (const it of items) {
      if (it.text.charCodeAt(0) === 64 /* @ */ && it.text !== '@all') {
        const g = get(it.text);
        if (!g) { diag(file, cl.tokRange(it.k), 'gl-undefined-group', `undefined group '${it.text}'`); continue; }
        for (const m of [...g.keys()].sort()) out.push({ text: m, k: it.k });
      } else out.push(it);
    }
    return out;
  };

  const disallowed = (sub: string, repo: string): boolean => {
    if (sub === 'master' || sub === repo || '@' + sub === repo) return false;
    const g = get('@' + sub);
    if (g) for (const [m, origin] of [...g.entries()].sort()) if (origin === 'master' && anchored(m)?.test(repo)) return false;
    return true;
  };

  // The lines gitolite parses: the block itself (no copy) until a line is skipped or is a marker.
  let lines: XLine[] | undefined;
  for (let xi = 0; xi < seq1.length; xi++) {
    const x = seq1[xi];
    const { cl, file } = x;
    const n = cl.n;
    const c0 = cl.tokChar(0);
    if ((skipping || c0 === 61 || x.marker !== undefined) && !lines) lines = seq1.slice(0, xi);
    if (skipping) {
      res.skipped.push(x);
      if (c0 === 61 /* = */ && /^= *end$/.test(cl.cleanText())) skipping = false;
      continue;
    }
    if (c0 === 61 && /^= *begin (testconf|template-data)$/.test(cl.cleanText())) { skipping = true; res.skipped.push(x); continue; }
    if (x.marker !== undefined) {
      subconf = x.marker;
      if (!/^[-\w.]+$/.test(subconf)) diag(file, cl.tokRange(0, n - 1), 'gl-subconf-bad-name', `bad subconf '${subconf}'`);
      continue;
    }
    if (lines) lines.push(x);
    // The first word, as a string only when its first character says it may be a keyword or a
    // permission (most lines: `repo`, `R`, `RW+`, `option`), else checked in place.
    const first = c0 === 64 /* @ */ ? '' : cl.tokText(0);

    // --- sugar: option → config gitolite-options.*, desc/owner/category → config gitweb.* ---
    // Token ranges [ka, kz] and [va, vz] of the key and the value.
    let cfg: { key: string; ka: number; kz: number; value: string; va: number; vz: number; via: ConfigEntry['via'] } | undefined;
    const sugared = first === 'option' || first === 'desc' || first === 'owner' || first === 'category' || first === 'config';
    // The cleaned text with gitolite's mirror.slaves → mirror.copies sugar (only lines that need text ask).
    if (sugared) {
      // Not kept on the line: 8,000 option lines would each hold a copy for nothing.
      const text = cl.cleanText();
      const ptext = ptextOf(text);
      const valueAt = (v: string): [number, number] => cl.tokAtOffset(text.length - v.length, text.length);
      if (first === 'option') {
        const m = OPTION_RE.exec(ptext);
        if (m) { const [va, vz] = valueAt(m[2]); cfg = { key: 'gitolite-options.' + m[1], ka: 1, kz: 1, value: m[2], va, vz, via: 'option' }; }
      } else if (first === 'config') {
        const m = CONFIG_RE.exec(ptext);
        if (m) {
          // 'config ' is 7 characters; the value is the tail of the line.
          const [ka, kz] = cl.tokAtOffset(7, 7 + m[1].length);
          const [va, vz] = m[2].length ? valueAt(m[2]) : [n - 1, n - 1];
          cfg = { key: m[1], ka, kz, value: m[2], va, vz, via: 'config' };
        }
      } else {
        const m = GITWEB_RE.exec(ptext);
        if (m) { const [va, vz] = valueAt(m[2]); cfg = { key: m[1] === 'desc' ? 'gitweb.description' : 'gitweb.' + m[1], ka: 0, kz: 0, value: m[2], va, vz, via: m[1] as ConfigEntry['via'] }; }
      }
    }
    if (cfg) {
      const q = cfg.value.charCodeAt(0);
      const value = q === 34 || q === 39 ? cfg.value.replace(/^['"](.*)["']$/, '$1') : cfg.value;
      if (!validKeys.some((re) => re.test(cfg!.key))) {
        const kr = cl.tokRange(cfg.ka, cfg.kz);
        if (v2) {
          const mirror = cfg.key.startsWith('gitolite.mirror.');
          diag(file, kr, mirror ? 'gl-mirror-v2-key-not-allowed' : 'gl-config-not-allowed', mirror
            ? `git config '${cfg.key}' is not covered by $GL_GITCONFIG_KEYS ('${rc.gitConfigKeys?.value ?? ''}'): gitolite v2 refuses this config line, so the repo's mirror settings are never written and it stays local; add "gitolite.mirror.*" to $GL_GITCONFIG_KEYS`
            : `git config ${cfg.key} not allowed\ncheck GL_GITCONFIG_KEYS in the rc file for how to allow it`, { key: cfg.key });
        } else diag(file, kr, 'gl-config-not-allowed', `git config '${cfg.key}' not allowed\ncheck GIT_CONFIG_KEYS in the rc file`, { key: cfg.key });
      }
      if (rc.unsafePatt.test(value)) {
        // The first line is gitolite's; for mirror keys we add what it means for mirroring.
        const mirror = /^(gitolite-options|gitolite)\.mirror\./i.test(cfg.key);
        diag(file, cl.tokRange(cfg.va, cfg.vz), 'gl-bad-config-value', `bad config value '${value}'` + (mirror ? '\ngitolite stops compiling here: the compiled conf is not updated, so no mirror setting of this change takes effect' : ''));
      }
      let v = value;
      if (v.indexOf('%') >= 0) for (const [mk, mv] of safeConfig) v = v.split('%' + mk).join(mv);
      seq++;
      // Keys and values repeat across thousands of lines: one string each.
      res.configs.push(new Entry(box, seq, intern(cfg.key), intern(v), repolist, file, cl, cfg.ka, cfg.kz, cfg.va, cfg.vz, cfg.via));
      continue;
    }

    // --- group definition: `@name = members` (`^(@\S+) = (.*)` on the cleaned text, by tokens) ---
    if (c0 === 64 /* @ */ && n > 2 && cl.tokIs(1, '=')) {
      const lhs = cl.tokText(0);
      res.groupDefs.push(new GroupDefRef(lhs, file, cl));
      if (!REPONAME_PATT.test(lhs)) diag(file, cl.tokRange(0), 'gl-bad-group', `bad group '${lhs}'`);
      const items: Item[] = new Array(n - 2);
      for (let k = 2; k < n; k++) {
        const t = cl.tokText(k);
        items[k - 2] = { text: t, k };
        if (!REPOPATT_PATT.test(t)) diag(file, cl.tokRange(k), 'gl-bad-expansion', `bad expansion '${t}'`);
      }
      const members = expand(file, cl, items);
      let g = get(lhs);
      const fresh = !g;
      if (!g) groups.set(lhs, (g = new Map()));
      else if (!owned.has(g)) { groups.set(lhs, (g = new Map(g))); owned.add(g); }
      const added: string[] = [];
      for (const mem of members) if (!g.has(mem.text)) { g.set(mem.text, subconf); added.push(mem.text); }
      res.mutations.push(fresh ? [lhs, added, subconf, g] : [lhs, added, subconf]);
      invalidate(lhs);
      continue;
    }

    // --- repo line ---
    if (first === 'repo' && n > 1) {
      repolist = [];
      if (subconf === 'master') {
        // Nothing is disallowed in the master conf, so nothing expands: the loop below, without the queue.
        // Exact size (push would reserve 17 slots): one list per repo line lives as long as the analysis.
        repolist = n === 2 ? [''] : new Array(n - 1);
        for (let k = 1; k < n; k++) {
          let name = cl.tokText(k);
          if (name.endsWith('.git')) {
            name = name.slice(0, -4);
            diag(file, cl.tokRange(k), 'gl-git-extension', `explicit '.git' extension ignored for ${name}.git`);
          }
          if (!REPOPATT_PATT.test(name)) diag(file, cl.tokRange(k), 'gl-bad-reponame', `bad reponame '${name}'`);
          repolist[k - 1] = name;
          res.repoNames.push(name);
          res.repoAt.push(file, cl, k);
        }
        continue;
      }
      const queue: Item[] = [];
      for (let k = 1; k < n; k++) queue.push({ text: cl.tokText(k), k });
      while (queue.length) {
        const it = queue.shift()!;
        if (disallowed(subconf, it.text)) {
          const g = get(it.text);
          if (g) {
            diag(file, cl.tokRange(it.k), 'gl-subconf-expanding', `expanding '${it.text.replace('@' + subconf + '.', '@')}'; this *may* slow down compilation`);
            queue.unshift(...[...g.keys()].map((m) => ({ text: m, k: it.k })));
            continue;
          }
          let ig = ignored.get(subconf);
          if (!ig) ignored.set(subconf, (ig = { names: new Set(), at: cl.tokRange(it.k), file }));
          ig.names.add(it.text);
          continue;
        }
        let name = it.text;
        if (name.endsWith('.git')) {
          name = name.slice(0, -4);
          diag(file, cl.tokRange(it.k), 'gl-git-extension', `explicit '.git' extension ignored for ${name}.git`);
        }
        if (!REPOPATT_PATT.test(name)) diag(file, cl.tokRange(it.k), 'gl-bad-reponame', `bad reponame '${name}'`);
        repolist.push(name);
        res.repoNames.push(name);
        res.repoAt.push(file, cl, it.k);
      }
      continue;
    }

    // --- access rule ---
    // RULE_RE in token terms: a permission, then the last `=` token that has users after it
    // (the regex's greedy `(.* )?` picks exactly that one).
    let eqAt = -1;
    if (PERM_RE.test(first)) for (let k = n - 2; k >= 1; k--) if (cl.tokIs(k, '=')) { eqAt = k; break; }
    if (eqAt > 0) {
      storedRules++; // counts rule lines: with none at all, gitolite dies (below)
      const perm = first;
      if (eqAt === 1) {
        // No ref list (the common case): refs/.* only (it passes the ref check), no name_vref
        // sugar, nothing to expand; the same checks in the same order as below, without the garbage.
        let bad = false;
        for (let k = 2; k < n; k++) {
          const t = cl.tokText(k);
          const u = t === 'CREATOR' || hasRole(t) ? '@' + t : t;
          if (!USERNAME_PATT.test(u)) { diag(file, cl.tokRange(k), 'gl-bad-username', `bad username '${u}'`); bad = true; }
        }
        if (bad) continue;
        if (!rc.grouplistPgm) for (let k = 2; k < n; k++) {
          if (cl.tokChar(k) !== 64 /* @ */ && !(cl.tokIs(k, 'CREATOR') || rc.roles.size)) continue;
          const t = cl.tokText(k);
          const u = t === 'CREATOR' || hasRole(t) ? '@' + t : t;
          if (u.charCodeAt(0) === 64 /* @ */ && !has(u)) {
            const g = u.slice(1);
            if (g !== 'all' && g !== 'CREATOR' && !hasRole(g)) diag(file, cl.tokRange(k), 'gl-undeclared-group', `possible undeclared group '${u}'`);
          }
        }
        seq++;
        continue;
      }
      // name_vref sugar: `NAME/x` → `VREF/NAME/x` when a ref list is present (and perm is - or R…).
      const vref = perm === '-' || (perm.length > 1 && perm.charCodeAt(0) === 82 /* R */);
      const fix = (k: number) => fixRef(cl, k, vref);
      // The users of the rule (CREATOR and roles as @names); null after reporting a bad one.
      const nu = n - eqAt - 1;
      const readUsers = (): string[] | null => {
        const users: string[] = new Array(nu);
        let bad = false;
        for (let j = 0; j < nu; j++) {
          const k = eqAt + 1 + j;
          const u = fix(k);
          users[j] = u === 'CREATOR' || hasRole(u) ? '@' + u : u;
          if (!USERNAME_PATT.test(users[j])) { diag(file, cl.tokRange(k), 'gl-bad-username', `bad username '${users[j]}'`); bad = true; }
        }
        return bad ? null : users;
      };
      let groupRef = false;
      for (let k = 1; k < eqAt && !groupRef; k++) groupRef = cl.tokChar(k) === 64 /* @ */;
      if (!groupRef) {
        // No @group among the refs (the usual case): nothing to expand; the same checks in the
        // same order as below, without building 'refs/heads/...' strings unless a diagnostic needs them.
        const users = readUsers();
        if (!users) continue;
        for (let k = 1; k < eqAt; k++) {
          const t = fix(k);
          const full = t.startsWith('refs/') || t.startsWith('VREF/');
          // 'refs/heads/' + t passes REPOPATT_PATT exactly when t is made of its characters.
          const badRef = full ? !REPOPATT_PATT.test(t) : !REF_TAIL.test(t);
          const refText = () => (full ? t : 'refs/heads/' + t);
          for (let j = 0; j < nu; j++) {
            const u = users[j];
            if (perm === 'R' && !(full && t === 'refs/.*')) diag(file, cl.tokRange(k), 'gl-read-rule-ref', `doesn't make sense to supply a ref ('${refText()}') for 'R' rule`);
            if (u.charCodeAt(0) === 64 /* @ */ && !rc.grouplistPgm && !has(u)) {
              const g = u.slice(1);
              if (g !== 'all' && g !== 'CREATOR' && !hasRole(g)) diag(file, cl.tokRange(eqAt + 1 + j), 'gl-undeclared-group', `possible undeclared group '${u}'`);
            }
            if (badRef) {
              diag(file, cl.tokRange(k), 'gl-bad-ref', `bad ref '${refText()}'`);
              break;
            }
          }
          if (badRef) break;
        }
        seq++;
        continue;
      }
      const refItems: Item[] = [];
      for (let k = 1; k < eqAt; k++) refItems.push({ text: fix(k), k });
      const refs = expand(file, cl, refItems);
      for (let i = 0; i < refs.length; i++) {
        const r = refs[i].text;
        if (!(r.startsWith('refs/') || r.startsWith('VREF/'))) refs[i] = { text: 'refs/heads/' + r, k: refs[i].k };
      }
      const users = readUsers();
      if (!users) continue;
      for (const r of refs) {
        const badRef = !REPOPATT_PATT.test(r.text);
        for (let j = 0; j < nu; j++) {
          const u = users[j];
          if (perm === 'R' && r.text !== 'refs/.*') diag(file, cl.tokRange(r.k), 'gl-read-rule-ref', `doesn't make sense to supply a ref ('${r.text}') for 'R' rule`);
          if (u.charCodeAt(0) === 64 /* @ */ && !rc.grouplistPgm && !has(u)) {
            const g = u.slice(1);
            if (g !== 'all' && g !== 'CREATOR' && !hasRole(g)) diag(file, cl.tokRange(eqAt + 1 + j), 'gl-undeclared-group', `possible undeclared group '${u}'`);
          }
          if (badRef) {
            diag(file, cl.tokRange(r.k), 'gl-bad-ref', `bad ref '${r.text}'`);
            break;
          }
        }
        if (badRef) break;
      }
      seq++;
      continue;
    }

    const ptext = ptextOf(cl.cleanText());
    if (/^subconf (\S+)$/.test(ptext)) {
      subconf = cl.tokText(1);
      if (!/^[-\w.]+$/.test(subconf)) diag(file, cl.tokRange(0, n - 1), 'gl-subconf-bad-name', `bad subconf '${subconf}'`);
      continue;
    }
    diag(file, cl.tokRange(0, n - 1), 'gl-syntax', `syntax error, ignoring: '${ptext}'`, { text: ptext });
  }
  res.lines = lines ?? seq1;
  res.outState = { repolist, subconf, skipping };
  res.seqCount = seq;
  res.storedRules = storedRules;
  return res;
}
