// Runs every replication rule on one document. The file kind and the site layout come from
// the document's path; other files are read only through the workspace.
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileKind } from '../../catalog/keyCatalog';
import type { ParsedConfig } from '../../gitconfig/parser';
import type { SeverityOverrides } from '../../service/diagnostics';
import type { ServiceContext } from '../../service/types';
import type { Workspace } from '../../service/workspace';
import { checkIncludes } from './checkIncludes';
import { checkFanoutFile, checkRemotesIgnoredByFanout } from './checkFanout';
import { checkRemotes } from './checkRemotes';
import { checkSecure } from './checkSecure';
import { checkSections } from './checkSections';
import { checkSyntax } from './checkSyntax';
import { checkValues } from './checkValues';
import { createContext, fileUri } from '../context';
import type { SiteLayout } from '../siteLayout';
import type { Analysis } from '../analysis';
import { drain, type Steps } from '../../service/slices';

export { replicationKind } from '../analysis';

export function validateReplication(a: Analysis, ctx: ServiceContext): Diagnostic[] {
  return drain(validateReplicationSteps(a, ctx));
}

/** The same, pausing between rules (service/slices), for a host that answers requests meanwhile. */
export function validateReplicationSteps(a: Analysis, ctx: ServiceContext): Steps<Diagnostic[]> {
  return ruleSteps(a.doc, a.parsed, a.kind, a.site, ctx.ws, a.path, true, ctx.severityOverrides);
}

/**
 * The rules on a file JGit reads as part of another (an included file): same kind and site
 * as the including file; its own includes are already part of the including file's tree.
 */
export function validateIncluded(path: string, parsed: ParsedConfig, kind: FileKind, site: SiteLayout, ws: Workspace): Diagnostic[] {
  const doc = TextDocument.create(fileUri(path), 'gerrit-replication', 0, parsed.text);
  return drain(ruleSteps(doc, parsed, kind, site, ws, path, false));
}

function* ruleSteps(doc: TextDocument, parsed: ParsedConfig, kind: FileKind, site: SiteLayout, ws: Workspace, path: string, includes: boolean, overrides?: SeverityOverrides): Steps<Diagnostic[]> {
  const c = createContext(doc, parsed, kind, site, ws, path, overrides);
  checkSyntax(c);
  yield;
  if (includes) checkIncludes(c, validateIncluded);
  yield;
  checkSections(c);
  yield;
  checkValues(c);
  yield;
  if (kind !== 'secure') checkRemotes(c);
  yield;
  if (kind === 'fanout') checkFanoutFile(c);
  if (kind === 'replication' && includes) checkRemotesIgnoredByFanout(c);
  if (kind === 'secure' && includes) checkSecure(c);
  return c.diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
