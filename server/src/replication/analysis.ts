// One document's analysis, which every replication feature receives: its kind, where it sits
// in the site, its parse and the resolved view (which sections are read as which remote). It
// is worked out once per document version, as css-languageservice hands one Stylesheet to all
// its features: hover, completion, the outline and validation of one version share it.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileKind } from '../catalog/keyCatalog';
import { parseGitConfig, parseGitConfigInSlices, reparseGitConfig, type ParsedConfig, type ParseSplice, type SlicedParse } from '../gitconfig/parser';
import type { Steps } from '../service/slices';
import { classifyFile, type FileKindId } from '../service/fileKinds';
import { resolveConfig, resolveConfigAfter, type PriorGroups, type ResolvedConfig } from './resolved';
import { siteLayout, type SiteLayout } from './siteLayout';
import { jgitReadAfter } from '../gitconfig/jgitRead';
import type { ValidationState } from './checks/validate';

export interface Analysis {
  doc: TextDocument;
  path: string;
  kind: FileKind;
  site: SiteLayout;
  parsed: ParsedConfig;
  /** Which sections the plugin reads, grouped as JGit merges them (resolved.ts). */
  resolved: ResolvedConfig;
  /** What validating this version said, by unit (checks/validate.ts), for the next version. */
  validation?: ValidationState;
  /**
   * The version before, when this one is an edit of it: which sections were re-read and which
   * groups are the old ones unchanged. Dropped once this version is validated, so analyses
   * never form a chain.
   */
  prior?: { analysis: Analysis; splice: ParseSplice; groups: PriorGroups };
}

/** A replication file's kind: by `override` (check --kind) when given, else by its path. */
export function replicationKind(path: string, override?: FileKindId): FileKind {
  const k = override ?? classifyFile(path);
  return k === 'fanout' || k === 'secure' ? k : 'replication';
}

export function analyze(doc: TextDocument, path: string, kindOverride?: FileKindId, parsed = parseGitConfig(doc.getText())): Analysis {
  const kind = replicationKind(path, kindOverride);
  const site = siteLayout(path, kind);
  return { doc, path, kind, site, parsed, resolved: resolveConfig(parsed, kind, site.fanoutRemote) };
}

/**
 * The analyses of the open documents, by URI. A hit needs the same version, path, kind and
 * text (hosts that do not count versions, such as tests and `check`, pass 0 or 1 every time).
 * Owned by one service instance (see createReplicationModule), never shared between two.
 */
/** Characters parsed per slice of a sliced analysis (a few ms of work). */
const PARSE_SLICE = 64 * 1024;

export class AnalysisCache {
  private readonly byUri = new Map<string, Analysis>();
  /** A sliced parse under way, by URI: a request for the same text finishes it instead of starting over. */
  private readonly pending = new Map<string, { text: string; parse: SlicedParse }>();
  constructor(private readonly limit = 64) {}

  of(doc: TextDocument, path: string, kindOverride?: FileKindId): Analysis {
    const hit = this.hit(doc, path, kindOverride);
    if (hit) return hit;
    const near = this.near(doc, path, kindOverride);
    if (near) return this.store(doc.uri, near);
    const p = this.pending.get(doc.uri);
    const parsed = p && p.text === doc.getText() ? p.parse.step(Infinity)! : undefined;
    // A parse of an older text is of no use any more.
    if (p && !parsed) this.pending.delete(doc.uri);
    return this.store(doc.uri, analyze(doc, path, kindOverride, parsed));
  }

  /** The same analysis a slice at a time (service/slices): the parse in chunks, then the rest. */
  *steps(doc: TextDocument, path: string, kindOverride?: FileKindId): Steps<Analysis> {
    const hit = this.hit(doc, path, kindOverride);
    if (hit) return hit;
    // An edit small enough to re-read at once (it re-reads only its sections) needs no slices.
    const near = this.near(doc, path, kindOverride, PARSE_SLICE);
    if (near) return this.store(doc.uri, near);
    const text = doc.getText();
    let p = this.pending.get(doc.uri);
    if (!p || p.text !== text) {
      // One per document, and a few documents at most: a dropped job's parse is not kept long.
      this.pending.delete(doc.uri);
      if (this.pending.size >= 4) this.pending.delete(this.pending.keys().next().value!);
      this.pending.set(doc.uri, (p = { text, parse: parseGitConfigInSlices(text) }));
    }
    let parsed: ParsedConfig | undefined;
    while (!(parsed = p.parse.step(PARSE_SLICE))) yield;
    yield;
    // A sync request may have finished and stored it meanwhile.
    return this.hit(doc, path, kindOverride) ?? this.store(doc.uri, analyze(doc, path, kindOverride, parsed));
  }

  /** Whether `doc` is analysed already, so a request on it needs no parse (lsp/lastAnalysed.ts). */
  has(doc: TextDocument, path: string, kindOverride?: FileKindId): boolean {
    return !!this.hit(doc, path, kindOverride);
  }

  private hit(doc: TextDocument, path: string, kindOverride?: FileKindId): Analysis | undefined {
    const hit = this.byUri.get(doc.uri);
    const kind = replicationKind(path, kindOverride);
    // getText() returns the same string while a document is unchanged: the compare is cheap.
    if (hit && hit.doc.version === doc.version && hit.path === path && hit.kind === kind && hit.parsed.text === doc.getText()) {
      if (hit.doc !== doc) return { ...hit, doc };
      return hit;
    }
    return undefined;
  }

  /**
   * The analysis of another version of the document stored, when it can be had from that one:
   * the same text (an undo, a save) keeps it and what it said; an edit re-reads only the
   * sections it touched, when they hold at most `maxChars` characters. Undefined otherwise.
   */
  private near(doc: TextDocument, path: string, kindOverride: FileKindId | undefined, maxChars = Infinity): Analysis | undefined {
    const prev = this.byUri.get(doc.uri);
    if (!prev || prev.path !== path || prev.kind !== replicationKind(path, kindOverride)) return undefined;
    if (prev.parsed.text === doc.getText()) return { ...prev, doc, prior: undefined };
    return edited(prev, doc, maxChars);
  }

  private store(uri: string, a: Analysis): Analysis {
    if (this.pending.get(uri)?.text === a.parsed.text) this.pending.delete(uri);
    this.byUri.delete(uri);
    // Bounded: the oldest document goes first (Map keeps insertion order).
    if (this.byUri.size >= this.limit) this.byUri.delete(this.byUri.keys().next().value!);
    this.byUri.set(uri, a);
    return a;
  }

  clear(): void {
    this.byUri.clear();
    this.pending.clear();
  }
}

/** The analysis of `doc`, an edit of the one `prev` analysed: only the edited sections are read again. */
function edited(prev: Analysis, doc: TextDocument, maxChars: number): Analysis | undefined {
  const re = reparseGitConfig(prev.parsed, doc.getText(), maxChars);
  if (!re) return undefined;
  const after = resolveConfigAfter(prev.parsed, re.parsed, re.splice, prev.kind, prev.site.fanoutRemote);
  if (!after) return undefined;
  jgitReadAfter(prev.parsed, re.parsed, re.splice);
  prev.prior = undefined; // one step back at most
  return { doc, path: prev.path, kind: prev.kind, site: prev.site, parsed: re.parsed, resolved: after.resolved, prior: { analysis: prev, splice: re.splice, groups: after.prior } };
}
