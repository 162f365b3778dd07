// What every validator gets: the document, its parse, where it sits in the site, the
// workspace for other files, and `report` to add a diagnostic by rule code.
import { pathToFileURL } from 'node:url';
import type { Diagnostic, DiagnosticRelatedInformation, Range } from 'vscode-languageserver';
import { DiagnosticSeverity } from '../service/lspConstants';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex, type ParsedConfig, type Span } from '../gitconfig/parser';
import type { IncludedRemotes } from './checks/checkIncludes';
import type { FileKind } from '../catalog/keyCatalog';
import type { Workspace } from '../service/workspace';
import { RULES, RuleCode } from './checks/replicationRules';
import { makeDiagnostic, type SeverityOverrides } from '../service/diagnostics';
import type { SiteLayout } from './siteLayout';

/** A quick fix computed with the diagnostic; code actions only hand it out. */
export interface Fix {
  title: string;
  edits: Array<{ range: Range; newText: string }>;
  preferred?: boolean;
  /** After the edit, the name at this range is worth renaming: a client that can prompts for it. */
  rename?: Range;
  /** Edits to another file of the site (secure.config); `create` when it does not exist yet. */
  otherFile?: { path: string; create: boolean; edits: Array<{ range: Range; newText: string }> };
}

export interface DiagnosticData {
  fixes?: Fix[];
}

export interface Related {
  path?: string; // default: this file
  span?: Span; // default: start of file
  /** For another file: the text `span` is an offset into (else the location is its start). */
  text?: string;
  message: string;
}

export interface CheckContext {
  doc: TextDocument;
  parsed: ParsedConfig;
  kind: FileKind;
  site: SiteLayout;
  ws: Workspace;
  path: string;
  /** replication.config next to an etc/replication/ directory: the plugin drops its remotes. */
  remotesIgnored: boolean;
  /** What included files add to each remote (set only when the file has [include] lines). */
  included?: IncludedRemotes;
  range(span: Span): Range;
  /** Add a diagnostic; its severity (and the user's override) is resolved here. */
  report(code: RuleCode, span: Span, message: string, extra?: ReportOptions): void;
  /** How many diagnostics were reported so far, those the user turned off included. */
  reported(): number;
  diagnostics: Diagnostic[];
}

export interface ReportOptions {
  related?: Related[];
  fixes?: Fix[];
  /** Instead of the rule's default; the user's override still wins. */
  severity?: DiagnosticSeverity;
}

const IGNORED_NOTE = ' (This remote is ignored while etc/replication/ exists, so for now this has no effect.)';

/**
 * For remotes the plugin drops (replication.config next to etc/replication/): problems are
 * still worth knowing before the remote is moved to a fan-out file, but they break nothing
 * today, so they are reported as information.
 */
export function ignoredRemoteContext(c: CheckContext): CheckContext {
  // One per context: rules ask per remote, and caches keyed by the context (insteadOf rules) hold.
  let ignored = IGNORED.get(c);
  if (!ignored) {
    ignored = {
      ...c,
      report(code, span, message, extra) {
        c.report(code, span, message + IGNORED_NOTE, { ...extra, severity: DiagnosticSeverity.Information });
      },
    };
    IGNORED.set(c, ignored);
  }
  return ignored;
}
const IGNORED = new WeakMap<CheckContext, CheckContext>();

/**
 * For a remote the plugin skips: what would fail once it is used is still worth knowing, but
 * it does not stop the plugin from loading today, so it is information.
 */
export function skippedRemoteContext(c: CheckContext, why: string): CheckContext {
  return {
    ...c,
    report(code, span, message, extra) {
      c.report(code, span, `${message} (The plugin skips this remote because ${why}, so it never reads this key today.)`, { ...extra, severity: DiagnosticSeverity.Information });
    },
  };
}

/** A fix that deletes the whole line(s) of a span, newline included. */
export function deleteLinesFix(c: Pick<CheckContext, 'parsed' | 'range'>, span: Span, title: string): Fix {
  const text = c.parsed.text;
  const start = text.lastIndexOf('\n', span.start - 1) + 1;
  const nl = text.indexOf('\n', span.end);
  const end = nl < 0 ? text.length : nl + 1;
  return { title, edits: [{ range: c.range({ start, end }), newText: '' }] };
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

/** `overrides`: the user's severities by code; none for files checked only on another's behalf. */
export function createContext(doc: TextDocument, parsed: ParsedConfig, kind: FileKind, site: SiteLayout, ws: Workspace, path: string, overrides?: SeverityOverrides): CheckContext {
  const diagnostics: Diagnostic[] = [];
  let reported = 0;
  const range = (span: Span): Range => ({ start: doc.positionAt(span.start), end: doc.positionAt(span.end) });
  const relatedInfo = (r: Related): DiagnosticRelatedInformation => {
    if (!r.path || r.path === path) return { location: { uri: doc.uri, range: range(r.span ?? { start: 0, end: 0 }) }, message: r.message };
    // Another file: offsets mean something only with its text; else point at its start.
    if (r.text !== undefined && r.span) {
      const idx = new LineIndex(r.text);
      return { location: { uri: fileUri(r.path), range: { start: idx.position(r.span.start), end: idx.position(r.span.end) } }, message: r.message };
    }
    return { location: { uri: fileUri(r.path), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, message: r.message };
  };
  return {
    doc,
    parsed,
    kind,
    site,
    ws,
    path,
    remotesIgnored: kind === 'replication' && ws.stat(site.fanoutDir)?.isDirectory === true,
    range,
    diagnostics,
    report(code, span, message, extra) {
      reported++;
      const d = makeDiagnostic(RULES, code, range(span), message, overrides, {
        severity: extra?.severity,
        relatedInformation: extra?.related?.length ? extra.related.map(relatedInfo) : undefined,
        data: extra?.fixes?.length ? ({ fixes: extra.fixes } satisfies DiagnosticData) : undefined,
      });
      if (d) diagnostics.push(d);
    },
    reported: () => reported,
  };
}
