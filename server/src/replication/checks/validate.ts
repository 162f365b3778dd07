// Runs every replication rule on one document. The file kind and the site layout come from
// the document's path; other files are read only through the workspace.
//
// The rules run in a fixed order of stages. Some stages look at the whole file (syntax, duplicate
// remotes, the fan-out warning); the others say something about one unit only: one section, or
// one group of blocks JGit merges into one section. After an edit (analysis.ts re-parses only
// the sections it touched), a unit made of the same, unedited blocks keeps what it said before,
// moved to its new lines: only the edited units and the whole-file stages run again. The result
// is the full run's, diagnostic for diagnostic (test/replication/incremental.test.ts).
import type { Diagnostic, Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileKind } from '../../catalog/keyCatalog';
import type { ParsedConfig, ParseSplice } from '../../gitconfig/parser';
import { jgitReadOf } from '../../gitconfig/jgitRead';
import type { SeverityOverrides } from '../../service/diagnostics';
import type { ServiceContext } from '../../service/types';
import type { Workspace } from '../../service/workspace';
import { checkIncludes } from './checkIncludes';
import { checkFanoutFile, checkRemotesIgnoredByFanout } from './checkFanout';
import { checkGlobalBatch, checkRemote, remoteRulesInput } from './checkRemotes';
import { checkSecure } from './checkSecure';
import { checkDuplicateRemotes, checkRepeatedKeys, checkSection } from './checkSections';
import { checkSyntax } from './checkSyntax';
import { checkGroupValues } from './checkValues';
import { CheckContext, createContext, fileUri } from '../context';
import type { SiteLayout } from '../siteLayout';
import type { Analysis } from '../analysis';
import { resolveConfig, type ReadGroup } from '../resolved';
import { hasIncludeSections } from '../configIncludes';
import { drain, type Steps } from '../../service/slices';

export { replicationKind } from '../analysis';

/** What one validation said, by unit, for the next version to reuse (see Analysis.validation). */
export interface ValidationState {
  /** Context the units' diagnostics depend on besides the units themselves. */
  signature: string;
  /** Only units that said something are recorded: a unit missing here said nothing. */
  sections: Map<number, Diagnostic[]>;
  repeated: Map<ReadGroup, Diagnostic[]>;
  values: Map<ReadGroup, Diagnostic[]>;
  remotes: Map<ReadGroup, Diagnostic[]>;
}

/** How many units the last validation ran and how many it took from the version before (tests, bench). */
export const validationStats = { ran: 0, reused: 0 };

export function validateReplication(a: Analysis, ctx: ServiceContext): Diagnostic[] {
  return drain(validateReplicationSteps(a, ctx));
}

/** The same, pausing between rules and every few hundred units (service/slices), for a host that answers requests meanwhile. */
export function* validateReplicationSteps(a: Analysis, ctx: ServiceContext): Steps<Diagnostic[]> {
  const c = createContext(a.doc, a.parsed, a.kind, a.site, ctx.ws, a.path, ctx.severityOverrides);
  const signature = `${c.remotesIgnored}\n${JSON.stringify(ctx.severityOverrides ?? null)}`;
  const reuse = reuseFrom(a, signature);
  // The version this one edited, for the whole-file rules that can carry their findings over.
  const before = a.prior && { parsed: a.prior.analysis.parsed, splice: a.prior.splice };
  const state: ValidationState = { signature, sections: new Map(), repeated: new Map(), values: new Map(), remotes: new Map() };
  let out: Diagnostic[];
  try {
    out = yield* ruleSteps(c, true, state, reuse, before);
  } catch (e) {
    if (!(e instanceof NotReusable)) throw e;
    const fresh = createContext(a.doc, a.parsed, a.kind, a.site, ctx.ws, a.path, ctx.severityOverrides);
    for (const m of [state.sections, state.repeated, state.values, state.remotes]) m.clear();
    out = yield* ruleSteps(fresh, true, state, undefined, before);
  }
  a.validation = state;
  a.prior = undefined; // what the previous version said is no longer needed
  return out;
}

