// Per-repo mirror settings with gitolite's semantics, derived from the compiled conf.
//
// v3 (Triggers/Mirroring.pm): a repo's options are every `config`/`option` entry whose repo
// list names the repo, a group it belongs to, a pattern it matches or @all (Conf/Load.pm
// memberships); sorted by sequence, the last entry per key wins, and empty values are dropped
// (git_config). master = `mirror.master`; copies = values of every key `mirror.copies*`
// (async), overridden by `mirror.copies.sync*` (sync) and `mirror.copies.nosync*` (nosync);
// redirectOK = values of `mirror.redirectOK*`, where a lone `all` means every copy.
// v2 (gitolite.pm mirror_mode): the same keys under `gitolite.mirror.*`, `slaves` for copies
// and `true` for all.
import type { GitoliteCaches } from './caches';
import type { CompileResult, ConfigEntry } from './compile/compileChecks';
import { REPONAME_PATT, anchored } from './compile/patterns';

export type CopyMode = 'async' | 'sync' | 'nosync';
export type HostMode = 'master' | 'copy' | 'local' | 'mirrored-elsewhere';

export interface MirrorCopy { host: string; mode: CopyMode }

export interface MirrorRepo {
  /** Repo name as written (patterns keep their regex text; `isPattern` tells them apart). */
  name: string;
  isPattern: boolean;
  master?: string;
  copies: MirrorCopy[];
  redirectOK: string[] | 'all';
  /**
   * What this host (HOSTNAME) is for the repo, as gitolite's Mirroring mode() decides:
   * 'master' (pushes go out to the copies), 'copy' (accepts pushes only from the master),
   * 'local' (not mirrored here, or HOSTNAME unset), 'mirrored-elsewhere' (gitolite refuses
   * every access: "'<repo>' is mirrored but not here").
   */
  mode: HostMode;
  /** Entries that decided the values (the winners), for diagnostics and hover. */
  sources: { master?: ConfigEntry; copies: ConfigEntry[]; redirectOK: ConfigEntry[] };
  /** Every mirror entry that applied, winners or not, in sequence order. */
  applied: ConfigEntry[];
  /** The mirror checks' findings for this repo (memoized with the repo). */
  contrib?: unknown;
}

export type Dialect = 'v2' | 'v3' | 'none';

/** The v3 mirror keys (after `mirror.`) a did-you-mean offers: what Mirroring.pm reads. */
export const V3_MIRROR_KEYS = ['master', 'copies', 'copies.sync', 'copies.nosync', 'redirectOK'];

/**
 * Whether gitolite reads a v3 key (the part after `mirror.`): Mirroring.pm asks for
 * `mirror.master` exactly and for the regexes `^…mirror\.copies.*` and `^…mirror\.redirectOK.*`,
 * case-sensitively; contrib's file_mirror trigger reads `mirror.extcopy*`.
 */
export function v3KeyRead(rest: string): boolean {
  return rest === 'master' || rest.startsWith('copies') || rest.startsWith('redirectOK') || rest.startsWith('extcopy');
}

/** Memoized on the entry: 'v2', 'v3' or '' (not a mirror key). */
export function mirrorKind(e: ConfigEntry): 'v2' | 'v3' | '' {
  const m = (e.memo ??= {});
  if (m.kind === undefined) m.kind = isV3Key(e.key) ? 'v3' : isV2Key(e.key) ? 'v2' : '';
  return m.kind;
}

export function isV2Key(k: string): boolean {
  return /^gitolite\.mirror\./i.test(k);
}
export function isV3Key(k: string): boolean {
  return /^gitolite-options\.mirror\./.test(k);
}

/** The repo names the conf makes concrete (names, members of groups on repo lines). */
function concreteRepos(c: CompileResult): { names: string[]; patterns: string[] } {
  const names = new Set<string>();
  const patterns = new Set<string>();
  const addName = (n: string) => {
    if (n === '@all') return;
    if (n.startsWith('@')) {
      for (const m of c.groups.get(n)?.keys() ?? []) addName(m);
      return;
    }
    if (REPONAME_PATT.test(n)) names.add(n);
    else patterns.add(n);
  };
  for (const r of c.repoItems) addName(r.name);
  return { names: [...names], patterns: [...patterns] };
}

