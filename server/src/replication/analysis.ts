// One document's analysis, which every replication feature receives: its kind, where it sits
// in the site, its parse and the resolved view (which sections are read as which remote). It
// is worked out once per document version, as css-languageservice hands one Stylesheet to all
// its features: hover, completion, the outline and validation of one version share it.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileKind } from '../catalog/keyCatalog';
import { parseGitConfig, type ParsedConfig } from '../gitconfig/parser';
import { classifyFile, type FileKindId } from '../service/fileKinds';
import { resolveConfig, type ResolvedConfig } from './resolved';
import { siteLayout, type SiteLayout } from './siteLayout';

export interface Analysis {
  doc: TextDocument;
  path: string;
  kind: FileKind;
  site: SiteLayout;
  parsed: ParsedConfig;
  /** Which sections the plugin reads, grouped as JGit merges them (resolved.ts). */
  resolved: ResolvedConfig;
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
export class AnalysisCache {
  private readonly byUri = new Map<string, Analysis>();
  constructor(private readonly limit = 64) {}

  of(doc: TextDocument, path: string, kindOverride?: FileKindId): Analysis {
    const hit = this.byUri.get(doc.uri);
    const kind = replicationKind(path, kindOverride);
    // getText() returns the same string while a document is unchanged: the compare is cheap.
    if (hit && hit.doc.version === doc.version && hit.path === path && hit.kind === kind && hit.parsed.text === doc.getText()) {
      if (hit.doc !== doc) return { ...hit, doc };
      return hit;
    }
    const a = analyze(doc, path, kindOverride);
    this.byUri.delete(doc.uri);
    // Bounded: the oldest document goes first (Map keeps insertion order).
    if (this.byUri.size >= this.limit) this.byUri.delete(this.byUri.keys().next().value!);
    this.byUri.set(doc.uri, a);
    return a;
  }

  clear(): void {
    this.byUri.clear();
  }
}