/**
 * The rules on a file JGit reads as part of another (an included file): same kind and site
 * as the including file; its own includes are already part of the including file's tree.
 */
export function validateIncluded(path: string, parsed: ParsedConfig, kind: FileKind, site: SiteLayout, ws: Workspace): Diagnostic[] {
  const doc = TextDocument.create(fileUri(path), 'gerrit-replication', 0, parsed.text);
  return drain(ruleSteps(createContext(doc, parsed, kind, site, ws, path, undefined as SeverityOverrides), false));
}

/** Where a unit's earlier diagnostics come from, moved to the new text; undefined: run it. */
interface Reuse {
  section(index: number): Diagnostic[] | undefined;
  group(stage: 'repeated' | 'values' | 'remotes', g: ReadGroup): Diagnostic[] | undefined;
}

class NotReusable extends Error {}

const NONE: Diagnostic[] = [];

/** Units run between two pauses of a sliced validation (each costs a few µs at most). */
const UNITS_PER_SLICE = 256;

function* ruleSteps(c: CheckContext, includes: boolean, state?: ValidationState, reuse?: Reuse, before?: { parsed: ParsedConfig; splice: ParseSplice }): Steps<Diagnostic[]> {
  const { kind, parsed } = c;
  const out = c.diagnostics;
  validationStats.ran = validationStats.reused = 0;
  // Each unit: what it said before (moved), or a run of its rule; recorded when it said something.
  const take = (before: Diagnostic[]) => {
    validationStats.reused++;
    for (const d of before) out.push(d);
    return before;
  };
  const said = (from: number) => {
    validationStats.ran++;
    return out.length === from ? NONE : out.slice(from);
  };
  checkSyntax(c);
  yield;
  if (includes) checkIncludes(c, validateIncluded);
  yield;
  const resolved = resolveConfig(parsed, kind, c.site.fanoutRemote);
  for (let i = 0; i < parsed.sections.length; i++) {
    const before = reuse?.section(i);
    let d: Diagnostic[];
    if (before) d = take(before);
    else {
      const from = out.length;
      checkSection(c, i, resolved);
      d = said(from);
    }
    if (state && d.length) state.sections.set(i, d);
    if (i % UNITS_PER_SLICE === UNITS_PER_SLICE - 1) yield;
  }
  yield;
  checkDuplicateRemotes(c, before);
  yield;
  const perGroup = function* (stage: 'repeated' | 'values' | 'remotes', groups: ReadGroup[], run: (g: ReadGroup) => void): Steps<void> {
    const record = state?.[stage];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      const before = reuse?.group(stage, g);
      let d: Diagnostic[];
      if (before) d = take(before);
      else {
        const from = out.length;
        run(g);
        d = said(from);
      }
      if (record && d.length) record.set(g, d);
      if (i % UNITS_PER_SLICE === UNITS_PER_SLICE - 1) yield;
    }
    yield;
  };
  yield* perGroup('repeated', resolved.groups, (g) => checkRepeatedKeys(c, g, resolved));
  yield* perGroup('values', resolved.groups, (g) => checkGroupValues(c, g, resolved));
  if (kind !== 'secure') {
    const input = remoteRulesInput(c);
    yield* perGroup('remotes', resolved.remotes, (r) => checkRemote(c, r, input));
    checkGlobalBatch(c, input);
    yield;
  }
  if (kind === 'fanout') checkFanoutFile(c);
  if (kind === 'replication' && includes) checkRemotesIgnoredByFanout(c);
  if (kind === 'secure' && includes) checkSecure(c);
  return out.slice().sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** JGit reads the file exactly as git does (no value of it differs, no error). */
function readsAsGit(doc: ParsedConfig): boolean {
  const r = jgitReadOf(doc);
  return r.error === undefined && r.values.size === 0;
}

