// Go to definition / find references for remote names across the site: a remote's section in
// replication.config or its fan-out file, and its credentials in secure.config.
import type { Location, Position } from 'vscode-languageserver';
import { basename } from 'node:path';
import { LineIndex, parseGitConfig, type ConfigDocument, type Section } from '../../gitconfig/parser';
import type { ServiceContext } from '../../service/types';
import { fileUri } from '../context';
import { fanoutFiles, type SiteLayout } from '../siteLayout';
import type { Analysis } from '../analysis';
import { hasIncludeSections, includeTarget } from '../configIncludes';

interface RemoteSite {
  /** Where remotes are defined (replication.config, or the fan-out files). */
  definitions: Location[];
  credentials: Location[];
}

/** The `[remote]` / `[remote "NAME"]` sections of a file (legacy `[remote.x]` and broken headers left out). */
export function remoteSections(text: string | ConfigDocument): Section[] {
  return (typeof text === 'string' ? parseGitConfig(text) : text).sections.filter((s) => s.name === 'remote' && !s.broken && !s.legacy);
}

/** The remote section whose header is under the cursor. */
export function remoteHeaderAt(a: Analysis, pos: Position): Section | undefined {
  const offset = a.doc.offsetAt(pos);
  return remoteSections(a.parsed).find((s) => offset >= s.header.start && offset <= s.header.end);
}

/** The remote named at the cursor: a `[remote "NAME"]` header, or a fan-out file's `[remote]`. */
function remoteAt(a: Analysis, pos: Position): string | undefined {
  const s = remoteHeaderAt(a, pos);
  if (!s) return undefined;
  if (s.subsection !== null) return s.subsection;
  return a.kind === 'fanout' ? a.site.fanoutRemote : undefined;
}

function headersIn(path: string, text: string, name: string, bare: boolean): Location[] {
  const idx = new LineIndex(text);
  return remoteSections(text)
    .filter((s) => (bare ? s.subsection === null : s.subsection === name))
    .map((s) => ({ uri: fileUri(path), range: { start: idx.position(s.header.start), end: idx.position(s.header.end) } }));
}

function locate(name: string, site: SiteLayout, ctx: ServiceContext): RemoteSite {
  const definitions: Location[] = [];
  if (ctx.ws.stat(site.fanoutDir)?.isDirectory) {
    for (const f of fanoutFiles(site.fanoutDir, ctx.ws)) {
      if (basename(f).replace(/\.config$/, '') !== name) continue;
      const text = ctx.ws.read(f);
      if (text !== undefined) definitions.push(...headersIn(f, text, name, true));
    }
  } else {
    const text = ctx.ws.read(site.replicationConfig);
    if (text !== undefined) definitions.push(...headersIn(site.replicationConfig, text, name, false));
  }
  const secure = ctx.ws.read(site.secureConfig);
  const credentials = secure === undefined ? [] : headersIn(site.secureConfig, secure, name, false);
  return { definitions, credentials };
}

/** The file an `[include] path = …` value under the cursor names, where JGit reads it. */
function includeAt(a: Analysis, pos: Position, ctx: ServiceContext): Location[] | undefined {
  const offset = a.doc.offsetAt(pos);
  const parsed = a.parsed;
  if (!hasIncludeSections(parsed)) return undefined;
  for (const s of parsed.sections) {
    if (s.name !== 'include' || s.broken || s.legacy) continue;
    for (const e of s.entries) {
      if (e.key !== 'path' || e.value === null || offset < e.span.start || offset > e.span.end) continue;
      // Fan-out files never follow includes: there is nothing the plugin reads to go to.
      if (a.kind === 'fanout') return [];
      const target = includeTarget(e.value, ctx.path);
      if (!ctx.ws.stat(target)?.isFile) return [];
      const zero = { line: 0, character: 0 };
      return [{ uri: fileUri(target), range: { start: zero, end: zero } }];
    }
  }
  return undefined;
}

export function definitionReplication(a: Analysis, pos: Position, ctx: ServiceContext): Location[] {
  const inc = includeAt(a, pos, ctx);
  if (inc) return inc;
  const name = remoteAt(a, pos);
  if (name === undefined) return [];
  const found = locate(name, a.site, ctx);
  // From credentials jump to the remote; from the remote jump to its credentials.
  return a.kind === 'secure' ? found.definitions : found.credentials;
}

export function referencesReplication(a: Analysis, pos: Position, ctx: ServiceContext): Location[] {
  const name = remoteAt(a, pos);
  if (name === undefined) return [];
  const found = locate(name, a.site, ctx);
  return [...found.definitions, ...found.credentials];
}
