// A Gerrit site's replication config as the plugin reads it, for the engine: each file of etc/
// read and parsed once, with one line index, and its entries sorted into remotes and plain
// sections by the same resolved view (resolved.ts) that the checks, hover and outline use, so
// the editor and the engine cannot disagree on what a file means. Included files are spliced
// in where JGit reads them (configIncludes.ts); fan-out files are skipped by the plugin's text
// rule (fanoutRule.ts). Values are left raw: the engine reads them with its own defaults.
// Confined: every file is read through a workspace confined to the site (service/confine), so
// a file whose real path is outside it (a symlink, a `../` or absolute include, `~/`) or that
// is not a regular file is never opened; it is listed in `refused` / `refusedIncludes` for the
// engine to report, and nothing of its text is anywhere in the model.
import { join } from 'node:path';
import type { FileKind } from '../catalog/keyCatalog';
import { entryOnHeaderLine } from '../gitconfig/jgitRead';
import { LineIndex, parseGitConfig, type Entry, type ParsedConfig, type Section } from '../gitconfig/parser';
import type { Workspace } from '../service/workspace';
import { confineWorkspace, type Refusal } from '../service/confine';
import { hasIncludeSections, resolveIncludes, type IncludeTree } from './configIncludes';
import { scanFanoutText } from './fanoutRule';
import { resolveConfig } from './resolved';
import { fanoutFiles, siteRootOf } from './siteLayout';

export interface ModelFile {
  path: string;
  parsed: ParsedConfig;
  lines: LineIndex;
}

/** One entry the plugin reads. */
export interface ReadEntry {
  entry: Entry;
  file: ModelFile;
  /** The catalog section it is read as (`remote`, `gerrit`, `replication`, `url`…). */
  section: string;
  /** A remote's entry: the remote's name (a fan-out file's `[remote]` gets the file's name). */
  remote?: string;
  /** Read from the top file itself, not from a file it includes. */
  own: boolean;
}

/** An [include] line whose target the model refused to read. */
export interface RefusedInclude {
  /** The top file and 1-based line that reach it (a nested include is blamed on the top file's line, as the checks do). */
  file: string;
  line: number;
  /** Where JGit would read it, and the file whose line names it. */
  target: string;
  via: string;
  why: Refusal;
}

export interface SiteModel {
  /** The site: nothing whose real path is outside it is read. */
  root: string;
  replicationConfig: string;
  fanoutDir: string;
  secureConfig: string;
  /** etc/replication/ exists: remotes come from its files. */
  fanout: boolean;
  /** replication.config could not be read. */
  replicationMissing: boolean;
  /** The top files read: replication.config, the fan-out files read, secure.config. */
  files: string[];
  /** The text each top file was read with (so its diagnostics come from the same bytes). */
  texts: Map<string, string>;
  /** Files read through [include] lines (absolute paths, first reached first). */
  included: string[];
  /** The config's entries in JGit's order: replication.config with its includes, then the fan-out files. */
  entries: ReadEntry[];
  /** secure.config's remote entries, with its includes. */
  secure: ReadEntry[];
  /** Remotes of replication.config the plugin drops because etc/replication/ exists. */
  dropped: string[];
  /** Fan-out files the plugin skips, and why (fanoutRule.ts). */
  skippedFanout: Array<{ path: string; why: 'remote-count' | 'subsection'; blank: boolean }>;
  /** Files of the site that were not read: outside the site (symlinks resolved) or not regular files. */
  refused: Array<{ path: string; why: Refusal }>;
  /** [include] lines whose target was not read, for the same reasons. */
  refusedIncludes: RefusedInclude[];
  /** etc/gerrit.config's text (undefined: missing, unreadable or refused). */
  gerritConfig?: string;
  /** 1-based line of an offset in a file of the model. */
  line(file: ModelFile, offset: number): number;
}