/**
 * What the units of `a` may take from the validation of the version before, or undefined when
 * everything runs. Only a replication.config without includes, edited inside remote blocks,
 * read alike by git and JGit before and after, with the same context: then every unit's
 * diagnostics depend on its own blocks (and on the [replication], [gerrit] and [url] keys the
 * remote rules read, which such an edit leaves alone).
 */
function reuseFrom(a: Analysis, signature: string): Reuse | undefined {
  if (a.kind !== 'replication' || hasIncludeSections(a.parsed) || !readsAsGit(a.parsed)) return undefined;
  // The same version validated again: every unit as it was.
  const same = a.validation;
  if (same && same.signature === signature) {
    return { section: (i) => same.sections.get(i) ?? NONE, group: (stage, g) => same[stage].get(g) ?? NONE };
  }
  const prior = a.prior;
  const was = prior?.analysis.validation;
  if (!prior || !was || was.signature !== signature) return undefined;
  const prev = prior.analysis.parsed;
  const sp = prior.splice;
  if (hasIncludeSections(prev) || !readsAsGit(prev)) return undefined;
  for (let i = sp.firstSection; i < sp.oldSectionEnd; i++) if (prev.sections[i].name !== 'remote') return undefined;
  for (let i = sp.firstSection; i < sp.newSectionEnd; i++) if (a.parsed.sections[i].name !== 'remote') return undefined;
  // Positions up to the first re-read header stay; from the line of the first reused header
  // after the edit on, lines move by `lines`. Nothing a reused unit says lies in between.
  const keep = prior.analysis.doc.positionAt(prev.sections[sp.firstSection].header.start);
  const after = sp.oldSectionEnd < prev.sections.length ? prior.analysis.doc.positionAt(prev.sections[sp.oldSectionEnd].header.start).line : Infinity;
  const lines = after === Infinity ? 0 : a.doc.positionAt(a.parsed.sections[sp.newSectionEnd].header.start).line - after;
  const move = moveDiagnostics(keep, after, lines, a.doc.uri);
  const shift = sp.newSectionEnd - sp.oldSectionEnd;
  return {
    section(i) {
      const old = i < sp.firstSection ? i : i >= sp.newSectionEnd ? i - shift : -1;
      return old < 0 ? undefined : move(was.sections.get(old) ?? NONE);
    },
    group(stage, g) {
      const old = prior.groups.get(g);
      return old && move(was[stage].get(old) ?? NONE);
    },
  };
}

/** Diagnostics of a reused unit at their new positions (the same objects when nothing moved). */
function moveDiagnostics(keep: Position, after: number, lines: number, uri: string): (ds: Diagnostic[]) => Diagnostic[] {
  const before = (p: Position) => p.line < keep.line || (p.line === keep.line && p.character <= keep.character);
  const pos = (p: Position): Position => {
    if (before(p)) return p;
    if (p.line < after) throw new NotReusable();
    return lines === 0 ? p : { line: p.line + lines, character: p.character };
  };
  const range = (r: Diagnostic['range']) => {
    const start = pos(r.start);
    const end = pos(r.end);
    return start === r.start && end === r.end ? r : { start, end };
  };
  const move = (d: Diagnostic): Diagnostic => {
    const r = range(d.range);
    if (lines === 0 || (before(d.range.end) && !d.relatedInformation && !d.data)) return d;
    const out: Diagnostic = { ...d, range: r };
    if (d.relatedInformation) out.relatedInformation = d.relatedInformation.map((ri) => (ri.location.uri === uri ? { ...ri, location: { ...ri.location, range: range(ri.location.range) } } : ri));
    const data = d.data as { fixes?: Array<{ edits: Array<{ range: Diagnostic['range']; newText: string }> }> } | undefined;
    if (data?.fixes) out.data = { ...data, fixes: data.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, range: range(e.range) })) })) };
    return out;
  };
  return (ds) => (ds.length === 0 ? ds : lines === 0 ? (ds.forEach((d) => pos(d.range.start)), ds) : ds.map(move));
}