const NO_HOSTS: string[] = [];
// Mirror values repeat across thousands of entries ('gl1', 'gl2 gl3'): one shared, read-only word list per value.
function wordsOf(caches: GitoliteCaches, v: string): string[] {
  let w = caches.words.get(v);
  if (!w) {
    if (caches.words.size > 5000) caches.words.clear();
    caches.words.set(v, (w = splitWords(v)));
  }
  return w;
}

function splitWords(v: string): string[] {
  return v.split(/\s+/).filter(Boolean);
}

const NO_ENTRIES: ConfigEntry[] = [];

// The repo names of the last run, sorted: an edit rarely changes the set, and sorting 4,000
// names costs more than checking that.
function sortedNames(caches: GitoliteCaches, names: string[]): string[] {
  const l = caches.lastSorted;
  if (l && l.names.length === names.length) {
    let same = true;
    for (const n of names) if (!l.set.has(n)) { same = false; break; }
    if (same) return l.names;
  }
  const sorted = names.slice().sort();
  caches.lastSorted = { names: sorted, set: new Set(sorted) };
  return sorted;
}

/**
 * What a list of applied entries means, by position in the list: derived once per distinct
 * (key, value) sequence. The copies and redirectOK arrays are shared by every repo of that
 * shape: they are read, never changed.
 */
interface Shape { master?: string; masterIdx: number; copies: MirrorCopy[]; copyIdx: number[]; redirectOK: string[] | 'all'; redirectIdx: number[]; mode: HostMode }

function shapeOf(list: ConfigEntry[], dialect: Dialect, hostname: string | undefined, prefix: string): Shape {
  // The last entry per key wins (v2 keys are case-insensitive); empty values and '0' unset it.
  const win = new Map<string, number>();
  for (let i = 0; i < list.length; i++) win.set(dialect === 'v2' ? list[i].key.toLowerCase() : list[i].key, i);
  for (const [k, i] of [...win]) if (!list[i].value || list[i].value === '0') win.delete(k);
  const key = (k: string) => (dialect === 'v2' ? (prefix + k).toLowerCase() : prefix + k);
  const masterIdx = win.get(key('master')) ?? -1;
  let master = masterIdx >= 0 ? list[masterIdx].value : undefined;
  if (dialect === 'v2' && master === 'local') master = undefined;
  const copies = new Map<string, CopyMode>();
  const copyIdx: number[] = [];
  const redirect: string[] = [];
  const redirectIdx: number[] = [];
  const rest = (i: number) => list[i].key.slice(prefix.length);
  for (const i of win.values()) {
    const k = rest(i);
    if (dialect === 'v3' ? k.startsWith('copies') : k.toLowerCase() === 'slaves') {
      copyIdx.push(i);
      for (const h of splitWords(list[i].value)) copies.set(h, 'async');
    }
    if (dialect === 'v3' ? k.startsWith('redirectOK') : k.toLowerCase() === 'redirectok') {
      redirectIdx.push(i);
      redirect.push(...splitWords(list[i].value));
    }
  }
  if (dialect === 'v3') {
    for (const i of win.values()) if (rest(i).startsWith('copies.sync')) for (const h of splitWords(list[i].value)) copies.set(h, 'sync');
    for (const i of win.values()) if (rest(i).startsWith('copies.nosync')) for (const h of splitWords(list[i].value)) copies.set(h, 'nosync');
  }
  const allCopies = redirect.length === 1 && redirect[0] === (dialect === 'v2' ? 'true' : 'all');
  let mode: HostMode;
  if (dialect === 'v3') {
    if (!hostname) mode = 'local';
    else if (master === hostname) mode = 'master';
    else if (copies.has(hostname)) mode = 'copy';
    else if (!master && copies.size === 0) mode = 'local';
    else mode = 'mirrored-elsewhere';
  } else {
    if (!master) mode = 'local';
    else if (master === hostname) mode = 'master';
    else mode = 'copy';
  }
  return {
    master: master || undefined, masterIdx,
    copies: [...copies].map(([host, m]) => ({ host, mode: m })), copyIdx,
    redirectOK: allCopies ? 'all' : redirect, redirectIdx, mode,
  };
}