export function readSiteModel(etcDir: string, base: Workspace): SiteModel {
  const root = siteRootOf(etcDir);
  const ws = confineWorkspace(base, { dirs: [root] });
  const refused: SiteModel['refused'] = [];
  const refusedIncludes: RefusedInclude[] = [];
  /** A file of the site, unless the confinement refuses it (then noted, never opened). */
  const readOwn = (p: string): string | undefined => {
    const why = ws.refusal!(p);
    if (why) refused.push({ path: p, why });
    return why ? undefined : ws.read(p);
  };
  const replicationConfig = join(etcDir, 'replication.config');
  const fanoutDir = join(etcDir, 'replication');
  const secureConfig = join(etcDir, 'secure.config');
  const fanout = ws.stat(fanoutDir)?.isDirectory === true;
  const files: string[] = [];
  const texts = new Map<string, string>();
  const included: string[] = [];
  const entries: ReadEntry[] = [];
  const dropped = new Set<string>();
  const skippedFanout: SiteModel['skippedFanout'] = [];
  const models = new Map<ParsedConfig, ModelFile>();
  const modelOf = (path: string, parsed: ParsedConfig): ModelFile => {
    let m = models.get(parsed);
    if (!m) models.set(parsed, (m = { path, parsed, lines: new LineIndex(parsed.text) }));
    return m;
  };

  const acc: Reached = { included, refusedIncludes, modelOf };
  const replText = readOwn(replicationConfig);
  if (replText !== undefined) {
    files.push(replicationConfig);
    texts.set(replicationConfig, replText);
    for (const r of readFile(replicationConfig, parseGitConfig(replText), 'replication', undefined, ws, acc, fanout ? dropped : undefined)) {
      // JGit's unsetSection leaves lines from included files alone: those remotes stay.
      if (fanout && r.remote !== undefined && r.own) continue;
      entries.push(r);
    }
  }
  // A fan-out directory that leads outside: its files are not listed, so no remote is read.
  const fanoutRefused = fanout && ws.refusal!(fanoutDir);
  if (fanoutRefused) refused.push({ path: fanoutDir, why: fanoutRefused });
  if (fanout) {
    for (const p of fanoutFiles(fanoutDir, ws)) {
      const own = readOwn(p);
      if (own === undefined && ws.refusal!(p)) continue;
      const text = own ?? '';
      const skipped = scanFanoutText(text).skipped;
      if (skipped) {
        skippedFanout.push({ path: p, why: skipped, blank: text.trim() === '' });
        continue;
      }
      files.push(p);
      texts.set(p, text);
      const name = p.slice(fanoutDir.length + 1, -'.config'.length);
      // FanoutConfigResource parses each file with a plain Config: its includes are never followed.
      entries.push(...readFile(p, parseGitConfig(text), 'fanout', name, undefined, acc));
    }
  }
  const secure: ReadEntry[] = [];
  const secureText = readOwn(secureConfig);
  if (secureText !== undefined) {
    files.push(secureConfig);
    texts.set(secureConfig, secureText);
    for (const r of readFile(secureConfig, parseGitConfig(secureText), 'secure', undefined, ws, acc)) if (r.remote !== undefined) secure.push(r);
  }
  const gerritConfig = readOwn(join(etcDir, 'gerrit.config'));
  return {
    root,
    replicationConfig,
    fanoutDir,
    secureConfig,
    fanout,
    replicationMissing: replText === undefined && !refused.some((r) => r.path === replicationConfig),
    files,
    texts,
    included,
    entries,
    secure,
    dropped: [...dropped],
    skippedFanout,
    refused,
    refusedIncludes,
    gerritConfig,
    line: (file, offset) => file.lines.position(offset).line + 1,
  };
}

/** What reading the files collects besides their entries. */
interface Reached {
  /** Files read through [include] lines. */
  included: string[];
  refusedIncludes: RefusedInclude[];
  modelOf: (path: string, parsed: ParsedConfig) => ModelFile;
}

/**
 * The entries of one file the plugin reads, with its includes spliced in when `ws` is given.
 * A key on its header's line is left out (JGit ignores the rest of a header line).
 */
