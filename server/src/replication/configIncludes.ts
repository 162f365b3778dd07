// `[include] path = …` as the replication plugin's JGit follows it (FileBasedConfig.load →
// Config.fromTextRecurse / FileBasedConfig.readIncludedConfig), for replication.config and
// secure.config. Fan-out files are read as plain text and parsed by a bare Config, whose
// readIncludedConfig returns null: their includes are never followed. Differences from git:
// - every relative path is resolved against the TOP file's directory, at every depth (git:
//   the including file's directory), `~/` against the home directory, absolute as written;
// - a file that is missing, a directory or unreadable is skipped silently;
// - the top file is depth 1 and text deeper than 10 throws "Too many recursions; circular
//   includes in config file(s)?" (so 9 nested includes work; git allows 10); cycles end there;
// - any other key in an [include] section, or `path` without `=`, throws "Invalid line in
//   config file" (git ignores other keys); `[include "x"]` is followed too (git ignores it);
// - `[includeIf "…"]` is just an unknown section to JGit: never followed.
// A thrown ConfigInvalidException means the plugin does not load (secure.config: Gerrit does
// not start). Files are read only through the Workspace.
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseGitConfig, type Entry, type ParsedConfig, type Section } from '../gitconfig/parser';
import { entryOnHeaderLine, jgitRawOf, jgitReadOf } from '../gitconfig/jgitRead';
import type { Workspace } from '../service/workspace';

/** JGit's Config.MAX_DEPTH: the top file is depth 1. */
export const JGIT_MAX_DEPTH = 10;

export interface IncludeLink {
  /** The file holding the `path = …` line, and its parse. */
  file: string;
  doc: ParsedConfig;
  entry: Entry;
  /** Where JGit looks for the file. */
  target: string;
  /** Depth JGit parses the included text at (the top file is 1). */
  depth: number;
  /**
   * read: followed; skipped: missing/unreadable, ignored; too-deep: JGit throws here;
   * outside / not-regular: refused by a confined workspace (JGit would read it, we do not).
   */
  status: 'read' | 'skipped' | 'too-deep' | 'outside' | 'not-regular';
  /** The link of the top file this one is reached through (itself for top-level links). */
  root: IncludeLink | null;
  /** Files from the top down to the one holding this line. */
  chain: string[];
}

/** A line JGit rejects in an [include] section (or a syntax error in an included file). */
export interface IncludeFault {
  file: string;
  doc: ParsedConfig;
  span: { start: number; end: number };
  message: string;
  /** The top-level link the faulty file is reached through (null: the top file itself). */
  root: IncludeLink | null;
}

export interface MergedEntry {
  file: string;
  doc: ParsedConfig;
  entry: Entry;
}

export interface IncludeTree {
  top: string;
  links: IncludeLink[];
  faults: IncludeFault[];
  /** True when JGit throws while loading: the plugin does not load the file at all. */
  fails: boolean;
  /** Every entry in JGit's order: an included file's entries come where its include line is. */
  entries: MergedEntry[];
  /** Included files that were read (not the top file). */
  included: Map<string, ParsedConfig>;
}

export interface IncludeOptions {
  /** JGit's FS.userHome() for `~/` (the Gerrit user's home); default: this process's. */
  home?: string;
}

/**
 * What JGit throws for a line of an [include] section (Config.addIncludedConfig), or
 * undefined when it follows it: any key but `path`, and a `path` with no value (`path`,
 * `path =`, `path = ""`), fail the load. JGit prints the line as it read it.
 */
export function includeLineError(d: ParsedConfig, s: Section, e: Entry): string | undefined {
  const raw = jgitRawOf(d, e); // null: bare `path` (JGit's "missing"); '': no value
  const value = raw === null ? '' : raw === '' ? null : raw;
  if (e.key === 'path' && raw !== null && raw !== '') return undefined;
  const name = d.text.slice(s.nameSpan.start, s.nameSpan.end);
  const line = `${name}${s.subsection !== null && !s.legacy ? '.' + s.subsection : ''}.${e.rawKey}${value === null ? '' : '=' + value}`;
  const why = e.key === 'path' ? 'a path with no value' : `only \`path = FILE\` is allowed in [include]`;
  return `JGit fails with "Invalid line in config file: ${line}" (${why}), so the plugin does not load.`;
}