// A repo's result depends only on its applied entries (by identity, in order), the host name
// and the dialect; edits elsewhere leave those entries alone, so most repos come from here.
interface RepoMemo { list: ConfigEntry[]; hostname?: string; dialect: Dialect; name: string; r: MirrorRepo }

/** Repo name (or @group, @all, pattern) → the entries naming it, in order. */
export function entriesByName(entries: ConfigEntry[]): Map<string, ConfigEntry[]> {
  const byName = new Map<string, ConfigEntry[]>();
  for (const e of entries) for (const r of e.repos) {
    let l = byName.get(r);
    if (!l) byName.set(r, (l = []));
    l.push(e);
  }
  return byName;
}

/** The shapes of one run by entry sequence: key, then value, of each entry in turn. */
interface ShapeNode { next: Map<string, Map<string, ShapeNode>>; shape?: Shape }

/** What one repo's derivation reads besides its name (shared by every repo of one run). */
interface DeriveCtx {
  byName: Map<string, ConfigEntry[]>;
  groupsOf: Map<string, string[]>;
  patternRes: Array<{ p: string; re: RegExp | undefined }>;
  shapes: ShapeNode;
  prefix: string;
  hostname: string | undefined;
  dialect: Dialect;
}

/** One repo's (or pattern's) settings; undefined when no mirror entry reaches it. */
function deriveOne(x: DeriveCtx, name: string, isPattern: boolean): MirrorRepo | undefined {
  const { byName, hostname, dialect } = x;
  // Entries that apply, in sequence order (one source needs no merge).
  const own = byName.get(name);
  const all = byName.get('@all');
  const gs = isPattern ? undefined : x.groupsOf.get(name);
  let list: ConfigEntry[];
  if (own && !all && !gs && !x.patternRes.length) list = own; // the common case: no merge, no garbage
  else {
    const sources: ConfigEntry[][] = [];
    if (own) sources.push(own);
    if (all) sources.push(all);
    if (!isPattern) {
      for (const g of gs ?? []) sources.push(byName.get(g)!);
      for (const { p, re } of x.patternRes) if (p !== name && re?.test(name)) sources.push(byName.get(p)!);
    }
    if (!sources.length) return undefined;
    list = sources.length === 1 ? sources[0] : [...new Set(sources.flat())].sort((a, b) => a.seq - b.seq);
  }
  const memo = list[0].memo?.repo as RepoMemo | undefined;
  if (memo && memo.name === name && memo.hostname === hostname && memo.dialect === dialect && memo.list.length === list.length) {
    let same = true;
    for (let k = 0; k < list.length; k++) if (memo.list[k] !== list[k]) { same = false; break; }
    if (same) return memo.r;
  }
  // Repos whose entries carry the same keys and values (the usual case: every repo says
  // `master = gl1`, `copies = gl2 gl3`) share one derivation; only the entries differ. Looked
  // up key by value along the list (no string built per repo).
  let node = x.shapes;
  for (let k = 0; k < list.length; k++) {
    const e = list[k];
    let byValue = node.next.get(e.key);
    if (!byValue) node.next.set(e.key, (byValue = new Map()));
    let nx = byValue.get(e.value);
    if (!nx) byValue.set(e.value, (nx = { next: new Map() }));
    node = nx;
  }
  const sh = (node.shape ??= shapeOf(list, dialect, hostname, x.prefix));
  const pick = (idx: number[]) => (idx.length === 0 ? NO_ENTRIES : idx.length === 1 ? [list[idx[0]]] : idx.map((i) => list[i]));
  const r: MirrorRepo = {
    name,
    isPattern,
    master: sh.master,
    copies: sh.copies,
    redirectOK: sh.redirectOK,
    mode: sh.mode,
    sources: { master: sh.masterIdx >= 0 ? list[sh.masterIdx] : undefined, copies: pick(sh.copyIdx), redirectOK: pick(sh.redirectIdx) },
    applied: list,
  };
  // `list` is never changed after this call (byName's arrays are built before any repo).
  (list[0].memo ??= {}).repo = { list, hostname, dialect, name, r } satisfies RepoMemo;
  return r;
}

