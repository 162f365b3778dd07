// One chunk of the exploded conf (a block of lines) as the compile records it: what it needs
// from the state before it, what it changed, and what it found. A chunk is reused while its
// lines, the rc view, its input state and the groups it read are unchanged (chunkCache.ts).
import type { Range } from 'vscode-languageserver';
import type { ConfLine, Tok } from './confParser';
import type { GlDiag } from '../diag';
import type { XLine } from './explode';
import type { ConfigEntry, EntryMemo, GroupDef, GroupUse, MirrorPart, RepoItem, RuleEntry } from './compileTypes';
import { REPONAME_PATT, anchored } from './patterns';
import type { GitoliteRc } from '../rcReader';

export type Groups = Map<string, Map<string, string>>;
/**
 * A group line's effect: [group, members it added, subconf, and — when the group did not exist
 * before — the resulting member map, shared by every run that replays the line unchanged].
 */
export type Mutation = [string, string[], string, Map<string, string>?];
// Member maps are shared between runs (see Mutation), so a run changes in place only the maps
// it copied itself (its `owned` set) and copies any other before adding to it.
/** What a chunk saw of a group it did not define first: existence, or its full content. */
export type Dep = boolean | { sig: string | null };

export interface ChunkState { repolist: string[]; subconf: string; skipping: boolean }

/** The result of compiling one segment, reusable while its input state and group deps hold. */
export interface Chunk {
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
  /** Config entries whose repo line names only @groups (not @all): they apply to nothing when none gets a member. */
  groupOnly?: ConfigEntry[];
  repoSig?: string;
}

/** What of the rc the compile reads, with a key that changes whenever any of it does. */
export interface RcView {
  key: string;
  validKeys: RegExp[];
  v2: boolean;
  safeConfig: Array<[string, string]>;
  /** Per key and per value, what the config-line checks found (they depend on the view only). */
  memo?: { keys: Map<string, boolean>; unsafe: Map<string, boolean> };
}

/** The view of an rc object, worked out once per object in `views` (an rc is never changed after it is read). */
export function rcView(rc: GitoliteRc, views?: WeakMap<GitoliteRc, RcView>): RcView {
  let v = views?.get(rc);
  if (!v) { v = makeRcView(rc); views?.set(rc, v); }
  return v;
}

function makeRcView(rc: GitoliteRc): RcView {
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

/** One class (not a literal with its own getter closure): one shape, one getter for all entries. */
export class Entry implements ConfigEntry {
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

/** A token of a line by index; its Tok object is made only when a diagnostic or feature asks. */
export interface Item { text: string; k: number }

export class RepoRef implements RepoItem {
  constructor(public name: string, public file: string, public cl: ConfLine, private readonly k: number) {}
  get tok(): Tok { return this.cl.toks[this.k]; }
}

export class GroupDefRef implements GroupDef {
  constructor(public name: string, public file: string, public cl: ConfLine) {}
  get tok(): Tok { return this.cl.toks[0]; }
  get members(): Tok[] { return this.cl.toks.slice(2); }
}


const MIRROR_KEY = /^(gitolite-options|gitolite)\.mirror\./i;

/** The signature of a chunk without mirror entries (most chunks): one shared object. */
const NO_MIRROR_SIG: NonNullable<Chunk['mirrorSig']> = { any: false, part: { entries: [], memo: undefined, sig: () => '' }, groups: [], wide: false };

export function chunkMirrorSig(c: Chunk): NonNullable<Chunk['mirrorSig']> {
  if (c.mirrorSig === undefined) {
    let some = false;
    for (let i = 0; i < c.configs.length && !some; i++) some = MIRROR_KEY.test(c.configs[i].key);
    if (!some) return (c.mirrorSig = NO_MIRROR_SIG);
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