function isInclude(s: Section): boolean {
  // JGit compares the section name only (subsections do not matter); a legacy [include.x]
  // header is the section "include.x" to JGit.
  return s.name === 'include' && !s.broken && !s.legacy;
}

/** Whether the file has anything include-related: keeps the common path free of work. */
export function hasIncludeSections(doc: ParsedConfig): boolean {
  for (const s of doc.sections) if (s.name === 'include' || s.name === 'includeif') return true;
  return false;
}

/** Where JGit's FileBasedConfig.readIncludedConfig looks for `value`. */
export function includeTarget(value: string, topFile: string, home = homedir()): string {
  if (value.startsWith('~/')) return join(home, value.slice(2));
  return isAbsolute(value) ? value : resolve(dirname(topFile), value);
}

// Every keystroke in the including file resolves its includes again; the included files
// rarely change meanwhile, so their parses are kept while their text is the same.
const PARSES = new Map<string, { text: string; parsed: ParsedConfig }>();

function parseCached(path: string, text: string): ParsedConfig {
  const hit = PARSES.get(path);
  if (hit && hit.text === text) return hit.parsed;
  // JGit drops a UTF-8 byte order mark before parsing (Config.isUtf8).
  const parsed = parseGitConfig(text.replace(/^\uFEFF/, ''));
  if (PARSES.size >= 200) PARSES.clear();
  PARSES.set(path, { text, parsed });
  return parsed;
}

export function resolveIncludes(top: string, doc: ParsedConfig, ws: Workspace, opts: IncludeOptions = {}): IncludeTree {
  const tree: IncludeTree = { top, links: [], faults: [], fails: false, entries: [], included: new Map() };
  const walk = (file: string, d: ParsedConfig, depth: number, root: IncludeLink | null, chain: string[]): void => {
    const incSections = d.sections.filter(isInclude);
    const links = new Map<Entry, IncludeLink>();
    for (const s of incSections) {
      for (const e of s.entries) {
        if (entryOnHeaderLine(d.text, e)) continue; // JGit ignores text after a header's ']'
        const invalid = includeLineError(d, s, e);
        if (invalid) {
          tree.faults.push({ file, doc: d, span: e.span, root, message: invalid });
          tree.fails = true;
          continue;
        }
        const target = includeTarget(e.value!, top, opts.home);
        const link: IncludeLink = { file, doc: d, entry: e, target, depth: depth + 1, status: 'skipped', root: null, chain };
        link.root = root ?? link;
        tree.links.push(link);
        links.set(e, link);
      }
    }
    // An included file fails the load where JGit throws, not where git does (`[]` loads).
    const jgitError = d !== doc ? jgitReadOf(d).error : undefined;
    if (jgitError) {
      tree.faults.push({ file, doc: d, span: { start: jgitError.offset, end: jgitError.offset }, root, message: `JGit throws "${jgitError.message}".` });
      tree.fails = true;
    }
    for (const e of d.entries) {
      const link = links.get(e);
      if (link) follow(link);
      tree.entries.push({ file, doc: d, entry: e });
    }
  };
  const follow = (link: IncludeLink): void => {
    if (link.depth > JGIT_MAX_DEPTH) {
      link.status = 'too-deep';
      tree.fails = true;
      return;
    }
    // Confined (check, the language server): outside the site or not a regular file, it is
    // named at the include line but never opened.
    const refused = ws.refusal?.(link.target);
    if (refused) {
      link.status = refused;
      return;
    }
    const st = ws.stat(link.target);
    const text = st?.isFile ? ws.read(link.target) : undefined;
    if (text === undefined) return; // JGit: file missing, a directory or unreadable → null → ignored
    link.status = 'read';
    let parsed = tree.included.get(link.target);
    if (!parsed) tree.included.set(link.target, (parsed = parseCached(link.target, text)));
    walk(link.target, parsed, link.depth, link.root, [...link.chain, link.target]);
  };
  walk(top, doc, 1, null, [top]);
  return tree;
}