function readFile(
  path: string,
  parsed: ParsedConfig,
  kind: FileKind,
  fanoutName: string | undefined,
  ws: Workspace | undefined,
  { included, refusedIncludes, modelOf }: Reached,
  /**
   * Filled with the names of the remote sections read, empty blocks too, in the order JGit
   * meets their headers (getSubsections), included files where their include line is.
   */
  remoteNames?: Set<string>,
): ReadEntry[] {
  const merged = ws && hasIncludeSections(parsed) ? resolveIncludes(path, parsed, ws) : undefined;
  if (merged) for (const p of merged.included.keys()) if (!included.includes(p)) included.push(p);
  for (const l of merged?.links ?? []) {
    if (l.status !== 'outside' && l.status !== 'not-regular') continue;
    const at = l.root ?? l;
    const line = modelOf(at.file, at.doc).lines.position((at.entry.valueSpan ?? at.entry.span).start).line + 1;
    refusedIncludes.push({ file: at.file, line, target: l.target, via: l.file, why: l.status });
  }
  const list = merged ? merged.entries : parsed.entries.map((entry) => ({ file: path, doc: parsed, entry }));
  // Each file's own resolved view says which sections are read, and as which remote.
  const owners = new Map<Section, { section: string; remote?: string }>();
  // Every file read, those without entries too (an empty `[remote "x"]` block still names x).
  for (const doc of [parsed, ...(merged ? merged.included.values() : [])]) {
    const resolved = resolveConfig(doc, kind, fanoutName);
    for (const g of resolved.groups) {
      const owner = { section: g.spec.name, remote: g.spec.name === 'remote' ? g.name : undefined };
      for (const s of g.sections) owners.set(s, owner);
    }
  }
  if (remoteNames) for (const n of remotesInReadingOrder(parsed, merged, list, kind, fanoutName)) remoteNames.add(n);
  const out: ReadEntry[] = [];
  for (const m of list) {
    const owner = m.entry.section && owners.get(m.entry.section);
    if (!owner || entryOnHeaderLine(m.doc.text, m.entry)) continue;
    out.push({ entry: m.entry, file: modelOf(m.file, m.doc), section: owner.section, remote: owner.remote, own: m.file === path });
  }
  return out;
}

/**
 * Remote names in the order JGit reads their headers. A header sits just after the entry of its
 * own file that precedes it in the merged list: whatever an include line splices in comes
 * before that line's own entry, so it is read after every header above the include line.
 */
function remotesInReadingOrder(
  top: ParsedConfig,
  tree: IncludeTree | undefined,
  list: Array<{ doc: ParsedConfig; entry: Entry }>,
  kind: FileKind,
  fanoutName: string | undefined,
): string[] {
  // Per file, its entries' offsets and their places in the merged list (both ascending).
  const places = new Map<ParsedConfig, { offsets: number[]; at: number[] }>();
  list.forEach((m, i) => {
    let p = places.get(m.doc);
    if (!p) places.set(m.doc, (p = { offsets: [], at: [] }));
    p.offsets.push(m.entry.keySpan.start);
    p.at.push(i);
  });
  // An included file without entries is read where its include line is.
  const index = new Map<Entry, number>();
  list.forEach((m, i) => index.set(m.entry, i));
  const linkAt = new Map<ParsedConfig, number>();
  for (const l of tree?.links ?? []) {
    const doc = l.status === 'read' ? tree!.included.get(l.target) : undefined;
    if (doc && !linkAt.has(doc)) linkAt.set(doc, index.get(l.entry) ?? Infinity);
  }
  const first = new Map<string, number>();
  for (const doc of [top, ...(tree ? tree.included.values() : [])]) {
    const p = places.get(doc) ?? { offsets: [], at: [] };
    for (const g of resolveConfig(doc, kind, fanoutName).remotes) {
      for (const s of g.sections) {
        // The last entry of this file before the header (binary search).
        let lo = 0;
        let hi = p.offsets.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (p.offsets[mid] < s.header.start) lo = mid + 1;
          else hi = mid;
        }
        // Before any entry of its file: the top file's start, or an included file's first entry.
        const pos = lo > 0 ? p.at[lo - 1] + 0.5 : doc === top ? -0.5 : p.at.length ? p.at[0] - 0.5 : (linkAt.get(doc) ?? Infinity) - 0.5;
        const seen = first.get(g.name);
        if (seen === undefined || pos < seen) first.set(g.name, pos);
      }
    }
  }
  return [...first.entries()].sort((a, b) => a[1] - b[1]).map(([n]) => n);
}