/**
 * The last derivation from per-block parts (`deriveMirror(..., parts)`), kept so that the next
 * one, when every mirror entry names plain repos, re-derives only the repos named in the parts
 * that changed. `names` is sorted and `repos[i]` is names[i]'s result. Owned by the caches:
 * `byName`, `names` and `repos` are changed in place by the next incremental run, never handed out.
 */
export interface MirrorIndex {
  parts: Array<Map<string, ConfigEntry[]>>;
  hostname: string | undefined;
  dialect: Dialect;
  byName: Map<string, ConfigEntry[]>;
  names: string[];
  repos: MirrorRepo[];
}

/** Parts that may differ between two runs before the index is rebuilt instead (a new site, a big change). */
const INDEX_MAX_CHANGED_PARTS = 64;

const isPlainRepo = (k: string) => k.charCodeAt(0) !== 64 /* @ */ && REPONAME_PATT.test(k);

/** First index in sorted `xs` whose element is not below `k`. */
function lowerBound(xs: string[], k: string): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (xs[mid] < k) lo = mid + 1; else hi = mid; }
  return lo;
}

/**
 * The repos of `parts` from the index of the previous parts, when the two differ in a few
 * consecutive parts and those (old and new) name plain repos only: then no group, @all or
 * pattern carries mirror entries (the index holds only such runs), and every other repo's
 * entries are the very same. Undefined: derive from scratch.
 */
function deriveIncremental(caches: GitoliteCaches, parts: Array<Map<string, ConfigEntry[]>>, hostname: string | undefined, dialect: Dialect): MirrorRepo[] | undefined {
  const idx = caches.mirrorIndex;
  if (!idx || idx.hostname !== hostname || idx.dialect !== dialect) return undefined;
  const old = idx.parts;
  // The changed range: old[a, zo) became parts[a, zn).
  let a = 0, zo = old.length, zn = parts.length;
  while (a < zo && a < zn && old[a] === parts[a]) a++;
  while (zo > a && zn > a && old[zo - 1] === parts[zn - 1]) { zo--; zn--; }
  if (zo - a + (zn - a) > INDEX_MAX_CHANGED_PARTS) return undefined;
  const keys = new Set<string>();
  for (let i = a; i < zo; i++) for (const k of old[i].keys()) keys.add(k);
  for (let i = a; i < zn; i++) for (const k of parts[i].keys()) { if (!isPlainRepo(k)) return undefined; keys.add(k); }
  caches.counts.mirrorIncremental++;
  const { byName, names, repos } = idx;
  const x: DeriveCtx = { byName, groupsOf: new Map(), patternRes: [], shapes: { next: new Map() }, prefix: dialect === 'v2' ? 'gitolite.mirror.' : 'gitolite-options.mirror.', hostname, dialect };
  for (const k of keys) {
    // The key's entries from unchanged parts keep their order (and carry this run's sequence
    // numbers); those of the changed parts are consecutive, so they go in before the first
    // kept entry that comes after them.
    const removed = new Set<ConfigEntry>();
    for (let i = a; i < zo; i++) { const es = old[i].get(k); if (es) for (const e of es) removed.add(e); }
    let added: ConfigEntry[] | undefined;
    for (let i = a; i < zn; i++) { const es = parts[i].get(k); if (es) added = added ? added.concat(es) : es; }
    const was = byName.get(k) ?? NO_ENTRIES;
    const kept = removed.size ? was.filter((e) => !removed.has(e)) : was;
    let list = kept;
    if (added) {
      const seq = added[0].seq;
      let at = 0;
      while (at < kept.length && kept[at].seq < seq) at++;
      list = at === 0 && !kept.length ? added : [...kept.slice(0, at), ...added, ...kept.slice(at)];
    }
    const at = lowerBound(names, k);
    const present = names[at] === k;
    if (!list.length) {
      byName.delete(k);
      if (present) { names.splice(at, 1); repos.splice(at, 1); }
      continue;
    }
    byName.set(k, list);
    const r = deriveOne(x, k, false)!;
    if (present) repos[at] = r;
    else { names.splice(at, 0, k); repos.splice(at, 0, r); }
  }
  idx.parts = parts;
  return repos.slice();
}

