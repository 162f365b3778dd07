// The shapes the compile hands to the mirror checks, the model and the editor features.
import type { GitoliteCaches } from '../caches';
import type { Range } from 'vscode-languageserver';
import type { ConfLine, Tok } from './confParser';
import type { GlDiag } from '../diag';
import type { XLine } from './explode';
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

export interface CompileOptions {
  rc: GitoliteRc;
  continuation: boolean;
  /** The root conf, where whole-conf findings go. */
  rootFile?: string;
  /** What the service instance remembers across runs (compiled chunks, their order). */
  caches: GitoliteCaches;
}
