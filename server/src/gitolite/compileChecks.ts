// What `gitolite compile` checks, line by line, in gitolite's order (Conf/Sugar.pm, Conf.pm
// parse, Conf/Store.pm). Every FATAL becomes an error and every WARNING a warning with
// gitolite's message. gitolite stops at the first FATAL; we go on, so one run shows them all.
// The same pass records groups, repo lines and config/option entries for the model and features.
import type { ConfLine, Tok } from './confParser';
import { joinContinuations } from './confParser';
import { GlDiag, tokRange, toksRange } from './diag';
import { toksIn, Segment, XLine } from './includes';
import { REPONAME_PATT, REPOPATT_PATT, USERNAME_PATT, anchored } from './patterns';
import type { GitoliteRc } from './rcReader';

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
  keyToks: Tok[];
  valueToks: Tok[];
  via: 'config' | 'option' | 'desc' | 'owner' | 'category';
  /** Per-entry results of later stages (the entry object lives as long as its line is unchanged). */
  memo?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface GroupDef { name: string; file: string; tok: Tok; members: Tok[]; cl: ConfLine }
export interface GroupUse { name: string; file: string; tok: Tok; where: 'repo' | 'user' | 'ref' | 'member' }
export interface RepoItem { name: string; file: string; tok: Tok; cl: ConfLine }
export interface RuleEntry { perm: string; file: string; cl: ConfLine; permTok: Tok; repos: string[] }

export interface CompileResult {
  diags: GlDiag[];
  /** Group → members (expanded) → the subconf that first added them, in gitolite's final state. */
  groups: Map<string, Map<string, string>>;
  groupDefs: GroupDef[];
  configs: ConfigEntry[];
  /** The rest is assembled from the chunks on first use. */
  readonly groupUses: GroupUse[];
  readonly repoItems: RepoItem[];
  readonly rules: RuleEntry[];
  /** Lines gitolite parses (after skipped blocks and continuation), for features. */
  readonly lines: XLine[];
  readonly skipped: XLine[];
  /**
   * Per chunk, a string that changes whenever a mirror entry (key, value, repos, place, order)
   * does; unchanged chunks give the very same string objects, so comparing is cheap. Also the
   * groups those entries name and whether @all or a pattern carries one.
   */
  mirrorSignature(): { parts: string[]; groups: Set<string>; wide: boolean };
  /** A string that changes whenever the set of repo names does. */
  repoSignature(): string;
}

const NO_TOKS: Tok[] = [];
const PERM_RE = /^(-|C|R|RW\+?(?:C?D?|D?C?)M?)$/;
const RULE_RE = /^(-|C|R|RW\+?(?:C?D?|D?C?)M?) (.* )?= (.+)/;
const GROUP_RE = /^(@\S+) = (.*)/;
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
/** What a chunk saw of a group it did not define first: existence, or its full content. */
type Dep = boolean | { sig: string | null };

interface ChunkState { repolist: string[]; subconf: string; skipping: boolean }

/** The result of compiling one segment, reusable while its input state and group deps hold. */
interface Chunk {
  rcKey: string;
  inState: ChunkState;
  outState: ChunkState;
  deps: Map<string, Dep>;
  mutations: Array<[string, string[], string]>;
  diags: GlDiag[];
  groupDefs: GroupDef[];
  groupUses: GroupUse[];
  repoItems: RepoItem[];
  rules: RuleEntry[];
  configs: ConfigEntry[];
  lines: XLine[];
  skipped: XLine[];
  seqCount: number;
  storedRules: number;
  ignored: Map<string, { names: Set<string>; at: GlDiag['range']; file: string }>;
  /** Where the chunk sits in the current run: its entries' seq = base + rel. */
  box: { base: number };
  mirrorSig?: { s: string; groups: string[]; wide: boolean };
  repoSig?: string;
}

const MIRROR_KEY = /^(gitolite-options|gitolite)\.mirror\./i;