/**
 * `ofDialect`: the caller's own filter of c.configs by mirrorKind(e) === dialect.
 * `parts` (instead): entriesByName() of consecutive runs of those entries, in order (kept by
 * the caller per block of lines, so an edit rebuilds only its block's index, and the repos
 * only of the blocks that changed: see deriveIncremental).
 */
export function deriveMirror(caches: GitoliteCaches, c: CompileResult, hostname: string | undefined, dialect: Dialect, ofDialect?: ConfigEntry[], parts?: Array<Map<string, ConfigEntry[]>>): MirrorRepo[] {
  if (dialect === 'none') return [];
  let byName: Map<string, ConfigEntry[]>;
  if (!parts) {
    const entries = ofDialect ?? c.configs.filter((e) => mirrorKind(e) === dialect);
    if (!entries.length) return [];
    byName = entriesByName(entries);
  } else {
    const inc = deriveIncremental(caches, parts, hostname, dialect);
    if (inc) return inc;
    caches.mirrorIndex = undefined;
    byName = new Map();
    // forEach: no [key, value] pair per entry.
    for (const pm of parts) pm.forEach((es, name) => {
      const cur = byName.get(name);
      byName.set(name, cur ? cur.concat(es) : es);
    });
    if (!byName.size) return [];
  }
  // member → groups that list it (only groups that carry mirror entries matter)
  const groupsOf = new Map<string, string[]>();
  for (const g of byName.keys()) {
    if (!g.startsWith('@') || g === '@all') continue;
    for (const m of c.groups.get(g)?.keys() ?? []) {
      let l = groupsOf.get(m);
      if (!l) groupsOf.set(m, (l = []));
      l.push(g);
    }
  }
  const patternKeys = [...byName.keys()].filter((k) => !k.startsWith('@') && !REPONAME_PATT.test(k));
  const patternRes = patternKeys.map((p) => ({ p, re: anchored(p) }));
  // Only repos some mirror entry can reach: named ones, members of named groups, and — when
  // @all or a pattern carries mirror entries — every repo of the conf.
  let names: string[];
  let patterns: string[];
  let plainOnly = false;
  if (byName.has('@all') || patternKeys.length) ({ names, patterns } = concreteRepos(c));
  else {
    const ns = new Set<string>();
    plainOnly = true;
    for (const k of byName.keys()) {
      if (k.startsWith('@')) { plainOnly = false; for (const m of c.groups.get(k)?.keys() ?? []) if (REPONAME_PATT.test(m)) ns.add(m); }
      else if (REPONAME_PATT.test(k)) ns.add(k);
    }
    names = [...ns];
    patterns = [];
  }
  // Repos that only appear through mirror entries (e.g. `repo @all`) still count once named anywhere.
  const out: MirrorRepo[] = [];
  const x: DeriveCtx = { byName, groupsOf, patternRes, shapes: { next: new Map() }, prefix: dialect === 'v2' ? 'gitolite.mirror.' : 'gitolite-options.mirror.', hostname, dialect };
  const sorted = sortedNames(caches, names);
  for (let i = 0; i < sorted.length; i++) { const r = deriveOne(x, sorted[i], false); if (r) out.push(r); }
  for (const p of patterns.sort()) { const r = deriveOne(x, p, true); if (r) out.push(r); }
  // Every key a plain repo: each name has its own entries, so out[i] is sorted[i]'s repo.
  if (parts && plainOnly && out.length === sorted.length)
    caches.mirrorIndex = { parts, hostname, dialect, byName, names: sorted.slice(), repos: out.slice() };
  return out;
}

/** The host names one mirror entry mentions (master, copies, redirectOK); memoized on the entry. */
export function entryHosts(e: ConfigEntry, caches: GitoliteCaches): string[] {
  const m = (e.memo ??= {});
  let hs = m.hosts;
  if (!hs) {
    hs = NO_HOSTS;
    // The part after `<prefix>.mirror.` (mirror keys only reach here).
    const at = e.key.indexOf('.mirror.');
    const k = at > 0 && e.key.indexOf('.') === at ? e.key.slice(at + 8) : e.key;
    if (/^(master|copies|slaves)/i.test(k) || (/^redirectOK/i.test(k) && !['all', 'true'].includes(e.value.trim()))) hs = wordsOf(caches, e.value);
    m.hosts = hs;
  }
  return hs;
}
