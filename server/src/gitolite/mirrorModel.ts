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

/**
 * `ofDialect`: the caller's own filter of c.configs by mirrorKind(e) === dialect.
 * `parts` (instead): entriesByName() of consecutive runs of those entries, in order (kept by
 * the caller per block of lines, so an edit rebuilds only its block's index).
 */
export function deriveMirror(caches: GitoliteCaches, c: CompileResult, hostname: string | undefined, dialect: Dialect, ofDialect?: ConfigEntry[], parts?: Array<Map<string, ConfigEntry[]>>): MirrorRepo[] {
  if (dialect === 'none') return [];
  let byName: Map<string, ConfigEntry[]>;
  if (!parts) {
    const entries = ofDialect ?? c.configs.filter((e) => mirrorKind(e) === dialect);
    if (!entries.length) return [];
    byName = entriesByName(entries);
  } else {
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
  if (byName.has('@all') || patternKeys.length) ({ names, patterns } = concreteRepos(c));
  else {
    const ns = new Set<string>();
    for (const k of byName.keys()) {
      if (k.startsWith('@')) { for (const m of c.groups.get(k)?.keys() ?? []) if (REPONAME_PATT.test(m)) ns.add(m); }
      else if (REPONAME_PATT.test(k)) ns.add(k);
    }
    names = [...ns];
    patterns = [];
  }
  // Repos that only appear through mirror entries (e.g. `repo @all`) still count once named anywhere.
  const out: MirrorRepo[] = [];
  const prefix = dialect === 'v2' ? 'gitolite.mirror.' : 'gitolite-options.mirror.';
  const shapes = new Map<string, Shape>();
  const one = (name: string, isPattern: boolean) => {
    // Entries that apply, in sequence order (one source needs no merge).
    const own = byName.get(name);
    const all = byName.get('@all');
    const gs = isPattern ? undefined : groupsOf.get(name);
    let list: ConfigEntry[];
    if (own && !all && !gs && !patternRes.length) list = own; // the common case: no merge, no garbage
    else {
      const sources: ConfigEntry[][] = [];
      if (own) sources.push(own);
      if (all) sources.push(all);
      if (!isPattern) {
        for (const g of gs ?? []) sources.push(byName.get(g)!);
        for (const { p, re } of patternRes) if (p !== name && re?.test(name)) sources.push(byName.get(p)!);
      }
      if (!sources.length) return;
      list = sources.length === 1 ? sources[0] : [...new Set(sources.flat())].sort((a, b) => a.seq - b.seq);
    }
    const memo = list[0].memo?.repo as RepoMemo | undefined;
    if (memo && memo.name === name && memo.hostname === hostname && memo.dialect === dialect && memo.list.length === list.length) {
      let same = true;
      for (let k = 0; k < list.length; k++) if (memo.list[k] !== list[k]) { same = false; break; }
      if (same) { out.push(memo.r); return; }
    }
    // Repos whose entries carry the same keys and values (the usual case: every repo says
    // `master = gl1`, `copies = gl2 gl3`) share one derivation; only the entries differ.
    let sk = '';
    for (const e of list) sk += e.key + '\u0001' + e.value + '\u0002';
    let sh = shapes.get(sk);
    if (!sh) shapes.set(sk, (sh = shapeOf(list, dialect, hostname, prefix)));
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
    out.push(r);
  };
  for (const n of sortedNames(caches, names)) one(n, false);
  for (const p of patterns.sort()) one(p, true);
  return out;
}


/** The host names one mirror entry mentions (master, copies, redirectOK); memoized on the entry. */
export function entryHosts(e: ConfigEntry, caches: GitoliteCaches): string[] {
  const m = (e.memo ??= {});
  let hs = m.hosts;
  if (!hs) {
    hs = NO_HOSTS;
    const k = e.key.replace(/^[^.]+\.mirror\./, '');
    if (/^(master|copies|slaves)/i.test(k) || (/^redirectOK/i.test(k) && !['all', 'true'].includes(e.value.trim()))) hs = wordsOf(caches, e.value);
    m.hosts = hs;
  }
  return hs;
}