function chunkMirrorSig(c: Chunk): NonNullable<Chunk['mirrorSig']> {
  if (c.mirrorSig === undefined) {
    let s = '';
    const groups = new Set<string>();
    let wide = false;
    for (const e of c.configs) {
      if (!MIRROR_KEY.test(e.key)) continue;
      s += `${e.rel}|${e.key}|${e.value}|${e.via}|${e.file}|${e.cl.line}|${e.cl.text}|${e.valueToks.map((t) => `${t.line}:${t.start}`).join(',')}|${e.repos.join(' ')}\n`;
      for (const r of e.repos) {
        if (r === '@all') wide = true;
        else if (r.startsWith('@')) groups.add(r);
        else if (!REPONAME_PATT.test(r)) wide = true;
      }
    }
    c.mirrorSig = { s, groups: [...groups], wide };
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
  return { key, validKeys, v2 };
}

/**
 * Compile every segment in order. A segment whose lines, rc view, entry state and group
 * dependencies are unchanged since the last run reuses its result: an edit re-checks only
 * the file it touches (plus whatever depends on a group it changed).
 */
export function compile(segments: Segment[], opts: CompileOptions): CompileResult {
  const groups: Groups = new Map();
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
    for (const [n, d] of c.deps) {
      if (typeof d === 'boolean') { if (groups.has(n) !== d) return false; }
      else if (sigOf(n) !== d.sig) return false;
    }
    return true;
  };
  const replay = (c: Chunk) => {
    for (const [lhs, members, sub] of c.mutations) {
      let g = groups.get(lhs);
      if (!g) groups.set(lhs, (g = new Map()));
      for (const m of members) if (!g.has(m)) g.set(m, sub);
      sigMemo.delete(lhs);
    }
  };
  const work: XLine[][] = opts.continuation ? [joinContinuations(segments.flatMap((s) => s.xlines))] : segments.map((s) => s.xlines);
  // While every chunk so far changed the groups exactly as in the previous run of this conf,
  // the groups are in the same state as then, so a cached chunk's dependencies still hold.
  const prevKey = `${opts.rootFile ?? ''}\0${view.key}`;
  const prev = prevOrder.get(prevKey) ?? [];
  let samePrefix = true;
  for (let i = 0; i < work.length; i++) {
    const xlines = work[i];
    const hit = opts.continuation ? undefined : chunkCache.get(xlines);
    let c: Chunk;
    if (hit && hit.rcKey === view.key && sameState(hit.inState, state) && ((samePrefix && prev[i] === hit) || depsHold(hit))) {
      replay(hit);
      c = hit;
    } else {
      c = compileChunk(xlines, state, groups, opts.rc, view, (n) => sigMemo.delete(n));
      if (!opts.continuation) chunkCache.set(xlines, c);
    }
    if (samePrefix && prev[i] !== c && !(prev[i] && sameMutations(prev[i].mutations, c.mutations))) samePrefix = false;
    chunks.push(c);
    state = c.outState;
  }
  if (prevOrder.size > 32) prevOrder.clear();
  prevOrder.set(prevKey, chunks);
  // Assemble: diagnostics in order, configs with absolute sequence numbers.
  const diags: GlDiag[] = [];
  const configs: ConfigEntry[] = [];
  const groupDefs: GroupDef[] = [];
  const ignored = new Map<string, { names: Set<string>; at: GlDiag['range']; file: string }>();
  let base = 0;
  let storedRules = 0;
  for (const c of chunks) {
    for (const d of c.diags) diags.push(d);
    if (c.configs.length) {
      c.box.base = base;
      for (const e of c.configs) configs.push(e);
    }
    for (const g of c.groupDefs) groupDefs.push(g);
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
  const items = lazy((c) => c.repoItems), lns = lazy((c) => c.lines), skp = lazy((c) => c.skipped);
  // Uses and rules are not needed for diagnostics: derived from the lines on demand.
  const uses = lazy((c) => c.lines.flatMap((x) => x.cl.toks.filter((t) => t.text.startsWith('@')).map((t) => ({ name: t.text, file: x.file, tok: t, where: 'user' as const }))));
  const rls = lazy((c) => c.lines.filter((x) => RULE_RE.test(x.cl.text)).map((x) => ({ perm: x.cl.toks[0].text, file: x.file, cl: x.cl, permTok: x.cl.toks[0], repos: [] as string[] })));
  return {
    diags, groups, groupDefs, configs,
    get groupUses() { return uses(); },
    get repoItems() { return items(); },
    get rules() { return rls(); },
    get lines() { return lns(); },
    get skipped() { return skp(); },
    mirrorSignature: () => {
      const parts: string[] = [];
      const groups = new Set<string>();
      let wide = false;
      for (const c of chunks) {
        const m = chunkMirrorSig(c);
        if (!m.s) continue;
        parts.push(m.s);
        for (const g of m.groups) groups.add(g);
        wide ||= m.wide;
      }
      return { parts, groups, wide };
    },
    repoSignature: () => chunks.map((c) => (c.repoSig ??= c.repoItems.map((r) => r.name).join(' '))).join('\u0002'),
  };
}

function compileChunk(seq1: XLine[], inState: ChunkState, groups: Groups, rc: GitoliteRc, view: RcView, invalidate: (n: string) => void): Chunk {
  const res: Chunk = {
    rcKey: view.key, inState, outState: inState, deps: new Map(), mutations: [], diags: [], groupDefs: [], groupUses: [], repoItems: [], rules: [], configs: [],
    lines: [], skipped: [], seqCount: 0, storedRules: 0, ignored: new Map(), box: { base: 0 },
  };
  const box = res.box;
  const { validKeys, v2 } = view;
  const ignored = res.ignored;
  let { subconf, repolist, skipping } = inState;
  let seq = 0;
  let storedRules = 0;
  const diag = (file: string, range: GlDiag['range'], code: string, message: string, data?: Record<string, unknown>) =>
    res.diags.push(data ? { file, range, code, message, data } : { file, range, code, message });
  const has = (n: string) => {
    if (!res.deps.has(n)) res.deps.set(n, groups.has(n));
    return groups.has(n);
  };
  const get = (n: string) => {
    if (typeof (res.deps.get(n) ?? true) === 'boolean') res.deps.set(n, { sig: groupSig(groups.get(n)) });
    return groups.get(n);
  };
  // `undefined group` for @x (not @all) in a group RHS or a ref list; returns the expansion.
  const expand = (file: string, items: Array<{ text: string; tok: Tok }>, where: GroupUse['where']) => {
    const out: Array<{ text: string; tok: Tok }> = [];
    for (const it of items) {
      if (it.text.startsWith('@') && it.text !== '@all') {
        const g = get(it.text);
        if (!g) { diag(file, tokRange(it.tok), 'gl-undefined-group', `undefined group '${it.text}'`); continue; }
        for (const m of [...g.keys()].sort()) out.push({ text: m, tok: it.tok });
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

  for (const x of seq1) {
    const { cl, file } = x;
    const text = cl.text;
    if (skipping) {
      res.skipped.push(x);
      if (text.charCodeAt(0) === 61 /* = */ && /^= *end$/.test(text)) skipping = false;
      continue;
    }
    if (text.charCodeAt(0) === 61 && /^= *begin (testconf|template-data)$/.test(text)) { skipping = true; res.skipped.push(x); continue; }
    if (x.marker !== undefined) {
      subconf = x.marker;
      if (!/^[-\w.]+$/.test(subconf)) diag(file, toksRange(cl.toks[0], cl.toks[cl.toks.length - 1]), 'gl-subconf-bad-name', `bad subconf '${subconf}'`);
      continue;
    }
    res.lines.push(x);
    const first = cl.toks[0].text;

    // --- sugar: option → config gitolite-options.*, desc/owner/category → config gitweb.* ---
    let ptext = text;
    if (ptext.indexOf('option mirror.slaves') >= 0) ptext = ptext.replace('option mirror.slaves', 'option mirror.copies');
    let cfg: { key: string; keyToks: Tok[]; value: string; valueToks: Tok[]; via: ConfigEntry['via'] } | undefined;
    if (first === 'option') {
      const m = OPTION_RE.exec(ptext);
      if (m) cfg = { key: 'gitolite-options.' + m[1], keyToks: [cl.toks[1]], value: m[2], valueToks: toksIn(cl, text.length - m[2].length, text.length), via: 'option' };
    } else if (first === 'desc' || first === 'owner' || first === 'category') {
      const m = GITWEB_RE.exec(ptext);
      if (m) cfg = { key: m[1] === 'desc' ? 'gitweb.description' : 'gitweb.' + m[1], keyToks: [cl.toks[0]], value: m[2], valueToks: toksIn(cl, text.length - m[2].length, text.length), via: m[1] as ConfigEntry['via'] };
    } else if (first === 'config') {
      const m = CONFIG_RE.exec(ptext);
      if (m) {
        // 'config ' is 7 characters; the value is the tail of the line.
        cfg = { key: m[1], keyToks: toksIn(cl, 7, 7 + m[1].length), value: m[2], valueToks: m[2].length ? toksIn(cl, text.length - m[2].length, text.length) : [cl.toks[cl.toks.length - 1]], via: 'config' };
      }
    }
    if (cfg) {
      const value = cfg.value.replace(/^['"](.*)["']$/, '$1');
      if (!validKeys.some((re) => re.test(cfg!.key))) {
        const kr = toksRange(cfg.keyToks[0], cfg.keyToks[cfg.keyToks.length - 1]);
        if (v2) {
          const mirror = cfg.key.startsWith('gitolite.mirror.');
          diag(file, kr, mirror ? 'gl-mirror-v2-key-not-allowed' : 'gl-config-not-allowed', mirror
            ? `git config '${cfg.key}' is not covered by $GL_GITCONFIG_KEYS ('${rc.gitConfigKeys?.value ?? ''}'): gitolite v2 refuses this config line, so the repo's mirror settings are never written and it stays local; add "gitolite.mirror.*" to $GL_GITCONFIG_KEYS`
            : `git config ${cfg.key} not allowed\ncheck GL_GITCONFIG_KEYS in the rc file for how to allow it`, { key: cfg.key });
        } else diag(file, kr, 'gl-config-not-allowed', `git config '${cfg.key}' not allowed\ncheck GIT_CONFIG_KEYS in the rc file`, { key: cfg.key });
      }
      const vr = toksRange(cfg.valueToks[0], cfg.valueToks[cfg.valueToks.length - 1]);
      if (rc.unsafePatt.test(value)) {
        // The first line is gitolite's; for mirror keys we add what it means for mirroring.
        const mirror = /^(gitolite-options|gitolite)\.mirror\./i.test(cfg.key);
        diag(file, vr, 'gl-bad-config-value', `bad config value '${value}'` + (mirror ? '\ngitolite stops compiling here: the compiled conf is not updated, so no mirror setting of this change takes effect' : ''));
      }
      let v = value;
      for (const [mk, mv] of Object.entries(rc.safeConfig)) v = v.split('%' + mk).join(mv);
      seq++;
      res.configs.push({ get seq() { return box.base + this.rel; }, rel: seq, key: cfg.key, value: v, repos: repolist, file, cl, keyToks: cfg.keyToks, valueToks: cfg.valueToks, via: cfg.via, memo: undefined });
      continue;
    }

    // --- group definition ---
    if (first.startsWith('@')) {
      const m = GROUP_RE.exec(ptext);
      if (m) {
        const lhs = m[1];
        const lhsTok = cl.toks[0];
        const memberToks = cl.toks.slice(2);
        res.groupDefs.push({ name: lhs, file, tok: lhsTok, members: memberToks, cl });
        if (!REPONAME_PATT.test(lhs)) diag(file, tokRange(lhsTok), 'gl-bad-group', `bad group '${lhs}'`);
        for (const t of memberToks) if (!REPOPATT_PATT.test(t.text)) diag(file, tokRange(t), 'gl-bad-expansion', `bad expansion '${t.text}'`);
        const members = expand(file, memberToks.map((t) => ({ text: t.text, tok: t })), 'member');
        let g = get(lhs);
        if (!g) groups.set(lhs, (g = new Map()));
        const added: string[] = [];
        for (const mem of members) if (!g.has(mem.text)) { g.set(mem.text, subconf); added.push(mem.text); }
        res.mutations.push([lhs, added, subconf]);
        invalidate(lhs);
        continue;
      }
    }

    // --- repo line ---
    if (first === 'repo' && cl.toks.length > 1) {
      repolist = [];
      const queue: Array<{ text: string; tok: Tok }> = cl.toks.slice(1).map((t) => ({ text: t.text, tok: t }));
      while (queue.length) {
        const it = queue.shift()!;
        if (disallowed(subconf, it.text)) {
          const g = get(it.text);
          if (g) {
            diag(file, tokRange(it.tok), 'gl-subconf-expanding', `expanding '${it.text.replace('@' + subconf + '.', '@')}'; this *may* slow down compilation`);
            queue.unshift(...[...g.keys()].map((k) => ({ text: k, tok: it.tok })));
            continue;
          }
          let ig = ignored.get(subconf);
          if (!ig) ignored.set(subconf, (ig = { names: new Set(), at: tokRange(it.tok), file }));
          ig.names.add(it.text);
          continue;
        }
        let name = it.text;
        if (name.endsWith('.git')) {
          name = name.slice(0, -4);
          diag(file, tokRange(it.tok), 'gl-git-extension', `explicit '.git' extension ignored for ${name}.git`);
        }
        if (!REPOPATT_PATT.test(name)) diag(file, tokRange(it.tok), 'gl-bad-reponame', `bad reponame '${name}'`);
        repolist.push(name);
        res.repoItems.push({ name, file, tok: it.tok, cl });
      }
      continue;
    }

    // --- access rule ---
    // RULE_RE in token terms: a permission, then the last `=` token that has users after it
    // (the regex's greedy `(.* )?` picks exactly that one).
    let eqAt = -1;
    if (PERM_RE.test(first)) for (let k = cl.toks.length - 2; k >= 1; k--) if (cl.toks[k].text === '=') { eqAt = k; break; }
    if (eqAt > 0) {
      storedRules++; // counts rule lines: with none at all, gitolite dies (below)
      const perm = first;
      const refToks = eqAt > 1 ? cl.toks.slice(1, eqAt) : NO_TOKS;
      const userToks = cl.toks.slice(eqAt + 1);
      // name_vref sugar: `NAME/x` → `VREF/NAME/x` when a ref list is present (and perm is - or R…).
      const vref = refToks.length > 0 && (perm === '-' || (perm.length > 1 && perm[0] === 'R'));
      const fix = (t: Tok) => (vref && t.text.startsWith('NAME/') ? 'VREF/' + t.text : t.text);
      let refs: Array<{ text: string; tok: Tok }>;
      if (!refToks.length) refs = [{ text: 'refs/.*', tok: cl.toks[0] }];
      else refs = expand(file, refToks.map((t) => ({ text: fix(t), tok: t })), 'ref').map((r) => (/^(refs|VREF)\//.test(r.text) ? r : { text: 'refs/heads/' + r.text, tok: r.tok }));
      const users: string[] = new Array(userToks.length);
      let bad = false;
      for (let k = 0; k < userToks.length; k++) {
        const u = fix(userToks[k]);
        users[k] = u === 'CREATOR' || rc.roles.has(u) ? '@' + u : u;
        if (!USERNAME_PATT.test(users[k])) { diag(file, tokRange(userToks[k]), 'gl-bad-username', `bad username '${users[k]}'`); bad = true; }
      }
      if (bad) continue;
      for (const r of refs) {
        const badRef = !REPOPATT_PATT.test(r.text);
        for (let k = 0; k < users.length; k++) {
          const u = users[k];
          if (perm === 'R' && r.text !== 'refs/.*') diag(file, tokRange(r.tok), 'gl-read-rule-ref', `doesn't make sense to supply a ref ('${r.text}') for 'R' rule`);
          if (u.charCodeAt(0) === 64 /* @ */ && !rc.grouplistPgm && !has(u)) {
            const g = u.slice(1);
            if (g !== 'all' && g !== 'CREATOR' && !rc.roles.has(g)) diag(file, tokRange(userToks[k]), 'gl-undeclared-group', `possible undeclared group '${u}'`);
          }
          if (badRef) {
            diag(file, tokRange(r.tok), 'gl-bad-ref', `bad ref '${r.text}'`);
            break;
          }
        }
        if (badRef) break;
      }
      seq++;
      continue;
    }

    if (/^subconf (\S+)$/.test(ptext)) {
      subconf = cl.toks[1].text;
      if (!/^[-\w.]+$/.test(subconf)) diag(file, toksRange(cl.toks[0], cl.toks[cl.toks.length - 1]), 'gl-subconf-bad-name', `bad subconf '${subconf}'`);
      continue;
    }
    diag(file, toksRange(cl.toks[0], cl.toks[cl.toks.length - 1]), 'gl-syntax', `syntax error, ignoring: '${ptext}'`, { text: ptext });
  }
  res.outState = { repolist, subconf, skipping };
  res.seqCount = seq;
  res.storedRules = storedRules;
  return res;
}
