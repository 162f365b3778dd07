// Go to definition / find references for remote names across the site: a remote's section in
// replication.config or its fan-out file, and its credentials in secure.config.
import type { Location, Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { basename } from 'node:path';
import { LineIndex, parseGitConfig, Section } from '../../gitconfig/parser';
import type { ServiceContext } from '../../service/types';
import { fileUri } from '../context';
import { fanoutFiles, siteLayout } from '../siteLayout';
import { replicationKind } from '../checks/validate';
import { hasIncludeSections, includeTarget } from '../configIncludes';

interface RemoteSite {
  /** Where remotes are defined (replication.config, or the fan-out files). */
  definitions: Location[];
  credentials: Location[];
}

/** The `[remote]` / `[remote "NAME"]` sections of a file (legacy `[remote.x]` and broken headers left out). */
export function remoteSections(text: string): Section[] {
  return parseGitConfig(text).sections.filter((s) => s.name === 'remote' && !s.broken && !s.legacy);
}

/** The remote section whose header is under the cursor. */
export function remoteHeaderAt(doc: TextDocument, pos: Position): Section | undefined {
  const offset = doc.offsetAt(pos);
  return remoteSections(doc.getText()).find((s) => offset >= s.header.start && offset <= s.header.end);
}

/** The remote named at the cursor: a `[remote "NAME"]` header, or a fan-out file's `[remote]`. */
function remoteAt(doc: TextDocument, pos: Position, path: string): string | undefined {
  const s = remoteHeaderAt(doc, pos);
  if (!s) return undefined;
  if (s.subsection !== null) return s.subsection;
  const kind = replicationKind(path);
  return kind === 'fanout' ? siteLayout(path, kind).fanoutRemote : undefined;
}

function headersIn(path: string, text: string, name: string, bare: boolean): Location[] {
  const idx = new LineIndex(text);
  return remoteSections(text)
    .filter((s) => (bare ? s.subsection === null : s.subsection === name))
    .map((s) => ({ uri: fileUri(path), range: { start: idx.position(s.header.start), end: idx.position(s.header.end) } }));
}

function locate(name: string, ctx: ServiceContext): RemoteSite {
  const site = siteLayout(ctx.path, replicationKind(ctx.path));
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
function includeAt(doc: TextDocument, pos: Position, ctx: ServiceContext): Location[] | undefined {
  const offset = doc.offsetAt(pos);
  const parsed = parseGitConfig(doc.getText());
  if (!hasIncludeSections(parsed)) return undefined;
  for (const s of parsed.sections) {
    if (s.name !== 'include' || s.broken || s.legacy) continue;
    for (const e of s.entries) {
      if (e.key !== 'path' || e.value === null || offset < e.span.start || offset > e.span.end) continue;
      // Fan-out files never follow includes: there is nothing the plugin reads to go to.
      if (replicationKind(ctx.path) === 'fanout') return [];
      const target = includeTarget(e.value, ctx.path);
      if (!ctx.ws.stat(target)?.isFile) return [];
      const zero = { line: 0, character: 0 };
      return [{ uri: fileUri(target), range: { start: zero, end: zero } }];
    }
  }
  return undefined;
}

export function definitionReplication(doc: TextDocument, pos: Position, ctx: ServiceContext): Location[] {
  const inc = includeAt(doc, pos, ctx);
  if (inc) return inc;
  const name = remoteAt(doc, pos, ctx.path);
  if (name === undefined) return [];
  const found = locate(name, ctx);
  // From credentials jump to the remote; from the remote jump to its credentials.
  return replicationKind(ctx.path) === 'secure' ? found.definitions : found.credentials;
}

export function referencesReplication(doc: TextDocument, pos: Position, ctx: ServiceContext): Location[] {
  const name = remoteAt(doc, pos, ctx.path);
  if (name === undefined) return [];
  const found = locate(name, ctx);
  return [...found.definitions, ...found.credentials];
}
