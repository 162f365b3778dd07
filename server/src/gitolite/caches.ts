// Everything the gitolite analysis remembers between runs, in one object owned by one service
// instance (createGitoliteModules, or one engine load): two servers, two workspaces or two
// sites in one process never see each other's parses, compile chunks or mirror results, as
// css-languageservice keeps its caches in the service it hands out. Before, these were module
// variables, emptied by a chain of clear*Cache() calls.
import type { Chunk, GroupDefRef, Mutation } from './compile/chunk';
import type { CompileRun } from './compile/chunkCache';
import type { ConfLine, ParsedConf } from './compile/confParser';
import type { Segment, XLine } from './compile/explode';
import type { MirrorPart } from './compile/compileTypes';
import type { MirrorAnalysis } from './mirrorChecks';
import type { MirrorIndex } from './mirrorModel';
import type { SiteAnalysis } from './confSite';
import type { GitoliteRc } from './rcReader';
import type { RcView } from './compile/chunk';

/** A workspace question the site analysis asked, with its answer (to tell whether it still holds). */
export type Call = { k: 'read'; p: string; r: string | undefined } | { k: 'list'; p: string; r: string | undefined } | { k: 'stat'; p: string; r: string | undefined };
/** A block of lines, or an include/subconf line (explode.ts). */
export type RunItem = XLine[] | ConfLine;

export class GitoliteCaches {
  /** Each site's last analysis (by root conf and rc), with the reads it made. */
  readonly sites = new Map<string, { calls: Call[]; result: SiteAnalysis }>();
  /** Each file's last parse (path → text + hostname + result). */
  readonly parses = new Map<string, { text: string; hostname?: string; parsed: ParsedConf }>();
  /** A parse's blocks of lines (explode.ts), and each file's blocks of the last run. */
  readonly runs = new WeakMap<ParsedConf, { file: string; items: RunItem[] }>();
  readonly lastRuns = new Map<string, RunItem[]>();
  /** Each master-conf block's segment (explode.ts), by the block array. */
  readonly segments = new WeakMap<XLine[], Segment>();
  /** Each compiled chunk by the identity of its lines, and each conf's last run (chunk order, final groups). */
  readonly chunks = new WeakMap<XLine[], Chunk>();
  /** A group line's result, by the line, while it depends on the line alone (compile/lines/groupLine.ts). */
  readonly groupLines = new WeakMap<ConfLine, { file: string; subconf: string; def: GroupDefRef; mutation: Mutation }>();
  readonly lastRun = new Map<string, CompileRun>();
  /** Each site's last mirror analysis, with the signature of the entries it was made from. */
  readonly mirrors = new Map<string, { sig: Array<string | MirrorPart>; result: MirrorAnalysis }>();
  /** The repo names of the last mirror run, sorted. */
  lastSorted: { names: string[]; set: Set<string> } | undefined;
  /** The repos of the last mirror derivation by blocks, for the next one to change only what an edit touched. */
  mirrorIndex: MirrorIndex | undefined;
  /** Per distinct value: its words, the words ssh could not use as a host, the one shared string. */
  readonly words = new Map<string, string[]>();
  readonly badHosts = new Map<string, string[]>();
  readonly interned = new Map<string, string>();
  /** Include targets resolved against the conf directory (compile/explode.ts). */
  readonly resolved = new Map<string, Map<string, string>>();
  /** `option K`'s config key per K (compile/lines/configLine.ts). */
  readonly optionKeys = new Map<string, string>();
  /** The last rc read, by its text (the rc rarely changes while a conf is edited; never written after readRc). */
  lastRc: { text: string | undefined; rc: GitoliteRc } | undefined;
  readonly rcViews = new WeakMap<GitoliteRc, RcView>();
  /** Milliseconds per phase of the last analysis not served from the cache (npm run bench:gitolite). */
  readonly phaseMs = { rc: 0, explode: 0, compile: 0, mirror: 0 };
  /**
   * How often each stage did its work instead of reusing the last result (tests prove reuse with
   * these): mirror checks run (and of those, from the last index), block arrays built, group maps
   * built by replaying chunks, shared group maps copied for a group line after them.
   */
  readonly counts = { mirrorRuns: 0, blocksBuilt: 0, mirrorIncremental: 0, groupMapsBuilt: 0, groupMapsCopied: 0 };

  /** Keys and values repeat across thousands of lines: one string each. */
  intern(s: string): string {
    const v = this.interned.get(s);
    if (v !== undefined) return v;
    if (this.interned.size > 20000) this.interned.clear();
    this.interned.set(s, s);
    return s;
  }
}
